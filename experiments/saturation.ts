import { defineExperiment } from "../mod.ts";

/**
 * Saturation of the minimax loss (Goodfellow et al. 2014, section 3): early
 * in training D rejects G's samples with high confidence, log(1 - D(G(z)))
 * saturates and G's gradient vanishes; the non-saturating loss keeps it
 * alive. G starts far from the data (N(4, 0.5^2) against G's outputs near
 * 0) and D takes 5 steps per G step, so D wins quickly (PAPER.md, claim
 * saturation).
 */
export default defineExperiment({
  name: "saturation",
  title: "Minimax against non-saturating generator loss",
  base: {
    data: { name: "gaussian-1d", mean: 4, std: 0.5, trainSize: 4096, validSize: 2048 },
    arch: { name: "mlp", noiseDim: 1, hidden: [32, 32] },
    optimizer: { name: "adam", lr: 1e-3, beta1: 0.5 },
    k: 5,
    gSteps: 1,
    batchSize: 128,
    steps: 800,
    evalEvery: 20,
    evalSamples: 2000,
  },
  sweep: { loss: ["minimax", "non-saturating"] },
  seeds: [0, 1, 2, 3, 4, 5, 6, 7],
  claims: ["saturation", "convergence-1d"],
});
