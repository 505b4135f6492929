/**
 * Metrics for 1-D experiments where p_data = N(mean, std^2): the normal
 * density and CDF, a Gaussian kernel density estimate of p_g, the optimal
 * discriminator D* = p_data / (p_data + p_g) and D's distance from it, and the
 * Jensen-Shannon divergence between the generator's histogram and p_data.
 *
 * @module
 */

import { erfc } from "./erf.ts";

const SQRT2 = Math.SQRT2;
const INV_SQRT_2PI = 0.3989422804014327;
/** Bandwidth used when the sample has no spread at all. */
const MIN_BANDWIDTH = 1e-6;
/** Below this, p_data + p_g is treated as 0 and D* as 1/2. */
const DENSITY_FLOOR = 1e-300;
/** Most bins {@link jsDivergence1d} uses; the bin width grows to respect it. */
const MAX_BINS = 4000;

function checkStd(std: number): void {
  if (!(std > 0) || !Number.isFinite(std)) {
    throw new RangeError(`std must be positive and finite, got ${std}`);
  }
}

/**
 * Density of N(mean, std^2) at x.
 *
 * @param x Where to evaluate.
 * @param mean The mean.
 * @param std The standard deviation (> 0).
 * @returns The density.
 */
export function normalPdf(x: number, mean: number, std: number): number {
  checkStd(std);
  const z = (x - mean) / std;
  return (INV_SQRT_2PI / std) * Math.exp(-0.5 * z * z);
}

/**
 * CDF of N(mean, std^2) at x, via erfc (relative error below 1e-13, also
 * deep in the lower tail).
 *
 * @param x Where to evaluate.
 * @param mean The mean.
 * @param std The standard deviation (> 0).
 * @returns P(X <= x), in [0, 1].
 */
export function normalCdf(x: number, mean: number, std: number): number {
  checkStd(std);
  const z = (x - mean) / std;
  return z < 0 ? 0.5 * erfc(-z / SQRT2) : 1 - 0.5 * erfc(z / SQRT2);
}

/** P(X > x) for N(mean, std^2), accurate in the upper tail. */
function normalSf(x: number, mean: number, std: number): number {
  return 0.5 * erfc((x - mean) / std / SQRT2);
}

/** P(a < X <= b), computed on the side of the mean that avoids cancellation. */
function normalMass(a: number, b: number, mean: number, std: number): number {
  if (a >= mean) return normalSf(a, mean, std) - normalSf(b, mean, std);
  return normalCdf(b, mean, std) - normalCdf(a, mean, std);
}

/** Type-7 (linear interpolation) quantile of sorted values. */
function quantileSorted(sorted: Float64Array, p: number): number {
  const h = (sorted.length - 1) * p;
  const lo = Math.floor(h);
  const hi = Math.min(lo + 1, sorted.length - 1);
  return sorted[lo] + (h - lo) * (sorted[hi] - sorted[lo]);
}

/**
 * Silverman's rule-of-thumb bandwidth 0.9 * min(sd, IQR / 1.34) * n^(-1/5),
 * with sd the sample standard deviation (n - 1 denominator) and the IQR from
 * linearly interpolated quartiles. If IQR is 0 the sd alone is used; if the
 * sample has no spread at all (or n = 1) the bandwidth is floored at 1e-6.
 *
 * @param samples A non-empty sample.
 * @returns The bandwidth (> 0).
 */
export function silvermanBandwidth(samples: ArrayLike<number>): number {
  const n = samples.length;
  if (n === 0) throw new RangeError("silvermanBandwidth needs at least one sample");
  const sorted = Float64Array.from(samples).sort();
  let sum = 0;
  for (let i = 0; i < n; i++) sum += sorted[i];
  const m = sum / n;
  let ss = 0;
  for (let i = 0; i < n; i++) ss += (sorted[i] - m) ** 2;
  const sd = n > 1 ? Math.sqrt(ss / (n - 1)) : 0;
  const iqr = quantileSorted(sorted, 0.75) - quantileSorted(sorted, 0.25);
  let spread = Math.min(sd, iqr / 1.34);
  if (!(spread > 0)) spread = sd;
  const h = 0.9 * spread * n ** -0.2;
  return h > MIN_BANDWIDTH ? h : MIN_BANDWIDTH;
}

/**
 * Gaussian kernel density estimate of the samples' density at each point:
 * (1 / n) sum_i N(point; sample_i, bandwidth^2).
 *
 * @param samples A non-empty sample (e.g. generator outputs).
 * @param points Where to evaluate the density.
 * @param bandwidth Kernel standard deviation; {@link silvermanBandwidth} if omitted.
 * @returns The estimated density at each point.
 */
export function kdeDensity(
  samples: ArrayLike<number>,
  points: ArrayLike<number>,
  bandwidth?: number,
): Float64Array {
  const n = samples.length;
  if (n === 0) throw new RangeError("kdeDensity needs at least one sample");
  const h = bandwidth ?? silvermanBandwidth(samples);
  checkStd(h);
  const out = new Float64Array(points.length);
  const scale = INV_SQRT_2PI / (h * n);
  for (let j = 0; j < points.length; j++) {
    const x = points[j];
    let sum = 0;
    for (let i = 0; i < n; i++) {
      const z = (x - samples[i]) / h;
      sum += Math.exp(-0.5 * z * z);
    }
    out[j] = sum * scale;
  }
  return out;
}

/**
 * The optimal discriminator for the current generator,
 * D*(x) = p_data(x) / (p_data(x) + p_g(x)) (Goodfellow et al. 2014, Prop. 1),
 * with p_data = N(mean, std^2) and p_g a {@link kdeDensity} of the
 * generator's samples (Silverman bandwidth). Where both densities are ~0
 * (sum below 1e-300) D* is undefined and 1/2 is returned.
 *
 * @param points Where to evaluate D*.
 * @param mean Mean of p_data.
 * @param std Standard deviation of p_data.
 * @param samples Generator samples.
 * @returns D*(x) at each point.
 */
export function optimalD(
  points: ArrayLike<number>,
  mean: number,
  std: number,
  samples: ArrayLike<number>,
  options: DStarOptions = {},
): Float64Array {
  const g = options.gaussianG;
  const pg = g
    ? Float64Array.from(points, (x) => normalPdf(x, g.mean, g.std))
    : kdeDensity(samples, points);
  const out = new Float64Array(points.length);
  for (let j = 0; j < points.length; j++) {
    const pd = normalPdf(points[j], mean, std);
    const total = pd + pg[j];
    out[j] = total < DENSITY_FLOOR ? 0.5 : pd / total;
  }
  return out;
}

/** How p_g is known to {@link optimalD} and {@link dStarMaxError}. */
export interface DStarOptions {
  /**
   * p_g in closed form, N(mean, std^2): a linear generator of Gaussian
   * noise. Without it p_g is a kernel density estimate from the samples.
   */
  gaussianG?: { mean: number; std: number };
}

/**
 * max_x |D(x) - D*(x)| over the given points, D* from {@link optimalD}.
 *
 * @param dValues D's sigmoid outputs at the points (same length as points).
 * @param points Where D was evaluated (e.g. {@link evalGrid}).
 * @param mean Mean of p_data.
 * @param std Standard deviation of p_data.
 * @param samples Generator samples used to estimate p_g.
 * @returns The largest absolute difference (0 for no points).
 */
export function dStarMaxError(
  dValues: ArrayLike<number>,
  points: ArrayLike<number>,
  mean: number,
  std: number,
  samples: ArrayLike<number>,
  options: DStarOptions = {},
): number {
  if (dValues.length !== points.length) {
    throw new RangeError(
      `dValues has ${dValues.length} entries but points has ${points.length}`,
    );
  }
  const dStar = optimalD(points, mean, std, samples, options);
  let worst = 0;
  for (let j = 0; j < points.length; j++) {
    const err = Math.abs(dValues[j] - dStar[j]);
    if (err > worst || Number.isNaN(err)) worst = err;
  }
  return worst;
}

/**
 * n evenly spaced points from mean - 3 std to mean + 3 std inclusive, where
 * p_data has 99.7% of its mass (n = 1 gives the mean alone).
 *
 * @param mean Mean of p_data.
 * @param std Standard deviation of p_data.
 * @param n Number of points (default 201).
 * @returns The grid.
 */
export function evalGrid(mean: number, std: number, n = 201): Float32Array {
  checkStd(std);
  if (!Number.isInteger(n) || n < 1) {
    throw new RangeError(`n must be a positive integer, got ${n}`);
  }
  const out = new Float32Array(n);
  if (n === 1) {
    out[0] = mean;
    return out;
  }
  for (let i = 0; i < n; i++) out[i] = mean - 3 * std + (6 * std * i) / (n - 1);
  return out;
}

/**
 * Jensen-Shannon divergence (natural log, so in [0, log 2]) between the
 * histogram of generator samples and p_data = N(mean, std^2).
 *
 * Binning: bins of width std / 4 starting at lo = min(mean - 6 std,
 * min(samples)) and covering up to hi = max(mean + 6 std, max(samples)); if
 * that needs more than 4000 bins, exactly 4000 wider bins span [lo, hi]. The
 * generator's bin masses are counts / n; p_data's are exact CDF differences
 * over the bins, renormalised to sum to 1 (the mass outside the bins, at most
 * about 2e-9, is dropped). JS = KL(p || m) / 2 + KL(q || m) / 2 with
 * m = (p + q) / 2 and 0 log 0 = 0. A fixed width of std / 4 keeps the value
 * comparable across runs; it is a histogram estimate, so a perfect sample
 * still scores slightly above 0 from sampling noise.
 *
 * @param samples Generator samples (non-empty).
 * @param mean Mean of p_data.
 * @param std Standard deviation of p_data.
 * @returns The divergence, or NaN if any sample is not finite.
 */
export function jsDivergence1d(
  samples: ArrayLike<number>,
  mean: number,
  std: number,
): number {
  checkStd(std);
  const n = samples.length;
  if (n === 0) throw new RangeError("jsDivergence1d needs at least one sample");
  let sMin = Infinity;
  let sMax = -Infinity;
  for (let i = 0; i < n; i++) {
    const s = samples[i];
    if (!Number.isFinite(s)) return NaN;
    if (s < sMin) sMin = s;
    if (s > sMax) sMax = s;
  }
  const lo = Math.min(mean - 6 * std, sMin);
  const hi = Math.max(mean + 6 * std, sMax);
  let width = std / 4;
  let bins = Math.ceil((hi - lo) / width);
  if (bins > MAX_BINS) {
    bins = MAX_BINS;
    width = (hi - lo) / MAX_BINS;
  }
  const q = new Float64Array(bins);
  for (let i = 0; i < n; i++) {
    const k = Math.floor((samples[i] - lo) / width);
    q[Math.min(Math.max(k, 0), bins - 1)] += 1 / n;
  }
  const p = new Float64Array(bins);
  let pTotal = 0;
  for (let k = 0; k < bins; k++) {
    const a = lo + k * width;
    const b = k === bins - 1 ? Math.max(hi, a + width) : lo + (k + 1) * width;
    p[k] = Math.max(normalMass(a, b, mean, std), 0);
    pTotal += p[k];
  }
  let js = 0;
  for (let k = 0; k < bins; k++) {
    const pk = p[k] / pTotal;
    const qk = q[k];
    const mk = (pk + qk) / 2;
    if (pk > 0) js += 0.5 * pk * Math.log(pk / mk);
    if (qk > 0) js += 0.5 * qk * Math.log(qk / mk);
  }
  return Math.min(Math.max(js, 0), Math.LN2);
}

/** C(G) for a 1-D run, with the divergence and D*'s spread it implies. */
export interface OptimalValue {
  /**
   * C(G) = max_D V(D, G) = E_pdata[log D*(x)] + E_pg[log(1 - D*(x))], a
   * Monte Carlo mean over held-out reals and generator samples.
   */
  cg: number;
  /** The Monte Carlo standard error of `cg`. */
  cgSe: number;
  /**
   * JSD(p_data || p_g) (natural log) by quadrature of the same densities;
   * Theorem 1 gives C(G) = -log 4 + 2 JSD.
   */
  jsd: number;
  /** Population standard deviation of D*(x) over the reals and samples (0 where p_g = p_data). */
  dStarSpread: number;
}

/**
 * C(G) of the paper's Theorem 1 for a 1-D run: the value of the game with
 * the optimal discriminator for the current G, D*(x) = p_data / (p_data +
 * p_g), where p_data = N(mean, std^2) and p_g is a Gaussian kernel density
 * fitted on `fit` (or G's closed form). The expectations run over
 * `reals` (held-out data) and `samples` (generator samples other than
 * `fit`, so the density is not scored on its own points); the JSD of the
 * same densities comes from quadrature on a grid of 4,001 points over
 * both supports. Logs of D* are clipped at -700 (a density that
 * underflows).
 *
 * @param reals Held-out reals.
 * @param fit Generator samples the density of p_g is fitted on.
 * @param samples Other generator samples, for the expectation over p_g.
 * @param mean Mean of p_data.
 * @param std Standard deviation of p_data.
 * @param options p_g in closed form, when known.
 * @returns C(G), its standard error, the JSD and D*'s spread.
 */
export function optimalValue1d(
  reals: ArrayLike<number>,
  fit: ArrayLike<number>,
  samples: ArrayLike<number>,
  mean: number,
  std: number,
  options: DStarOptions = {},
): OptimalValue {
  checkStd(std);
  const g = options.gaussianG;
  const h = g ? 0 : silvermanBandwidth(fit);
  const pg = (points: ArrayLike<number>) =>
    g ? Float64Array.from(points, (x) => normalPdf(x, g.mean, g.std)) : kdeDensity(fit, points, h);
  const dStar = (points: ArrayLike<number>) => {
    const q = pg(points);
    return Float64Array.from(points, (x, i) => {
      const p = normalPdf(x, mean, std);
      return p + q[i] < DENSITY_FLOOR ? 0.5 : p / (p + q[i]);
    });
  };
  const clipLog = (v: number) => Math.max(Math.log(v), -700);
  const dReal = dStar(reals);
  const dFake = dStar(samples);
  const a = Array.from(dReal, (d) => clipLog(d));
  const b = Array.from(dFake, (d) => clipLog(1 - d));
  const meanVar = (v: number[]) => {
    const m = v.reduce((s, x) => s + x, 0) / v.length;
    const s2 = v.reduce((s, x) => s + (x - m) ** 2, 0) / Math.max(1, v.length - 1);
    return { m, s2 };
  };
  const ra = meanVar(a);
  const rb = meanVar(b);
  const pooled = new Float64Array(dReal.length + dFake.length);
  pooled.set(dReal, 0);
  pooled.set(dFake, dReal.length);
  let pm = 0;
  for (const v of pooled) pm += v;
  pm /= pooled.length;
  let pss = 0;
  for (const v of pooled) pss += (v - pm) ** 2;
  // Quadrature grid over both supports.
  let lo = mean - 8 * std;
  let hi = mean + 8 * std;
  const gLo = g ? g.mean - 8 * g.std : Math.min(...Array.from(fit)) - 6 * h;
  const gHi = g ? g.mean + 8 * g.std : Math.max(...Array.from(fit)) + 6 * h;
  lo = Math.min(lo, gLo);
  hi = Math.max(hi, gHi);
  const n = 4001;
  const dx = (hi - lo) / (n - 1);
  const grid = Float64Array.from({ length: n }, (_, i) => lo + i * dx);
  const q = pg(grid);
  let jsd = 0;
  for (let i = 0; i < n; i++) {
    const p = normalPdf(grid[i], mean, std);
    const m = (p + q[i]) / 2;
    const w = i === 0 || i === n - 1 ? 0.5 : 1;
    if (p > 0 && m > 0) jsd += w * 0.5 * p * Math.log(p / m) * dx;
    if (q[i] > 0 && m > 0) jsd += w * 0.5 * q[i] * Math.log(q[i] / m) * dx;
  }
  return {
    cg: ra.m + rb.m,
    cgSe: Math.sqrt(ra.s2 / a.length + rb.s2 / b.length),
    jsd: Math.min(Math.max(jsd, 0), Math.LN2),
    dStarSpread: Math.sqrt(pss / pooled.length),
  };
}
