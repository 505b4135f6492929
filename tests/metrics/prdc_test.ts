/**
 * Precision, recall, density and coverage: a hand-made 1-D example worked
 * by hand, and a float64 brute-force reference (all distances sorted) on
 * random data with duplicates and exact ties, which the blocked float32
 * path must match exactly.
 */
import assert from "node:assert/strict";
import { prdc, PrdcReference } from "../../lib/metrics/prdc.ts";
import { Rng } from "../../lib/runtime/rng.ts";
import { useBackend } from "../_backend.ts";

await useBackend("wasm");

const dist = (a: ArrayLike<number>, b: ArrayLike<number>) => {
  let s = 0;
  for (let i = 0; i < a.length; i++) s += (a[i] - b[i]) ** 2;
  return Math.sqrt(s);
};

/** The reference implementations' definitions, by brute force in float64. */
function reference(real: number[][], fake: number[][], kPr: number, kDc: number) {
  const radii = (set: number[][], k: number) =>
    set.map((x) => set.map((y) => dist(x, y)).sort((a, b) => a - b)[k]);
  const rPr = radii(real, kPr);
  const rDc = radii(real, kDc);
  const fPr = radii(fake, kPr);
  const d = fake.map((f) => real.map((r) => dist(f, r)));
  const precision = d.filter((row) => row.some((v, i) => v <= rPr[i])).length / fake.length;
  const recall = real.filter((_, i) => d.some((row, j) => row[i] <= fPr[j])).length / real.length;
  const density = d.reduce((s, row) => s + row.filter((v, i) => v < rDc[i]).length, 0) /
    (kDc * fake.length);
  const coverage = real.filter((_, i) => Math.min(...d.map((row) => row[i])) < rDc[i]).length /
    real.length;
  return { precision, recall, density, coverage };
}

Deno.test("prdc: a 1-D example worked by hand (k = 1)", () => {
  const real = [0, 1, 2, 3, 4, 5].map((v) => [v]);
  const fake = [0.5, 2.2, 10].map((v) => [v]);
  const r = prdc(real, fake, { kPr: 1, kDc: 1 });
  // Real radii 1; fake radii 1.7, 1.7, 7.8 (the outlier's ball reaches 4 and 5).
  assert.ok(Math.abs(r.precision - 2 / 3) < 1e-15);
  assert.equal(r.recall, 1);
  assert.ok(Math.abs(r.density - 4 / 3) < 1e-15);
  assert.ok(Math.abs(r.coverage - 4 / 6) < 1e-15);
  assert.deepEqual([r.nReal, r.nFake], [6, 3]);
});

Deno.test("prdc: identical sets have precision, recall and coverage 1", () => {
  const rng = new Rng(7, "t");
  const x = Array.from({ length: 60 }, () => [rng.normal(), rng.normal(), rng.normal()]);
  const r = prdc(x, x);
  assert.deepEqual([r.precision, r.recall, r.coverage], [1, 1, 1]);
  const ref = reference(x, x, 3, 5);
  assert.equal(r.density, ref.density);
});

Deno.test("prdc: equals a float64 brute force on data with duplicates and ties (default k 3 and 5)", () => {
  const rng = new Rng(8, "t");
  const d = 12;
  // Points on a coarse lattice, so that many distances tie exactly, plus copies.
  const point = () => Array.from({ length: d }, () => Math.round(2 * rng.normal()) / 2 + 3);
  const real = Array.from({ length: 150 }, point);
  const fake = [...Array.from({ length: 100 }, point), ...real.slice(0, 20)];
  for (const blockSize of [7, undefined]) {
    const got = prdc(real, fake, { blockSize });
    const want = reference(real, fake, 3, 5);
    assert.deepEqual(
      [got.precision, got.recall, got.density, got.coverage],
      [want.precision, want.recall, want.density, want.coverage],
    );
  }
});

Deno.test("PrdcReference: one real side measured against several sets gives what prdc gives", () => {
  const rng = new Rng(9, "t");
  const real = { data: rng.normals(200 * 4), rows: 200, cols: 4 };
  const a = { data: rng.normals(90 * 4, 1.3), rows: 90, cols: 4 };
  const b = { data: rng.normals(70 * 4, 0.5, 1), rows: 70, cols: 4 };
  const ref = new PrdcReference(real);
  try {
    assert.deepEqual(ref.against(a), prdc(real, a));
    assert.deepEqual(ref.against(b), prdc(real, b));
  } finally {
    ref.dispose();
  }
});

Deno.test("prdc: too few vectors and bad k name the problem", () => {
  const x = [[0], [1], [2], [3]];
  assert.throws(() => prdc(x, x), /kDc = 5 needs at least 6 real vectors; got 4/);
  assert.throws(
    () => prdc(x, x.slice(0, 1), { kPr: 1, kDc: 1 }),
    /kPr = 1 needs at least 2 generated vectors; got 1/,
  );
  assert.throws(() => prdc(x, x, { kPr: 0 }), /options.kPr is 0/);
});
