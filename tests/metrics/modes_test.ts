import assert from "node:assert/strict";
import { classCoverage, countCoverage, modeCoverage } from "../../lib/metrics/modes.ts";
import { gridCentres, ringCentres } from "../../lib/data/synthetic.ts";

function close(actual: number, expected: number, tol = 1e-12): void {
  assert.ok(Math.abs(actual - expected) <= tol, `${actual} is not within ${tol} of ${expected}`);
}

Deno.test("modeCoverage: 3 samples on mode 0, 1 on mode 2, 1 far away", () => {
  // Ring radius 2, std 0.02: high quality means within 0.06 of the nearest centre.
  const samples = [
    2,
    0, // mode 0, distance 0
    2.05,
    0, // mode 0, distance 0.05
    2,
    -0.03, // mode 0, distance 0.03
    0.01,
    2, // mode 2, distance 0.01
    0,
    0, // far from every centre
  ];
  const r = modeCoverage(new Float32Array(samples), ringCentres(2), 0.02);
  assert.equal(r.modes, 2);
  close(r.hqShare, 0.8);
  assert.deepEqual(r.counts, [3, 0, 1, 0, 0, 0, 0, 0]);
  // q = (3/4, 0, 1/4, 0, ...), M = 8:
  // KL = 3/4 log(3/4 * 8) + 1/4 log(1/4 * 8) = 0.75 log 6 + 0.25 log 2 = 1.5171064
  close(r.modeKl, 0.75 * Math.log(6) + 0.25 * Math.log(2));
  close(r.modeKl, 1.5171063970610277);
});

Deno.test("modeCoverage: a sample just beyond 3 std is not high quality", () => {
  const r = modeCoverage([2.07, 0, 2.059, 0], ringCentres(2), 0.02);
  assert.deepEqual(r.counts, [1, 0, 0, 0, 0, 0, 0, 0]);
  close(r.hqShare, 0.5);
  // One mode only: KL = log 8.
  close(r.modeKl, Math.log(8));
});

Deno.test("modeCoverage: balanced coverage of every mode gives KL 0", () => {
  const centres = gridCentres(2);
  const samples: number[] = [];
  for (const [x, y] of centres) samples.push(x, y, x + 0.01, y - 0.01);
  const r = modeCoverage(samples, centres, 0.05);
  assert.equal(r.modes, 25);
  assert.equal(r.hqShare, 1);
  assert.deepEqual(r.counts, new Array(25).fill(2));
  close(r.modeKl, 0);
});

Deno.test("modeCoverage: no high-quality samples gives modes 0 and KL log M", () => {
  const r = modeCoverage([10, 10, NaN, 0], ringCentres(1, 4), 0.01);
  assert.equal(r.modes, 0);
  assert.equal(r.hqShare, 0);
  assert.deepEqual(r.counts, [0, 0, 0, 0]);
  close(r.modeKl, Math.log(4));
  const empty = modeCoverage([], ringCentres(1, 4), 0.01);
  assert.equal(empty.hqShare, 0);
  close(empty.modeKl, Math.log(4));
});

Deno.test("modeCoverage: rejects odd-length input and bad std", () => {
  assert.throws(() => modeCoverage([1, 2, 3], ringCentres(2), 0.02), RangeError);
  assert.throws(() => modeCoverage([1, 2], ringCentres(2), 0), RangeError);
  assert.throws(() => modeCoverage([1, 2], [], 0.02), RangeError);
});

Deno.test("classCoverage: classes with a sample, KL from uniform, counts", () => {
  const balanced = classCoverage([0, 1, 2, 3, 0, 1, 2, 3], 4);
  assert.equal(balanced.modes, 4);
  assert.ok(Math.abs(balanced.modeKl) < 1e-12);
  assert.deepEqual(balanced.counts, [2, 2, 2, 2]);
  // Two of ten classes, equally: KL = log(10 / 2).
  const two = classCoverage([3, 7, 3, 7], 10);
  assert.equal(two.modes, 2);
  assert.ok(Math.abs(two.modeKl - Math.log(5)) < 1e-12);
  assert.ok(Math.abs(classCoverage([], 10).modeKl - Math.log(10)) < 1e-12);
  assert.throws(() => classCoverage([0, 10], 10), /label 1 is 10/);
});

Deno.test("countCoverage: agrees with modeCoverage on the same counts", () => {
  const centres = ringCentres(2, 8);
  const samples = [2, 0, 2, 0, 0, 2, -2, 0];
  const cov = modeCoverage(samples, centres, 0.02);
  const fromCounts = countCoverage(cov.counts);
  assert.equal(fromCounts.modes, cov.modes);
  assert.equal(fromCounts.modeKl, cov.modeKl);
});
