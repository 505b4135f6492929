import { defineExperiment } from "../mod.ts";
import { RING_BASELINE } from "./_baselines.ts";

/**
 * Learning-rate sensitivity on the 8-Gaussian ring: the same GAN trained with
 * Adam at four learning rates. Shows how mode coverage, sample quality and
 * the value of the game depend on the step size (no claim of the paper; a
 * baseline study for comparisons).
 */
export default defineExperiment({
  name: "learning-rate",
  title: "Learning rate and mode coverage on the ring",
  base: { ...RING_BASELINE, steps: 1500 },
  sweep: { "optimizer.lr": [1e-4, 3e-4, 1e-3, 3e-3] },
  seeds: [0, 1, 2, 3, 4],
  claims: [],
});
