/**
 * The paper's maxout discriminator: a maxout layer against hand-computed
 * values, dropout against hand-computed masks, gradients on wasm and cpu,
 * and second-order gradients (the WGAN-GP penalty) against float64 finite
 * differences.
 */
import { assertPenaltyGradients, GP_EPS, GP_FAKE, GP_REAL, penalty64From } from "../_penalty.ts";
import assert from "node:assert/strict";
import * as tf from "@tensorflow/tfjs";
import { Rng } from "../../lib/runtime/rng.ts";
import { createMaxout, maxoutPool } from "../../lib/nets/maxout.ts";
import { dropoutMask, type Net, parameterCount } from "../../lib/nets/net.ts";
import { useBackend } from "../_backend.ts";

// 2 inputs -> maxout 2 units x 3 pieces -> 1. Column piece * 2 + unit:
// [u0p0, u1p0 | u0p1, u1p1 | u0p2, u1p2].
const W1 = [[1, 2, -1, 0, 0.5, -3], [0.5, -1, 1, 0.25, -1, 1]];
const B1 = [0, 0, 0.5, 1, 1, -1];
const W2 = [1, -2];
const B2 = 0.5;
const X = [[1, 2], [-1, 1]];
// By hand, unit 0's pieces then unit 1's:
//   z(x0): u0 [2, 1.5, -0.5], u1 [0, 1.5, -2] -> units [2, 1.5] -> 2 - 3 + 0.5 = -0.5;
//   z(x1): u0 [-0.5, 2.5, -0.5], u1 [-3, 1.25, 3] -> units [2.5, 3] -> 2.5 - 6 + 0.5 = -3.
const UNITS = [[2, 1.5], [2.5, 3]];
const OUT = [-0.5, -3];

function tinyNet(name: string, options: { inputKeep?: number; hiddenKeep?: number } = {}): Net {
  const net = createMaxout({
    sizes: [2, 2, 1],
    pieces: 3,
    init: { kind: "uniform", scale: 0.005 },
    name,
    rng: new Rng(1, "init"),
    ...options,
  });
  const [w1, b1, w2, b2] = net.variables;
  w1.assign(tf.tensor2d(W1));
  b1.assign(tf.tensor1d(B1));
  w2.assign(tf.tensor2d(W2.map((v) => [v])));
  b2.assign(tf.tensor1d([B2]));
  return net;
}

for (const backend of ["wasm", "cpu"] as const) {
  Deno.test(`maxout: layer output and parameter gradients match hand-computed values (${backend})`, async () => {
    await useBackend(backend);
    const net = tinyNet(`maxout_hand_${backend}`);
    const x = tf.tensor2d(X);
    const units = tf.tidy(() =>
      maxoutPool(tf.add(tf.matMul(x, net.variables[0] as tf.Tensor2D), net.variables[1]), 3)
        .arraySync()
    );
    assert.deepEqual(units, UNITS);
    assert.deepEqual(Array.from(tf.tidy(() => net.apply(x).dataSync())), OUT);
    const { value, grads } = tf.variableGrads(() => tf.sum(net.apply(x)), net.variables);
    // d/db1: each sample's winning piece of unit u gets W2[u]: x0 wins u0p0 (column 0)
    // and u1p1 (column 3), x1 wins u0p1 (column 2) and u1p2 (column 5).
    assert.deepEqual(Array.from(grads[net.variables[1].name].dataSync()), [1, 0, 1, -2, 0, -2]);
    // d/dW1[i, col] = sum over samples winning col of x[i] * W2[unit].
    assert.deepEqual(
      Array.from(grads[net.variables[0].name].dataSync()),
      [1, 0, -1, -2, 0, 2, 2, 0, 1, -4, 0, -2],
    );
    // d/dW2 = sum of unit values; d/db2 = batch size.
    assert.deepEqual(Array.from(grads[net.variables[2].name].dataSync()), [4.5, 4.5]);
    assert.deepEqual(Array.from(grads[net.variables[3].name].dataSync()), [2]);
    tf.dispose([x, value, ...Object.values(grads)]);
    net.dispose();
  });
}

Deno.test("maxoutPool: piece-major blocks, ties give the gradient to the earliest piece", async () => {
  await useBackend("wasm");
  // 2 units x 3 pieces, columns [u0p0, u1p0, u0p1, u1p1, u0p2, u1p2].
  const z = tf.tensor2d([[1, 5, 3, 5, 3, 2]]);
  assert.deepEqual(tf.tidy(() => maxoutPool(z, 3).arraySync()), [[3, 5]]);
  const dz = tf.grad((t: tf.Tensor) => tf.sum(maxoutPool(t as tf.Tensor2D, 3)))(z);
  assert.deepEqual(Array.from(dz.dataSync()), [0, 1, 1, 0, 0, 0]);
  assert.equal(maxoutPool(z, 1), z);
  assert.throws(() => maxoutPool(z, 4), /6 columns are not a multiple of 4 pieces/);
  tf.dispose([z, dz]);
});

Deno.test("maxout: dropout on input (keep 0.8, x1.25) and hidden (keep 0.5, x2) matches a hand computation", async () => {
  await useBackend("wasm");
  const net = tinyNet("maxout_dropout");
  const x = tf.tensor2d(X);
  for (const seed of [1, 2, 3, 4, 5]) {
    // Masks in draw order: the input (2 x 2), then the hidden layer's output (2 x 2).
    const probe = new Rng(seed, "dropout");
    const inMask = dropoutMask(4, 0.8, probe);
    const hidMask = dropoutMask(4, 0.5, probe);
    const expected = X.map((row, r) => {
      const xin = row.map((v, i) => v * inMask[r * 2 + i]);
      const units = [0, 1].map((u) =>
        Math.max(
          ...[0, 1, 2].map((p) =>
            xin[0] * W1[0][p * 2 + u] + xin[1] * W1[1][p * 2 + u] + B1[p * 2 + u]
          ),
        ) * hidMask[r * 2 + u]
      );
      return units[0] * W2[0] + units[1] * W2[1] + B2;
    });
    const rng = new Rng(seed, "dropout");
    const got = tf.tidy(() => net.apply(x, { dropout: rng }).dataSync());
    expected.forEach((e, i) =>
      assert.ok(Math.abs(got[i] - e) < 1e-5, `seed ${seed}: ${got[i]} vs ${e}`)
    );
    assert.deepEqual(rng.state(), probe.state(), "drew exactly the two masks");
    const again = tf.tidy(() => net.apply(x, { dropout: new Rng(seed, "dropout") }).dataSync());
    assert.deepEqual(Array.from(again), Array.from(got), "same Rng state, same masks");
  }
  // Inference: no dropout, whatever the keep probabilities.
  assert.deepEqual(Array.from(tf.tidy(() => net.apply(x).dataSync())), OUT);
  tf.dispose(x);
  net.dispose();
});

Deno.test("maxout: dropout masks are drawn fresh on every call and work inside variableGrads", async () => {
  await useBackend("wasm");
  const net = createMaxout({
    sizes: [20, 8, 8, 1],
    pieces: 3,
    init: { kind: "uniform", scale: 0.5 },
    name: "maxout_fresh",
    rng: new Rng(3, "init"),
  });
  const x = tf.tensor2d(new Rng(4).uniforms(16 * 20), [16, 20]);
  const rng = new Rng(5, "dropout");
  const a = tf.tidy(() => net.apply(x, { dropout: rng }).dataSync());
  const b = tf.tidy(() => net.apply(x, { dropout: rng }).dataSync());
  assert.notDeepEqual(Array.from(a), Array.from(b));
  const before = tf.memory().numTensors;
  const { value, grads } = tf.variableGrads(
    () => tf.mean(net.apply(x, { dropout: new Rng(5, "dropout") })) as tf.Scalar,
    net.variables,
  );
  assert.equal(Object.keys(grads).length, net.variables.length);
  assert.ok(Math.abs(value.dataSync()[0] - Array.from(a).reduce((s, v) => s + v, 0) / 16) < 1e-5);
  tf.dispose([value, ...Object.values(grads)]);
  assert.equal(tf.memory().numTensors, before, "no leaked tensors");
  tf.dispose(x);
  net.dispose();
});

Deno.test("maxout: the paper's D has 784 -> 240x5 -> 240x5 -> 1, U(±0.005) weights, zero biases", async () => {
  await useBackend("wasm");
  const d = createMaxout({
    sizes: [784, 240, 240, 1],
    pieces: 5,
    init: { kind: "uniform", scale: 0.005 },
    name: "paper_D",
    rng: new Rng(0, "init"),
  });
  assert.deepEqual(d.variables.map((v) => v.shape), [[784, 1200], [1200], [240, 1200], [1200], [
    240,
    1,
  ], [1]]);
  assert.deepEqual(d.variables.map((v) => v.name), [
    "paper_D/maxout0/w",
    "paper_D/maxout0/b",
    "paper_D/maxout1/w",
    "paper_D/maxout1/b",
    "paper_D/dense2/w",
    "paper_D/dense2/b",
  ]);
  assert.equal(parameterCount(d), 784 * 1200 + 1200 + 240 * 1200 + 1200 + 240 + 1);
  for (const [i, v] of d.variables.entries()) {
    const data = v.dataSync();
    if (i % 2 === 1) assert.ok(data.every((x) => x === 0));
    else {assert.ok(
        data.every((x) => Math.abs(x) <= 0.005) && data.some((x) => Math.abs(x) > 0.0045),
      );}
  }
  // Same seed, same weights.
  const again = createMaxout({
    sizes: [784, 240, 240, 1],
    pieces: 5,
    init: { kind: "uniform", scale: 0.005 },
    name: "paper_D2",
    rng: new Rng(0, "init"),
  });
  d.variables.forEach((v, i) => assert.deepEqual(again.variables[i].dataSync(), v.dataSync()));
  d.dispose();
  again.dispose();
});

Deno.test("maxout: bad options are errors that name the field", () => {
  const base = {
    sizes: [4, 3, 1],
    pieces: 2,
    init: { kind: "glorot" as const },
    name: "bad",
    rng: new Rng(1),
  };
  assert.throws(() => createMaxout({ ...base, pieces: 0 }), /pieces must be a positive integer/);
  assert.throws(() => createMaxout({ ...base, inputKeep: 0 }), /inputKeep must be in \(0, 1\]/);
  assert.throws(() => createMaxout({ ...base, hiddenKeep: 1.2 }), /hiddenKeep must be in \(0, 1\]/);
  assert.throws(() => createMaxout({ ...base, sizes: [4] }), /sizes must be at least two/);
});

// --- Second-order gradients: the WGAN-GP penalty through maxout. ---

// Critic 2 -> maxout 2 x 3 -> 1 with parameters theta = [W1 (12), b1 (6), w2 (2)].
const GP_W1 = [[0.9, 0.2, -0.4, -0.7, 0.3, 0.5], [0.2, -0.6, 0.7, 0.4, -0.8, 1.1]];
const GP_B1 = [-0.1, 0, -0.2, 0.25, 0.3, -0.15];
const GP_W2 = [1.1, -0.6];

/** mean over samples of (||d critic / d x|| - 1)^2 at the interpolates, in float64. */
function penalty64(theta: number[]): number {
  const w1 = [theta.slice(0, 6), theta.slice(6, 12)];
  const b1 = theta.slice(12, 18);
  const w2 = theta.slice(18, 20);
  return penalty64From((x) => {
    const g = [0, 0];
    for (let u = 0; u < 2; u++) {
      const z = [0, 1, 2].map((p) =>
        x[0] * w1[0][p * 2 + u] + x[1] * w1[1][p * 2 + u] + b1[p * 2 + u]
      );
      const sorted = [...z].sort((a, b) => b - a);
      assert.ok(sorted[0] - sorted[1] > 0.05, "test point too close to a tie");
      const win = z.indexOf(sorted[0]) * 2 + u;
      g[0] += w2[u] * w1[0][win];
      g[1] += w2[u] * w1[1][win];
    }
    return g;
  });
}

for (const backend of ["wasm", "cpu"] as const) {
  Deno.test(`maxout: second-order gradients (gradient penalty) match float64 finite differences (${backend})`, async () => {
    await useBackend(backend);
    const net = createMaxout({
      sizes: [2, 2, 1],
      pieces: 3,
      init: { kind: "glorot" },
      name: `maxout_gp_${backend}`,
      rng: new Rng(1, "init"),
    });
    const [w1, b1, w2] = net.variables;
    w1.assign(tf.tensor2d(GP_W1));
    b1.assign(tf.tensor1d(GP_B1));
    w2.assign(tf.tensor2d(GP_W2.map((v) => [v])));
    const real = tf.tensor2d(GP_REAL);
    const fake = tf.tensor2d(GP_FAKE);
    const eps = tf.tensor2d(GP_EPS, [4, 1]);
    const { value, grads } = tf.variableGrads(() => {
      const xHat = tf.add(tf.mul(eps, real), tf.mul(tf.sub(1, eps), fake)) as tf.Tensor2D;
      const dx = tf.grad((t: tf.Tensor) => tf.sum(net.apply(t as tf.Tensor2D)))(xHat);
      const norm = tf.sqrt(tf.sum(tf.square(dx), 1));
      return tf.mean(tf.square(tf.sub(norm, 1))) as tf.Scalar;
    }, net.variables);
    const theta = [...GP_W1.flat(), ...GP_B1, ...GP_W2];
    assertPenaltyGradients(value, grads, [w1, b1, w2], theta, penalty64, backend);
    tf.dispose([real, fake, eps, value, ...Object.values(grads)]);
    net.dispose();
  });
}
