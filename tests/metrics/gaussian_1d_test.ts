import assert from "node:assert/strict";
import {
  dStarMaxError,
  evalGrid,
  jsDivergence1d,
  kdeDensity,
  normalCdf,
  normalPdf,
  optimalD,
  silvermanBandwidth,
} from "../../lib/metrics/gaussian_1d.ts";

function close(actual: number, expected: number, tol = 1e-12): void {
  assert.ok(Math.abs(actual - expected) <= tol, `${actual} is not within ${tol} of ${expected}`);
}

/** Deterministic "perfect" sample: the inverse CDF at (i + 0.5) / n, by bisection. */
function quantileSample(n: number, mean: number, std: number): Float64Array {
  const out = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    const p = (i + 0.5) / n;
    let lo = mean - 40 * std;
    let hi = mean + 40 * std;
    for (let k = 0; k < 100; k++) {
      const mid = (lo + hi) / 2;
      if (normalCdf(mid, mean, std) < p) lo = mid;
      else hi = mid;
    }
    out[i] = (lo + hi) / 2;
  }
  return out;
}

Deno.test("normalPdf: peak 1 / (std sqrt(2 pi)) and value at 1 sd", () => {
  close(normalPdf(0, 0, 1), 0.3989422804014327);
  close(normalPdf(3, 3, 2), 0.3989422804014327 / 2);
  close(normalPdf(1, 0, 1), 0.24197072451914337);
  assert.throws(() => normalPdf(0, 0, 0), RangeError);
});

Deno.test("normalCdf: 0.5 at the mean, 0.8413447 at +1 sd, accurate tails", () => {
  assert.equal(normalCdf(2, 2, 3), 0.5);
  close(normalCdf(5, 2, 3), 0.8413447460685429);
  close(normalCdf(-1, 2, 3), 1 - 0.8413447460685429);
  close(normalCdf(-1.96, 0, 1), 0.024997895148220435);
  // Lower tail keeps relative precision (1 - 0.5 erfc would lose it).
  const tail = normalCdf(-5, 0, 1);
  assert.ok(Math.abs(tail - 2.866515718791939e-7) < 1e-20, `${tail}`);
});

Deno.test("silvermanBandwidth: hand-computed cases and zero-spread floor", () => {
  // [1..5]: sd = sqrt(2.5) = 1.5811, IQR = 4 - 2 = 2 -> 2 / 1.34 = 1.4925 (the min),
  // h = 0.9 * 1.4925 * 5^-0.2 = 0.9735846
  close(silvermanBandwidth([5, 1, 4, 2, 3]), 0.9735846228506357);
  // [0, 0, 0, 0, 10]: IQR = 0, so sd = sqrt(20) is used: 0.9 * 4.4721 * 5^-0.2 = 2.9171819
  close(silvermanBandwidth([0, 0, 0, 0, 10]), 2.917181874046973);
  assert.equal(silvermanBandwidth([7, 7, 7]), 1e-6);
  assert.equal(silvermanBandwidth([7]), 1e-6);
});

Deno.test("kdeDensity: one kernel per sample, averaged", () => {
  const one = kdeDensity([0], [0, 1], 1);
  assert.ok(one instanceof Float64Array);
  close(one[0], 0.3989422804014327);
  close(one[1], 0.24197072451914337);
  // Two samples at 0 and 2 with bandwidth 1: at x = 1 both kernels give pdf(1).
  close(kdeDensity([0, 2], [1], 1)[0], 0.24197072451914337);
  // Bandwidth 2 halves the peak height.
  close(kdeDensity([0], [0], 2)[0], 0.3989422804014327 / 2);
});

Deno.test("kdeDensity: default bandwidth is Silverman's", () => {
  const samples = [-1, 1];
  const h = silvermanBandwidth(samples);
  close(kdeDensity(samples, [0.3])[0], kdeDensity(samples, [0.3], h)[0]);
});

Deno.test("optimalD: hand-computed p_data / (p_data + p_g)", () => {
  // samples [-1, 1]: sd = 1.414, IQR = 1 -> h = 0.9 * (1 / 1.34) * 2^-0.2 = 0.5846981
  // at x = 0: p_g = pdf(1 / h) / h = 0.1580546, p_data = 0.3989423, D* = 0.7162380
  close(optimalD([0], 0, 1, [-1, 1])[0], 0.7162379656863879, 1e-12);
});

Deno.test("optimalD: 1 where p_g vanishes, 1/2 where both densities vanish", () => {
  const dStar = optimalD(evalGrid(0, 1), 0, 1, [100, 100, 100]);
  for (const d of dStar) assert.equal(d, 1);
  assert.equal(optimalD([1e4], 0, 1, [0])[0], 0.5);
});

Deno.test("optimalD: about 1/2 on the grid when G matches p_data", () => {
  const dStar = optimalD(evalGrid(1, 2), 1, 2, quantileSample(5000, 1, 2));
  for (const d of dStar) assert.ok(Math.abs(d - 0.5) < 0.03, `D* = ${d}`);
});

Deno.test("dStarMaxError: 0 when D equals D*, the largest deviation otherwise", () => {
  const points = evalGrid(0, 1, 41);
  const samples = quantileSample(500, 0.5, 1.5);
  const dStar = optimalD(points, 0, 1, samples);
  assert.equal(dStarMaxError(dStar, points, 0, 1, samples), 0);
  const d = Float64Array.from(dStar);
  d[7] -= 0.1;
  d[30] += 0.04;
  close(dStarMaxError(d, points, 0, 1, samples), 0.1, 1e-12);
  assert.throws(() => dStarMaxError([0.5], points, 0, 1, samples), RangeError);
});

Deno.test("evalGrid: n points over mean +- 3 std as Float32Array", () => {
  const grid = evalGrid(1, 2, 7);
  assert.ok(grid instanceof Float32Array);
  assert.deepEqual(Array.from(grid), [-5, -3, -1, 1, 3, 5, 7]);
  const big = evalGrid(0, 1);
  assert.equal(big.length, 201);
  assert.equal(big[0], -3);
  assert.equal(big[100], 0);
  assert.equal(big[200], 3);
  assert.deepEqual(Array.from(evalGrid(4, 1, 1)), [4]);
});

Deno.test("jsDivergence1d: near 0 for a perfect quantile sample", () => {
  const js = jsDivergence1d(quantileSample(10000, 0, 1), 0, 1);
  assert.ok(js >= 0 && js < 0.01, `JS = ${js}`);
  const scaled = jsDivergence1d(quantileSample(10000, 5, 2), 5, 2);
  assert.ok(scaled >= 0 && scaled < 0.01, `JS = ${scaled}`);
});

Deno.test("jsDivergence1d: large for N(mean + 3 std, std), log 2 for disjoint support", () => {
  const shifted = jsDivergence1d(quantileSample(10000, 3, 1), 0, 1);
  assert.ok(shifted > 0.5 && shifted <= Math.LN2, `JS = ${shifted}`);
  const far = jsDivergence1d(quantileSample(1000, 100, 1), 0, 1);
  close(far, Math.LN2, 1e-12);
});

Deno.test("jsDivergence1d: hand-computed value for a point mass at the mean", () => {
  // Bins of width 1/4 from -6: every sample falls in bin [0, 0.25), whose p_data
  // mass is p = (Phi(0.25) - Phi(0)) / (1 - 2 Phi(-6)) = 0.0987063. With m = (p + q) / 2:
  // JS = ((1 - p) log 2 + p log(2p / (1 + p)) + log(2 / (1 + p))) / 2 = 0.5271522
  close(jsDivergence1d([0, 0, 0], 0, 1), 0.5271521961797159, 1e-12);
});

Deno.test("jsDivergence1d: bounded with a huge outlier (bin cap) and NaN for non-finite", () => {
  const samples = Array.from(quantileSample(1000, 0, 1));
  samples.push(1e6);
  const js = jsDivergence1d(samples, 0, 1);
  assert.ok(js >= 0 && js <= Math.LN2, `JS = ${js}`);
  assert.ok(Number.isNaN(jsDivergence1d([0, NaN], 0, 1)));
  assert.throws(() => jsDivergence1d([], 0, 1), RangeError);
});

Deno.test("dStarMaxError: with p_g in closed form (gaussianG), D = D* gives 0 and samples are ignored", () => {
  const points = evalGrid(1.5, 1, 41);
  const dStar = Array.from(points, (x) => {
    const pd = normalPdf(x, 1.5, 1);
    const pg = normalPdf(x, 0, 0.5);
    return pd / (pd + pg);
  });
  const opts = { gaussianG: { mean: 0, std: 0.5 } };
  assert.equal(dStarMaxError(dStar, points, 1.5, 1, [100, 101, 102], opts), 0);
  const shifted = dStar.map((d, i) => (i === 7 ? d - 0.2 : d));
  assert.ok(Math.abs(dStarMaxError(shifted, points, 1.5, 1, [100], opts) - 0.2) < 1e-12);
});
