/**
 * A study for scripts and notebooks: its experiment, the runs of its last
 * sweep (the `--steps`/`--seeds`/`--full` recorded in `runs/<name>/sweep.json`,
 * unless given), their records, and its claims and contrasts checked, in one
 * call. Paths are relative to `root` (default the working directory), the
 * folder that holds `runs/` and `reports/`.
 *
 * @example
 * ```ts
 * import { loadStudy } from "./mod.ts";
 * const s = await loadStudy("experiments/ls-vs-ns.ts");
 * s.contrasts[0].verdict; // "PASS" | "FAIL" | "INCONCLUSIVE"
 * ```
 *
 * @module
 */
import { type Joined, joinRuns } from "../analysis/join.ts";
import { evaluateClaims } from "../claims/mod.ts";
import { type ContrastResult, evaluateContrasts } from "../claims/contrasts.ts";
import type { ClaimResult } from "../claims/types.ts";
import {
  type ExpandOptions,
  expandRuns,
  type Experiment,
  loadExperiment,
  type RunPlan,
  validateExperiment,
} from "../spec/mod.ts";
import { type OutputPaths, outputPaths } from "../sweep/paths.ts";
import { readRuns, type RunRecord } from "../sweep/store.ts";
import { lastSweepExpand } from "../sweep/sweep_record.ts";

/** Options for {@link loadStudy}: which runs (default: those of the last sweep). */
export interface LoadStudyOptions extends ExpandOptions {
  /** The folder holding `runs/` and `reports/` (default "."). */
  root?: string;
}

/** A study with its runs, claims and contrasts. */
export interface Study {
  exp: Experiment;
  /** The expand options in force (given, else the last sweep's, else the file's defaults). */
  expand: ExpandOptions;
  plans: RunPlan[];
  records: RunRecord[];
  joined: Joined;
  claims: ClaimResult[];
  contrasts: ContrastResult[];
  paths: OutputPaths;
}

/**
 * Loads a study: the experiment file (or a validated or raw experiment),
 * its planned runs with the last sweep's settings unless `options` set
 * them, the runs on disk, and its claims and contrasts evaluated.
 *
 * @param experiment An experiment file's path, or an experiment object.
 * @param options Which runs, and where `runs/` is.
 * @returns The study.
 */
export async function loadStudy(
  experiment: string | Experiment | Record<string, unknown>,
  options: LoadStudyOptions = {},
): Promise<Study> {
  const exp = typeof experiment === "string"
    ? await loadExperiment(experiment)
    : "axes" in experiment && Array.isArray(experiment.axes)
    ? experiment as Experiment
    : validateExperiment(experiment);
  const paths = outputPaths(exp.name, options.root ?? ".");
  const { root: _root, ...given } = options;
  const flags = Object.fromEntries(
    Object.entries(given).filter(([k, v]) => v !== undefined && !(k === "full" && v === false)),
  ) as ExpandOptions;
  const expand = Object.keys(flags).length ? flags : lastSweepExpand(paths.sweepFile) ?? {};
  const plans = expandRuns(exp, expand);
  const records = readRuns(paths.runs);
  const joined = joinRuns(exp, plans, records);
  return {
    exp,
    expand,
    plans,
    records,
    joined,
    claims: evaluateClaims(exp, joined, { full: expand.full ?? false }),
    contrasts: evaluateContrasts(exp, joined),
    paths,
  };
}
