/**
 * Second-order gradients in tfjs 4.22: the gradients of leakyRelu, maximum,
 * minimum, clipByValue and others call comparison ops (Greater, Less, ...)
 * that have no gradient of their own, so a gradient of a gradient (the
 * WGAN-GP penalty) fails with "gradient function not found for Greater".
 * Comparisons are piecewise constant: their gradient is zero almost
 * everywhere. Registering that once makes second-order gradients work on
 * every backend.
 *
 * @module
 */
import { tf } from "../deps.ts";

/** Comparison ops that get a zero gradient. */
export const COMPARISON_OPS = [
  "Greater",
  "GreaterEqual",
  "Less",
  "LessEqual",
  "Equal",
  "NotEqual",
] as const;

/** Registers zero gradients for the comparison ops that lack one (idempotent). */
export function registerComparisonGradients(): void {
  for (const kernelName of COMPARISON_OPS) {
    if (tf.getGradient(kernelName) !== undefined) continue;
    tf.registerGradient({
      kernelName,
      inputsToSave: ["a", "b"],
      gradFunc: (_dy: tf.Tensor | tf.Tensor[], saved: tf.Tensor[]) => ({
        a: () => tf.zerosLike(saved[0]),
        b: () => tf.zerosLike(saved[1]),
      }),
    });
  }
}
