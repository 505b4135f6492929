/**
 * Baselines that several studies share, so a study states only what it
 * changes. Not a study itself (the leading underscore): experiment files
 * import these and spread them into their `base`.
 *
 * @module
 */
import type { PartialConfig } from "../mod.ts";

/**
 * The 2-D mixture baseline of the learning-rate, loss-variant and
 * mode-collapse studies: 8 Gaussians on a ring (4,096 training points), an
 * MLP 2-128-128 for both nets, the non-saturating loss, Adam at 1e-3 with
 * beta1 0.5, one D step and one G step per iteration, batch 128, evaluated
 * every 100 iterations.
 */
export const RING_BASELINE = {
  data: { name: "ring-8", trainSize: 4096, validSize: 2048 },
  arch: { name: "mlp", noiseDim: 2, hidden: [128, 128] },
  loss: "non-saturating",
  optimizer: { name: "adam", lr: 1e-3, beta1: 0.5 },
  k: 1,
  gSteps: 1,
  batchSize: 128,
  evalEvery: 100,
} as const satisfies PartialConfig;
