/**
 * Parzen-window log-likelihood, the protocol of Goodfellow et al. (2014),
 * Table 1, as in `parzen_ll.py` of goodfeli/adversarial: fit an isotropic
 * Gaussian kernel density on generator samples mu_1..mu_N,
 *
 *   log p(x) = logmeanexp_i(-||x - mu_i||^2 / (2 sigma^2)) - d log(sigma sqrt(2 pi)),
 *
 * choose sigma among {@link PARZEN_SIGMAS} (10 values log-spaced in [0.1, 1])
 * by the mean log-likelihood of a validation set (the first maximum, as
 * `numpy.argmax`), and report the mean log-likelihood of the test set and
 * its standard error std / sqrt(n). The std is the population one (ddof 0,
 * divide by n), as `numpy.std` in `parzen_ll.py`.
 *
 * Distances come from `distances.ts` (float32 matrix products in blocks,
 * float64 norms, centred data); each (samples, points) pair is computed once
 * and every sigma is evaluated from it. The log-mean-exp subtracts the
 * largest term, so it never underflows to -Infinity however far the points
 * are from the samples. Terms below e^-(ln N + 28) of the largest are
 * skipped (together under 7e-13 of the sum), and the exponentials use a
 * table and a cubic (relative error under 1e-10).
 *
 * Accuracy: both are far below the float32 error of the distances, which
 * bounds the error of each log p(x) by
 * max_i errorScale * (||x_c||^2 + ||mu_i,c||^2) / (2 sigma^2) (x_c, mu_c
 * centred on the samples' mean; `SquaredDistances.errorScale` is about
 * 2 (d + 6) 2^-24). For MNIST-like rows (d = 784, pixels in [0, 1]) the
 * bound is about 0.5 nats at sigma = 0.1 and 0.005 at sigma = 1; the
 * observed error against a float64 brute force was about 1e-3 nats at
 * sigma = 0.1 and 1e-5 at sigma = 1, negligible next to the paper's standard
 * errors (about 2 nats).
 *
 * @module
 */
import {
  requireSameCols,
  type Rows,
  type SquaredDistances,
  toRowSet,
  withSquaredDistances,
} from "./distances.ts";

export type { Rows } from "./distances.ts";

/** The paper's bandwidths: 10 values log-spaced in [0.1, 1], 10^(-1 + k/9), k = 0..9. */
export const PARZEN_SIGMAS: number[] = Array.from({ length: 10 }, (_, k) => 10 ** (-1 + k / 9));

/** Mean log-likelihood and its standard error (population std / sqrt(n)). */
export interface ParzenResult {
  /** Mean of log p(x) over the points, in nats. */
  mean: number;
  /** std(log p(x)) / sqrt(n) with the population std (ddof 0, as numpy.std). */
  se: number;
}

/** One bandwidth of a sigma search: the validation mean (and test result, when computed). */
export interface ParzenScore {
  /** The bandwidth. */
  sigma: number;
  /** Mean validation log-likelihood at this sigma. */
  mean: number;
  /** Its standard error (ddof 0). */
  se: number;
  /** The test set at this sigma (parzenEstimate with testEverySigma, the default). */
  test?: ParzenResult;
}

/** What {@link selectParzenSigma} returns. */
export interface ParzenSigmaSearch {
  /** The sigma with the highest mean validation log-likelihood (the first, on ties). */
  sigma: number;
  /** Every sigma's validation score, in the order given. */
  scores: ParzenScore[];
}

/** What {@link parzenEstimate} returns. */
export interface ParzenEstimate {
  /** The chosen sigma. */
  sigma: number;
  /** Mean test log-likelihood at the chosen sigma (nats). */
  mean: number;
  /** Its standard error, std / sqrt(n) with ddof 0. */
  se: number;
  /** Number of test points. */
  n: number;
  /** Every sigma's validation score (and test result with testEverySigma). */
  scores: ParzenScore[];
}

/** Options of {@link parzenLogLikelihood} and {@link parzenLogLikelihoods}. */
export interface ParzenOptions {
  /** Points per matrix product (default: about 4M distances per block, at most 1024 points). */
  blockSize?: number;
}

/** Options of {@link parzenEstimate}. */
export interface ParzenEstimateOptions extends ParzenOptions {
  /** Candidate bandwidths (default {@link PARZEN_SIGMAS}). */
  sigmas?: number[];
  /**
   * Also evaluate the test set at every sigma (in `scores[i].test`), from the
   * same distances (default true; false evaluates only the chosen sigma,
   * which saves the exponentials, not the distances).
   */
  testEverySigma?: boolean;
  /** Called after each block of points with the points done and the total (valid + test). */
  onProgress?(done: number, total: number): void;
}

const HALF_LOG_2PI = 0.5 * Math.log(2 * Math.PI);
/** exp(-x) is looked up at x = m * EXP_TABLE_STEP, m = round(x * EXP_TABLE_SCALE). */
const EXP_TABLE_STEP = Math.LN2 / 64;
const EXP_TABLE_SCALE = 1 / EXP_TABLE_STEP;

/** exp(-m * EXP_TABLE_STEP) for m = 0 .. round(cut * EXP_TABLE_SCALE) + 1. */
function expTable(cut: number): Float64Array {
  const size = Math.ceil(cut * EXP_TABLE_SCALE) + 2;
  return Float64Array.from({ length: size }, (_, m) => Math.exp(-m * EXP_TABLE_STEP));
}

/**
 * log(mean(exp(values))) in float64, stable: the largest value is taken out
 * first, so the result is finite whenever one value is finite. -Infinity for
 * an empty input or all values -Infinity; NaN if any value is NaN.
 */
export function logMeanExp(values: ArrayLike<number>): number {
  const n = values.length;
  if (n === 0) return -Infinity;
  let max = -Infinity;
  for (let i = 0; i < n; i++) {
    const v = values[i];
    if (v !== v) return NaN;
    if (v > max) max = v;
  }
  if (max === -Infinity || max === Infinity) return max;
  let s = 0;
  for (let i = 0; i < n; i++) s += Math.exp(values[i] - max);
  return max + Math.log(s / n);
}

function checkSigmas(sigmas: unknown, fn: string, name: string): number[] {
  if (!Array.isArray(sigmas) || sigmas.length === 0) {
    throw new RangeError(
      `${fn}: ${name} must be a non-empty array of finite numbers > 0, got ${
        Array.isArray(sigmas) ? "an empty array" : String(sigmas)
      }`,
    );
  }
  sigmas.forEach((s, i) => checkSigma(s, fn, `${name}[${i}]`));
  return sigmas;
}

function checkSigma(sigma: unknown, fn: string, name: string): number {
  if (typeof sigma !== "number" || !Number.isFinite(sigma) || sigma <= 0) {
    throw new RangeError(`${fn}: ${name} is ${String(sigma)}; expected a finite number > 0`);
  }
  return sigma;
}

/** Mean and standard error (ddof 0) of per-point log-likelihoods. */
function summarise(values: Float64Array): ParzenResult {
  const n = values.length;
  let s = 0;
  for (let i = 0; i < n; i++) s += values[i];
  const mean = s / n;
  let ss = 0;
  for (let i = 0; i < n; i++) {
    const t = values[i] - mean;
    ss += t * t;
  }
  return { mean, se: Math.sqrt(ss / n) / Math.sqrt(n) };
}

/**
 * acc[k] = sum_j exp(-a[k] (d2[j] - min)) over the first n entries, for a
 * sorted ascending; terms with a[k] (d2[j] - min) > cut are skipped. A
 * function of its arguments only, so that V8 keeps everything in registers.
 */
function kernelSums(
  d2: Float64Array,
  n: number,
  min: number,
  a: Float64Array,
  cut: number,
  table: Float64Array,
  acc: Float64Array,
): void {
  const K = a.length;
  acc.fill(0);
  for (let j = 0; j < n; j++) {
    const t = d2[j] - min;
    for (let k = 0; k < K; k++) {
      const x = a[k] * t;
      if (x > cut) break;
      // exp(-x) = exp(-m ln2/64) * exp(r), r = m ln2/64 - x in [-ln2/128, ln2/128]:
      // a table lookup and a cubic, relative error < 4e-11.
      const m = (x * EXP_TABLE_SCALE + 0.5) | 0;
      const r = m * EXP_TABLE_STEP - x;
      acc[k] += table[m] * (1 + r * (1 + r * (1 / 2 + r * (1 / 6))));
    }
  }
}

/**
 * Per-point log-likelihoods of `points` under the kernel density on the
 * references of `dist`, for every sigma: out[k][i] = log p_sigma_k(point i).
 */
function logLikelihoodsFrom(
  dist: SquaredDistances,
  points: ReturnType<typeof toRowSet>,
  sigmas: number[],
  onBlock?: (done: number) => void,
): Float64Array[] {
  const nRefs = dist.refs.rows;
  const d = dist.refs.cols;
  const K = sigmas.length;
  // Bandwidths by increasing a = 1 / (2 sigma^2): per distance, the terms
  // shrink along k, so the loop over k stops at the first negligible one.
  const order = sigmas.map((_, k) => k).sort((p, q) => sigmas[q] - sigmas[p]);
  const a = Float64Array.from(order, (k) => 1 / (2 * sigmas[k] * sigmas[k]));
  const norm = Float64Array.from(
    order,
    (k) => Math.log(nRefs) + d * (Math.log(sigmas[k]) + HALF_LOG_2PI),
  );
  const cut = Math.min(Math.log(nRefs) + 28, 700);
  const table = expTable(cut);
  const out = sigmas.map(() => new Float64Array(points.rows));
  const acc = new Float64Array(K);
  dist.forEachRow(points, (q, d2, _qNorm, min) => {
    kernelSums(d2, nRefs, min, a, cut, table, acc);
    for (let k = 0; k < K; k++) {
      out[order[k]][q] = -a[k] * min + Math.log(acc[k]) - norm[k];
    }
  }, onBlock);
  return out;
}

/**
 * Per-point log-likelihoods of the rows `points` (named `pointsName` in
 * errors) under the kernel density on `samples`, one array per bandwidth
 * that `checkBandwidths` returns; rows and columns are checked first, then
 * the bandwidths, each error naming `fn`.
 */
function checkedLogLikelihoods(
  fn: string,
  samples: Rows,
  points: Rows,
  pointsName: string,
  checkBandwidths: () => number[],
  blockSize: number | undefined,
): Float64Array[] {
  const s = toRowSet(samples, fn, "samples");
  const p = toRowSet(points, fn, pointsName);
  requireSameCols(p, s, fn, pointsName, "samples");
  const sigmas = checkBandwidths();
  return withSquaredDistances(s, blockSize, fn, (dist) => logLikelihoodsFrom(dist, p, sigmas));
}

/**
 * Per-point Parzen log-likelihoods of `points` under the Gaussian kernel
 * density on `samples`, one Float64Array per sigma (in the order given):
 * out[k][i] = log p_{sigma_k}(points[i]), in nats. Distances are computed
 * once for all sigmas.
 */
export function parzenLogLikelihoods(
  samples: Rows,
  points: Rows,
  sigmas: number[],
  options: ParzenOptions = {},
): Float64Array[] {
  const fn = "parzenLogLikelihoods";
  const check = () => checkSigmas(sigmas, fn, "sigmas");
  return checkedLogLikelihoods(fn, samples, points, "points", check, options.blockSize);
}

/**
 * Mean Parzen log-likelihood of `points` under the Gaussian kernel density
 * on `samples` with bandwidth `sigma`, and its standard error (population
 * std / sqrt(n), as `parzen_ll.py`).
 */
export function parzenLogLikelihood(
  samples: Rows,
  points: Rows,
  sigma: number,
  options: ParzenOptions = {},
): ParzenResult {
  const fn = "parzenLogLikelihood";
  const check = () => [checkSigma(sigma, fn, "sigma")];
  return summarise(
    checkedLogLikelihoods(fn, samples, points, "points", check, options.blockSize)[0],
  );
}

function argmaxFirst(scores: ParzenScore[]): number {
  let best = 0;
  for (let k = 1; k < scores.length; k++) if (scores[k].mean > scores[best].mean) best = k;
  return best;
}

/**
 * Chooses the bandwidth: the sigma (default {@link PARZEN_SIGMAS}) with the
 * highest mean log-likelihood of `valid`, the first on ties. Distances are
 * computed once for all sigmas.
 */
export function selectParzenSigma(
  samples: Rows,
  valid: Rows,
  sigmas: number[] = PARZEN_SIGMAS,
  options: ParzenOptions = {},
): ParzenSigmaSearch {
  const fn = "selectParzenSigma";
  const check = () => checkSigmas(sigmas, fn, "sigmas");
  const lls = checkedLogLikelihoods(fn, samples, valid, "valid", check, options.blockSize);
  const scores = sigmas.map((sigma, k) => ({ sigma, ...summarise(lls[k]) }));
  return { sigma: sigmas[argmaxFirst(scores)], scores };
}

/**
 * The paper's whole protocol: chooses sigma on `valid` (see
 * {@link selectParzenSigma}) and returns the mean test log-likelihood at it
 * with its standard error (ddof 0) and the number of test points. The
 * samples are packed once; the validation and test distances are each
 * computed once, and all sigmas are evaluated from them.
 */
export function parzenEstimate(
  samples: Rows,
  valid: Rows,
  test: Rows,
  options: ParzenEstimateOptions = {},
): ParzenEstimate {
  const fn = "parzenEstimate";
  const s = toRowSet(samples, fn, "samples");
  const v = toRowSet(valid, fn, "valid");
  const t = toRowSet(test, fn, "test");
  requireSameCols(v, s, fn, "valid", "samples");
  requireSameCols(t, s, fn, "test", "samples");
  const sigmas = checkSigmas(options.sigmas ?? PARZEN_SIGMAS, fn, "options.sigmas");
  const total = v.rows + t.rows;
  const progress = options.onProgress;
  return withSquaredDistances(s, options.blockSize, fn, (dist) => {
    const validLls = logLikelihoodsFrom(
      dist,
      v,
      sigmas,
      progress && ((done) => progress(done, total)),
    );
    const scores: ParzenScore[] = sigmas.map((sigma, k) => ({ sigma, ...summarise(validLls[k]) }));
    const best = argmaxFirst(scores);
    const sigma = sigmas[best];
    const onTest = progress && ((done: number) => progress(v.rows + done, total));
    let result: ParzenResult;
    if (options.testEverySigma ?? true) {
      const testLls = logLikelihoodsFrom(dist, t, sigmas, onTest);
      scores.forEach((score, k) => score.test = summarise(testLls[k]));
      result = scores[best].test!;
    } else {
      result = summarise(logLikelihoodsFrom(dist, t, [sigma], onTest)[0]);
    }
    return { sigma, mean: result.mean, se: result.se, n: t.rows, scores };
  });
}
