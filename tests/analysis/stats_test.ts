import assert from "node:assert/strict";
import {
  leastSquaresSlope,
  mean,
  median,
  sd,
  summarise,
  tQuantile,
} from "../../lib/analysis/stats.ts";

function near(actual: number, expected: number, tol: number, what: string) {
  assert.ok(
    Math.abs(actual - expected) <= tol,
    `${what}: got ${actual}, expected ${expected} ± ${tol}`,
  );
}

Deno.test("tQuantile matches t-table values to 1e-6", () => {
  near(tQuantile(0.975, 1), 12.7062047, 1e-6, "t(0.975, 1)");
  near(tQuantile(0.975, 2), 4.3026527, 1e-6, "t(0.975, 2)");
  near(tQuantile(0.975, 4), 2.7764451, 1e-6, "t(0.975, 4)");
  near(tQuantile(0.975, 9), 2.2621572, 1e-6, "t(0.975, 9)");
  near(tQuantile(0.975, 30), 2.0422725, 1e-6, "t(0.975, 30)");
  near(tQuantile(0.95, 10), 1.8124611, 1e-6, "t(0.95, 10)");
  near(tQuantile(0.995, 3), 5.8409093, 1e-6, "t(0.995, 3)");
  near(tQuantile(0.9995, 1), 636.6192488, 1e-6, "t(0.9995, 1)");
});

Deno.test("tQuantile tends to the normal quantile for large df", () => {
  near(tQuantile(0.975, Infinity), 1.959964, 1e-6, "t(0.975, Inf)");
  near(tQuantile(0.975, 1e9), 1.959964, 1e-6, "t(0.975, 1e9)");
  near(tQuantile(0.975, 1000), 1.9623391, 1e-6, "t(0.975, 1000)");
  near(tQuantile(0.975, 1e6), 1.9599664, 1e-6, "t(0.975, 1e6)");
});

Deno.test("tQuantile is odd around p = 0.5 and handles the edges", () => {
  near(tQuantile(0.025, 4), -2.7764451, 1e-6, "t(0.025, 4)");
  assert.equal(tQuantile(0.5, 7), 0);
  assert.equal(tQuantile(0, 3), -Infinity);
  assert.equal(tQuantile(1, 3), Infinity);
  assert.ok(Number.isNaN(tQuantile(1.5, 3)));
  assert.ok(Number.isNaN(tQuantile(0.9, 0)));
});

Deno.test("mean and sample sd", () => {
  assert.equal(mean([1, 2, 3, 4]), 2.5);
  // sum of squares about 2.5 is 5, over n - 1 = 3.
  near(sd([1, 2, 3, 4]), Math.sqrt(5 / 3), 1e-15, "sd");
  assert.ok(Number.isNaN(mean([])));
  assert.ok(Number.isNaN(sd([7])));
});

Deno.test("summarise gives the 95% t-interval and skips non-finite values", () => {
  const s = summarise([2, 4, NaN, 4, 4, Infinity, 5, 5, 7, 9]);
  // Finite: 2 4 4 4 5 5 7 9; mean 5, squared deviations sum 32, sd = sqrt(32/7).
  assert.equal(s.n, 8);
  assert.equal(s.mean, 5);
  near(s.sd, Math.sqrt(32 / 7), 1e-14, "sd");
  const half = 2.3646243 * Math.sqrt(32 / 7) / Math.sqrt(8); // t(0.975, 7)
  near(s.ci95Low, 5 - half, 1e-6, "ci low");
  near(s.ci95High, 5 + half, 1e-6, "ci high");
});

Deno.test("summarise with one value has no spread; with none, only NaN", () => {
  const one = summarise([3, NaN]);
  assert.equal(one.n, 1);
  assert.equal(one.mean, 3);
  assert.ok(Number.isNaN(one.sd) && Number.isNaN(one.ci95Low) && Number.isNaN(one.ci95High));
  const none = summarise([NaN, -Infinity]);
  assert.equal(none.n, 0);
  for (const v of [none.mean, none.sd, none.ci95Low, none.ci95High]) assert.ok(Number.isNaN(v));
});

Deno.test("leastSquaresSlope: hand-computed cases", () => {
  // x = 0, 1, 2; y = 1, 3, 2: Sxy = (-1)(-1) + 0 + (1)(0) = 1, Sxx = 2.
  assert.equal(leastSquaresSlope([0, 1, 2], [1, 3, 2]), 0.5);
  assert.equal(leastSquaresSlope([1, 3], [2, -2]), -2);
  assert.ok(Number.isNaN(leastSquaresSlope([1, 1, 1], [1, 2, 3])), "one x value");
  assert.ok(Number.isNaN(leastSquaresSlope([1], [1])), "one point");
  assert.ok(Number.isNaN(leastSquaresSlope([1, 2], [1])), "unequal lengths");
});

Deno.test("median: odd, even and empty samples", () => {
  assert.equal(median([3, 1, 2]), 2);
  assert.equal(median([4, 1, 3, 2]), 2.5);
  assert.ok(Number.isNaN(median([])));
});
