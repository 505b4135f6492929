import { defineExperiment } from "../mod.ts";
import { RING_BASELINE } from "./_baselines.ts";

/**
 * The "Helvetica scenario" (Goodfellow et al. 2014, section 4): G trained
 * too much without updating D collapses many z onto the same x. Sweeps the
 * G steps per D step on 8 Gaussians on a ring and 25 on a grid; modes
 * captured and the share of high-quality samples should drop as gSteps
 * grows (PAPER.md, claim mode-collapse; protocol of Metz et al. 2016).
 */
export default defineExperiment({
  name: "mode-collapse",
  title: "G steps per D step and mode collapse",
  base: { ...RING_BASELINE, steps: 1200 },
  sweep: { gSteps: [1, 2, 5], "data.name": ["ring-8", "grid-25"] },
  seeds: [0, 1, 2, 3, 4],
  claims: [{ id: "mode-collapse", params: { axis: "gSteps", metric: "modes" } }],
});
