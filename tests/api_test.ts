/**
 * The library as a thesis repository uses it: a script in a directory of
 * its own (no deno.json) imports the harness's `mod.ts` by file URL, reads
 * and writes CSV, renders a chart, loads a study with the last sweep's
 * settings, and calls a function that needs a tfjs backend before and after
 * `initBackend`. Also: every npm import of lib/ goes through `lib/deps.ts`
 * with the versions of deno.json.
 */
import assert from "node:assert/strict";
import { readdirSync, readFileSync, statSync } from "node:fs";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { NPM_PACKAGES } from "../lib/deps.ts";
import { withTempDir } from "./_temp.ts";

const ROOT = join(import.meta.dirname!, "..");

function files(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const p = join(dir, name);
    return statSync(p).isDirectory() ? files(p) : p.endsWith(".ts") ? [p] : [];
  });
}

Deno.test("deps: lib/ and mod.ts import npm packages only through lib/deps.ts, at deno.json's versions", () => {
  const bare =
    /(?:^|\n)\s*(?:import|export)\b[^"';]*?from\s*["']([^"'.][^"']*)["']|import\(\s*["']([^"'.][^"']*)["']\s*\)|(?:^|\n)\s*import\s*["']([^"'.][^"']*)["']/g;
  const offenders: string[] = [];
  for (const f of [...files(join(ROOT, "lib")), join(ROOT, "mod.ts")]) {
    if (f.endsWith("deps.ts")) continue;
    for (const m of readFileSync(f, "utf8").matchAll(bare)) {
      const spec = m[1] ?? m[2] ?? m[3];
      if (!spec.startsWith("node:")) offenders.push(`${f}: ${spec}`);
    }
  }
  assert.deepEqual(offenders, [], "import these through lib/deps.ts");
  const imports = JSON.parse(readFileSync(join(ROOT, "deno.json"), "utf8")).imports as Record<
    string,
    string
  >;
  for (const [pkg, version] of Object.entries(NPM_PACKAGES)) {
    assert.equal(imports[pkg], `npm:${pkg}@${version}`, `deno.json's ${pkg}`);
  }
  const deps = readFileSync(join(ROOT, "lib", "deps.ts"), "utf8");
  for (const m of deps.matchAll(/"npm:((?:@[^/"]+\/)?[^@"]+)@([^"]+)"/g)) {
    if (m[1].startsWith("@types/")) continue; // type declarations only
    assert.equal(NPM_PACKAGES[m[1]], m[2], `lib/deps.ts imports ${m[1]}@${m[2]}`);
  }
});

Deno.test({
  name: "mod.ts works from a script outside the checkout (no deno.json there)",
  sanitizeResources: false,
  fn: async () => {
    await withTempDir("harness-user-", async (dir) => {
      const mod = pathToFileURL(join(ROOT, "mod.ts")).href;
      Deno.writeTextFileSync(
        join(dir, "my-study.ts"),
        `import { defineExperiment } from "${mod}";\n` +
          'export default defineExperiment({ name: "mine", base: { steps: 50 }, ' +
          "sweep: { k: [1, 2] }, seeds: [0, 1, 2, 3] });\n",
      );
      // The last sweep of this study used --seeds 2.
      Deno.mkdirSync(join(dir, "runs", "mine"), { recursive: true });
      Deno.writeTextFileSync(
        join(dir, "runs", "mine", "sweep.json"),
        JSON.stringify({ expand: { seeds: 2 } }),
      );
      Deno.writeTextFileSync(
        join(dir, "script.ts"),
        `import * as h from "${mod}";
const rows = h.parseCsv(h.toCsv([{ a: 1, b: "x" }], ["a", "b"]));
console.log("csv", JSON.stringify(rows));
const svg = await h.renderSvg({ data: { values: [{ x: 1, y: 2 }] }, mark: "point",
  encoding: { x: { field: "x", type: "quantitative" }, y: { field: "y", type: "quantitative" } } });
console.log("svg", svg.startsWith("<svg"));
const study = await h.loadStudy("my-study.ts");
console.log("study", study.exp.name, study.plans.length, JSON.stringify(study.expand));
try {
  h.parzenLogLikelihood([[0], [1]], [[0.5]], 0.5);
  console.log("no error");
} catch (e) {
  console.log("before", (e as Error).message);
}
await h.initBackend("cpu");
console.log("after", h.parzenLogLikelihood([[0], [1]], [[0.5]], 0.5).mean.toFixed(6));
`,
      );
      const out = await new Deno.Command(Deno.execPath(), {
        args: [
          "run",
          "--allow-read",
          "--allow-write",
          "--allow-env",
          "--allow-sys",
          "--allow-ffi",
          "script.ts",
        ],
        cwd: dir,
        stdout: "piped",
        stderr: "piped",
        env: { NO_COLOR: "1" },
      }).output();
      const stdout = new TextDecoder().decode(out.stdout);
      const stderr = new TextDecoder().decode(out.stderr);
      assert.equal(out.code, 0, stderr);
      assert.match(stdout, /^csv \[\{"a":1,"b":"x"\}\]$/m);
      assert.match(stdout, /^svg true$/m);
      // 2 configs x the last sweep's 2 seeds, not the file's 4.
      assert.match(stdout, /^study mine 4 \{"seeds":2\}$/m);
      assert.match(
        stdout,
        /^before parzenLogLikelihood runs on tfjs and no backend is initialised: call `await initBackend\(\)`/m,
      );
      // A Gaussian kernel of sigma 0.5 on 0 and 1, at 0.5: log N(0.5; 0, 0.25) in 1-D.
      const expected = -0.5 * Math.log(2 * Math.PI * 0.25) - 0.5 * 0.25 / 0.25;
      assert.match(stdout, new RegExp(`^after ${expected.toFixed(6)}$`, "m"));
    });
  },
});
