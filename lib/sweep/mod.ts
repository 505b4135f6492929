/**
 * The run store, executing one run, worker processes, the scheduler, the
 * lock on a runs directory, and progress display.
 *
 * @module
 */
export * from "./store.ts";
export * from "./paths.ts";
export * from "./manifest.ts";
export * from "./run.ts";
export * from "./lock.ts";
export * from "./classify.ts";
export * from "./scheduler.ts";
export * from "./progress.ts";
export * from "./select.ts";
