import { defineExperiment, zip } from "../mod.ts";
import { RING_BASELINE } from "./_baselines.ts";

const G_UPDATES = 1200;

/**
 * The "Helvetica scenario" (Goodfellow et al. 2014, section 4): G trained
 * too much without updating D collapses many z onto the same x. Sweeps the
 * G steps per D step on 8 Gaussians on a ring and 25 on a grid while
 * holding G's updates at 1,200 per run (steps = 1,200 / gSteps, so D gets
 * 1,200, 600 and 240 updates); modes captured with at least 0.8% of the
 * samples, averaged over the last three evaluations, should drop as gSteps
 * grows (PAPER.md, claim mode-collapse; protocol of Metz et al. 2016).
 */
export default defineExperiment({
  name: "mode-collapse",
  title: "G steps per D step and mode collapse, G's updates held fixed",
  base: { ...RING_BASELINE, steps: G_UPDATES },
  sweep: zip({
    gSteps: [1, 2, 5],
    steps: [1, 2, 5].map((g) => G_UPDATES / g),
    evalEvery: [1, 2, 5].map((g) => G_UPDATES / g / 12),
  }).flatMap((p) => ["ring-8", "grid-25"].map((d) => ({ ...p, "data.name": d }))),
  seeds: [0, 1, 2, 3, 4],
  claims: [{ id: "mode-collapse", params: { axis: "gSteps", metric: "modes_hq" } }],
});
