/**
 * The run store, executing runs, and the sweep over every planned run.
 *
 * @module
 */
export * from "./store.ts";
export * from "./paths.ts";
export * from "./manifest.ts";
export * from "./run.ts";
export * from "./sweep.ts";
