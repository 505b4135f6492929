/**
 * A sweep on this machine: takes the study's runs (its lock, refused while
 * a Slurm job may still run one of them), records the sweep in
 * `sweep.json`, then runs the scheduler. A first Ctrl-C or SIGTERM asks the
 * running runs to checkpoint and exit; a second kills them.
 *
 * @module
 */
import type { ExpandOptions, RunPlan } from "../spec/mod.ts";
import type { Lock } from "./lock.ts";
import { lockRunsHere } from "./local_lock.ts";
import type { OutputPaths } from "./paths.ts";
import { Scheduler, type SchedulerOptions, type SweepResult } from "./scheduler.ts";
import { withStopSignals } from "./stop_signals.ts";
import { writeSweepRecord } from "./sweep_record.ts";

/** What {@link runLocalSweep} needs. */
export interface LocalSweepOptions {
  paths: OutputPaths;
  /** Every run of the sweep (recorded in `sweep.json`). */
  all: RunPlan[];
  /** The runs to train (those of `all` that `--only` keeps). */
  plans: RunPlan[];
  /** How the experiment was expanded (recorded in `sweep.json`). */
  expand: ExpandOptions;
  /** The command, for the lock file. */
  holder: string;
  scheduler: SchedulerOptions;
  /** Called once the runs are taken, before anything is written. */
  onTaken?(lock: Lock): void;
  /** Called on each Ctrl-C or SIGTERM (1 for the first: a graceful stop; then: kill). */
  onInterrupt?(count: number): void;
}

/** What a local sweep did, and how long its scheduler ran. */
export interface LocalSweepResult {
  result: SweepResult;
  seconds: number;
}

/**
 * Trains every plan that the classification leaves to run, in worker
 * processes. Throws `LockError` or `InSlurmError` (see `local_lock.ts`) when
 * the runs are not free.
 */
export async function runLocalSweep(o: LocalSweepOptions): Promise<LocalSweepResult> {
  const lock = await lockRunsHere(o.paths.runs, o.plans.map((p) => p.id), o.holder);
  try {
    o.onTaken?.(lock);
    // The report finds the runs of the last sweep through this file.
    writeSweepRecord(o.paths.sweepFile, o.expand, o.all);
    const scheduler = new Scheduler(o.paths.runs, o.scheduler);
    const onSignal = (count: number) => {
      o.onInterrupt?.(count);
      scheduler.stop(count === 1);
    };
    const t0 = performance.now();
    const result = await withStopSignals(onSignal, () => scheduler.run(o.plans));
    return { result, seconds: (performance.now() - t0) / 1000 };
  } finally {
    lock.release();
  }
}
