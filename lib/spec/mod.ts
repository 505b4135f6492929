/**
 * Experiment schema, validation with field-level errors, grid expansion and
 * run ids, what a config costs and the bounds a study must keep.
 *
 * @module
 */
export * from "./config.ts";
export * from "./experiment.ts";
export * from "./sweep_points.ts";
export * from "./run_id.ts";
export * from "./expand.ts";
export * from "./cost.ts";
export {
  configLimitProblems,
  DEFAULT_MAX_STEPS,
  formatBytes,
  type LimitProblem,
  type MemoryPart,
  runMemory,
  studyLimitIssues,
  type StudyLimits,
} from "./limits.ts";
export { loadExperiment } from "./load.ts";
export { didYouMean, type Issue } from "./schema.ts";
export {
  type Better,
  CONTRAST_TOLERABLE,
  contrastId,
  type ContrastSpec,
  validateContrasts,
} from "./contrasts.ts";
export {
  REPORT_SECTIONS,
  type ReportOptionsSpec,
  type ReportSection,
  validateReportOptions,
} from "./report_options.ts";
