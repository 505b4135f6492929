/**
 * The run store, executing one run, worker processes, the scheduler, the
 * lock on a runs directory, progress display, and the Slurm executor.
 *
 * @module
 */
export * from "./store.ts";
export * from "./paths.ts";
export * from "./sweep_record.ts";
export * from "./manifest.ts";
export * from "./run.ts";
export * from "./lock.ts";
export * from "./classify.ts";
export * from "./verify.ts";
export * from "./scheduler.ts";
export * from "./stop_signals.ts";
export * from "./local_lock.ts";
export * from "./local_sweep.ts";
export * from "./progress.ts";
export * from "./estimate.ts";
export * from "./select.ts";
export * from "./slurm_command.ts";
export * from "./slurm_resources.ts";
export * from "./slurm_records.ts";
export * from "./slurm_script.ts";
export * from "./slurm_submit.ts";
export * from "./slurm_queue.ts";
export * from "./slurm_state.ts";
export * from "./slurm_follow.ts";
export * from "./slurm_task.ts";
export * from "./slurm_sweep.ts";
