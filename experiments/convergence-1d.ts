import { defineExperiment } from "../mod.ts";

/**
 * Figure 1 and Theorem 1 of Goodfellow et al. (2014) in one dimension: p_g
 * moves toward p_data while D flattens toward 1/2, and at the end the value
 * of the game is near its global minimum -log 4. PAPER.md, claims
 * convergence-1d and global-optimum.
 */
export default defineExperiment({
  name: "convergence-1d",
  title: "Convergence of a 1-D GAN to p_data and D = 1/2",
  base: {
    data: { name: "gaussian-1d", mean: 4, std: 0.5, trainSize: 8192, validSize: 4096 },
    arch: { name: "mlp", noiseDim: 1, hidden: [32, 32] },
    loss: "non-saturating",
    optimizer: { name: "adam", lr: 1e-3, beta1: 0.5 },
    k: 1,
    gSteps: 1,
    batchSize: 128,
    steps: 3000,
    evalEvery: 100,
    evalSamples: 4000,
  },
  seeds: [0, 1, 2, 3, 4, 5, 6, 7],
  claims: ["convergence-1d", { id: "global-optimum", params: { tolerance: 0.1 } }],
});
