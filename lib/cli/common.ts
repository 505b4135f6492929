/**
 * What every command shares: flag parsing, the exit-code policy (2 for bad
 * input, 1 for failures) and plain output.
 *
 * @module
 */
import { relative } from "node:path";
import { parseArgs, type ParseArgsConfig } from "node:util";
import { type ExpandOptions, SpecError } from "../spec/mod.ts";
import { BackendError } from "../runtime/backend.ts";
import { LockError } from "../sweep/lock.ts";
import { SelectError } from "../sweep/select.ts";
import { lastSweepExpand } from "../sweep/sweep_record.ts";

/** Bad command-line input. */
export class UsageError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "UsageError";
  }
}

/** The options of a command's flags, as `node:util`'s `parseArgs` takes them. */
export type FlagOptions = NonNullable<ParseArgsConfig["options"]>;

/** --help / -h: print the usage and exit 0. */
export const HELP_FLAG = { help: { type: "boolean", short: "h", default: false } } as const;

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
 * Runs a command's main function: bad input exits 2 with one clear message,
 * an unexpected error exits 1 with its stack.
 */
export async function runMain(main: () => Promise<number>): Promise<never> {
  let code: number;
  try {
    code = await main();
  } catch (e) {
    if (
      e instanceof SpecError || e instanceof UsageError || e instanceof BackendError ||
      e instanceof LockError || e instanceof SelectError
    ) {
      console.error(`error: ${e.message}`);
      code = 2;
    } else {
      console.error(e instanceof Error ? (e.stack ?? e.message) : String(e));
      code = 1;
    }
  }
  Deno.exit(code);
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
export function displayPath(path: string): string {
  const rel = relative(".", path);
  return rel === "" ? "." : rel.startsWith("..") ? path : rel;
}

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
