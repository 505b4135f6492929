/**
 * Shared pieces of the nets: inverted dropout (masks from a seeded Rng,
 * kept entries scaled by exactly 1/keep, nothing at inference), weight
 * init, parameter counts.
 */
import assert from "node:assert/strict";
import * as tf from "@tensorflow/tfjs";
import { Rng } from "../../lib/runtime/rng.ts";
import {
  denseWeights,
  describeNet,
  dropout,
  dropoutMask,
  dropoutMaskInto,
  parameterCount,
} from "../../lib/nets/net.ts";
import { useBackend } from "../_backend.ts";

Deno.test("dropoutMask: entry i is 1/keep when the i-th uniform is below keep, else 0", () => {
  for (const keep of [0.8, 0.5]) {
    const probe = new Rng(11, "dropout");
    const uniforms = Array.from({ length: 64 }, () => probe.uniform());
    const mask = dropoutMask(64, keep, new Rng(11, "dropout"));
    const scale = keep === 0.8 ? 1.25 : 2;
    uniforms.forEach((u, i) => assert.equal(mask[i], u < keep ? scale : 0, `entry ${i}`));
    assert.ok(mask.some((m) => m === 0) && mask.some((m) => m === scale));
  }
});

Deno.test("dropoutMask: a fixed seed gives a fixed mask, and the same Rng state the same mask", () => {
  // Regression: the first 16 entries for seed 1, stream "dropout", keep 0.5.
  const mask = dropoutMask(16, 0.5, new Rng(1, "dropout"));
  const again = dropoutMask(16, 0.5, new Rng(1, "dropout"));
  assert.deepEqual(Array.from(mask), Array.from(again));
  assert.deepEqual(Array.from(mask), EXPECTED_MASK_SEED1);
  const rng = new Rng(5, "dropout");
  const state = rng.state();
  const first = dropoutMask(100, 0.8, rng);
  const next = dropoutMask(100, 0.8, rng);
  assert.notDeepEqual(Array.from(first), Array.from(next), "the stream advances");
  assert.deepEqual(Array.from(dropoutMask(100, 0.8, Rng.fromState(state))), Array.from(first));
});

const EXPECTED_MASK_SEED1 = [2, 0, 2, 0, 2, 0, 2, 0, 2, 0, 2, 2, 2, 2, 2, 2];

Deno.test("dropoutMaskInto: the mask of dropoutMask in place, with or without a scratch buffer", () => {
  for (const scratch of [undefined, new Uint32Array(10), new Uint32Array(500)]) {
    const a = new Rng(7, "dropout");
    const b = new Rng(7, "dropout");
    const out = new Float32Array(300).fill(NaN);
    dropoutMaskInto(out, 0.8, a, scratch);
    assert.deepEqual(Array.from(out), Array.from(dropoutMask(300, 0.8, b)));
    assert.deepEqual(a.state(), b.state());
  }
  // Exactly 1 / keep as float32, as a float32 tensor of the scalar holds it.
  const third = new Float32Array(64);
  dropoutMaskInto(third, 0.3, new Rng(8));
  assert.ok(third.every((v) => v === 0 || v === Math.fround(1 / 0.3)));
});

Deno.test("dropout: kept entries scaled by exactly 1/keep, dropped are 0; no rng means no dropout", async () => {
  await useBackend("wasm");
  const values = Float32Array.from({ length: 30 }, (_, i) => (i - 12.3) / 7);
  const x = tf.tensor2d(values, [5, 6]);
  for (const keep of [0.8, 0.5]) {
    const mask = dropoutMask(30, keep, new Rng(2, "d"));
    const y = dropout(x, keep, new Rng(2, "d"));
    const got = y.dataSync();
    values.forEach((v, i) => {
      // 1.25 and 2 are exact in float32: one rounding of v * scale.
      const want = mask[i] === 0 ? 0 : Math.fround(v * (1 / keep));
      assert.ok(got[i] === want, `keep ${keep}, entry ${i}: ${got[i]} vs ${want}`); // -0 === 0
    });
    y.dispose();
    assert.equal(dropout(x, keep), x, "inference: x itself");
  }
  const rng = new Rng(2, "d");
  const state = JSON.stringify(rng.state());
  assert.equal(dropout(x, 1, rng), x, "keep 1: x itself");
  assert.equal(JSON.stringify(rng.state()), state, "keep 1 draws nothing");
  assert.throws(() => dropout(x, 0, rng), /keep probability/);
  assert.throws(() => dropout(x, 1.5, rng), /keep probability/);
  x.dispose();
});

Deno.test("dropout: inside variableGrads the mask is a constant (gradient = mask)", async () => {
  await useBackend("wasm");
  const v = tf.variable(tf.tensor2d([1, 2, 3, 4, 5, 6, 7, 8], [2, 4]), true, "net_test/v");
  const before = tf.memory().numTensors;
  const { value, grads } = tf.variableGrads(
    () => tf.sum(dropout(v as tf.Tensor2D, 0.5, new Rng(9, "g"))),
    [v],
  );
  const mask = dropoutMask(8, 0.5, new Rng(9, "g"));
  assert.deepEqual(Array.from(grads[v.name].dataSync()), Array.from(mask));
  tf.dispose([value, grads[v.name]]);
  assert.equal(tf.memory().numTensors, before, "no leaked tensors");
  v.dispose();
});

Deno.test("denseWeights: glorot and uniform limits, row-major draws from the Rng", async () => {
  await useBackend("wasm");
  const w = denseWeights(3, 4, { kind: "uniform", scale: 0.05 }, new Rng(4), "net_test/w");
  assert.deepEqual(w.shape, [3, 4]);
  assert.deepEqual(
    Array.from(w.dataSync()),
    Array.from(new Rng(4).uniforms(12, -0.05, 0.05)),
  );
  w.dispose();
  const limit = Math.sqrt(6 / (30 + 20));
  const g = denseWeights(30, 20, { kind: "glorot" }, new Rng(4), "net_test/g");
  const data = g.dataSync();
  assert.ok(data.every((x) => Math.abs(x) <= limit));
  assert.ok(data.some((x) => Math.abs(x) > 0.9 * limit));
  g.dispose();
  assert.throws(
    () => denseWeights(2, 2, { kind: "uniform", scale: 0 }, new Rng(1), "net_test/bad"),
    /scale must be a finite number > 0/,
  );
});

Deno.test("parameterCount and describeNet", async () => {
  await useBackend("wasm");
  const a = tf.variable(tf.zeros([3, 4]), true, "net_test/a");
  const b = tf.variable(tf.zeros([4]), true, "net_test/b");
  const net = { variables: [a, b] };
  assert.equal(parameterCount(net), 16);
  assert.equal(describeNet(net), "net_test/a [3, 4]\nnet_test/b [4]\n16 parameters");
  tf.dispose([a, b]);
});
