/**
 * Metrics: mostly pure JavaScript on numbers already pulled out of tensors:
 * logistic helpers, discriminator summaries (including the ADA overfitting
 * heuristic r_t), 1-D Gaussian metrics (optimal discriminator, JS
 * divergence), mode coverage on 2-D mixtures and class coverage of images;
 * and, through matrix products on the tfjs backend, the Parzen-window
 * log-likelihood of the paper's Table 1 and nearest neighbours; the
 * feature metrics of image studies (FID, KID, improved precision and
 * recall, density and coverage, the classifier Inception Score) and the
 * memorisation statistics; k-means (the Parzen table's baseline); and the
 * metric registry (every metric's name, title, direction and stage).
 *
 * @module
 */
export { sigmoid, softplus } from "./logistic.ts";
export { erf, erfc } from "./erf.ts";
export { type DiscriminatorStats, discriminatorStats, valueEstimate } from "./discriminator.ts";
export {
  dStarMaxError,
  type DStarOptions,
  evalGrid,
  jsDivergence1d,
  kdeDensity,
  normalCdf,
  normalPdf,
  optimalD,
  type OptimalValue,
  optimalValue1d,
  silvermanBandwidth,
} from "./gaussian_1d.ts";
export {
  classCoverage,
  countCoverage,
  MODE_MIN_SHARE,
  type ModeCoverage,
  modeCoverage,
  modesWithAtLeast,
  type Point2,
} from "./modes.ts";
export { type Rows } from "./distances.ts";
export {
  logMeanExp,
  PARZEN_SIGMAS,
  type ParzenEstimate,
  parzenEstimate,
  type ParzenEstimateOptions,
  parzenLogLikelihood,
  parzenLogLikelihoods,
  type ParzenResult,
  type ParzenScore,
  selectParzenSigma,
} from "./parzen.ts";
export { type NearestNeighbours, nearestNeighbours } from "./nearest.ts";
export {
  fid,
  type FidResult,
  frechetDistance,
  type GaussianStats,
  gaussianStats,
  sqrtPsd,
  traceSqrtProduct,
} from "./fid.ts";
export { kid, type KidOptions, type KidResult, mmd2Unbiased, sampleIndices } from "./kid.ts";
export { DC_K, PR_K, prdc, type PrdcOptions, PrdcReference, type PrdcResult } from "./prdc.ts";
export { type ClassifierScore, classifierScore, softmaxRows } from "./inception_score.ts";
export {
  MEM_QUANTILE,
  type MemorisationStats,
  memorisationStats,
  quantile,
} from "./memorisation.ts";
export { kmeans, type KmeansOptions, type KmeansResult } from "./kmeans.ts";
export {
  activeShare,
  assessHealth,
  D_FLAT,
  G_COLLAPSED,
  GRAD_VANISHED,
  HEALTH_CHECKS,
  type HealthCheckId,
  type HealthContext,
  type HealthFailure,
  JS_FAR,
  NO_PROGRESS_RATIO,
  rowSpread,
  type RunHealth,
  spread,
} from "./health.ts";
export {
  CHARTED_METRICS,
  COMMON_METRICS,
  METRIC_ORDER,
  type MetricDirection,
  type MetricInfo,
  metricInfo,
  METRICS,
  metricsOfStage,
  type MetricStage,
} from "./registry.ts";
