import { defineExperiment } from "../mod.ts";
import { RING_BASELINE } from "./_baselines.ts";

/**
 * Is the least-squares loss (Mao et al. 2017) better than the
 * non-saturating loss (Goodfellow et al. 2014) at covering the modes of
 * 8 Gaussians on a ring and 25 on a grid, and does the answer depend on
 * the learning rate? Same nets, Adam and budget for both losses; four
 * learning rates; five seeds per configuration. The contrast compares the
 * two losses seed by seed at each learning rate and data set (modes
 * captured, share of high-quality samples), averaged over them, and tests
 * whether the difference depends on lr or on the data set.
 */
export default defineExperiment({
  name: "ls-vs-ns",
  title: "Least-squares vs non-saturating: modes covered on ring-8 and grid-25 across lr",
  base: { ...RING_BASELINE, steps: 1200 },
  sweep: {
    loss: ["least-squares", "non-saturating"],
    "optimizer.lr": [1e-4, 3e-4, 1e-3, 3e-3],
    "data.name": ["ring-8", "grid-25"],
  },
  seeds: [0, 1, 2, 3, 4],
  contrasts: [{
    axis: "loss",
    a: "least-squares",
    b: "non-saturating",
    metrics: ["modes", "hq_share"],
    better: "higher",
    id: "LS vs NS",
    title: "Does least-squares cover more modes than non-saturating?",
  }],
  report: {
    names: { "optimizer.lr": "lr", "data.name": "data", modes: "modes", hq_share: "hq share" },
    values: { loss: { "least-squares": "LS", "non-saturating": "NS" } },
  },
});
