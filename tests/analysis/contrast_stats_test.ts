/**
 * The two-arm statistics against reference values computed with SciPy 1.17
 * (`scipy.stats.ttest_rel`, `ttest_ind(equal_var=False)`, `t.sf`, `f.sf`)
 * and by hand.
 */
import assert from "node:assert/strict";
import {
  bootstrapInterval,
  difference,
  hedgesG,
  holm,
  probabilityOfImprovement,
  sameSeeds,
  welchHeterogeneity,
} from "../../lib/analysis/contrast_stats.ts";
import { clipToRange, fUpperTail, summarise, tTwoSidedP } from "../../lib/analysis/stats.ts";

function near(actual: number, expected: number, tol: number, what: string) {
  assert.ok(
    Math.abs(actual - expected) <= tol,
    `${what}: got ${actual}, expected ${expected} ± ${tol}`,
  );
}

Deno.test("tTwoSidedP and fUpperTail match SciPy", () => {
  near(tTwoSidedP(2.5, 4), 0.06676654481198814, 1e-10, "t 2.5, df 4");
  near(tTwoSidedP(-1.3, 17.3), 0.21065565605258785, 1e-10, "t -1.3, df 17.3");
  assert.equal(tTwoSidedP(Infinity, 3), 0);
  assert.equal(tTwoSidedP(0, 3), 1);
  assert.ok(Number.isNaN(tTwoSidedP(1, 0)));
  near(fUpperTail(3.2, 2, 7.5), 0.09889497767641778, 1e-10, "F 3.2 (2, 7.5)");
  near(fUpperTail(0.4, 3, 12), 0.7555447129145094, 1e-10, "F 0.4 (3, 12)");
  assert.equal(fUpperTail(0, 2, 3), 1);
});

Deno.test("difference: paired by seed when the seeds match (SciPy's ttest_rel)", () => {
  // B is given in another seed order: pairing is by seed, not by position.
  const d = difference(
    { seeds: [0, 1, 2, 3, 4], values: [8, 7, 6, 8, 7] },
    { seeds: [4, 3, 2, 1, 0], values: [7, 7, 5, 6, 6] },
  );
  assert.equal(d.paired, true);
  assert.equal(d.n, 5);
  near(d.estimate, 1, 1e-12, "mean difference");
  near(d.estimate / d.se, 3.162277660168379, 1e-9, "t");
  near(d.p, 0.03410942316740963, 1e-9, "p");
  near(d.ci95High - d.estimate, 0.8779890330850828, 1e-9, "half-width");
  near(d.poi, (4 + 0.5 * 5 + 0 * 1 + 0) / 25 + 0, 1, "poi in [0, 1]");
  // Hand count: A = 8,7,6,8,7 against B = 6,6,5,7,7: wins and ties over 25 pairs.
  let wins = 0;
  for (const x of [8, 7, 6, 8, 7]) {
    for (const y of [6, 6, 5, 7, 7]) wins += x > y ? 1 : x === y ? 0.5 : 0;
  }
  near(d.poi, wins / 25, 1e-12, "probability of improvement");
  assert.ok(d.bootLow <= d.estimate && d.estimate <= d.bootHigh);
  assert.ok(d.bootLow > 0, "every paired difference but one is positive");
});

Deno.test("difference: Welch's unpaired test when the seeds differ (SciPy's ttest_ind)", () => {
  const a = [0.41, 0.35, 0.52, 0.44];
  const b = [0.30, 0.33, 0.21, 0.36, 0.28];
  const d = difference({ seeds: [0, 1, 2, 3], values: a }, { seeds: [0, 1, 2, 3, 4], values: b });
  assert.equal(d.paired, false);
  assert.equal(d.n, 4);
  near(d.estimate / d.se, 3.0774119215699898, 1e-9, "t");
  near(d.p, 0.022958791689957313, 1e-9, "p");
  near(d.df, 5.750212078249541, 1e-9, "Welch df");
  near(d.ci95High - d.estimate, 0.10767812603841302, 1e-9, "half-width");
  near(d.hedgesG, 1.886008253479893, 1e-9, "Hedges' g");
  near(hedgesG(a, b), d.hedgesG, 0, "hedgesG alone");
});

Deno.test("difference: no spread gives the value itself, p 1 at 0 and p 0 elsewhere", () => {
  const same = difference(
    { seeds: [0, 1, 2], values: [8, 8, 8] },
    { seeds: [0, 1, 2], values: [8, 8, 8] },
  );
  assert.equal(same.p, 1);
  assert.deepEqual([same.ci95Low, same.ci95High], [0, 0]);
  assert.ok(Number.isNaN(same.hedgesG));
  assert.equal(same.poi, 0.5);
  const one = difference({ seeds: [0], values: [1] }, { seeds: [0], values: [2] });
  assert.ok(Number.isNaN(one.p) && Number.isNaN(one.ci95Low) && Number.isNaN(one.bootLow));
});

Deno.test("probabilityOfImprovement: ties count half; 'lower' flips the direction", () => {
  assert.equal(probabilityOfImprovement([1, 2], [1, 2]), 0.5);
  assert.equal(probabilityOfImprovement([3, 4], [1, 2]), 1);
  assert.equal(probabilityOfImprovement([3, 4], [1, 2], "lower"), 0);
  assert.equal(probabilityOfImprovement([2], [1, 2, 3]), 0.5);
  assert.ok(Number.isNaN(probabilityOfImprovement([], [1])));
});

Deno.test("bootstrapInterval: seeded and deterministic, a different key draws differently", () => {
  const a = [5.1, 7.3, 6.2, 8.05, 4.4, 6.6];
  const b = [4.2, 4.15, 6.3, 5.0, 5.35, 3.1];
  const x = bootstrapInterval(a, b, true, 2000, "k");
  assert.deepEqual(bootstrapInterval(a, b, true, 2000, "k"), x);
  assert.notDeepEqual(bootstrapInterval(a, b, true, 2000, "other"), x);
  // The paired percentile interval brackets the mean difference (1.5917) and
  // lies within the range of the differences (-0.1 to 3.15).
  assert.ok(x[0] < 1.5917 && 1.5917 < x[1] && x[0] > -0.1 && x[1] < 3.15, `${x}`);
  const u = bootstrapInterval(a, b, false, 2000, "k");
  assert.ok(u[0] < 1.5917 && 1.5917 < u[1], `${u}`);
});

Deno.test("holm: the step-down adjustment by hand; NaN is not a test", () => {
  const adj = holm([0.01, 0.04, 0.03, 0.005]);
  [0.03, 0.06, 0.06, 0.02].forEach((v, i) => near(adj[i], v, 1e-12, `p${i}`));
  const withNan = holm([0.01, NaN, 0.04]);
  near(withNan[0], 0.02, 1e-12, "first");
  assert.ok(Number.isNaN(withNan[1]));
  near(withNan[2], 0.04, 1e-12, "last");
  assert.deepEqual(holm([0.9, 0.8]), [1, 1]);
  assert.deepEqual(holm([0.02, 0.3]), [0.04, 0.3]);
});

Deno.test("welchHeterogeneity: Welch's ANOVA from raw groups; k = 2 is Welch's t squared", () => {
  // Groups 1.2 0.8 1.5 1.1 0.9 | 0.2 0.4 -0.1 0.3 0.5 | 1.0 2.0 0.5 1.5 1.2 (Welch's ANOVA
  // computed from n, mean and variance in NumPy): F 15.3127, df2 7.43745, p 0.00230747.
  const h = welchHeterogeneity([
    { estimate: 1.1, se: 0.12247448713915891, df: 4 },
    { estimate: 0.26, se: 0.10295630140987, df: 4 },
    { estimate: 1.24, se: 0.25019992006393, df: 4 },
  ]);
  assert.equal(h.k, 3);
  near(h.f, 15.312722712543703, 1e-6, "F");
  near(h.df2, 7.43744598028766, 1e-6, "df2");
  near(h.p, 0.002307467112271876, 1e-7, "p");
  const a = { estimate: 0.4, se: 0.1, df: 4 };
  const b = { estimate: 0.1, se: 0.2, df: 6 };
  const two = welchHeterogeneity([a, b]);
  const t = (a.estimate - b.estimate) / Math.sqrt(a.se ** 2 + b.se ** 2);
  near(two.f, t * t, 1e-12, "F = t^2");
  const df = (a.se ** 2 + b.se ** 2) ** 2 / (a.se ** 4 / a.df + b.se ** 4 / b.df);
  near(two.df2, df, 1e-9, "Welch-Satterthwaite df");
  near(two.p, tTwoSidedP(t, df), 1e-9, "p = Welch's two-sided p");
  assert.ok(Number.isNaN(welchHeterogeneity([a]).p));
  assert.ok(Number.isNaN(welchHeterogeneity([a, { estimate: 1, se: 0, df: 3 }]).p));
});

Deno.test("sameSeeds and clipToRange", () => {
  assert.equal(sameSeeds([0, 1, 2], [2, 1, 0]), true);
  assert.equal(sameSeeds([0, 1], [0, 2]), false);
  assert.equal(sameSeeds([0, 0], [0, 0]), false);
  const s = summarise([0, 0, 0.01, 0.02]);
  assert.ok(s.ci95Low < 0);
  const c = clipToRange(s, [0, 1]);
  assert.equal(c.ci95Low, 0);
  assert.equal(c.ci95High, s.ci95High);
  assert.equal(c.mean, s.mean);
  assert.equal(clipToRange(s, undefined), s);
});
