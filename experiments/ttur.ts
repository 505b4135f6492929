import { cartesian, defineExperiment } from "../mod.ts";

/**
 * The two-time-scale update rule (TTUR, Heusel et al. 2017): D updated with
 * a larger step size than G. D's learning rate at 0.5, 1 (one time scale),
 * 3 and 10 times G's, set with `dOptimizer.lr` over the shared optimizer,
 * on two data sets, each with nets and an optimiser that train it:
 *
 * - a 2-D mixture, 8 Gaussians on a ring, with the MLPs of the synthetic
 *   studies (`arch.name` "mlp": noise 2, 128-128 ReLU) and Adam (G's rate
 *   2e-4, beta1 0.5); SGD does not train these nets in this budget;
 * - MNIST with the paper's nets (`arch.name` "maxout": ReLU G 100-1200-1200,
 *   maxout D 240x5-240x5 with dropout; the fast steps) and the paper's SGD
 *   with momentum 0.5 (G's rate 0.05, half the paper's, so that D at twice
 *   G's rate is the paper's 0.1).
 *
 * Both with the paper's simultaneous update and D's loss halved, batch 100,
 * 1,500 iterations (3 epochs of MNIST). Compared: the mixture's modes, share
 * of high-quality samples and mode balance; MNIST's classes covered, their
 * balance and the distance to the nearest training image; D's outputs. No
 * claim: the TTUR paper's claim is about FID at convergence, beyond this
 * budget; this is a comparison at a fixed, short budget.
 */
export default defineExperiment({
  name: "ttur",
  title: "Two time scales: D's learning rate against G's (TTUR)",
  base: {
    data: { name: "ring-8" },
    arch: { name: "mlp" },
    loss: "non-saturating",
    dLossScale: 0.5,
    update: "simultaneous",
    optimizer: { name: "adam", lr: 2e-4, beta1: 0.5 },
    batchSize: 100,
    steps: 1500,
    evalEvery: 500,
    evalSamples: 1000,
  },
  sweep: [
    ...cartesian({
      "data.name": ["ring-8"],
      "arch.name": ["mlp"],
      optimizer: [{ name: "adam", lr: 2e-4, beta1: 0.5 }],
      "dOptimizer.lr": [1e-4, 2e-4, 6e-4, 2e-3],
    }),
    ...cartesian({
      "data.name": ["mnist"],
      "arch.name": ["maxout"],
      optimizer: [{ name: "sgd", lr: 0.05, momentum: 0.5 }],
      "dOptimizer.lr": [0.025, 0.05, 0.15, 0.5],
    }),
  ],
  seeds: [0, 1, 2],
  claims: [],
});
