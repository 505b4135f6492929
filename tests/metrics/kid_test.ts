/**
 * KID against a hand-computed answer and an independent float64 reference
 * (double loops over the same subsets).
 */
import assert from "node:assert/strict";
import { kid, mmd2Unbiased, sampleIndices } from "../../lib/metrics/kid.ts";
import { Rng } from "../../lib/runtime/rng.ts";
import { useBackend } from "../_backend.ts";

await useBackend("wasm");

const k = (a: ArrayLike<number>, b: ArrayLike<number>) => {
  let dot = 0;
  for (let i = 0; i < a.length; i++) dot += a[i] * b[i];
  return (dot / a.length + 1) ** 3;
};

/** Unbiased MMD^2 by double loops in float64. */
function reference(x: number[][], y: number[][]): number {
  const m = x.length;
  let xx = 0, yy = 0, xy = 0;
  for (let i = 0; i < m; i++) {
    for (let j = 0; j < m; j++) {
      if (i !== j) {
        xx += k(x[i], x[j]);
        yy += k(y[i], y[j]);
      }
      xy += k(x[i], y[j]);
    }
  }
  return (xx + yy) / (m * (m - 1)) - 2 * xy / (m * m);
}

Deno.test("mmd2Unbiased: x = {0, 1}, y = {2, 3} in 1-D: 1 + 343 - 46.5 = 297.5", () => {
  const got = mmd2Unbiased(Float32Array.of(0, 1), Float32Array.of(2, 3), 2, 1);
  assert.ok(Math.abs(got - 297.5) < 1e-9, String(got));
});

Deno.test("kid: mean and sd over subsets match a float64 reference on the same subsets", () => {
  const rng = new Rng(4, "t");
  const d = 16;
  const real = Array.from({ length: 300 }, () => Array.from({ length: d }, () => rng.normal()));
  const fake = Array.from(
    { length: 250 },
    () => Array.from({ length: d }, () => 0.3 + 1.2 * rng.normal()),
  );
  const got = kid(real, fake, { subsets: 5, subsetSize: 100, seed: 7 });
  const draws = new Rng(7, "kid");
  const values: number[] = [];
  for (let s = 0; s < 5; s++) {
    const ir = sampleIndices(draws, real.length, 100);
    const iff = sampleIndices(draws, fake.length, 100);
    values.push(reference(Array.from(ir, (i) => real[i]), Array.from(iff, (i) => fake[i])));
  }
  const mean = values.reduce((a, b) => a + b) / 5;
  const sd = Math.sqrt(values.reduce((a, b) => a + (b - mean) ** 2, 0) / 5);
  assert.ok(Math.abs(got.mean - mean) < 1e-5 * Math.abs(mean), `${got.mean} vs ${mean}`);
  assert.ok(Math.abs(got.sd - sd) < 1e-4 * sd, `${got.sd} vs ${sd}`);
  assert.deepEqual([got.subsets, got.subsetSize, got.nReal, got.nFake], [5, 100, 300, 250]);
});

Deno.test("kid: two samples of one distribution give about 0, a shifted one clearly more", () => {
  const rng = new Rng(5, "t");
  const draw = (n: number, shift: number) => ({
    data: Float32Array.from({ length: n * 8 }, () => rng.normal() + shift),
    rows: n,
    cols: 8,
  });
  const same = kid(draw(1000, 0), draw(1000, 0), { subsets: 20, subsetSize: 500 });
  const shifted = kid(draw(1000, 0), draw(1000, 0.5), { subsets: 20, subsetSize: 500 });
  assert.ok(Math.abs(same.mean) < 3 * same.sd + 1e-3, `${same.mean} ± ${same.sd}`);
  assert.ok(
    shifted.mean > 10 * Math.abs(same.mean) && shifted.mean > 3 * shifted.sd,
    `${shifted.mean}`,
  );
});

Deno.test("kid: subsets cap at the smaller set; bad options name the problem", () => {
  const x = [[0, 1], [1, 0], [2, 2]];
  const whole = kid(x, x, { subsets: 2 });
  assert.deepEqual([whole.subsetSize, whole.subsets, whole.sd], [3, 1, 0]);
  assert.throws(() => kid([[1]], [[1], [2]]), /at least 2 vectors from each set/);
  assert.throws(() => kid(x, x, { subsets: 0 }), /options.subsets is 0/);
});
