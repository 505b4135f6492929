import { defineExperiment } from "../mod.ts";

/**
 * A control for the verdicts: the setting `convergence-1d` used before the
 * run health checks existed. A ReLU MLP D (32-32) on unscaled inputs near 4,
 * one D step per G step, Adam at 1e-3: D's units die and it ends as a
 * constant near 1/2 on every point, while the JS divergence of p_g from
 * p_data is still 0.14 to 0.30. V with that D is -log 4 for any G, which
 * the old global-optimum rule took as the optimum. Its runs fail the
 * `d_dead` health check, so both claims must come out INCONCLUSIVE (runs
 * that cannot be evidence), never PASS.
 */
export default defineExperiment({
  name: "convergence-1d-dead-d",
  title: "A 1-D GAN whose D dies: runs that cannot be evidence",
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
  claims: ["convergence-1d", "global-optimum"],
});
