/**
 * What a sweep does with each planned run, decided in one place for the
 * local scheduler, the dry run, `status`, a Slurm array task and the Slurm
 * executor. A run is one of:
 *
 * - `finished`: done or diverged: a result, never rerun;
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
import { readStatus, type RunState, type RunStatus } from "./store.ts";

/** States a sweep never reruns: results. */
export const FINISHED_STATES: readonly RunState[] = ["done", "diverged"];
/** States rerun only with `retryFailed`. */
export const FAILED_STATES: readonly RunState[] = ["failed", "timeout"];

/** What a sweep does with one run; see the module's documentation. */
export type PlanClass = "run" | "finished" | "failed" | "in-slurm";

/** A run's task in a Slurm job that may still run it. */
export interface ActiveSlurmTask {
  /** Slurm's job id of the array. */
  jobId: string;
  /** The task's array index. */
  index: number;
  /** Slurm's state of the task (`PENDING`, `RUNNING`, ...). */
  state: string;
}

/** Whether a run in this state is finished (done or diverged). */
export function isFinished(state: string): boolean {
  return (FINISHED_STATES as readonly string[]).includes(state);
}

/** Whether a run in this state failed or timed out. */
export function isFailed(state: string): boolean {
  return (FAILED_STATES as readonly string[]).includes(state);
}

/** How to classify runs. */
export interface ClassifyOptions {
  /** Rerun runs that failed or timed out in an earlier sweep (default false). */
  retryFailed?: boolean;
}

/**
 * The class of one run from its `status.json` (null: never started) and its
 * task in a Slurm job that may still run it, if any. Finished wins over
 * failed, failed (without `retryFailed`) over in-slurm.
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
  /** Its `status.json`; null when it was never started. */
  status: RunStatus | null;
  kind: PlanClass;
  /** Its task in a Slurm job that may still run it (only when `kind` is `in-slurm`). */
  slurm?: ActiveSlurmTask;
}

/**
 * Classifies every plan from its status in `runsDir`; `inSlurm` maps run
 * ids to their tasks in Slurm jobs that may still run them.
 */
export function classifyPlans(
  plans: RunPlan[],
  runsDir: string,
  options: ClassifyOptions = {},
  inSlurm: ReadonlyMap<string, ActiveSlurmTask> = new Map(),
): ClassifiedPlan[] {
  return plans.map((plan) => {
    const status = readStatus(join(runsDir, plan.id));
    const task = inSlurm.get(plan.id);
    const kind = classifyRun(status, options, task);
    return { plan, status, kind, ...(kind === "in-slurm" ? { slurm: task } : {}) };
  });
}
