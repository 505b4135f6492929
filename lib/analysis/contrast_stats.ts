/**
 * Statistics for comparing two arms of a study (A and B, e.g. two losses)
 * seed by seed: the difference of means with its t-interval and p-value
 * (paired by seed when both arms have the same seeds, Welch's unpaired
 * test otherwise), a stratified bootstrap interval, Hedges' g, the
 * probability of improvement, Holm's adjustment of several p-values, and
 * Welch's heterogeneity test of several differences (does the difference
 * depend on a third factor?).
 *
 * Definitions:
 *
 * - Paired (the arms' seed sets are equal, n >= 2): d_s = A_s - B_s per
 *   seed; estimate mean(d), standard error sd(d) / sqrt(n), n - 1 degrees of
 *   freedom.
 * - Unpaired (the seed sets differ): estimate mean(A) - mean(B), standard
 *   error sqrt(s_A^2 / n_A + s_B^2 / n_B), Welch-Satterthwaite degrees of
 *   freedom.
 * - t-interval: estimate ± t(0.975, df) · se; p-value two-sided, P(|T| >=
 *   |estimate / se|). When se is 0 (every difference the same), the
 *   interval is that value and p is 1 when it is 0, 0 otherwise.
 * - Stratified bootstrap (as in rliable, Agarwal et al. 2021): each
 *   resample draws the seeds anew with replacement, within each arm
 *   (unpaired) or as pairs (paired); the 2.5% and 97.5% percentiles of the
 *   resampled differences of means. Seeded by a key, so the same call
 *   always gives the same interval.
 * - Hedges' g: (mean(A) - mean(B)) / s_pooled · (1 - 3 / (4 (n_A + n_B) -
 *   9)), s_pooled the arms' pooled standard deviation; the same definition
 *   paired or not, so effect sizes compare across levels.
 * - Probability of improvement (rliable): P(X_A > X_B) for a run of A and a
 *   run of B drawn at random, ties counting one half (the Mann-Whitney U
 *   statistic over n_A · n_B); with `better: "lower"`, P(X_A < X_B).
 * - Holm (1979): the step-down adjustment that controls the chance of any
 *   false rejection among m tests at alpha.
 * - Welch's heterogeneity test (Welch 1951, ANOVA with unequal variances):
 *   whether k differences with their standard errors and degrees of
 *   freedom are all the same; for k = 2 it is the square of Welch's t.
 *
 * @module
 */
import { Rng } from "../runtime/rng.ts";
import { fUpperTail, mean, sd, tQuantile, tTwoSidedP } from "./stats.ts";

/** One arm's values, one per seed. */
export interface ArmSample {
  /** The seed behind each value. */
  seeds: readonly number[];
  /** The values (finite). */
  values: readonly number[];
}

/** The difference A - B of one metric at one level, with its statistics. */
export interface Difference {
  /** Whether the difference is paired by seed. */
  paired: boolean;
  /** Seeds of A and of B behind the values. */
  nA: number;
  nB: number;
  /** Independent units: pairs when paired, else the smaller arm. */
  n: number;
  /** Means of the arms. */
  meanA: number;
  meanB: number;
  /** mean(A) - mean(B) (the mean of the paired differences when paired). */
  estimate: number;
  /** Standard error of the estimate. */
  se: number;
  /** Degrees of freedom of the t distribution. */
  df: number;
  /** 95% t-interval of the estimate. */
  ci95Low: number;
  ci95High: number;
  /** Two-sided p-value of "no difference". */
  p: number;
  /** 95% stratified bootstrap percentile interval. */
  bootLow: number;
  bootHigh: number;
  /** Hedges' g (A - B over the pooled sd, small-sample corrected). */
  hedgesG: number;
  /** Probability of improvement of A over B (in the `better` direction). */
  poi: number;
}

/** Options for {@link difference}. */
export interface DifferenceOptions {
  /** Which way is better, for the probability of improvement (default "higher"). */
  better?: "higher" | "lower";
  /** Bootstrap resamples (default 2000). */
  resamples?: number;
  /** Key that seeds the bootstrap, e.g. the contrast, level and metric (default ""). */
  seedKey?: string;
}

/** Whether two arms have the same seeds (as sets, each once). */
export function sameSeeds(a: readonly number[], b: readonly number[]): boolean {
  if (a.length !== b.length || new Set(a).size !== a.length) return false;
  const set = new Set(b);
  return a.every((s) => set.has(s));
}

/**
 * Hedges' g: the difference of means over the pooled standard deviation,
 * times the small-sample correction 1 - 3 / (4 (n_A + n_B) - 9).
 *
 * @param a Values of A.
 * @param b Values of B.
 * @returns g; NaN with fewer than two values in an arm or no spread at all.
 */
export function hedgesG(a: readonly number[], b: readonly number[]): number {
  const nA = a.length;
  const nB = b.length;
  if (nA < 2 || nB < 2) return NaN;
  const pooled = Math.sqrt(
    ((nA - 1) * sd(a) ** 2 + (nB - 1) * sd(b) ** 2) / (nA + nB - 2),
  );
  if (!(pooled > 0)) return NaN;
  const j = 1 - 3 / (4 * (nA + nB) - 9);
  return ((mean(a) - mean(b)) / pooled) * j;
}

/**
 * Probability of improvement: the share of (run of A, run of B) pairs in
 * which A's value is better, ties counting one half.
 *
 * @param a Values of A.
 * @param b Values of B.
 * @param better Which way is better.
 * @returns The probability in [0, 1]; NaN when an arm is empty.
 */
export function probabilityOfImprovement(
  a: readonly number[],
  b: readonly number[],
  better: "higher" | "lower" = "higher",
): number {
  if (a.length === 0 || b.length === 0) return NaN;
  let wins = 0;
  for (const x of a) {
    for (const y of b) {
      if (x === y) wins += 0.5;
      else if (better === "higher" ? x > y : x < y) wins += 1;
    }
  }
  return wins / (a.length * b.length);
}

/** The 2.5% and 97.5% percentiles (linear interpolation between order statistics). */
function percentiles95(xs: number[]): [number, number] {
  if (xs.length === 0) return [NaN, NaN];
  const s = xs.sort((p, q) => p - q);
  const at = (q: number) => {
    const h = (s.length - 1) * q;
    const lo = Math.floor(h);
    const hi = Math.ceil(h);
    return s[lo] + (h - lo) * (s[hi] - s[lo]);
  };
  return [at(0.025), at(0.975)];
}

/**
 * The stratified bootstrap interval of a difference of means: each
 * resample redraws the pairs (paired) or each arm's values (unpaired) with
 * replacement.
 *
 * @param a Values of A (in seed order matching `b` when paired).
 * @param b Values of B.
 * @param paired Whether the values are pairs.
 * @param resamples How many resamples.
 * @param seedKey Seeds the generator.
 * @returns The 2.5% and 97.5% percentiles of the resampled differences.
 */
export function bootstrapInterval(
  a: readonly number[],
  b: readonly number[],
  paired: boolean,
  resamples = 2000,
  seedKey = "",
): [number, number] {
  if (a.length === 0 || b.length === 0) return [NaN, NaN];
  const rng = new Rng(0, `bootstrap/${seedKey}`);
  const out: number[] = new Array(resamples);
  for (let r = 0; r < resamples; r++) {
    if (paired) {
      let sum = 0;
      for (let i = 0; i < a.length; i++) {
        const j = rng.int(a.length);
        sum += a[j] - b[j];
      }
      out[r] = sum / a.length;
    } else {
      let sa = 0;
      for (let i = 0; i < a.length; i++) sa += a[rng.int(a.length)];
      let sb = 0;
      for (let i = 0; i < b.length; i++) sb += b[rng.int(b.length)];
      out[r] = sa / a.length - sb / b.length;
    }
  }
  return percentiles95(out);
}

/**
 * The difference A - B with its t-interval, p-value, bootstrap interval,
 * Hedges' g and probability of improvement; paired by seed when both arms
 * have the same seeds.
 *
 * @param a Arm A (one value per seed).
 * @param b Arm B.
 * @param options Direction, resamples, bootstrap seed.
 * @returns The difference; statistics that need two values per arm are NaN without them.
 */
export function difference(
  a: ArmSample,
  b: ArmSample,
  options: DifferenceOptions = {},
): Difference {
  const better = options.better ?? "higher";
  const nA = a.values.length;
  const nB = b.values.length;
  const paired = nA >= 2 && sameSeeds(a.seeds, b.seeds);
  let av = [...a.values];
  let bv = [...b.values];
  if (paired) {
    // Pair by seed: B's values in A's seed order.
    const byseed = new Map(b.seeds.map((s, i) => [s, b.values[i]]));
    bv = a.seeds.map((s) => byseed.get(s)!);
    av = [...a.values];
  }
  const meanA = mean(av);
  const meanB = mean(bv);
  let estimate: number;
  let se: number;
  let df: number;
  if (paired) {
    const d = av.map((x, i) => x - bv[i]);
    estimate = mean(d);
    se = sd(d) / Math.sqrt(d.length);
    df = d.length - 1;
  } else {
    estimate = meanA - meanB;
    const va = nA >= 2 ? sd(av) ** 2 / nA : NaN;
    const vb = nB >= 2 ? sd(bv) ** 2 / nB : NaN;
    se = Math.sqrt(va + vb);
    df = va + vb > 0 ? (va + vb) ** 2 / (va ** 2 / (nA - 1) + vb ** 2 / (nB - 1)) : nA + nB - 2;
  }
  let ci95Low = NaN;
  let ci95High = NaN;
  let p = NaN;
  if (Number.isFinite(se) && df > 0) {
    if (se > 0) {
      const half = tQuantile(0.975, df) * se;
      ci95Low = estimate - half;
      ci95High = estimate + half;
      p = tTwoSidedP(estimate / se, df);
    } else {
      ci95Low = ci95High = estimate;
      p = estimate === 0 ? 1 : 0;
    }
  }
  const [bootLow, bootHigh] = nA >= 2 && nB >= 2
    ? bootstrapInterval(av, bv, paired, options.resamples ?? 2000, options.seedKey ?? "")
    : [NaN, NaN];
  return {
    paired,
    nA,
    nB,
    n: paired ? nA : Math.min(nA, nB),
    meanA,
    meanB,
    estimate,
    se,
    df,
    ci95Low,
    ci95High,
    p,
    bootLow,
    bootHigh,
    hedgesG: hedgesG(av, bv),
    poi: probabilityOfImprovement(av, bv, better),
  };
}

/**
 * Holm's step-down adjustment: sort the m p-values, multiply the i-th
 * smallest by m - i + 1, make the sequence non-decreasing and cap it at 1.
 * NaN p-values (tests that could not be done) stay NaN and do not count in m.
 *
 * @param ps The p-values, in any order.
 * @returns The adjusted p-values, in the same order.
 */
export function holm(ps: readonly number[]): number[] {
  const idx = ps.map((p, i) => [p, i] as const).filter(([p]) => !Number.isNaN(p))
    .sort((x, y) => x[0] - y[0]);
  const m = idx.length;
  const out = ps.map(() => NaN);
  let running = 0;
  idx.forEach(([p, i], rank) => {
    running = Math.max(running, Math.min(1, (m - rank) * p));
    out[i] = running;
  });
  return out;
}

/** One estimate for {@link welchHeterogeneity}: its standard error and degrees of freedom. */
export interface Estimate {
  estimate: number;
  se: number;
  df: number;
}

/** The result of {@link welchHeterogeneity}. */
export interface Heterogeneity {
  /** Estimates used (finite, se > 0, df > 0). */
  k: number;
  /** Welch's F. */
  f: number;
  /** Degrees of freedom k - 1 and the Welch denominator's. */
  df1: number;
  df2: number;
  /** P(F >= f): small when the estimates differ more than their errors allow. */
  p: number;
}

/**
 * Welch's test that k estimates (e.g. the difference A - B at each
 * learning rate) are equal, from their standard errors and degrees of
 * freedom: weights w = 1 / se^2, F = [sum w (x - m)^2 / (k - 1)] / [1 +
 * 2 (k - 2) L / (k^2 - 1)] with m the weighted mean and L = sum (1 -
 * w / W)^2 / df; F(k - 1, (k^2 - 1) / (3 L)).
 *
 * @param estimates The estimates; those without a finite estimate, se > 0
 *   and df > 0 are left out.
 * @returns The test; NaN statistics with fewer than two usable estimates.
 */
export function welchHeterogeneity(estimates: readonly Estimate[]): Heterogeneity {
  const used = estimates.filter((e) =>
    Number.isFinite(e.estimate) && e.se > 0 && Number.isFinite(e.se) && e.df > 0
  );
  const k = used.length;
  if (k < 2) return { k, f: NaN, df1: NaN, df2: NaN, p: NaN };
  const w = used.map((e) => 1 / (e.se * e.se));
  const total = w.reduce((s, x) => s + x, 0);
  const m = used.reduce((s, e, i) => s + w[i] * e.estimate, 0) / total;
  const a = used.reduce((s, e, i) => s + w[i] * (e.estimate - m) ** 2, 0) / (k - 1);
  const lambda = used.reduce((s, e, i) => s + (1 - w[i] / total) ** 2 / e.df, 0);
  const b = 1 + (2 * (k - 2) * lambda) / (k * k - 1);
  const f = a / b;
  const df1 = k - 1;
  const df2 = (k * k - 1) / (3 * lambda);
  return { k, f, df1, df2, p: fUpperTail(f, df1, df2) };
}
