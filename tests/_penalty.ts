/**
 * Test helper for the gradient-penalty checks (WGAN-GP through leakyRelu and
 * maxout critics): the points the penalty is taken at, the penalty in
 * float64 from a critic's input gradient, and the check of a penalty and
 * its parameter gradients against it.
 */
import assert from "node:assert/strict";
import type * as tf from "@tensorflow/tfjs";
import { assertCentralDifferences } from "./_finite_diff.ts";

/** Real samples (4 x 2). */
export const GP_REAL = [[1, 2], [-1, 0.5], [0.3, -1.2], [2, -0.7]];
/** Generated samples (4 x 2). */
export const GP_FAKE = [[0.5, -1], [1.5, 1], [-0.8, 0.4], [0.1, 0.9]];
/** Interpolation weights: x_i = eps_i real_i + (1 - eps_i) fake_i. */
export const GP_EPS = [0.25, 0.6, 0.9, 0.4];

/**
 * The penalty mean_i (||grad_x D(x_i)|| - 1)^2 over the interpolates, in
 * float64, from the critic's input gradient at a point.
 */
export function penalty64From(inputGradient: (x: number[]) => number[]): number {
  let total = 0;
  GP_REAL.forEach((r, i) => {
    const x = [0, 1].map((j) => GP_EPS[i] * r[j] + (1 - GP_EPS[i]) * GP_FAKE[i][j]);
    const g = inputGradient(x);
    total += (Math.hypot(g[0], g[1]) - 1) ** 2;
  });
  return total / GP_REAL.length;
}

/**
 * Asserts that a penalty `value` equals `penalty64(theta)` and that its
 * gradients with respect to `params` (flattened in order, as theta) match
 * float64 central differences of `penalty64`.
 */
export function assertPenaltyGradients(
  value: tf.Scalar,
  grads: tf.NamedTensorMap,
  params: tf.Variable[],
  theta: number[],
  penalty64: (theta: number[]) => number,
  label: string,
): void {
  assert.ok(Math.abs(value.dataSync()[0] - penalty64(theta)) < 1e-5);
  const got = params.flatMap((p) => [...grads[p.name].dataSync()]);
  assertCentralDifferences(got, theta, penalty64, { h: 1e-6, tol: 1e-4, label });
}
