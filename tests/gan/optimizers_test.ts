import assert from "node:assert/strict";
import * as tf from "@tensorflow/tfjs";
import { createOptimizer } from "../../lib/gan/optimizers.ts";
import { useBackend } from "../_backend.ts";

await useBackend("wasm");

function close(actual: number, expected: number, tol = 1e-6): void {
  assert.ok(Math.abs(actual - expected) <= tol, `${actual} is not within ${tol} of ${expected}`);
}

Deno.test("adam: the first step moves each weight by lr against the gradient's sign", () => {
  const w = tf.variable(tf.tensor1d([1, 2]));
  const opt = createOptimizer({ name: "adam", lr: 0.1, beta1: 0.5, beta2: 0.999, eps: 1e-8 }, [w]);
  opt.apply([tf.tensor1d([3, -0.5])]);
  const [a, b] = w.dataSync();
  close(a, 0.9, 1e-6);
  close(b, 2.1, 1e-6);
  assert.equal(opt.iterations, 1);
  opt.dispose();
  w.dispose();
});

Deno.test("adam: second step follows the bias-corrected moments", () => {
  const w = tf.variable(tf.tensor1d([0]));
  const [lr, b1, b2, eps] = [0.01, 0.9, 0.99, 1e-8];
  const opt = createOptimizer({ name: "adam", lr, beta1: b1, beta2: b2, eps }, [w]);
  opt.apply([tf.tensor1d([1])]);
  opt.apply([tf.tensor1d([3])]);
  const m = b1 * (1 - b1) * 1 + (1 - b1) * 3;
  const v = b2 * (1 - b2) * 1 + (1 - b2) * 9;
  const step2 = (lr * m / (1 - b1 ** 2)) / (Math.sqrt(v / (1 - b2 ** 2)) + eps);
  close(w.dataSync()[0], -lr - step2, 1e-6);
});

Deno.test("sgd: heavy-ball momentum accumulates velocity", () => {
  const w = tf.variable(tf.tensor1d([1]));
  const opt = createOptimizer({ name: "sgd", lr: 0.1, momentum: 0.5 }, [w]);
  opt.apply([tf.tensor1d([1])]); // v = -0.1, w = 0.9
  opt.apply([tf.tensor1d([1])]); // v = -0.05 - 0.1 = -0.15, w = 0.75
  close(w.dataSync()[0], 0.75);
  assert.equal(opt.iterations, 2);
});
