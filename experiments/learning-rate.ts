import { defineExperiment } from "../mod.ts";

/**
 * Learning-rate sensitivity on the 8-Gaussian ring: the same GAN trained with
 * Adam at four learning rates. Shows how mode coverage, sample quality and
 * the value of the game depend on the step size (no claim of the paper; a
 * baseline study for comparisons).
 */
export default defineExperiment({
  name: "learning-rate",
  title: "Learning rate and mode coverage on the ring",
  base: {
    data: { name: "ring-8", trainSize: 4096, validSize: 2048 },
    arch: { name: "mlp", noiseDim: 2, hidden: [128, 128] },
    loss: "non-saturating",
    optimizer: { name: "adam", lr: 1e-3, beta1: 0.5 },
    k: 1,
    gSteps: 1,
    batchSize: 128,
    steps: 1500,
    evalEvery: 100,
  },
  sweep: { "optimizer.lr": [1e-4, 3e-4, 1e-3, 3e-3] },
  seeds: [0, 1, 2, 3, 4],
  claims: [],
});
