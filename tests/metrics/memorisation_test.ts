import assert from "node:assert/strict";
import { memorisationStats, quantile } from "../../lib/metrics/memorisation.ts";

Deno.test("quantile: linear interpolation between order statistics (numpy's default)", () => {
  // numpy.quantile([4, 1, 3, 2], [0, 0.05, 0.5, 1]) = [1, 1.15, 2.5, 4]
  const v = [4, 1, 3, 2];
  assert.deepEqual([0, 0.5, 1].map((q) => quantile(v, q)), [1, 2.5, 4]);
  assert.ok(Math.abs(quantile(v, 0.05) - 1.15) < 1e-12);
  assert.throws(() => quantile([], 0.5), /no values/);
});

Deno.test("memorisationStats: copies below every held-out distance count; fresh-like samples give about 5%", () => {
  const heldout = Array.from({ length: 101 }, (_, i) => 5 + i / 10); // 5.0 .. 15.0, 5% quantile 5.5
  const copies = memorisationStats([0, 0, 0, 12], heldout);
  assert.equal(copies.cutoff, 5.5);
  assert.equal(copies.copyShare, 0.75);
  assert.equal(copies.heldoutShare, 5 / 101);
  assert.equal(copies.ratio, 0 / 10);
  const fresh = memorisationStats(heldout.map((d) => d + 0.01), heldout);
  assert.equal(fresh.copyShare, 5 / 101);
  assert.ok(Math.abs(fresh.ratio - 10.01 / 10) < 1e-12);
  assert.equal(fresh.nSamples, 101);
  assert.throws(() => memorisationStats([], heldout), /sampleDistances is empty/);
  assert.throws(() => memorisationStats([-1], heldout), /expected a distance >= 0/);
});
