import assert from "node:assert/strict";
import { gridCentres, makeDataset, ringCentres } from "../../lib/data/synthetic.ts";
import { BatchSampler } from "../../lib/data/batches.ts";
import { Rng } from "../../lib/runtime/rng.ts";

function close(actual: number, expected: number, tol = 1e-12): void {
  assert.ok(Math.abs(actual - expected) <= tol, `${actual} is not within ${tol} of ${expected}`);
}

Deno.test("ringCentres: count centres at angle 2 pi i / count", () => {
  const c = ringCentres(2);
  assert.equal(c.length, 8);
  close(c[0][0], 2);
  close(c[0][1], 0);
  close(c[1][0], Math.SQRT2);
  close(c[1][1], Math.SQRT2);
  close(c[2][0], 0);
  close(c[2][1], 2);
  close(c[4][0], -2);
  const four = ringCentres(1, 4);
  assert.equal(four.length, 4);
  close(four[3][1], -1);
});

Deno.test("gridCentres: {-2s, -s, 0, s, 2s}^2, x varying fastest", () => {
  const c = gridCentres(2);
  assert.equal(c.length, 25);
  assert.deepEqual(c[0], [-4, -4]);
  assert.deepEqual(c[1], [-2, -4]);
  assert.deepEqual(c[5], [-4, -2]);
  assert.deepEqual(c[12], [0, 0]);
  assert.deepEqual(c[24], [4, 4]);
  assert.deepEqual(gridCentres(1, 2), [[-0.5, -0.5], [0.5, -0.5], [-0.5, 0.5], [0.5, 0.5]]);
});

Deno.test("makeDataset: sizes, dimensions and truth per data set", () => {
  const g = makeDataset(
    { name: "gaussian-1d", trainSize: 50, validSize: 70, mean: 4, std: 0.5 },
    1,
  );
  assert.equal(g.dim, 1);
  assert.equal(g.train.length, 50);
  assert.equal(g.valid.length, 70);
  assert.deepEqual(g.truth, { kind: "gaussian-1d", mean: 4, std: 0.5 });
  const r = makeDataset({ name: "ring-8", trainSize: 30, validSize: 10, radius: 2, std: 0.02 }, 1);
  assert.equal(r.dim, 2);
  assert.equal(r.train.length, 60);
  assert.equal(r.truth.kind === "mixture" && r.truth.centres.length, 8);
  const grid = makeDataset(
    { name: "grid-25", trainSize: 5, validSize: 5, spacing: 2, std: 0.05 },
    1,
  );
  assert.equal(grid.truth.kind === "mixture" && grid.truth.centres.length, 25);
});

Deno.test("makeDataset: samples follow the configured distribution", () => {
  const g = makeDataset(
    { name: "gaussian-1d", trainSize: 20000, validSize: 10, mean: 4, std: 0.5 },
    3,
  );
  const mean = g.train.reduce((a, b) => a + b, 0) / g.train.length;
  const sd = Math.sqrt(g.train.reduce((a, b) => a + (b - mean) ** 2, 0) / (g.train.length - 1));
  close(mean, 4, 0.02);
  close(sd, 0.5, 0.02);
  const r = makeDataset(
    { name: "ring-8", trainSize: 2000, validSize: 10, radius: 2, std: 0.02 },
    3,
  );
  for (let i = 0; i < 2000; i++) {
    const radius = Math.hypot(r.train[2 * i], r.train[2 * i + 1]);
    assert.ok(Math.abs(radius - 2) < 0.15, `sample ${i} at radius ${radius}`);
  }
});

Deno.test("makeDataset: the same seed gives the same data, another seed other data", () => {
  const cfg = { name: "ring-8", trainSize: 64, validSize: 64, radius: 2, std: 0.02 } as const;
  assert.deepEqual(makeDataset(cfg, 7).train, makeDataset(cfg, 7).train);
  assert.notDeepEqual(makeDataset(cfg, 7).train, makeDataset(cfg, 8).train);
  assert.notDeepEqual(makeDataset(cfg, 7).train, makeDataset(cfg, 7).valid.subarray(0, 128));
});

Deno.test("BatchSampler: every row once per epoch, reshuffled between epochs", () => {
  const data = Float32Array.from({ length: 10 }, (_, i) => i);
  const s = new BatchSampler(data, 1, new Rng(0, "order"));
  const epoch1 = Array.from(s.next(10)).sort((a, b) => a - b);
  assert.deepEqual(epoch1, [0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
  const a = Array.from(s.next(10));
  const b = Array.from(s.next(10));
  assert.deepEqual([...a].sort((x, y) => x - y), epoch1);
  assert.notDeepEqual(a, b);
});

Deno.test("BatchSampler: state round-trips so a restored sampler continues identically", () => {
  const data = Float32Array.from({ length: 14 }, (_, i) => i);
  const s = new BatchSampler(data, 2, new Rng(5, "order"));
  s.next(3);
  const state = structuredClone(s.state());
  const expected = Array.from(s.next(9));
  const t = new BatchSampler(data, 2, new Rng(99, "order"));
  t.setState(state);
  assert.deepEqual(Array.from(t.next(9)), expected);
});
