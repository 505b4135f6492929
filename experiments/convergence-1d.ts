import { defineExperiment } from "../mod.ts";

/**
 * Figure 1 and Theorem 1 of Goodfellow et al. (2014) in one dimension: p_g
 * moves toward p_data = N(4, 0.5^2) and reaches it, and at the end the
 * virtual training criterion C(G) (the value with the optimal D for the
 * final G) is at its global minimum -log 4, where D* = 1/2 everywhere.
 * PAPER.md, claims convergence-1d and global-optimum.
 *
 * G is linear on 1-D Gaussian noise, so p_g = N(b, w^2) can equal p_data
 * exactly; D is a leaky-ReLU MLP (its units cannot all die) with two steps
 * per G step so it stays near its optimum; Adam at 2e-3 lets G travel the 4
 * units from its start within the budget (Adam moves a parameter by about
 * lr per step). `convergence-1d-dead-d.ts` keeps the setting this study
 * had before, whose D dies: its runs are not evidence.
 */
export default defineExperiment({
  name: "convergence-1d",
  title: "Convergence of a 1-D GAN to p_data, C(G) = -log 4 and D* = 1/2",
  base: {
    data: { name: "gaussian-1d", mean: 4, std: 0.5, trainSize: 8192, validSize: 4096 },
    arch: { name: "mlp", noiseDim: 1, hidden: [32, 32], gHidden: [], activation: "leaky-relu" },
    loss: "non-saturating",
    optimizer: { name: "adam", lr: 2e-3, beta1: 0.5 },
    k: 2,
    gSteps: 1,
    batchSize: 128,
    steps: 4000,
    evalEvery: 100,
    evalSamples: 4000,
  },
  seeds: [0, 1, 2, 3, 4, 5, 6, 7],
  claims: ["convergence-1d", "global-optimum"],
});
