import assert from "node:assert/strict";
import * as tf from "@tensorflow/tfjs";
import { discriminatorLoss, generatorLoss } from "../../lib/gan/losses.ts";
import { sigmoid, softplus } from "../../lib/metrics/logistic.ts";
import { useBackend } from "../_backend.ts";

await useBackend("wasm");

function close(actual: number, expected: number, tol = 1e-5): void {
  assert.ok(Math.abs(actual - expected) <= tol, `${actual} is not within ${tol} of ${expected}`);
}

const real = [2, -1, 0.5];
const fake = [0.5, -3, 1];
const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;
const value = (loss: tf.Scalar) => {
  const v = loss.dataSync()[0];
  loss.dispose();
  return v;
};

Deno.test("losses: D loss of minimax and non-saturating is -E log D(x) - E log(1 - D(G(z)))", () => {
  const expected = mean(real.map((a) => -Math.log(sigmoid(a)))) +
    mean(fake.map((a) => -Math.log(1 - sigmoid(a))));
  for (const loss of ["minimax", "non-saturating"] as const) {
    close(value(discriminatorLoss(loss, tf.tensor1d(real), tf.tensor1d(fake))), expected);
  }
  // At D = 1/2 everywhere the D loss is 2 log 2 (V = -log 4).
  close(value(discriminatorLoss("minimax", tf.zeros([4]), tf.zeros([4]))), 2 * Math.LN2);
});

Deno.test("losses: G losses differ as in the paper", () => {
  close(
    value(generatorLoss("minimax", tf.tensor1d(fake))),
    mean(fake.map((a) => Math.log(1 - sigmoid(a)))),
  );
  close(
    value(generatorLoss("non-saturating", tf.tensor1d(fake))),
    mean(fake.map((a) => -Math.log(sigmoid(a)))),
  );
});

Deno.test("losses: least-squares and hinge match their closed forms", () => {
  close(
    value(discriminatorLoss("least-squares", tf.tensor1d(real), tf.tensor1d(fake))),
    0.5 * (mean(real.map((a) => (a - 1) ** 2)) + mean(fake.map((a) => a * a))),
  );
  close(
    value(generatorLoss("least-squares", tf.tensor1d(fake))),
    0.5 * mean(fake.map((a) => (a - 1) ** 2)),
  );
  close(
    value(discriminatorLoss("hinge", tf.tensor1d(real), tf.tensor1d(fake))),
    mean(real.map((a) => Math.max(0, 1 - a))) + mean(fake.map((a) => Math.max(0, 1 + a))),
  );
  close(value(generatorLoss("hinge", tf.tensor1d(fake))), -mean(fake));
});

Deno.test("losses: stable at extreme logits (softplus form, no Inf or NaN)", () => {
  const big = [80, -80];
  const d = value(discriminatorLoss("minimax", tf.tensor1d(big), tf.tensor1d(big)));
  close(d, mean(big.map((a) => softplus(-a))) + mean(big.map(softplus)), 1e-3);
  assert.ok(Number.isFinite(value(generatorLoss("non-saturating", tf.tensor1d([-100])))));
});

Deno.test("losses: minimax G gradient saturates where D rejects fakes, non-saturating does not", () => {
  const a = tf.tensor1d([-8]);
  const grad = (loss: "minimax" | "non-saturating") =>
    tf.grad((x: tf.Tensor) => generatorLoss(loss, x))(a).dataSync()[0];
  close(grad("minimax"), -sigmoid(-8), 1e-7); // about -3.4e-4: vanishing
  close(grad("non-saturating"), -(1 - sigmoid(-8)), 1e-6); // about -1: alive
  assert.ok(Math.abs(grad("non-saturating")) > 1000 * Math.abs(grad("minimax")));
});

Deno.test("losses: wasserstein-gp critic and generator terms match their closed forms", () => {
  close(
    value(discriminatorLoss("wasserstein-gp", tf.tensor1d(real), tf.tensor1d(fake))),
    mean(fake) - mean(real),
  );
  close(value(generatorLoss("wasserstein-gp", tf.tensor1d(fake))), -mean(fake));
});
