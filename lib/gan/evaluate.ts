/**
 * Evaluating a GAN during training: fixed evaluation sets drawn once from
 * the run's `eval` stream (so evaluating more or less often never changes
 * what training draws), and one row of metrics per evaluation. Which
 * metrics exist, and their column order, is the metric registry's
 * (`lib/metrics/registry.ts`).
 *
 * @module
 */
import { tf } from "../deps.ts";
import type { RunConfig } from "../spec/config.ts";
import { Rng } from "../runtime/rng.ts";
import type { Dataset } from "../data/types.ts";
import { nearestNeighbours } from "../metrics/nearest.ts";
import { parzenEstimate } from "../metrics/parzen.ts";
import { METRIC_ORDER, metricInfo } from "../metrics/registry.ts";
import { activeShare, rowSpread, spread } from "../metrics/health.ts";
import {
  classCoverage,
  discriminatorStats,
  dStarMaxError,
  evalGrid,
  jsDivergence1d,
  modeCoverage,
  modesWithAtLeast,
  optimalD,
  optimalValue1d,
  sigmoid,
  valueEstimate,
} from "../metrics/mod.ts";
import { type Gan, globalNorm, noise, outputsOf } from "./gan.ts";
import { evaluateQuality } from "./quality.ts";
import { parzenCurveMetrics } from "./parzen_curve.ts";

/** One evaluation: `step` plus named metric values. */
export type MetricRow = Record<string, number>;

/** Largest number of training reals D is evaluated on (points). */
const MAX_EVAL_TRAIN = 10_000;
/** Training images the class of an image sample is taken from (its nearest one's label). */
const MAX_CLASS_REFS = 5_000;
/** Rows per call when D or G is applied to many images (batch norm sees batches this size). */
export const IMAGE_CHUNK = 500;

/** Fixed evaluation inputs, drawn once from the `eval` stream. */
export interface EvalSet {
  noise: Float32Array;
  /** Interpolation weights of the gradient penalty on the evaluation batch. */
  eps: Float32Array;
  trainReals: Float32Array;
  /** Held-out reals D is evaluated on. */
  validReals: Float32Array;
  grid: Float32Array | null;
  /** Image data: training images that give samples their class, and their labels. */
  classRefs?: { images: Float32Array; labels: Uint8Array };
}

/** D and D* on the evaluation grid of a 1-D run. */
export interface DiscriminatorCurve {
  x: number[];
  /** D's output (probability). */
  d: number[];
  /** D* = p_data / (p_data + p_g). */
  dStar: number[];
}

/** What one evaluation gives: the row, G's samples and, on 1-D data, D's curve. */
export interface Evaluation {
  row: MetricRow;
  /** Generator samples (evalSamples x dim). */
  samples: Float32Array;
  discriminator?: DiscriminatorCurve;
  /**
   * Image runs with the memorisation test, final evaluation: each sample's
   * and each held-out image's distance to its nearest training image.
   */
  nnDistances?: { samples: Float32Array; heldout: Float32Array };
}

/**
 * Draws a run's evaluation set from its `eval` stream.
 *
 * @param config The run's config.
 * @param data The run's data set.
 * @returns The evaluation set.
 */
export function makeEvalSet(config: RunConfig, data: Dataset): EvalSet {
  const evalRng = new Rng(config.seed, "eval");
  const { truth, dim } = data;
  const images = truth.kind === "images";
  // Images: D is evaluated on as many reals as samples (a maxout D on 10,000 images is slow).
  const nTrainEval = Math.min(data.trainSize, images ? config.evalSamples : MAX_EVAL_TRAIN);
  const nValidEval = images ? Math.min(data.validSize, config.evalSamples) : data.validSize;
  const nRefs = Math.min(data.trainSize, MAX_CLASS_REFS);
  return {
    noise: noise(config, evalRng, config.evalSamples),
    eps: evalRng.uniforms(config.batchSize),
    trainReals: data.train.subarray(0, nTrainEval * dim),
    validReals: data.valid.subarray(0, nValidEval * dim),
    grid: truth.kind === "gaussian-1d" ? evalGrid(truth.mean, truth.std) : null,
    ...(truth.kind === "images"
      ? {
        classRefs: {
          images: data.train.subarray(0, nRefs * dim),
          labels: truth.trainLabels.subarray(0, nRefs),
        },
      }
      : {}),
  };
}

/**
 * Orders a row's metrics as the registry lists them, `step` first.
 *
 * @param values Metric name -> value, `step` included.
 * @returns The row.
 * @throws Error for a metric the registry does not know (register it first).
 */
export function registeredRow(values: MetricRow): MetricRow {
  for (const name of Object.keys(values)) {
    if (name !== "step" && !metricInfo(name)) {
      throw new Error(`metric "${name}" is not in the metric registry (lib/metrics/registry.ts)`);
    }
  }
  const row: MetricRow = { step: values.step };
  for (const name of METRIC_ORDER) if (name in values) row[name] = values[name];
  return row;
}

/**
 * One evaluation of the GAN at `step` on the fixed evaluation set.
 *
 * @param gan The GAN.
 * @param data The run's data set.
 * @param ev The evaluation set.
 * @param step The iteration.
 * @param final Whether this is the run's last evaluation (image runs add the Parzen estimate).
 * @returns The row, G's samples and D's curve on 1-D data.
 */
export function evaluate(
  gan: Gan,
  data: Dataset,
  ev: EvalSet,
  step: number,
  final: boolean,
): Evaluation {
  const { config, dim } = gan;
  const chunk = data.truth.kind === "images" ? IMAGE_CHUNK : undefined;
  const samples = outputsOf(gan.g, ev.noise, config.arch.noiseDim, chunk);
  const lTrain = outputsOf(gan.d, ev.trainReals, dim, chunk);
  const lValid = outputsOf(gan.d, ev.validReals, dim, chunk);
  const lFake = outputsOf(gan.d, samples, dim, chunk);
  const s = discriminatorStats(lTrain, lValid, lFake);
  const m = Math.min(config.batchSize, data.validSize, ev.noise.length / config.arch.noiseDim);
  const zBatch = ev.noise.subarray(0, m * config.arch.noiseDim);
  const d = gan.dGrads(data.valid.subarray(0, m * dim), zBatch, ev.eps.subarray(0, m), false);
  const g = gan.gGrads(zBatch, false);
  const probs = new Float32Array(lValid.length + lFake.length);
  probs.set(lValid.map(sigmoid), 0);
  probs.set(lFake.map(sigmoid), lValid.length);
  const values: MetricRow = {
    step,
    d_loss: d.value.dataSync()[0],
    g_loss: g.value.dataSync()[0],
    d_real_train: s.dRealTrain,
    d_real_valid: s.dRealValid,
    d_fake: s.dFake,
    d_gap: s.dGap,
    acc_real_train: s.accRealTrain,
    acc_real_valid: s.accRealValid,
    acc_fake: s.accFake,
    r_t: s.rT,
    value: valueEstimate(lValid, lFake),
    g_grad_norm: globalNorm(g.grads),
    d_grad_norm: globalNorm(d.grads),
    d_spread: spread(probs),
    d_active: dActive(gan, ev, samples, chunk),
    g_spread: rowSpread(samples, dim) / referenceSpread(data, ev),
  };
  tf.dispose([d.value, g.value]);
  tf.dispose(d.grads);
  tf.dispose(g.grads);
  if (config.loss === "minimax" || config.loss === "non-saturating") {
    // Both of the paper's G losses at the same (D, G) state, whatever loss trains the run.
    for (
      const [loss, name] of [["minimax", "g_grad_mm"], ["non-saturating", "g_grad_ns"]] as const
    ) {
      const r = gan.gGrads(zBatch, false, loss);
      values[name] = globalNorm(r.grads);
      r.value.dispose();
      tf.dispose(r.grads);
    }
  }
  // Non-finite samples (a diverged G) have no quality metrics either; firstNonFinite names it.
  const quality = config.quality && samples.every(Number.isFinite)
    ? evaluateQuality(gan, data, final)
    : null;
  if (quality) Object.assign(values, quality.values);
  const truth = data.truth;
  if (truth.kind === "images") {
    // Non-finite samples (a diverged G) have no image metrics; firstNonFinite names the divergence.
    if (samples.every(Number.isFinite)) {
      Object.assign(values, imageMetrics(gan, data, ev, samples, final));
      Object.assign(values, parzenCurveMetrics(gan, data, step));
    }
    const nn = quality?.nnDistances;
    return { row: registeredRow(values), samples, ...(nn ? { nnDistances: nn } : {}) };
  }
  if (truth.kind === "gaussian-1d") {
    const grid = ev.grid!;
    const dGrid = Float32Array.from(outputsOf(gan.d, grid, 1), sigmoid);
    const options = { gaussianG: gan.gaussianG() ?? undefined };
    values.js = jsDivergence1d(samples, truth.mean, truth.std);
    values.dstar_err = dStarMaxError(dGrid, grid, truth.mean, truth.std, samples, options);
    // C(G): p_g fitted on one half of the samples, its expectation over the other half.
    const half = Math.floor(samples.length / 2);
    const opt = optimalValue1d(
      ev.validReals,
      samples.subarray(0, half),
      samples.subarray(half),
      truth.mean,
      truth.std,
      options,
    );
    values.cg = opt.cg;
    values.cg_se = opt.cgSe;
    values.cg_jsd = opt.jsd;
    values.dstar_spread = opt.dStarSpread;
    const dStar = optimalD(grid, truth.mean, truth.std, samples, options);
    return {
      row: registeredRow(values),
      samples,
      discriminator: { x: Array.from(grid), d: Array.from(dGrid), dStar: Array.from(dStar) },
    };
  }
  const cov = modeCoverage(samples, truth.centres, truth.std);
  values.modes = cov.modes;
  values.modes_hq = modesWithAtLeast(cov.counts, samples.length / dim);
  values.hq_share = cov.hqShare;
  values.mode_kl = cov.modeKl;
  return { row: registeredRow(values), samples };
}

/** The spread of the data's narrowest structure, which `g_spread` is relative to. */
function referenceSpread(data: Dataset, ev: EvalSet): number {
  const truth = data.truth;
  if (truth.kind === "images") return rowSpread(ev.trainReals, data.dim);
  return truth.std;
}

/** Rows of D's hidden outputs `d_active` looks at (reals and samples, half each at most). */
const ACTIVITY_ROWS = 2000;

/**
 * The share of alive units in D's sparsest hidden layer over held-out reals
 * and samples (see `activeShare`); NaN for nets that do not expose their
 * hidden outputs.
 */
function dActive(gan: Gan, ev: EvalSet, samples: Float32Array, chunk?: number): number {
  const d = gan.d;
  if (!d.hiddenOutputs) return NaN;
  const dim = gan.dim;
  const half = ACTIVITY_ROWS / 2;
  const reals = ev.validReals.subarray(0, Math.min(half, ev.validReals.length / dim) * dim);
  const fakes = samples.subarray(0, Math.min(half, samples.length / dim) * dim);
  const x = new Float32Array(reals.length + fakes.length);
  x.set(reals, 0);
  x.set(fakes, reals.length);
  const rows = x.length / dim;
  const size = chunk ?? rows;
  const layers: Float32Array[][] = [];
  for (let i = 0; i < rows; i += size) {
    const n = Math.min(size, rows - i);
    const outs = tf.tidy(() =>
      d.hiddenOutputs!(tf.tensor2d(x.subarray(i * dim, (i + n) * dim), [n, dim])).map((t) =>
        t.dataSync() as Float32Array
      )
    );
    outs.forEach((o, l) => (layers[l] ??= []).push(o));
  }
  const joined = layers.map((parts) => {
    const out = new Float32Array(parts.reduce((a, p) => a + p.length, 0));
    let off = 0;
    for (const p of parts) {
      out.set(p, off);
      off += p.length;
    }
    return out;
  });
  return activeShare(joined, rows);
}

/**
 * Metrics of image samples: `modes` (classes that received a sample, the
 * class of a sample being its nearest training image's label), `mode_kl`
 * (KL of the class shares from uniform), `nn_dist` (mean Euclidean distance
 * to the nearest of those training images), and at the final evaluation of
 * a config with `parzen`, the paper's Parzen-window estimate on the test
 * set: `parzen_ll`, `parzen_se`, `parzen_sigma`.
 */
function imageMetrics(
  gan: Gan,
  data: Dataset,
  ev: EvalSet,
  samples: Float32Array,
  final: boolean,
): MetricRow {
  const { dim, config } = gan;
  const refs = ev.classRefs!;
  const n = samples.length / dim;
  const nn = nearestNeighbours(
    { data: samples, rows: n, cols: dim },
    { data: refs.images, rows: refs.labels.length, cols: dim },
  );
  const labels = Array.from(nn.index, (i) => refs.labels[i]);
  const cov = classCoverage(labels, data.truth.kind === "images" ? data.truth.classes : 10);
  let dist = 0;
  for (const v of nn.distance) dist += v;
  const row: MetricRow = {
    modes: cov.modes,
    modes_hq: modesWithAtLeast(cov.counts, n),
    mode_kl: cov.modeKl,
    nn_dist: dist / n,
  };
  if (final && config.parzen && data.test) {
    const p = config.parzen;
    const z = noise(config, new Rng(config.seed, "parzen"), p.samples);
    const fakes = outputsOf(gan.g, z, config.arch.noiseDim, IMAGE_CHUNK);
    const est = parzenEstimate(
      { data: fakes, rows: p.samples, cols: dim },
      { data: data.valid.subarray(0, p.validPoints * dim), rows: p.validPoints, cols: dim },
      { data: data.test.subarray(0, p.testPoints * dim), rows: p.testPoints, cols: dim },
      { testEverySigma: false },
    );
    row.parzen_ll = est.mean;
    row.parzen_se = est.se;
    row.parzen_sigma = est.sigma;
  }
  return row;
}

/**
 * Why an evaluation shows a diverged run: the first loss, value or
 * gradient norm that is not finite, or a non-finite sample.
 *
 * @param row The evaluation's row.
 * @param samples G's samples.
 * @returns The reason, or null when everything is finite.
 */
export function firstNonFinite(row: MetricRow, samples: Float32Array): string | null {
  for (const key of ["d_loss", "g_loss", "value", "g_grad_norm", "d_grad_norm"]) {
    if (!Number.isFinite(row[key])) return `${key} became ${row[key]} at step ${row.step}`;
  }
  for (let i = 0; i < samples.length; i++) {
    if (!Number.isFinite(samples[i])) {
      return `generator samples became non-finite at step ${row.step}`;
    }
  }
  return null;
}
