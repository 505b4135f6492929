/**
 * The written-out gradients of the GAN losses with respect to D's logits
 * against tfjs's automatic differentiation of `losses.ts`, for every
 * first-order loss, D's (with a scale) and G's.
 */
import assert from "node:assert/strict";
import * as tf from "@tensorflow/tfjs";
import { discriminatorLoss, generatorLoss } from "../../lib/gan/losses.ts";
import {
  discriminatorLogitGrads,
  FIRST_ORDER_LOSSES,
  generatorLogitGrads,
} from "../../lib/gan/loss_grads.ts";
import { Rng } from "../../lib/runtime/rng.ts";
import { useBackend } from "../_backend.ts";

await useBackend("cpu");

const REAL = 5;
const FAKE = 7;
// Logits on both sides of every kink (hinge at +-1), and far out.
const LOGITS = Float32Array.from([
  ...new Rng(1).uniforms(REAL - 2, -3, 3),
  1.5,
  -20,
  ...new Rng(2).uniforms(FAKE - 2, -3, 3),
  -1.5,
  25,
]);

function close(got: ArrayLike<number>, want: ArrayLike<number>, what: string): void {
  assert.equal(got.length, want.length, what);
  for (let i = 0; i < got.length; i++) {
    assert.ok(
      Math.abs(got[i] - want[i]) <= 1e-6 * (1 + Math.abs(want[i])),
      `${what} [${i}]: ${got[i]} vs ${want[i]}`,
    );
  }
}

for (const loss of FIRST_ORDER_LOSSES) {
  Deno.test(`loss gradients: ${loss}, D's (scaled) and G's, as tfjs differentiates them`, () => {
    const real = tf.tensor1d(LOGITS.subarray(0, REAL));
    const fake = tf.tensor1d(LOGITS.subarray(REAL));
    const [dReal, dFake] = tf.grads((r: tf.Tensor, f: tf.Tensor) =>
      tf.mul(0.5, discriminatorLoss(loss, r, f))
    )([real, fake]);
    const d = new Float32Array(REAL + FAKE);
    discriminatorLogitGrads(loss, LOGITS, REAL, FAKE, 0.5, d);
    close(d.subarray(0, REAL), dReal.dataSync(), `${loss} D real`);
    close(d.subarray(REAL), dFake.dataSync(), `${loss} D fake`);
    const gWant = tf.grad((f: tf.Tensor) => generatorLoss(loss, f))(fake);
    const g = new Float32Array(FAKE);
    generatorLogitGrads(loss, LOGITS.subarray(REAL), FAKE, g);
    close(g, gWant.dataSync(), `${loss} G`);
    tf.dispose([real, fake, dReal, dFake, gWant]);
  });
}

Deno.test("loss gradients: wasserstein-gp has none here (it needs second-order gradients)", () => {
  assert.throws(
    () => generatorLogitGrads("wasserstein-gp", LOGITS, 3, new Float32Array(3)),
    /loss "wasserstein-gp" has no hand-written gradient \(accepted: minimax, non-saturating, least-squares, hinge\)/,
  );
  assert.throws(
    () => discriminatorLogitGrads("wasserstein-gp", LOGITS, 3, 3, 1, new Float32Array(6)),
    /no hand-written gradient/,
  );
});
