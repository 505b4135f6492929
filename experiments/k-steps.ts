import { defineExperiment } from "../mod.ts";

/**
 * Discriminator steps per generator step (Algorithm 1's k) on a small
 * training set: the more D is optimised in the inner loop, the more it
 * overfits the finite sample (PAPER.md, claim d-overfits). The control
 * level trains on 4,096 points, where D cannot overfit: the gap between
 * D's output on training and on held-out reals must grow less there, or a
 * rising gap would only say that D wins against G.
 */
export default defineExperiment({
  name: "k-steps",
  title: "Discriminator steps per generator step",
  base: {
    data: { name: "ring-8", trainSize: 64, validSize: 2048, std: 0.2 },
    arch: { name: "mlp", noiseDim: 2, hidden: [128, 128] },
    loss: "non-saturating",
    optimizer: { name: "adam", lr: 1e-3, beta1: 0.5 },
    k: 1,
    gSteps: 1,
    batchSize: 64,
    steps: 600,
    evalEvery: 50,
  },
  sweep: { k: [1, 2, 5, 10], "data.trainSize": [64, 4096] },
  seeds: [0, 1, 2, 3, 4],
  claims: ["d-overfits"],
});
