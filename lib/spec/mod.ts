/**
 * Experiment schema, validation with field-level errors, grid expansion and
 * run ids.
 *
 * @module
 */
export * from "./config.ts";
export * from "./experiment.ts";
export { loadExperiment } from "./load.ts";
export { didYouMean, type Issue } from "./schema.ts";
