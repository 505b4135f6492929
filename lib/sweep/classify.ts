/**
 * What a sweep does with each planned run, decided in one place for the
 * local scheduler, the dry run, `status`, a Slurm array task and the Slurm
 * executor. A run is one of:
 *
 * - `finished`: done or diverged, its files intact: a result, never rerun;
 * - `damaged`: finished, but a file it wrote is missing, truncated or
 *   changed (`verify.ts`), or its status.json is unreadable: retrained from
 *   scratch (then it is `run`, with its `damage`) unless `keepDamaged`;
 * - `failed`: failed or timed out in an earlier sweep: rerun only with
 *   `retryFailed` (then it is `run`);
 * - `in-slurm`: in a Slurm job that may still run it (pending, running):
 *   left to that job;
 * - `run`: new, or unfinished (queued, or running when its sweep died):
 *   trained, resuming from its checkpoint.
 *
 * @module
 */
import { join } from "node:path";
import type { RunPlan } from "../spec/mod.ts";
import { isFailed, isFinished, type RunStatus } from "./store.ts";
import { type Damage, inspectRun } from "./verify.ts";

export { FAILED_STATES, FINISHED_STATES, isFailed, isFinished } from "./store.ts";

/** What a sweep does with one run; see the module's documentation. */
export type PlanClass = "run" | "finished" | "damaged" | "failed" | "in-slurm";

/** A run's task in a Slurm job that may still run it. */
export interface ActiveSlurmTask {
  /** Slurm's job id of the array. */
  jobId: string;
  /** The task's array index. */
  index: number;
  /** Slurm's state of the task (`PENDING`, `RUNNING`, ...). */
  state: string;
}

/** How to classify runs. */
export interface ClassifyOptions {
  /** Rerun runs that failed or timed out in an earlier sweep (default false). */
  retryFailed?: boolean;
  /** Leave damaged runs alone (`damaged`) instead of retraining them (default false). */
  keepDamaged?: boolean;
}

/**
 * The class of one run from its `status.json` (null: never started) and its
 * task in a Slurm job that may still run it, if any. Finished wins over
 * failed, failed (without `retryFailed`) over in-slurm. Damage (see
 * {@link classifyPlans}) is not looked at here.
 */
export function classifyRun(
  status: RunStatus | null,
  options: ClassifyOptions = {},
  inSlurm?: ActiveSlurmTask,
): PlanClass {
  if (status && isFinished(status.state)) return "finished";
  if (status && isFailed(status.state) && !options.retryFailed) return "failed";
  if (inSlurm) return "in-slurm";
  return "run";
}

/** One planned run, its status and its class. */
export interface ClassifiedPlan {
  plan: RunPlan;
  /** Its `status.json`; null when it was never started (or the file is unreadable: see `damage`). */
  status: RunStatus | null;
  kind: PlanClass;
  /** Its task in a Slurm job that may still run it (only when `kind` is `in-slurm`). */
  slurm?: ActiveSlurmTask;
  /**
   * The damaged files of a finished run (or its unreadable status.json):
   * with `kind` `damaged` it is kept, with `run` it is to be retrained.
   */
  damage?: Damage[];
}

/**
 * Classifies every plan from its run directory in `runsDir` (its status,
 * and for finished runs the integrity of their files); `inSlurm` maps run
 * ids to their tasks in Slurm jobs that may still run them.
 */
export function classifyPlans(
  plans: RunPlan[],
  runsDir: string,
  options: ClassifyOptions = {},
  inSlurm: ReadonlyMap<string, ActiveSlurmTask> = new Map(),
): ClassifiedPlan[] {
  return plans.map((plan) => {
    const { status, damage } = inspectRun(join(runsDir, plan.id), plan.id);
    const task = inSlurm.get(plan.id);
    if (damage.length && !task) {
      return { plan, status, kind: options.keepDamaged ? "damaged" : "run", damage };
    }
    const kind = classifyRun(status, options, task);
    return { plan, status, kind, ...(kind === "in-slurm" ? { slurm: task } : {}) };
  });
}
