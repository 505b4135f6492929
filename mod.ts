/**
 * The public API of the GAN research harness: what experiment files import
 * (`defineExperiment`, sweep helpers, config types) and the stages for use
 * from scripts and notebooks. It can be imported from anywhere, by path or
 * file URL: the library names its npm packages by full `npm:` specifiers
 * (`lib/deps.ts`), so a thesis repository can keep its own experiment files,
 * scripts and notebooks. Functions that run on tfjs initialise the default
 * backend when they are async (`train`) or say to call `initBackend()` first.
 *
 * ```ts
 * import { loadReport, loadStudy } from "/path/to/harness/mod.ts";
 * const study = await loadStudy("experiments/ls-vs-ns.ts"); // the last sweep's runs
 * const report = loadReport("reports/ls-vs-ns");
 * report.runs.filter((r) => r.valid).map((r) => r.modes);
 * ```
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
  type TrainHooks,
  type TrainResult,
} from "./lib/gan/mod.ts";
export * from "./lib/metrics/mod.ts";
export { backendReady, ensureBackend, requireBackend } from "./lib/runtime/require_backend.ts";
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
export {
  buildReport,
  type BuildReportOptions,
  type CompareOptions,
  compareStudies,
  displayChart,
  type LoadedReport,
  loadReport,
  parseCsv,
  renderPng,
  renderSvg,
  type ReportView,
  resolveReportView,
  svgToPdf,
  toCsv,
} from "./lib/report/mod.ts";
export type { ContrastRow, RunRow, SummaryRow } from "./lib/report/load.ts";
export { loadStudy, type LoadStudyOptions, type Study as LoadedStudy } from "./lib/report/study.ts";
export { type ClaimResult, CLAIMS, evaluateClaims, type Verdict } from "./lib/claims/mod.ts";
export {
  type ContrastCell,
  type ContrastResult,
  evaluateContrast,
  evaluateContrasts,
  type InteractionTest,
  type OverallTest,
} from "./lib/claims/contrasts.ts";
export {
  type Difference,
  difference,
  hedgesG,
  holm,
  probabilityOfImprovement,
  welchHeterogeneity,
} from "./lib/analysis/contrast_stats.ts";
export { type ContrastSpec, type ReportOptionsSpec } from "./lib/spec/mod.ts";

import { train as trainGan } from "./lib/gan/mod.ts";
import {
  type NearestNeighbours,
  nearestNeighbours as nearestImpl,
  parzenEstimate as parzenEstimateImpl,
  parzenLogLikelihood as parzenLogLikelihoodImpl,
  parzenLogLikelihoods as parzenLogLikelihoodsImpl,
  selectParzenSigma as selectParzenSigmaImpl,
} from "./lib/metrics/mod.ts";
import { ensureBackend, requireBackend } from "./lib/runtime/require_backend.ts";

/**
 * Trains one run (`lib/gan/train.ts`), initialising the default backend
 * first when none is ready.
 *
 * @param args The config and hooks, as `lib/gan/train.ts`'s `train` takes them.
 * @returns The run's result.
 */
export async function train(
  ...args: Parameters<typeof trainGan>
): ReturnType<typeof trainGan> {
  await ensureBackend();
  return trainGan(...args);
}

/** `lib/metrics/parzen.ts`'s, failing with a message naming `initBackend` when no backend is ready. */
export function parzenLogLikelihood(
  ...args: Parameters<typeof parzenLogLikelihoodImpl>
): ReturnType<typeof parzenLogLikelihoodImpl> {
  requireBackend("parzenLogLikelihood");
  return parzenLogLikelihoodImpl(...args);
}

/** `lib/metrics/parzen.ts`'s, failing with a message naming `initBackend` when no backend is ready. */
export function parzenLogLikelihoods(
  ...args: Parameters<typeof parzenLogLikelihoodsImpl>
): ReturnType<typeof parzenLogLikelihoodsImpl> {
  requireBackend("parzenLogLikelihoods");
  return parzenLogLikelihoodsImpl(...args);
}

/** `lib/metrics/parzen.ts`'s, failing with a message naming `initBackend` when no backend is ready. */
export function selectParzenSigma(
  ...args: Parameters<typeof selectParzenSigmaImpl>
): ReturnType<typeof selectParzenSigmaImpl> {
  requireBackend("selectParzenSigma");
  return selectParzenSigmaImpl(...args);
}

/** `lib/metrics/parzen.ts`'s, failing with a message naming `initBackend` when no backend is ready. */
export function parzenEstimate(
  ...args: Parameters<typeof parzenEstimateImpl>
): ReturnType<typeof parzenEstimateImpl> {
  requireBackend("parzenEstimate");
  return parzenEstimateImpl(...args);
}

/** `lib/metrics/nearest.ts`'s, failing with a message naming `initBackend` when no backend is ready. */
export function nearestNeighbours(
  ...args: Parameters<typeof nearestImpl>
): NearestNeighbours {
  requireBackend("nearestNeighbours");
  return nearestImpl(...args);
}
