/**
 * The WGAN-GP gradient penalty needs a gradient of a gradient through
 * leakyRelu: after `registerComparisonGradients` (done by initBackend) its
 * parameter gradients agree with float64 finite differences on wasm and cpu.
 */
import { assertPenaltyGradients, GP_EPS, GP_FAKE, GP_REAL, penalty64From } from "../_penalty.ts";
import assert from "node:assert/strict";
import * as tf from "@tensorflow/tfjs";
import { gradientPenalty } from "../../lib/gan/losses.ts";
import { train } from "../../lib/gan/train.ts";
import { config } from "../_config.ts";
import { useBackend } from "../_backend.ts";

// A critic 2 -> 3 (leaky-relu 0.2) -> 1 with fixed weights, away from the kinks.
const W1 = [[0.9, -0.4, 0.3], [0.2, 0.7, -0.8]];
const B1 = [0.1, -0.2, 0.3];
const W2 = [1.1, -0.6, 0.5];
const B2 = 0.05;

/** The penalty in float64 for parameters theta = [W1 (6), b1 (3), w2 (3)]. */
function penalty64(theta: number[]): number {
  const w1 = [theta.slice(0, 3), theta.slice(3, 6)];
  const b1 = theta.slice(6, 9);
  const w2 = theta.slice(9, 12);
  return penalty64From((x) => {
    const slope = [0, 1, 2].map((h) => {
      const z = x[0] * w1[0][h] + x[1] * w1[1][h] + b1[h];
      assert.ok(Math.abs(z) > 0.05, "test point too close to a kink");
      return z > 0 ? 1 : 0.2;
    });
    return [0, 1].map((j) => [0, 1, 2].reduce((a, h) => a + w1[j][h] * slope[h] * w2[h], 0));
  });
}

async function checkOn(backend: "wasm" | "cpu") {
  await useBackend(backend);
  const w1 = tf.variable(tf.tensor2d(W1));
  const b1 = tf.variable(tf.tensor1d(B1));
  const w2 = tf.variable(tf.tensor2d(W2.map((v) => [v])));
  const b2 = tf.variable(tf.scalar(B2));
  const critic = (x: tf.Tensor2D) =>
    tf.add(tf.matMul(tf.leakyRelu(tf.add(tf.matMul(x, w1), b1), 0.2), w2), b2);
  const { value, grads } = tf.variableGrads(
    () =>
      gradientPenalty(
        critic,
        tf.tensor2d(GP_REAL),
        tf.tensor2d(GP_FAKE),
        tf.tensor2d(GP_EPS, [4, 1]),
      ),
    [w1, b1, w2, b2],
  );
  const theta = [...W1.flat(), ...B1, ...W2];
  assertPenaltyGradients(value, grads, [w1, b1, w2], theta, penalty64, backend);
  // b2 shifts D but not its input gradient: no gradient (tfjs leaves it out) or zero.
  const gb2 = grads[b2.name];
  assert.ok(gb2 === undefined || Math.abs(gb2.dataSync()[0]) < 1e-7);
  tf.dispose([w1, b1, w2, b2, value, ...Object.values(grads)]);
}

Deno.test("gradient penalty: second-order gradients through leakyRelu match finite differences (wasm)", async () => {
  await checkOn("wasm");
});

Deno.test("gradient penalty: second-order gradients through leakyRelu match finite differences (cpu)", async () => {
  try {
    await checkOn("cpu");
  } finally {
    await useBackend("wasm");
  }
});

Deno.test("wasserstein-gp trains a leaky-relu critic deterministically", async () => {
  await useBackend("wasm");
  const partial = {
    data: { name: "ring-8", trainSize: 64, validSize: 64 },
    arch: { name: "mlp", noiseDim: 2, hidden: [16], activation: "leaky-relu" },
    loss: "wasserstein-gp",
    gpWeight: 5,
    k: 2,
    batchSize: 16,
    steps: 6,
    evalEvery: 3,
    evalSamples: 50,
  };
  const run = config(partial);
  const a = await train(run);
  const b = await train(run);
  assert.equal(a.state, "done");
  assert.ok(a.rows.every((r) => Number.isFinite(r.d_loss) && Number.isFinite(r.d_grad_norm)));
  assert.deepEqual(a.rows, b.rows);
  // The penalty weight matters: without it the critic's loss differs.
  const c = await train({ ...run, gpWeight: 0 });
  assert.notEqual(a.rows[1].d_loss, c.rows[1].d_loss);
});
