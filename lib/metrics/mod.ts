/**
 * Pure-JavaScript metrics on numbers already pulled out of tensors:
 * logistic helpers, discriminator summaries (including the ADA overfitting
 * heuristic r_t), 1-D Gaussian metrics (optimal discriminator, JS
 * divergence) and mode coverage on 2-D mixtures.
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
  silvermanBandwidth,
} from "./gaussian_1d.ts";
export { type ModeCoverage, modeCoverage, type Point2 } from "./modes.ts";
