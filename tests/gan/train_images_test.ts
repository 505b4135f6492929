import assert from "node:assert/strict";
import { train, type TrainState } from "../../lib/gan/train.ts";
import { config } from "../_config.ts";
import { loadDataset } from "../../lib/data/dataset.ts";
import { useBackend } from "../_backend.ts";

await useBackend("wasm");

/** The paper's networks, shrunk: real MNIST, a few hundred images. */
const tinyPaper = {
  data: { name: "mnist", trainSize: 300, validSize: 100, testSize: 100 },
  arch: { name: "maxout", noiseDim: 8, gHidden: [16], dUnits: [8, 8], pieces: 3 },
  dLossScale: 0.5,
  optimizer: {
    name: "sgd",
    lr: 0.1,
    momentum: 0.5,
    lrDecay: 1.000004,
    lrMin: 1e-6,
    momentumEnd: 0.7,
    momentumRampEpochs: 2,
  },
  batchSize: 20,
  steps: 6,
  evalEvery: 3,
  evalSamples: 40,
  parzen: { samples: 60, validPoints: 30, testPoints: 50 },
};

Deno.test("mnist split: training rows first, validation from image 50,000, test from the test file", () => {
  const full = loadDataset({
    name: "mnist",
    trainSize: 50_000,
    validSize: 10_000,
    testSize: 10_000,
  }, 0);
  const small = loadDataset({ name: "mnist", trainSize: 300, validSize: 100, testSize: 100 }, 0);
  assert.equal(full.dim, 784);
  assert.deepEqual(full.shape, [28, 28, 1]);
  assert.equal(full.train.length, 50_000 * 784);
  assert.equal(full.valid.length, 10_000 * 784);
  assert.equal(full.test!.length, 10_000 * 784);
  // The small set is a prefix of each part, not a different draw.
  assert.deepEqual(small.train, full.train.subarray(0, 300 * 784));
  assert.deepEqual(small.valid, full.valid.subarray(0, 100 * 784));
  // Validation starts right after the training part of the same file: image 50,000.
  assert.equal(full.valid.byteOffset, full.train.byteOffset + 50_000 * 784 * 4);
  // The first training labels of MNIST.
  assert.deepEqual(
    Array.from(full.truth.kind === "images" ? full.truth.trainLabels.subarray(0, 10) : []),
    [5, 0, 4, 1, 9, 2, 1, 3, 1, 4],
  );
  let min = Infinity, max = -Infinity;
  for (const v of full.test!.subarray(0, 784 * 100)) {
    [min, max] = [Math.min(min, v), Math.max(max, v)];
  }
  assert.deepEqual([min, max], [0, 1]);
});

Deno.test("train on mnist: image metrics every evaluation, Parzen at the end", async () => {
  const result = await train(config(tinyPaper));
  assert.equal(result.state, "done");
  assert.deepEqual(result.rows.map((r) => r.step), [0, 3, 6]);
  for (const row of result.rows) {
    for (const key of ["d_loss", "d_gap", "r_t", "modes", "mode_kl", "nn_dist"]) {
      assert.ok(Number.isFinite(row[key]), `${key} at ${row.step}`);
    }
    assert.ok(row.modes >= 1 && row.modes <= 10);
  }
  const last = result.rows[2];
  assert.ok(Number.isFinite(last.parzen_ll) && last.parzen_se > 0);
  assert.ok([0.1, 1].some((s) => s <= last.parzen_sigma) && last.parzen_sigma <= 1);
  assert.ok(!("parzen_ll" in result.rows[1]), "Parzen only at the final evaluation");
  assert.equal(result.samples.length, 40 * 784);
  for (const v of result.samples) assert.ok(v >= 0 && v <= 1, "sigmoid output");
});

Deno.test("train on mnist: dropout is seeded, and resume is bit-identical", async () => {
  const a = await train(config(tinyPaper));
  const b = await train(config(tinyPaper));
  assert.deepEqual(a.rows, b.rows);
  const other = await train(config(tinyPaper, 1));
  assert.notDeepEqual(a.rows[1], other.rows[1]);
  let saved: TrainState | null = null;
  await train(config(tinyPaper), {
    checkpointEvery: 0,
    shouldStop: () => true,
    onCheckpoint: (s) => (saved = s),
  });
  assert.ok(saved && (saved as TrainState).dropout, "the checkpoint holds the dropout stream");
  const resumed = await train(config(tinyPaper), { resume: saved! });
  assert.deepEqual(resumed.rows, a.rows);
});

Deno.test("train on mnist: dcgan trains on the default wasm backend", async () => {
  const result = await train(config({
    ...tinyPaper,
    arch: { name: "dcgan", noiseDim: 8, channels: 4 },
    optimizer: { name: "adam", lr: 2e-4 },
    dLossScale: undefined,
    parzen: undefined,
    steps: 2,
    evalEvery: 2,
  }));
  assert.equal(result.state, "done");
  assert.ok(result.rows.every((r) => Number.isFinite(r.d_grad_norm) && r.d_grad_norm > 0));
});
