/**
 * `deno task docs`: writes the README's config table from the config
 * schema (`lib/spec/config_doc.ts`), between the markers
 * `<!-- config-table:start -->` and `<!-- config-table:end -->`, then runs
 * `deno fmt` on the README. `--check` exits 1 when the README's table
 * differs from the schema (the test suite checks the same).
 *
 * @module
 */
import { readFileSync, writeFileSync } from "node:fs";
import { configTableMarkdown } from "../lib/spec/config_doc.ts";

/** The README's markers around the generated table. */
export const START = "<!-- config-table:start -->";
export const END = "<!-- config-table:end -->";

/** A markdown table row with its cells trimmed and separator dashes shortened. */
function normalise(line: string): string {
  return line.split("|").map((c) => c.trim().replace(/^-+$/, "---")).join("|");
}

/**
 * The table between the README's markers, normalised (cell padding from
 * `deno fmt` removed), and the schema's, normalised the same way.
 */
export function tables(readme: string): { inReadme: string[] | null; fromSchema: string[] } {
  const fromSchema = configTableMarkdown().map(normalise);
  const a = readme.indexOf(START);
  const b = readme.indexOf(END);
  if (a < 0 || b < a) return { inReadme: null, fromSchema };
  const body = readme.slice(a + START.length, b).split("\n").filter((l) => l.startsWith("|"));
  return { inReadme: body.map(normalise), fromSchema };
}

if (import.meta.main) {
  const path = new URL("../README.md", import.meta.url);
  const readme = readFileSync(path, "utf8");
  const { inReadme, fromSchema } = tables(readme);
  if (inReadme === null) {
    console.error(`README.md has no ${START} ... ${END} section`);
    Deno.exit(2);
  }
  if (Deno.args.includes("--check")) {
    const same = JSON.stringify(inReadme) === JSON.stringify(fromSchema);
    console.log(
      same
        ? "README config table matches the schema"
        : "README config table is stale: run deno task docs",
    );
    Deno.exit(same ? 0 : 1);
  }
  const a = readme.indexOf(START) + START.length;
  const b = readme.indexOf(END);
  const next = `${readme.slice(0, a)}\n\n${configTableMarkdown().join("\n")}\n\n${readme.slice(b)}`;
  writeFileSync(path, next);
  const fmt = new Deno.Command(Deno.execPath(), { args: ["fmt", path.pathname] }).outputSync();
  if (!fmt.success) console.error(new TextDecoder().decode(fmt.stderr));
  console.log("README.md: config table written from the schema");
}
