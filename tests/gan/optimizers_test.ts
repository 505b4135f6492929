import assert from "node:assert/strict";
import * as tf from "@tensorflow/tfjs";
import { createOptimizer, sgdSchedule } from "../../lib/gan/optimizers.ts";
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

Deno.test("sgdSchedule: the paper's learning-rate decay with its floor", () => {
  const config = { name: "sgd" as const, lr: 0.1, momentum: 0.5, lrDecay: 1.000004, lrMin: 1e-6 };
  assert.equal(sgdSchedule(config, 0, 500).lr, 0.1);
  close(sgdSchedule(config, 1, 500).lr, 0.1 / 1.000004, 1e-12);
  close(sgdSchedule(config, 100_000, 500).lr, 0.1 / Math.pow(1.000004, 100_000), 1e-12);
  // 0.1 / 1.000004^t falls below 1e-6 after about 2.9 million updates.
  assert.equal(sgdSchedule(config, 5_000_000, 500).lr, 1e-6);
  // No schedule: constant.
  assert.deepEqual(sgdSchedule({ name: "sgd", lr: 0.1, momentum: 0.5 }, 10_000, 500), {
    lr: 0.1,
    momentum: 0.5,
  });
});

Deno.test("sgdSchedule: momentum ramps linearly by whole epochs, then stays", () => {
  const config = {
    name: "sgd" as const,
    lr: 0.1,
    momentum: 0.5,
    momentumEnd: 0.7,
    momentumRampEpochs: 250,
  };
  assert.equal(sgdSchedule(config, 0, 500).momentum, 0.5);
  assert.equal(sgdSchedule(config, 499, 500).momentum, 0.5); // still epoch 0
  close(sgdSchedule(config, 500, 500).momentum, 0.5 + 0.2 / 250, 1e-12);
  close(sgdSchedule(config, 125 * 500, 500).momentum, 0.6, 1e-12);
  close(sgdSchedule(config, 250 * 500, 500).momentum, 0.7, 1e-12);
  close(sgdSchedule(config, 900 * 500, 500).momentum, 0.7, 1e-12);
});

Deno.test("sgd with schedules: updates use the scheduled lr and momentum", () => {
  const w = tf.variable(tf.tensor1d([1]));
  const opt = createOptimizer(
    { name: "sgd", lr: 0.1, momentum: 0.5, lrDecay: 2, momentumEnd: 0.9, momentumRampEpochs: 1 },
    [w],
    { updatesPerEpoch: 1 },
  );
  opt.apply([tf.tensor1d([1])]); // t=0: lr 0.1, m 0.5: v = -0.1, w = 0.9
  opt.apply([tf.tensor1d([1])]); // t=1: lr 0.05, m 0.9: v = -0.09 - 0.05 = -0.14, w = 0.76
  close(w.dataSync()[0], 0.76, 1e-6);
});
