/**
 * `runs/<name>/sweep.json`: the settings (`--steps`, `--seeds`, `--full`)
 * and run ids of a study's last sweep, so `report`, `status` and `compare`
 * find the runs a smoke sweep made.
 *
 * @module
 */
import type { ExpandOptions, RunPlan } from "../spec/mod.ts";
import { readJson, writeJson } from "../io/mod.ts";

/** Contents of `sweep.json`. */
export interface SweepRecord {
  /** How the sweep expanded the experiment. */
  expand: ExpandOptions;
  /** The id of every run the sweep planned. */
  runs: string[];
}

/** Records a sweep over `plans`, expanded with `expand`, in `path`. */
export function writeSweepRecord(path: string, expand: ExpandOptions, plans: RunPlan[]): void {
  const record: SweepRecord = { expand, runs: plans.map((p) => p.id) };
  writeJson(path, record);
}

/** The expand settings of the last sweep recorded in `path`; null when none is. */
export function lastSweepExpand(path: string): ExpandOptions | null {
  return readJson<Partial<SweepRecord>>(path)?.expand ?? null;
}
