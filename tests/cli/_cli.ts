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

/**
 * The permission flags of `deno task <command>` as `deno.json` declares them
 * (what a user's run gets, unlike the tests' `-A`).
 */
export function taskPermissions(command: string): string[] {
  const tasks = JSON.parse(Deno.readTextFileSync(join(ROOT, "deno.json"))).tasks;
  const line: string | undefined = tasks[command];
  if (!line) throw new Error(`deno.json has no task "${command}"`);
  return line.split(/\s+/).filter((w) => w.startsWith("--allow-"));
}

/**
 * Runs `lib/cli/<command>.ts` with `args` from the project root (`env` added
 * to ours), with all permissions or, given `permissions`, with those only.
 */
export async function cli(
  command: string,
  args: string[],
  cwd = ROOT,
  env: Record<string, string> = {},
  permissions: string[] = ["-A"],
): Promise<CliResult> {
  const out = await new Deno.Command(Deno.execPath(), {
    args: ["run", ...permissions, "--quiet", join(ROOT, "lib", "cli", `${command}.ts`), ...args],
    cwd,
    env: { NO_COLOR: "1", ...env },
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

/** Starts a command of the harness in the background, its stdout piped. */
export function spawnCli(command: string, args: string[], cwd = ROOT): Deno.ChildProcess {
  return new Deno.Command(Deno.execPath(), {
    args: ["run", "-A", "--quiet", join(ROOT, "lib", "cli", `${command}.ts`), ...args],
    cwd,
    env: { NO_COLOR: "1" },
    stdin: "null",
    stdout: "piped",
    stderr: "piped",
  }).spawn();
}

/**
 * Reads a child's stdout until a line matches `pattern`; returns everything
 * read so far. Keeps draining stdout in the background afterwards.
 */
export async function waitForLine(child: Deno.ChildProcess, pattern: RegExp): Promise<string> {
  const reader = child.stdout.pipeThrough(new TextDecoderStream()).getReader();
  let text = "";
  while (true) {
    const { value, done } = await reader.read();
    if (done) throw new Error(`stdout ended before ${pattern}:\n${text}`);
    text += value;
    if (text.split("\n").some((l) => pattern.test(l))) break;
  }
  (async () => {
    while (!(await reader.read()).done) { /* drain */ }
  })();
  return text;
}
