/**
 * `runs/<name>/sweep.json`: the settings (`--steps`, `--seeds`, `--full`)
 * and run ids of a study's last sweep, so `report`, `status` and `compare`
 * find the runs a smoke sweep made. An unreadable `sweep.json` is an error
 * naming it ({@link StoreFileError}), never taken for an absent one: a
 * report of the experiment's defaults would silently show none of the runs.
 *
 * @module
 */
import type { ExpandOptions, RunPlan } from "../spec/mod.ts";
import { readJsonFile, writeJson } from "../io/mod.ts";
import { displayPath } from "./paths.ts";

/** Contents of `sweep.json`. */
export interface SweepRecord {
  /** How the sweep expanded the experiment. */
  expand: ExpandOptions;
  /** The id of every run the sweep planned. */
  runs: string[];
}

/** A file of the run store that exists but cannot be used (not JSON, truncated, unreadable). */
export class StoreFileError extends Error {
  /** The file. */
  readonly path: string;
  constructor(path: string, message: string) {
    super(message);
    this.name = "StoreFileError";
    this.path = path;
  }
}

/** Records a sweep over `plans`, expanded with `expand`, in `path`. */
export function writeSweepRecord(path: string, expand: ExpandOptions, plans: RunPlan[]): void {
  const record: SweepRecord = { expand, runs: plans.map((p) => p.id) };
  writeJson(path, record);
}

function isExpand(v: unknown): v is ExpandOptions {
  if (typeof v !== "object" || v === null || Array.isArray(v)) return false;
  const o = v as Record<string, unknown>;
  const intOrAbsent = (x: unknown) => x === undefined || (Number.isInteger(x) && (x as number) > 0);
  return intOrAbsent(o.steps) && intOrAbsent(o.seeds) &&
    (o.full === undefined || typeof o.full === "boolean");
}

/**
 * The expand settings of the last sweep recorded in `path`; null when there
 * is no such file.
 *
 * @throws {StoreFileError} When the file exists but cannot be read or is not
 *   a sweep record; the message names it and says how to go on.
 */
export function lastSweepExpand(path: string): ExpandOptions | null {
  const read = readJsonFile<Partial<SweepRecord>>(path);
  if (read.state === "absent") return null;
  const problem = read.state === "unreadable"
    ? read.problem
    : isExpand(read.value?.expand)
    ? null
    : `no valid "expand" field (got ${JSON.stringify(read.value).slice(0, 60)})`;
  if (problem === null && read.state === "ok") return read.value.expand!;
  throw new StoreFileError(
    path,
    `${displayPath(path)} is unreadable: ${problem}; it records the --steps/--seeds/--full of ` +
      `the last sweep, so the runs cannot be found without it: pass the flags that sweep used ` +
      `(e.g. --steps 50 --seeds 2), or delete the file to use the experiment's own settings`,
  );
}
