/** Test helper: runs a command of the harness as a user would, in a subprocess. */
import { fileURLToPath } from "node:url";
import { join } from "node:path";

/** The project root. */
export const ROOT = fileURLToPath(new URL("../..", import.meta.url));

/** What a command printed and its exit code. */
export interface CliResult {
  code: number;
  stdout: string;
  stderr: string;
}

/** Runs `lib/cli/<command>.ts` with `args` from the project root. */
export async function cli(command: string, args: string[], cwd = ROOT): Promise<CliResult> {
  const out = await new Deno.Command(Deno.execPath(), {
    args: ["run", "-A", "--quiet", join(ROOT, "lib", "cli", `${command}.ts`), ...args],
    cwd,
    env: { NO_COLOR: "1" },
    stdout: "piped",
    stderr: "piped",
  }).output();
  const dec = new TextDecoder();
  return { code: out.code, stdout: dec.decode(out.stdout), stderr: dec.decode(out.stderr) };
}

/** Writes an experiment file importing the harness by absolute URL. */
export async function writeExperiment(dir: string, name: string, body: string): Promise<string> {
  const modUrl = new URL("../../mod.ts", import.meta.url).href;
  const file = join(dir, `${name}.ts`);
  await Deno.writeTextFile(
    file,
    `import { defineExperiment } from "${modUrl}";\nexport default defineExperiment(${body});\n`,
  );
  return file;
}

/** Every file under `dir`, relative, sorted. */
export async function listFiles(dir: string): Promise<string[]> {
  const out: string[] = [];
  async function walk(d: string, prefix: string) {
    for await (const e of Deno.readDir(d)) {
      if (e.isDirectory) await walk(join(d, e.name), `${prefix}${e.name}/`);
      else out.push(`${prefix}${e.name}`);
    }
  }
  try {
    await walk(dir, "");
  } catch (e) {
    if (!(e instanceof Deno.errors.NotFound)) throw e;
  }
  return out.sort();
}
