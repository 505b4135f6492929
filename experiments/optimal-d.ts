import { defineExperiment } from "../mod.ts";

/**
 * Proposition 1 of Goodfellow et al. (2014): for a fixed G the optimal D is
 * D*(x) = p_data(x) / (p_data(x) + p_g(x)). G is linear on Gaussian noise
 * (no hidden layer), so p_g = N(b, w^2) is known in closed form, and it is
 * frozen at its random initialisation (`gSteps: 0`); D alone is trained to
 * convergence and its output is compared with the analytic D* on a grid over
 * p_data's mean +- 3 sd (metric `dstar_err`). PAPER.md, claim optimal-d.
 */
export default defineExperiment({
  name: "optimal-d",
  title: "The optimal discriminator for a fixed generator",
  base: {
    data: { name: "gaussian-1d", mean: 1.5, std: 1, trainSize: 16384, validSize: 4096 },
    arch: { name: "mlp", noiseDim: 1, hidden: [64, 64], gHidden: [] },
    loss: "non-saturating",
    optimizer: { name: "adam", lr: 1e-3, beta1: 0.5 },
    k: 1,
    gSteps: 0,
    batchSize: 512,
    steps: 3000,
    evalEvery: 250,
    evalSamples: 5000,
  },
  seeds: [0, 1, 2, 3, 4],
  claims: [{ id: "optimal-d", params: { threshold: 0.1 } }],
});
