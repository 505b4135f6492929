/**
 * The public API of the GAN research harness: what experiment files import
 * (`defineExperiment`, sweep helpers, config types) and the stages for use
 * from scripts and notebooks.
 *
 * ```ts
 * import { defineExperiment } from "../mod.ts";
 * export default defineExperiment({
 *   name: "k-steps",
 *   base: { data: { name: "ring-8" }, k: 1 },
 *   sweep: { k: [1, 2, 5] },
 *   seeds: [0, 1, 2],
 * });
 * ```
 *
 * @module
 */
export {
  cartesian,
  CLAIM_IDS,
  type ClaimRef,
  defineExperiment,
  exclude,
  expandRuns,
  type Experiment,
  type ExperimentSpec,
  loadExperiment,
  runId,
  type RunPlan,
  SpecError,
  type SweepPoint,
  validateExperiment,
  zip,
} from "./lib/spec/mod.ts";
export type {
  ArchConfig,
  DataConfig,
  LossName,
  OptimizerConfig,
  PartialConfig,
  RunConfig,
} from "./lib/spec/mod.ts";
export { type BackendChoice, type BackendInfo, initBackend, Rng } from "./lib/runtime/mod.ts";
export { type Dataset, makeDataset, type Truth } from "./lib/data/mod.ts";
export {
  discriminatorLoss,
  generatorLoss,
  type MetricRow,
  train,
  type TrainHooks,
  type TrainResult,
} from "./lib/gan/mod.ts";
export * from "./lib/metrics/mod.ts";
export {
  outputPaths,
  readRuns,
  type RunRecord,
  type RunState,
  type RunStatus,
  Scheduler,
  type SchedulerOptions,
  type SweepResult,
} from "./lib/sweep/mod.ts";
export { buildReport, displayChart, loadReport } from "./lib/report/mod.ts";
export { type ClaimResult, CLAIMS, evaluateClaims, type Verdict } from "./lib/claims/mod.ts";
