import { defineExperiment } from "../mod.ts";

/**
 * Saturation of the minimax loss (Goodfellow et al. 2014, section 3): early
 * in training D rejects G's samples with high confidence, log(1 - D(G(z)))
 * saturates and G's gradient vanishes; the non-saturating loss keeps it
 * alive. G starts far from the data (its outputs near 0, p_data =
 * N(4, 0.5^2)), D takes 5 steps per G step, and both nets train with SGD
 * and momentum as in the paper. Every evaluation logs both losses' G
 * gradients at the same (D, G) state; the claim compares them where D is
 * confident (D(G(z)) < 0.1) and compares how far each loss got over the
 * first 10% of training (PAPER.md, claim saturation). Both losses reach
 * p_data in the end (convergence-1d).
 */
export default defineExperiment({
  name: "saturation",
  title: "Minimax against non-saturating generator loss under SGD",
  base: {
    data: { name: "gaussian-1d", mean: 4, std: 0.5, trainSize: 4096, validSize: 2048 },
    arch: { name: "mlp", noiseDim: 1, hidden: [32, 32], gHidden: [], activation: "leaky-relu" },
    optimizer: { name: "sgd", lr: 0.05, momentum: 0.5 },
    k: 5,
    gSteps: 1,
    batchSize: 128,
    steps: 1000,
    evalEvery: 20,
    evalSamples: 2000,
  },
  sweep: { loss: ["minimax", "non-saturating"] },
  seeds: [0, 1, 2, 3, 4, 5, 6, 7],
  claims: ["saturation", "convergence-1d"],
});
