/**
 * The metric registry: every metric a run logs, once. Its column name, a
 * title for tables and charts, a description, which way is better, which
 * stage of the evaluation computes it, and whether reports chart it by
 * default. The trainer takes its column order from here, the report its
 * titles, order and default charts; adding a metric is one entry.
 *
 * @module
 */
import { didYouMean } from "../spec/did_you_mean.ts";

/** Which way a metric is better: higher, lower, near a target value, or neither. */
export type MetricDirection = "higher" | "lower" | "target" | "none";

/**
 * A stage of the evaluation that computes a metric: `common` every run,
 * `paper-losses` runs trained with the minimax or non-saturating loss,
 * `gaussian-1d` 1-D data, `mixture` the 2-D mixtures, `images` image data,
 * `parzen` image data with `parzen`, at the final evaluation;
 * `parzen-curve` image data with `parzen.every` > 0, at the evaluations whose
 * step is a multiple of it and at the last; with
 * `quality`: `quality` any data (precision, recall, density, coverage: on
 * image features, or in data space), `features` image data (FID, KID, the
 * classifier Inception Score), `reference` the same metrics for held-out
 * real data against the training data at the final evaluation, and
 * `memorisation` image data at the final evaluation.
 */
export type MetricStage =
  | "common"
  | "paper-losses"
  | "gaussian-1d"
  | "mixture"
  | "images"
  | "parzen"
  | "quality"
  | "features"
  | "reference"
  | "memorisation"
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
  /**
   * The values it can take, [lowest, highest] (either end may be
   * infinite); reports clip intervals to it. Absent: any real number.
   */
  range?: readonly [number, number];
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
      range: [0, 1],
      stages: ["common"],
      chart: 2,
    },
    {
      name: "d_real_valid",
      title: "mean D(x) on held-out reals",
      description: "D's mean output (probability) on held-out reals.",
      direction: "none",
      range: [0, 1],
      stages: ["common"],
      chart: 3,
    },
    {
      name: "d_fake",
      title: "mean D(G(z))",
      description: "D's mean output (probability) on generator samples.",
      direction: "none",
      range: [0, 1],
      stages: ["common"],
    },
    {
      name: "d_gap",
      title: "D overfitting gap, train − held-out D(x)",
      description: "d_real_train minus d_real_valid: how much more D believes its training reals.",
      direction: "lower",
      range: [-1, 1],
      stages: ["common"],
      chart: 0,
    },
    {
      name: "acc_real_train",
      title: "D accuracy on training reals",
      description: "Share of training reals D classifies as real (logit > 0).",
      direction: "none",
      range: [0, 1],
      stages: ["common"],
    },
    {
      name: "acc_real_valid",
      title: "D accuracy on held-out reals",
      description: "Share of held-out reals D classifies as real (logit > 0).",
      direction: "none",
      range: [0, 1],
      stages: ["common"],
    },
    {
      name: "acc_fake",
      title: "D accuracy on fakes",
      description: "Share of generator samples D classifies as fake (logit < 0).",
      direction: "none",
      range: [0, 1],
      stages: ["common"],
    },
    {
      name: "r_t",
      title: "r_t = E[sign(D logit)], training reals",
      description: "Karras et al. (2020): D's confidence on training reals (1 when every logit " +
        "is positive); not overfitting by itself.",
      direction: "none",
      range: [-1, 1],
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
      range: [0, Infinity],
      stages: ["common"],
      chart: 22,
    },
    {
      name: "d_grad_norm",
      title: "D gradient norm",
      description: "Global norm of D's gradient on one held-out batch.",
      direction: "none",
      range: [0, Infinity],
      stages: ["common"],
    },
    {
      name: "d_spread",
      title: "spread of D(x) over held-out reals and fakes",
      description: "Standard deviation of D's output (probability) over the held-out reals and " +
        "the samples; near 0 when D's output does not depend on x (at the optimum, or a dead D).",
      direction: "none",
      range: [0, 0.5],
      stages: ["common"],
    },
    {
      name: "d_active",
      title: "share of D's hidden units alive",
      description: "In D's hidden layer with the fewest, the share of units whose output varies " +
        "over the evaluation points (0: a layer of dead units, D is constant). MLP only.",
      direction: "higher",
      range: [0, 1],
      stages: ["common"],
    },
    {
      name: "g_spread",
      title: "spread of G's samples, relative",
      description: "Standard deviation of G's samples over that of the data's narrowest " +
        "structure (p_data's sd in 1-D, a mode's sd on the mixtures, the pixels' sd on images).",
      direction: "none",
      range: [0, Infinity],
      stages: ["common"],
    },
    {
      name: "g_grad_mm",
      title: "G gradient norm under the minimax loss",
      description: "Global norm of the gradient of the minimax G loss, log(1 - D(G(z))), at the " +
        "current D and G (whatever loss trains the run).",
      direction: "none",
      range: [0, Infinity],
      stages: ["paper-losses"],
    },
    {
      name: "g_grad_ns",
      title: "G gradient norm under the non-saturating loss",
      description: "Global norm of the gradient of the non-saturating G loss, -log D(G(z)), at " +
        "the current D and G (whatever loss trains the run).",
      direction: "none",
      range: [0, Infinity],
      stages: ["paper-losses"],
    },
    {
      name: "js",
      title: "JS divergence of p_g from p_data",
      description: "Jensen-Shannon divergence between p_data and a histogram of G's samples (1-D).",
      direction: "lower",
      range: [0, Math.LN2],
      stages: ["gaussian-1d"],
      chart: 5,
    },
    {
      name: "dstar_err",
      title: "error of D against the optimal D*",
      description: "Largest absolute difference between D and D* = p_data / (p_data + p_g) on a " +
        "grid over p_data's mean ± 3 sd (1-D).",
      direction: "lower",
      range: [0, 1],
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
      range: [-Math.log(4), 0],
      stages: ["gaussian-1d"],
      chart: 6,
    },
    {
      name: "cg_se",
      title: "standard error of C(G)",
      description: "Monte Carlo standard error of cg.",
      direction: "none",
      range: [0, Infinity],
      stages: ["gaussian-1d"],
    },
    {
      name: "cg_jsd",
      title: "JSD of the densities behind C(G)",
      description: "JSD(p_data || p_g) by quadrature of the densities C(G) uses; Theorem 1: " +
        "C(G) = -log 4 + 2 JSD (1-D).",
      direction: "lower",
      range: [0, Math.LN2],
      stages: ["gaussian-1d"],
    },
    {
      name: "dstar_spread",
      title: "spread of the optimal D* over x",
      description: "Standard deviation of D* = p_data / (p_data + p_g) over held-out reals and " +
        "samples: 0 where p_g = p_data, so D* = 1/2 everywhere (1-D).",
      direction: "lower",
      range: [0, 0.5],
      stages: ["gaussian-1d"],
    },
    {
      name: "modes",
      title: "modes captured",
      description: "Modes (2-D mixtures) or classes (images) that received a high-quality sample.",
      direction: "higher",
      range: [0, Infinity],
      stages: ["mixture", "images"],
      chart: 8,
    },
    {
      name: "modes_hq",
      title: "modes with at least 0.8% of samples",
      description: "Modes (or classes) that received at least 0.8% of the samples (20 of 2,500) " +
        "as high-quality samples: coverage that a few stray samples cannot fake.",
      direction: "higher",
      range: [0, Infinity],
      stages: ["mixture", "images"],
      chart: 9,
    },
    {
      name: "hq_share",
      title: "share of high-quality samples",
      description: "Share of samples within 3 standard deviations of their nearest mode.",
      direction: "higher",
      range: [0, 1],
      stages: ["mixture"],
      chart: 10,
    },
    {
      name: "mode_kl",
      title: "KL of mode shares vs uniform",
      description: "KL divergence of the per-mode (or per-class) shares of samples from uniform.",
      direction: "lower",
      range: [0, Infinity],
      stages: ["mixture", "images"],
      chart: 11,
    },
    {
      name: "nn_dist",
      title: "mean distance of samples to their nearest training image",
      description: "Mean Euclidean distance from each sample to its nearest training image.",
      direction: "none",
      range: [0, Infinity],
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
      range: [0, Infinity],
      stages: ["parzen"],
    },
    {
      name: "parzen_sigma",
      title: "Parzen bandwidth σ chosen on validation images",
      description: "The kernel bandwidth chosen among 10 values in [0.1, 1] on validation images.",
      direction: "none",
      range: [0, Infinity],
      stages: ["parzen"],
    },
    {
      name: "fid",
      title: "FID (harness classifier features)",
      description: "Fréchet distance between Gaussians fitted to the features of training images " +
        "and of samples (the data set's own classifier, not Inception-v3: not comparable with " +
        "published FIDs); biased upward at small sample counts (n_real, n_fake).",
      direction: "lower",
      stages: ["features"],
      chart: 14,
    },
    {
      name: "kid",
      title: "KID (harness classifier features)",
      description: "Unbiased MMD^2 between the features of training images and of samples under " +
        "the cubic polynomial kernel, mean over random subsets.",
      direction: "lower",
      stages: ["features"],
      chart: 15,
    },
    {
      name: "kid_sd",
      title: "sd of KID over subsets",
      description:
        "Standard deviation of the subsets' MMD^2 (0 when every subset is the whole set).",
      direction: "none",
      stages: ["features"],
    },
    {
      name: "precision",
      title: "precision (k = 3)",
      description: "Improved precision (Kynkäänniemi et al. 2019): share of samples inside the " +
        "real manifold (balls to each real vector's 3rd neighbour), on image features or points.",
      direction: "higher",
      stages: ["quality"],
      chart: 16,
    },
    {
      name: "recall",
      title: "recall (k = 3)",
      description: "Improved recall: share of real vectors inside the samples' manifold.",
      direction: "higher",
      stages: ["quality"],
      chart: 17,
    },
    {
      name: "density",
      title: "density (k = 5)",
      description: "Density (Naeem et al. 2020): real balls (5th neighbour) holding each sample, " +
        "on average, over 5; about 1 when samples are distributed like real data.",
      direction: "target",
      target: 1,
      stages: ["quality"],
      chart: 18,
    },
    {
      name: "coverage",
      title: "coverage (k = 5)",
      description:
        "Coverage (Naeem et al. 2020): share of real vectors whose ball (5th neighbour) " +
        "holds a sample.",
      direction: "higher",
      stages: ["quality"],
      chart: 19,
    },
    {
      name: "inception_score",
      title: "classifier Inception Score",
      description: "exp(E KL(p(y|x) || p(y))) with the data set's own classifier (at most the " +
        "number of classes); mean over 10 parts of the samples.",
      direction: "higher",
      stages: ["features"],
      chart: 20,
    },
    {
      name: "inception_score_sd",
      title: "sd of the classifier Inception Score over parts",
      description: "Standard deviation of inception_score over the 10 parts of the samples.",
      direction: "none",
      stages: ["features"],
    },
    {
      name: "n_real",
      title: "real vectors behind the quality metrics",
      description: "Training images (or points) the quality metrics of this evaluation compare " +
        "against.",
      direction: "none",
      stages: ["quality"],
    },
    {
      name: "n_fake",
      title: "samples behind the quality metrics",
      description: "Generator samples the quality metrics of this evaluation use (a subset " +
        "during training, the full count at the end).",
      direction: "none",
      stages: ["quality"],
    },
    ...(["fid", "kid", "precision", "recall", "density", "coverage", "inception_score"] as const)
      .map((m) => ({
        name: `${m}_heldout`,
        title: `${m.replace("_", " ")} of held-out real data (reference)`,
        description: `${m} of held-out real data (never trained on) against the training data, ` +
          "at the final evaluation's sample count: the value a perfect generator would reach.",
        direction: "none" as const,
        stages: ["reference" as const],
      })),
    {
      name: "n_heldout",
      title: "held-out vectors behind the references",
      description: "Held-out images (or points) the *_heldout references use.",
      direction: "none",
      stages: ["reference"],
    },
    {
      name: "mem_copy_share",
      title: "share of samples nearer a training image than 95% of held-out images",
      description: "Share of samples whose nearest training image is nearer than the 5% quantile " +
        "of held-out images' nearest-training-image distances (pixels): about 0.05 without " +
        "memorisation, up to 1 for a generator that copies training images.",
      direction: "lower",
      stages: ["memorisation"],
      chart: 21,
    },
    {
      name: "mem_heldout_share",
      title: "held-out images' own share below that quantile",
      description: "The reference for mem_copy_share (0.05 up to ties).",
      direction: "none",
      stages: ["memorisation"],
    },
    {
      name: "mem_ratio",
      title: "median nearest-training distance, samples over held-out images",
      description: "Below 1: samples lie closer to training images than fresh data does; far " +
        "above 1: samples are far from every training image (G has not learnt the data).",
      direction: "none",
      stages: ["memorisation"],
    },
    {
      name: "mem_n",
      title: "samples (and held-out images) in the memorisation test",
      description: "Samples, and held-out images, whose nearest training image was found.",
      direction: "none",
      stages: ["memorisation"],
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

/**
 * The names among `names` that no registered metric has, as validation
 * issues with the closest registered name (e.g. the report option
 * `metrics: ["hq_shar"]`).
 *
 * @param names Metric names given by a user.
 * @param path Where they were given, e.g. `report.metrics`.
 * @returns One issue per unknown name, its path indexed.
 */
export function unknownMetricIssues(
  names: readonly string[],
  path: string,
): { path: string; message: string }[] {
  const known = METRICS.map((m) => m.name);
  return names.flatMap((name, i) => {
    if (BY_NAME.has(name)) return [];
    const guess = didYouMean(name, known);
    return [{
      path: `${path}[${i}]`,
      message: `got "${name}", which no run logs${
        guess ? `; did you mean "${guess}"?` : ""
      } (reports/README.md lists the metrics)`,
    }];
  });
}
