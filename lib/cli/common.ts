/**
 * What every command shares: flag parsing, the exit-code policy (2 for bad
 * input, 1 for failures), one line for a file-system fault (the operation,
 * the path, the reason; the stack only with `--debug`), checking `--out`,
 * and plain output.
 *
 * @module
 */
import { existsSync, mkdirSync, statSync } from "node:fs";
import { dirname, resolve } from "node:path";
import { displayPath } from "../sweep/paths.ts";
import { parseArgs, type ParseArgsConfig } from "node:util";
import { type ExpandOptions, SpecError } from "../spec/mod.ts";
import { BackendError } from "../runtime/backend.ts";
import { toIoError } from "../io/mod.ts";
import { LockError } from "../sweep/lock.ts";
import { SelectError } from "../sweep/select.ts";
import { lastSweepExpand, StoreFileError } from "../sweep/sweep_record.ts";

/** Bad command-line input. */
export class UsageError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "UsageError";
  }
}

/** The options of a command's flags, as `node:util`'s `parseArgs` takes them. */
export type FlagOptions = NonNullable<ParseArgsConfig["options"]>;

/**
 * --help / -h: print the usage and exit 0; --debug: print the stack of an
 * error (a file-system fault is otherwise one line). Every command takes both.
 */
export const HELP_FLAG = {
  help: { type: "boolean", short: "h", default: false },
  debug: { type: "boolean", default: false },
} as const;

/** --out DIR: the folder holding `runs/` and `reports/` (default the working directory). */
export const OUT_FLAG = { out: { type: "string", default: "." } } as const;

/** --steps N, --seeds N, --full: which version of a study's runs (see {@link expandFlags}). */
export const EXPAND_FLAGS = {
  steps: { type: "string" },
  seeds: { type: "string" },
  full: { type: "boolean", default: false },
} as const;

/** --only PATH=VALUE (repeatable): only the runs whose config has this value. */
export const ONLY_FLAG = {
  only: { type: "string" as const, multiple: true as const, default: [] as string[] },
};

/** --backend NAME and --checkpoint-every N of the commands that train. */
export const TRAIN_FLAGS = {
  backend: { type: "string", default: "auto" },
  "checkpoint-every": { type: "string", default: "100" },
} as const;

/** Parses flags; unknown flags and missing values become {@link UsageError}. */
export function parseFlags<T extends FlagOptions>(args: string[], options: T) {
  try {
    return parseArgs({ args, options, allowPositionals: true, strict: true });
  } catch (e) {
    throw new UsageError(e instanceof Error ? e.message : String(e));
  }
}

/**
 * Parses the command line of a command on one experiment file: its flags
 * (`options` and {@link HELP_FLAG}) and the file. With --help, prints
 * `usage` and returns null. Bad flags, and a missing or extra file, are
 * {@link UsageError}s (the flags are checked first).
 */
export function parseCommand<T extends FlagOptions>(args: string[], usage: string, options: T) {
  const { values, positionals } = parseFlags(args, { ...options, ...HELP_FLAG });
  if ((values as { help?: boolean }).help) {
    console.log(usage);
    return null;
  }
  return { values, file: experimentArg(positionals, usage) };
}

/** Parses a positive integer flag value. */
export function intFlag(name: string, value: string | undefined, min = 1): number | undefined {
  if (value === undefined) return undefined;
  const n = Number(value);
  if (!Number.isInteger(n) || n < min) {
    throw new UsageError(`--${name}: got "${value}", expected an integer >= ${min}`);
  }
  return n;
}

/** The experiment file positional argument. */
export function experimentArg(positionals: string[], usage: string): string {
  if (positionals.length !== 1) {
    throw new UsageError(
      positionals.length === 0
        ? `missing experiment file\n${usage}`
        : `expected one experiment file, got ${positionals.length}: ${
          positionals.join(" ")
        }\n${usage}`,
    );
  }
  return positionals[0];
}

/**
 * The exit code and the message of an error a command threw: bad input
 * (2) in one line per problem; a file-system fault (1) in one line naming
 * the operation, the path and the reason; a damaged file of the run store
 * (1) in one line; anything else (1) with its stack.
 *
 * @param e The error.
 * @param debug Whether to add the stack to the one-line messages.
 * @returns The exit code and the text for stderr.
 */
export function describeError(e: unknown, debug = false): { code: number; text: string } {
  const stack = (x: unknown) => x instanceof Error && x.stack ? `\n${x.stack}` : "";
  if (
    e instanceof SpecError || e instanceof UsageError || e instanceof BackendError ||
    e instanceof LockError || e instanceof SelectError
  ) {
    // One line per problem, each an error line.
    const lines = e instanceof SpecError ? e.message.split("\n") : [e.message];
    return {
      code: 2,
      text: `${lines.map((l) => `error: ${l}`).join("\n")}${debug ? stack(e) : ""}`,
    };
  }
  const io = toIoError(e);
  if (io) {
    const cause = debug ? stack(io.cause ?? io) : "";
    return { code: 1, text: `error: ${io.message}${cause}` };
  }
  if (e instanceof StoreFileError) {
    return { code: 1, text: `error: ${e.message}${debug ? stack(e) : ""}` };
  }
  return { code: 1, text: e instanceof Error ? (e.stack ?? e.message) : String(e) };
}

/**
 * Runs a command's main function: bad input exits 2 with one clear message,
 * a file-system fault or a damaged store file exits 1 with one line (the
 * stack too with `--debug`), an unexpected error exits 1 with its stack.
 */
export async function runMain(
  main: () => Promise<number>,
  args: readonly string[] = Deno.args,
): Promise<never> {
  let code: number;
  try {
    code = await main();
  } catch (e) {
    const described = describeError(e, args.includes("--debug"));
    console.error(described.text);
    code = described.code;
  }
  Deno.exit(code);
}

/**
 * Checks `--out DIR` before any work: it must be a directory, or a path
 * whose nearest existing parent is one. With `create`, makes `dirs` (the
 * folders the command writes, under DIR) so that a path the command cannot
 * write (a file, a read-only or full disk, a path Deno refuses) is bad
 * input now rather than a fault halfway. Throws {@link UsageError}.
 *
 * @param out The flag's value.
 * @param create Folders to create (none: only check).
 */
export function checkOutDir(out: string, create: readonly string[] = []): void {
  try {
    const root = resolve(out);
    let probe = root;
    while (!existsSync(probe) && dirname(probe) !== probe) probe = dirname(probe);
    if (!statSync(probe).isDirectory()) {
      throw new UsageError(
        probe === root
          ? `--out ${out}: is a file, expected a directory`
          : `--out ${out}: ${displayPath(probe)} is a file, so no directory can be made under it`,
      );
    }
    for (const dir of create) {
      try {
        mkdirSync(dir, { recursive: true });
      } catch (e) {
        throw toIoError(e, "create the directory", dir) ?? e;
      }
    }
  } catch (e) {
    if (e instanceof UsageError) throw e;
    // Deno refuses some paths (/proc, /dev) under the task's permissions even to look at.
    const io = toIoError(e, "open", out);
    if (!io) throw e;
    throw new UsageError(`--out ${out}: ${io.message}`);
  }
}

/** Parses a duration flag: seconds, or a number with s, m or h. */
export function parseDuration(flag: string, text: string | undefined): number | undefined {
  if (text === undefined) return undefined;
  const m = /^(\d+(?:\.\d+)?)(s|m|h)?$/.exec(text.trim());
  if (!m || Number(m[1]) <= 0) {
    throw new UsageError(
      `--${flag}: got "${text}", expected a duration such as 900, 90s, 15m or 2h`,
    );
  }
  return Number(m[1]) * ({ s: 1, m: 60, h: 3600 }[m[2] as "s" | "m" | "h"] ?? 1);
}

/** Formats a number for terminal output. */
export function fmt(v: number | undefined): string {
  if (v === undefined || !Number.isFinite(v)) return String(v);
  if (Number.isInteger(v)) return String(v);
  return Math.abs(v) >= 100 || Math.abs(v) < 0.001 ? v.toExponential(2) : v.toFixed(3);
}

/** A path for messages: relative to the working directory when inside it. */
export { displayPath } from "../sweep/paths.ts";

/**
 * The `--steps`/`--seeds`/`--full` of a command. Without any and with the
 * study's `sweep.json`, the settings of its last sweep, so `report` and
 * `status` find the runs a smoke sweep made.
 */
export function expandFlags(
  values: { steps?: string; seeds?: string; full?: boolean },
  lastSweepFile?: string,
): ExpandOptions {
  const flags: ExpandOptions = {
    steps: intFlag("steps", values.steps),
    seeds: intFlag("seeds", values.seeds),
    ...(values.full ? { full: true } : {}),
  };
  if (flags.steps !== undefined || flags.seeds !== undefined || flags.full || !lastSweepFile) {
    return flags;
  }
  return lastSweepExpand(lastSweepFile) ?? {};
}
