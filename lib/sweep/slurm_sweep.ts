/**
 * The Slurm executor: a sweep as one sbatch array job, one task per run
 * the classification leaves to run. Each task runs `deno task run
 * <experiment> --index $SLURM_ARRAY_TASK_ID` against the same runs
 * directory (a shared file system), with the same atomic files,
 * checkpoints and resume as a local run.
 *
 * What a submission leaves in `runs/<name>/slurm/`: `<jobid>.json` (the job
 * record: the run id of every array index, the settings the tasks use),
 * `<jobid>.sbatch` (the script as submitted) and `<jobid>_<index>.log` (each
 * task's output). Job states come from `squeue` and `scontrol show job`,
 * never from `sacct` (clusters without accounting have none), and the run
 * files.
 *
 * @module
 */
import { join } from "node:path";
import type { ExpandOptions, RunPlan } from "../spec/mod.ts";
import { type ClassifiedPlan, classifyPlans } from "./classify.ts";
import { acquireLock, type Lock } from "./lock.ts";
import type { OutputPaths } from "./paths.ts";
import { prepareRun } from "./run.ts";
import type { SchedulerEvents } from "./scheduler.ts";
import { type FollowResult, type FollowTarget, followTasks } from "./slurm_follow.ts";
import { readJobRecords, type SlurmJobRecord } from "./slurm_records.ts";
import type { ScriptOptions } from "./slurm_script.ts";
import { activeSlurmRuns } from "./slurm_state.ts";
import { submitArray } from "./slurm_submit.ts";
import { resetDamagedRun } from "./verify.ts";
import { withStopSignals } from "./stop_signals.ts";
import { writeSweepRecord } from "./sweep_record.ts";

/** The settings of the array job (those of its script, less where its runs go). */
export type SlurmJobSettings = Omit<ScriptOptions, "tasks" | "outRoot" | "runsDir">;

/** What {@link submitSlurmSweep} needs. */
export interface SlurmSweepOptions {
  paths: OutputPaths;
  /** Every run of the sweep (recorded in `sweep.json`). */
  all: RunPlan[];
  /** The runs to submit or follow (those of `all` that `--only` keeps). */
  plans: RunPlan[];
  /** How the experiment was expanded (recorded in `sweep.json` and the job record). */
  expand: ExpandOptions;
  /** Rerun runs that failed or timed out in an earlier sweep. */
  retryFailed: boolean;
  /** Leave finished runs with damaged files alone (default: retrain them from scratch). */
  keepDamaged?: boolean;
  /** Classify only: take no lock, write and submit nothing. */
  dryRun: boolean;
  /** The command, for the lock file. */
  holder: string;
  job: SlurmJobSettings;
  /** Called once the lock is held (not in a dry run). */
  onLocked?(lock: Lock): void;
  /** Called with every plan classified, while the lock is held, before anything is submitted. */
  onClassified?(plans: ClassifiedPlan[]): void;
}

/** What {@link submitSlurmSweep} did. */
export interface SlurmSweep {
  /** Every plan, classified (runs in Slurm jobs that may still run them are `in-slurm`). */
  classified: ClassifiedPlan[];
  /** The runs to run: submitted as `record`'s tasks, in this order (none in a dry run). */
  todo: RunPlan[];
  /** The array job submitted; null when nothing was (or in a dry run). */
  record: SlurmJobRecord | null;
  /** Every task that may still run one of the plans: earlier jobs' first, then `record`'s. */
  following: FollowTarget[];
}

/**
 * Classifies the plans and submits those to run as one array job, holding
 * the study's lock meanwhile (so no local sweep starts between reading the
 * states and submitting). Throws `SlurmError` with Slurm's own message when
 * Slurm is missing or refuses, `LockError` when another process holds the
 * lock.
 */
export async function submitSlurmSweep(o: SlurmSweepOptions): Promise<SlurmSweep> {
  const { paths } = o;
  const lock = o.dryRun ? null : acquireLock(paths.runs, o.holder);
  try {
    if (lock) o.onLocked?.(lock);
    const active = await activeSlurmRuns(paths.runs, o.plans.map((p) => p.id));
    const records = new Map(readJobRecords(paths.runs).map((r) => [r.jobId, r]));
    const classified = classifyPlans(
      o.plans,
      paths.runs,
      { retryFailed: o.retryFailed, keepDamaged: o.keepDamaged },
      active,
    );
    o.onClassified?.(classified);
    const todo = classified.filter((c) => c.kind === "run").map((c) => c.plan);
    const following: FollowTarget[] = classified.flatMap(({ plan, slurm }) =>
      slurm ? [{ plan, record: records.get(slurm.jobId)!, index: slurm.index }] : []
    );
    if (o.dryRun) return { classified, todo, record: null, following };
    writeSweepRecord(paths.sweepFile, o.expand, o.all);
    let record: SlurmJobRecord | null = null;
    if (todo.length) {
      record = await submitArray({
        ...o.job,
        outRoot: paths.root,
        runsDir: paths.runs,
        runs: todo.map((p) => p.id),
        expand: o.expand,
        beforeRelease: () => {
          for (const c of classified) {
            if (c.kind === "run" && c.damage?.length) {
              resetDamagedRun(join(paths.runs, c.plan.id), c.status, c.damage);
            }
          }
          for (const plan of todo) prepareRun(plan, join(paths.runs, plan.id));
        },
      });
      const r = record;
      todo.forEach((plan, index) => following.push({ plan, record: r, index }));
    }
    return { classified, todo, record, following };
  } finally {
    lock?.release();
  }
}

/** What {@link followSlurmSweep} needs. */
export interface FollowSweepOptions {
  /** Milliseconds between polls of squeue. */
  pollMs: number;
  /** Progress of the runs, as the local scheduler reports it. */
  events?: SchedulerEvents;
  /** A line about the jobs, when their state counts change. */
  onJobs?(line: string): void;
}

/**
 * Follows the tasks until every one has ended; Ctrl-C or SIGTERM stops
 * following (the jobs go on: `interrupted`).
 */
export async function followSlurmSweep(
  runsDir: string,
  following: FollowTarget[],
  o: FollowSweepOptions,
): Promise<FollowResult & { seconds: number }> {
  const stop = new AbortController();
  const t0 = performance.now();
  const result = await withStopSignals(() => stop.abort(), () =>
    followTasks(runsDir, following, {
      intervalMs: o.pollMs,
      events: o.events,
      onJobs: o.onJobs,
      signal: stop.signal,
    }));
  return { ...result, seconds: (performance.now() - t0) / 1000 };
}
