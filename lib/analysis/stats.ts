/**
 * Small-sample statistics for claims and reports: mean, median, sample
 * standard deviation, least-squares slopes, the Student t quantile and the
 * 95% t-interval of a mean across seeds.
 *
 * The t quantile inverts the t CDF, which is written through the regularised
 * incomplete beta function (continued fraction, modified Lentz), by
 * bisection to full double precision.
 *
 * @module
 */

/** Mean, spread and 95% t-interval of a sample. */
export interface Summary {
  /** Number of finite values used. */
  n: number;
  /** Arithmetic mean (NaN when n = 0). */
  mean: number;
  /** Sample standard deviation with n - 1 in the denominator (NaN when n < 2). */
  sd: number;
  /** Lower end of the 95% t-interval of the mean (NaN when n < 2). */
  ci95Low: number;
  /** Upper end of the 95% t-interval of the mean (NaN when n < 2). */
  ci95High: number;
}

/**
 * Arithmetic mean of the values as given (no filtering).
 *
 * @param values The sample.
 * @returns The mean, or NaN for an empty sample.
 */
export function mean(values: readonly number[]): number {
  if (values.length === 0) return NaN;
  let sum = 0;
  for (const v of values) sum += v;
  return sum / values.length;
}

/**
 * Sample standard deviation (denominator n - 1) of the values as given,
 * computed in two passes for accuracy.
 *
 * @param values The sample.
 * @returns The standard deviation, or NaN when fewer than two values.
 */
export function sd(values: readonly number[]): number {
  const n = values.length;
  if (n < 2) return NaN;
  const m = mean(values);
  let ss = 0;
  for (const v of values) ss += (v - m) * (v - m);
  return Math.sqrt(ss / (n - 1));
}

const LANCZOS = [
  0.99999999999980993,
  676.5203681218851,
  -1259.1392167224028,
  771.32342877765313,
  -176.61502916214059,
  12.507343278686905,
  -0.13857109526572012,
  9.9843695780195716e-6,
  1.5056327351493116e-7,
];

/** log Gamma(x) for x > 0 (Lanczos, g = 7; relative error about 1e-15). */
function logGamma(x: number): number {
  if (x < 0.5) {
    // Reflection: Gamma(x) Gamma(1 - x) = pi / sin(pi x).
    return Math.log(Math.PI / Math.abs(Math.sin(Math.PI * x))) - logGamma(1 - x);
  }
  const z = x - 1;
  let s = LANCZOS[0];
  for (let i = 1; i < LANCZOS.length; i++) s += LANCZOS[i] / (z + i);
  const t = z + 7.5;
  return 0.5 * Math.log(2 * Math.PI) + (z + 0.5) * Math.log(t) - t + Math.log(s);
}

const TINY = 1e-300;

/** Continued fraction of the incomplete beta function (modified Lentz). */
function betaFraction(a: number, b: number, x: number): number {
  const qab = a + b;
  const qap = a + 1;
  const qam = a - 1;
  let c = 1;
  let d = 1 - (qab * x) / qap;
  if (Math.abs(d) < TINY) d = TINY;
  d = 1 / d;
  let h = d;
  for (let m = 1; m <= 100000; m++) {
    const m2 = 2 * m;
    let aa = (m * (b - m) * x) / ((qam + m2) * (a + m2));
    d = 1 + aa * d;
    if (Math.abs(d) < TINY) d = TINY;
    c = 1 + aa / c;
    if (Math.abs(c) < TINY) c = TINY;
    d = 1 / d;
    h *= d * c;
    aa = (-(a + m) * (qab + m) * x) / ((a + m2) * (qap + m2));
    d = 1 + aa * d;
    if (Math.abs(d) < TINY) d = TINY;
    c = 1 + aa / c;
    if (Math.abs(c) < TINY) c = TINY;
    d = 1 / d;
    const del = d * c;
    h *= del;
    if (Math.abs(del - 1) < 1e-16) break;
  }
  return h;
}

/**
 * Regularised incomplete beta I_x(a, b), with y = 1 - x passed separately
 * so that callers can avoid cancellation when x is close to 1.
 */
function betaInc(a: number, b: number, x: number, y: number): number {
  if (x <= 0) return 0;
  if (y <= 0) return 1;
  const lnFront = logGamma(a + b) - logGamma(a) - logGamma(b) + a * Math.log(x) +
    b * Math.log(y);
  const front = Math.exp(lnFront);
  if (x < (a + 1) / (a + b + 2)) return (front * betaFraction(a, b, x)) / a;
  return 1 - (front * betaFraction(b, a, y)) / b;
}

/** Upper tail P(T > t) of Student's t with df degrees of freedom, for t >= 0. */
function tUpperTail(t: number, df: number): number {
  const t2 = t * t;
  return 0.5 * betaInc(df / 2, 0.5, df / (df + t2), t2 / (df + t2));
}

/**
 * Two-sided p-value of a Student t statistic: P(|T| >= |t|) for df degrees
 * of freedom (the regularised incomplete beta function, as for the
 * quantile). An infinite t gives 0.
 *
 * @param t The statistic.
 * @param df Degrees of freedom, > 0 (need not be an integer).
 * @returns The p-value in [0, 1], or NaN for a NaN t or df <= 0.
 */
export function tTwoSidedP(t: number, df: number): number {
  if (Number.isNaN(t) || !(df > 0)) return NaN;
  if (!Number.isFinite(t)) return 0;
  return Math.min(1, 2 * tUpperTail(Math.abs(t), df));
}

/**
 * Upper tail P(F >= f) of Fisher's F distribution with d1 and d2 degrees of
 * freedom: I_{d2 / (d2 + d1 f)}(d2 / 2, d1 / 2).
 *
 * @param f The statistic (>= 0).
 * @param d1 Numerator degrees of freedom, > 0.
 * @param d2 Denominator degrees of freedom, > 0.
 * @returns The p-value in [0, 1], or NaN for bad arguments.
 */
export function fUpperTail(f: number, d1: number, d2: number): number {
  if (Number.isNaN(f) || !(d1 > 0) || !(d2 > 0)) return NaN;
  if (f <= 0) return 1;
  if (!Number.isFinite(f)) return 0;
  const x = d2 / (d2 + d1 * f);
  return betaInc(d2 / 2, d1 / 2, x, (d1 * f) / (d2 + d1 * f));
}

/**
 * Standard normal quantile (Acklam's rational approximation, relative error
 * below 1.2e-9), used for df = Infinity and as the centre of the large-df
 * expansion.
 */
function normalQuantile(p: number): number {
  const a = [
    -3.969683028665376e1,
    2.209460984245205e2,
    -2.759285104469687e2,
    1.38357751867269e2,
    -3.066479806614716e1,
    2.506628277459239,
  ];
  const b = [
    -5.447609879822406e1,
    1.615858368580409e2,
    -1.556989798598866e2,
    6.680131188771972e1,
    -1.328068155288572e1,
  ];
  const c = [
    -7.784894002430293e-3,
    -3.223964580411365e-1,
    -2.400758277161838,
    -2.549732539343734,
    4.374664141464968,
    2.938163982698783,
  ];
  const d = [7.784695709041462e-3, 3.224671290700398e-1, 2.445134137142996, 3.754408661907416];
  const pLow = 0.02425;
  if (p < pLow) {
    const q = Math.sqrt(-2 * Math.log(p));
    return (((((c[0] * q + c[1]) * q + c[2]) * q + c[3]) * q + c[4]) * q + c[5]) /
      ((((d[0] * q + d[1]) * q + d[2]) * q + d[3]) * q + 1);
  }
  if (p > 1 - pLow) return -normalQuantile(1 - p);
  const q = p - 0.5;
  const r = q * q;
  return ((((((a[0] * r + a[1]) * r + a[2]) * r + a[3]) * r + a[4]) * r + a[5]) * q) /
    (((((b[0] * r + b[1]) * r + b[2]) * r + b[3]) * r + b[4]) * r + 1);
}

/** Above this many degrees of freedom the Cornish-Fisher expansion is used. */
const LARGE_DF = 1e5;

/**
 * Cornish-Fisher expansion of the t quantile around the normal quantile z;
 * its error is below 1e-12 for df >= 1e5 and moderate z.
 */
function tQuantileLargeDf(z: number, df: number): number {
  const z2 = z * z;
  const g1 = (z * (z2 + 1)) / 4;
  const g2 = (z * ((5 * z2 + 16) * z2 + 3)) / 96;
  const g3 = (z * (((3 * z2 + 19) * z2 + 17) * z2 - 15)) / 384;
  return z + g1 / df + g2 / (df * df) + g3 / (df * df * df);
}

/**
 * Quantile (inverse CDF) of Student's t distribution: the t with
 * P(T <= t) = p for df degrees of freedom. Accurate to about 1e-10 for
 * moderate p (about 1e-9 relative above 1e5 degrees of freedom, where a
 * Cornish-Fisher expansion takes over); df = Infinity gives the standard normal quantile.
 *
 * @param p Probability in (0, 1); 0 and 1 give -Infinity and Infinity.
 * @param df Degrees of freedom, > 0 (need not be an integer).
 * @returns The quantile, or NaN for p outside [0, 1] or df <= 0 / NaN.
 */
export function tQuantile(p: number, df: number): number {
  if (!(p >= 0 && p <= 1) || !(df > 0)) return NaN;
  if (p === 0) return -Infinity;
  if (p === 1) return Infinity;
  if (p === 0.5) return 0;
  if (p < 0.5) return -tQuantile(1 - p, df);
  if (df === Infinity) return normalQuantile(p);
  if (df > LARGE_DF) return tQuantileLargeDf(normalQuantile(p), df);
  const tail = 1 - p;
  let lo = 0;
  let hi = 1;
  while (tUpperTail(hi, df) > tail) {
    lo = hi;
    hi *= 2;
    if (hi > 1e300) return Infinity;
  }
  for (let i = 0; i < 2000; i++) {
    const mid = 0.5 * (lo + hi);
    if (mid <= lo || mid >= hi) break;
    if (tUpperTail(mid, df) > tail) lo = mid;
    else hi = mid;
  }
  return 0.5 * (lo + hi);
}

/** t(0.975, df) by df: a report asks for the same few df many thousand times. */
const T975 = new Map<number, number>();

function t975(df: number): number {
  let t = T975.get(df);
  if (t === undefined) {
    t = tQuantile(0.975, df);
    T975.set(df, t);
  }
  return t;
}

/**
 * Summarises a sample across seeds: n, mean, sample sd and the 95%
 * t-interval mean ± t(0.975, n - 1) · sd / sqrt(n). Non-finite values
 * (NaN, ±Infinity) are excluded first.
 *
 * @param values The sample (e.g. one final metric over a config's seeds).
 * @returns The summary; with n = 1, sd and the interval are NaN; with
 *   n = 0, every field but n is NaN.
 */
export function summarise(values: readonly number[]): Summary {
  const finite = values.filter((v) => Number.isFinite(v));
  const n = finite.length;
  const m = mean(finite);
  const s = sd(finite);
  if (n < 2) return { n, mean: m, sd: NaN, ci95Low: NaN, ci95High: NaN };
  const half = (t975(n - 1) * s) / Math.sqrt(n);
  return { n, mean: m, sd: s, ci95Low: m - half, ci95High: m + half };
}

/**
 * A summary whose interval is clipped to a metric's natural range (e.g.
 * [0, 1] for a share, [0, Infinity) for a count), so that an interval of a
 * bounded metric never reaches values it cannot take.
 *
 * @param s The summary.
 * @param range The lowest and highest possible values (either may be infinite).
 * @returns The summary with `ci95Low` and `ci95High` clipped (NaN stays NaN).
 */
export function clipToRange(s: Summary, range: readonly [number, number] | undefined): Summary {
  if (!range) return s;
  const [lo, hi] = range;
  const clip = (x: number) => (Number.isNaN(x) ? x : Math.min(hi, Math.max(lo, x)));
  return { ...s, ci95Low: clip(s.ci95Low), ci95High: clip(s.ci95High) };
}

/**
 * Least-squares slope of y on x: sum((x - mean x)(y - mean y)) / sum((x - mean x)^2).
 *
 * @param xs The x values.
 * @param ys The y values, as many as xs.
 * @returns The slope, or NaN with fewer than two points, unequal lengths or
 *   when every x is the same.
 */
export function leastSquaresSlope(xs: readonly number[], ys: readonly number[]): number {
  const n = xs.length;
  if (n < 2 || ys.length !== n) return NaN;
  let mx = 0;
  let my = 0;
  for (let i = 0; i < n; i++) {
    mx += xs[i];
    my += ys[i];
  }
  mx /= n;
  my /= n;
  let sxx = 0;
  let sxy = 0;
  for (let i = 0; i < n; i++) {
    sxx += (xs[i] - mx) * (xs[i] - mx);
    sxy += (xs[i] - mx) * (ys[i] - my);
  }
  return sxx > 0 ? sxy / sxx : NaN;
}

/**
 * Median of the values (mean of the middle two for an even count).
 *
 * @param values The sample.
 * @returns The median, or NaN for an empty sample.
 */
export function median(values: readonly number[]): number {
  if (values.length === 0) return NaN;
  const s = [...values].sort((a, b) => a - b);
  const h = Math.floor(s.length / 2);
  return s.length % 2 ? s[h] : (s[h - 1] + s[h]) / 2;
}
