/**
 * The metric registry: every metric a run logs, once. Its column name, a
 * title for tables and charts, a description, which way is better, which
 * stage of the evaluation computes it, and whether reports chart it by
 * default. The trainer takes its column order from here, the report its
 * titles, order and default charts; adding a metric is one entry.
 *
 * @module
 */

/** Which way a metric is better: higher, lower, near a target value, or neither. */
export type MetricDirection = "higher" | "lower" | "target" | "none";

/**
 * A stage of the evaluation that computes a metric: `common` every run,
 * `paper-losses` runs trained with the minimax or non-saturating loss,
 * `gaussian-1d` 1-D data, `mixture` the 2-D mixtures, `images` image data,
 * `parzen` image data with `parzen`, at the final evaluation;
 * `parzen-curve` image data with `parzen.every` > 0, at the evaluations whose
 * step is a multiple of it and at the last.
 */
export type MetricStage =
  | "common"
  | "paper-losses"
  | "gaussian-1d"
  | "mixture"
  | "images"
  | "parzen"
  | "parzen-curve";

/** One registered metric. */
export interface MetricInfo {
  /** Column name in `metrics.csv`, `final.json` and the report's tables. */
  name: string;
  /** Short title for tables and charts. */
  title: string;
  /** What it measures, in a sentence. */
  description: string;
  /** Which way is better. */
  direction: MetricDirection;
  /** The value it should reach, for `direction: "target"`. */
  target?: number;
  /** The evaluation stages that compute it. */
  stages: readonly MetricStage[];
  /**
   * Position among the metrics a report charts by default (0 first);
   * absent when it is not charted by default.
   */
  chart?: number;
}

/** Every metric, in the order tables list them. */
export const METRICS: readonly MetricInfo[] = Object.freeze(
  [
    {
      name: "d_loss",
      title: "D loss",
      description: "D's loss on one held-out batch (with the gradient penalty for wasserstein-gp).",
      direction: "none",
      stages: ["common"],
    },
    {
      name: "g_loss",
      title: "G loss",
      description: "G's loss on one evaluation batch of noise.",
      direction: "none",
      stages: ["common"],
    },
    {
      name: "d_real_train",
      title: "mean D(x) on training reals",
      description: "D's mean output (probability) on training reals.",
      direction: "none",
      stages: ["common"],
      chart: 2,
    },
    {
      name: "d_real_valid",
      title: "mean D(x) on held-out reals",
      description: "D's mean output (probability) on held-out reals.",
      direction: "none",
      stages: ["common"],
      chart: 3,
    },
    {
      name: "d_fake",
      title: "mean D(G(z))",
      description: "D's mean output (probability) on generator samples.",
      direction: "none",
      stages: ["common"],
    },
    {
      name: "d_gap",
      title: "D overfitting gap, train − held-out D(x)",
      description: "d_real_train minus d_real_valid: how much more D believes its training reals.",
      direction: "lower",
      stages: ["common"],
      chart: 0,
    },
    {
      name: "acc_real_train",
      title: "D accuracy on training reals",
      description: "Share of training reals D classifies as real (logit > 0).",
      direction: "none",
      stages: ["common"],
    },
    {
      name: "acc_real_valid",
      title: "D accuracy on held-out reals",
      description: "Share of held-out reals D classifies as real (logit > 0).",
      direction: "none",
      stages: ["common"],
    },
    {
      name: "acc_fake",
      title: "D accuracy on fakes",
      description: "Share of generator samples D classifies as fake (logit < 0).",
      direction: "none",
      stages: ["common"],
    },
    {
      name: "r_t",
      title: "r_t = E[sign(D logit)], training reals",
      description: "Karras et al. (2020): D's confidence on training reals (1 when every logit " +
        "is positive); not overfitting by itself.",
      direction: "none",
      stages: ["common"],
      chart: 1,
    },
    {
      name: "value",
      title: "value V(D, G)",
      description: "V(D, G) with the current D: mean log D(x) on held-out reals plus mean " +
        "log(1 - D(G(z))).",
      direction: "none",
      stages: ["common"],
      chart: 4,
    },
    {
      name: "g_grad_norm",
      title: "G gradient norm",
      description: "Global norm of G's gradient on one evaluation batch.",
      direction: "none",
      stages: ["common"],
      chart: 14,
    },
    {
      name: "d_grad_norm",
      title: "D gradient norm",
      description: "Global norm of D's gradient on one held-out batch.",
      direction: "none",
      stages: ["common"],
    },
    {
      name: "d_spread",
      title: "spread of D(x) over held-out reals and fakes",
      description: "Standard deviation of D's output (probability) over the held-out reals and " +
        "the samples; near 0 when D's output does not depend on x (at the optimum, or a dead D).",
      direction: "none",
      stages: ["common"],
    },
    {
      name: "d_active",
      title: "share of D's hidden units alive",
      description: "In D's hidden layer with the fewest, the share of units whose output varies " +
        "over the evaluation points (0: a layer of dead units, D is constant). MLP only.",
      direction: "higher",
      stages: ["common"],
    },
    {
      name: "g_spread",
      title: "spread of G's samples, relative",
      description: "Standard deviation of G's samples over that of the data's narrowest " +
        "structure (p_data's sd in 1-D, a mode's sd on the mixtures, the pixels' sd on images).",
      direction: "none",
      stages: ["common"],
    },
    {
      name: "g_grad_mm",
      title: "G gradient norm under the minimax loss",
      description: "Global norm of the gradient of the minimax G loss, log(1 - D(G(z))), at the " +
        "current D and G (whatever loss trains the run).",
      direction: "none",
      stages: ["paper-losses"],
    },
    {
      name: "g_grad_ns",
      title: "G gradient norm under the non-saturating loss",
      description: "Global norm of the gradient of the non-saturating G loss, -log D(G(z)), at " +
        "the current D and G (whatever loss trains the run).",
      direction: "none",
      stages: ["paper-losses"],
    },
    {
      name: "js",
      title: "JS divergence of p_g from p_data",
      description: "Jensen-Shannon divergence between p_data and a histogram of G's samples (1-D).",
      direction: "lower",
      stages: ["gaussian-1d"],
      chart: 5,
    },
    {
      name: "dstar_err",
      title: "error of D against the optimal D*",
      description: "Largest absolute difference between D and D* = p_data / (p_data + p_g) on a " +
        "grid over p_data's mean ± 3 sd (1-D).",
      direction: "lower",
      stages: ["gaussian-1d"],
      chart: 7,
    },
    {
      name: "cg",
      title: "C(G), the value with the optimal D",
      description: "C(G) = E[log D*(x)] + E[log(1 - D*(G(z)))] with D* = p_data / (p_data + p_g) " +
        "for the current G (Theorem 1: -log 4 at p_g = p_data); p_g a kernel density of G's " +
        "samples (1-D).",
      direction: "target",
      target: -Math.log(4),
      stages: ["gaussian-1d"],
      chart: 6,
    },
    {
      name: "cg_se",
      title: "standard error of C(G)",
      description: "Monte Carlo standard error of cg.",
      direction: "none",
      stages: ["gaussian-1d"],
    },
    {
      name: "cg_jsd",
      title: "JSD of the densities behind C(G)",
      description: "JSD(p_data || p_g) by quadrature of the densities C(G) uses; Theorem 1: " +
        "C(G) = -log 4 + 2 JSD (1-D).",
      direction: "lower",
      stages: ["gaussian-1d"],
    },
    {
      name: "dstar_spread",
      title: "spread of the optimal D* over x",
      description: "Standard deviation of D* = p_data / (p_data + p_g) over held-out reals and " +
        "samples: 0 where p_g = p_data, so D* = 1/2 everywhere (1-D).",
      direction: "lower",
      stages: ["gaussian-1d"],
    },
    {
      name: "modes",
      title: "modes captured",
      description: "Modes (2-D mixtures) or classes (images) that received a high-quality sample.",
      direction: "higher",
      stages: ["mixture", "images"],
      chart: 8,
    },
    {
      name: "modes_hq",
      title: "modes with at least 0.8% of samples",
      description: "Modes (or classes) that received at least 0.8% of the samples (20 of 2,500) " +
        "as high-quality samples: coverage that a few stray samples cannot fake.",
      direction: "higher",
      stages: ["mixture", "images"],
      chart: 9,
    },
    {
      name: "hq_share",
      title: "share of high-quality samples",
      description: "Share of samples within 3 standard deviations of their nearest mode.",
      direction: "higher",
      stages: ["mixture"],
      chart: 10,
    },
    {
      name: "mode_kl",
      title: "KL of mode shares vs uniform",
      description: "KL divergence of the per-mode (or per-class) shares of samples from uniform.",
      direction: "lower",
      stages: ["mixture", "images"],
      chart: 11,
    },
    {
      name: "nn_dist",
      title: "mean distance of samples to their nearest training image",
      description: "Mean Euclidean distance from each sample to its nearest training image.",
      direction: "none",
      stages: ["images"],
      chart: 13,
    },
    {
      name: "parzen_ll",
      title: "Parzen-window log-likelihood of the test set",
      description: "The paper's Parzen-window estimate: mean log-likelihood of the test images " +
        "under a Gaussian kernel density fitted on G's samples.",
      direction: "higher",
      stages: ["parzen"],
      chart: 12,
    },
    {
      name: "parzen_se",
      title: "standard error of parzen_ll across test images",
      description: "Standard deviation of the test images' log-likelihoods over sqrt(n).",
      direction: "none",
      stages: ["parzen"],
    },
    {
      name: "parzen_sigma",
      title: "Parzen bandwidth σ chosen on validation images",
      description: "The kernel bandwidth chosen among 10 values in [0.1, 1] on validation images.",
      direction: "none",
      stages: ["parzen"],
    },
    {
      name: "parzen_curve_ll",
      title: "Parzen log-likelihood during training (test subset)",
      description: "The Parzen-window estimate logged during training (parzen.every): the " +
        "same samples, validation images and sigma search as parzen_ll, reported on the " +
        "first parzen.trainingPoints test images; cheaper, noisier, not the paper's number.",
      direction: "higher",
      stages: ["parzen-curve"],
    },
    {
      name: "parzen_curve_se",
      title: "standard error of parzen_curve_ll across its test images",
      description: "Standard deviation of the log-likelihoods of parzen_curve_ll's test images " +
        "over sqrt(n).",
      direction: "none",
      stages: ["parzen-curve"],
    },
    {
      name: "parzen_curve_sigma",
      title: "Parzen bandwidth σ of parzen_curve_ll",
      description: "The bandwidth parzen_curve_ll chose on the validation images.",
      direction: "none",
      stages: ["parzen-curve"],
    },
  ] satisfies MetricInfo[],
);

const BY_NAME = new Map(METRICS.map((m) => [m.name, m]));

/**
 * The registry entry of a metric.
 *
 * @param name The column name.
 * @returns The entry, or undefined for a metric the registry does not know.
 */
export function metricInfo(name: string): MetricInfo | undefined {
  return BY_NAME.get(name);
}

/**
 * The metrics one stage computes, in table order.
 *
 * @param stage The stage.
 * @returns Their names.
 */
export function metricsOfStage(stage: MetricStage): string[] {
  return METRICS.filter((m) => m.stages.includes(stage)).map((m) => m.name);
}

/** Every metric's name, in the order tables list them. */
export const METRIC_ORDER: readonly string[] = METRICS.map((m) => m.name);

/** The metrics reports chart (and list in report.md) by default, in chart order. */
export const CHARTED_METRICS: readonly string[] = METRICS
  .filter((m) => m.chart !== undefined)
  .sort((a, b) => a.chart! - b.chart!)
  .map((m) => m.name);

/** Metrics every run logs, in column order. */
export const COMMON_METRICS: readonly string[] = metricsOfStage("common");
