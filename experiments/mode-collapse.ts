import { defineExperiment, zip } from "../mod.ts";
import { RING_BASELINE } from "./_baselines.ts";

const G_UPDATES = 4000;
const G_STEPS = [1, 2, 5];

/**
 * The "Helvetica scenario" (Goodfellow et al. 2014, section 4): G trained
 * too much without updating D collapses many z onto the same x. Sweeps the
 * G steps per D step on 8 Gaussians on a ring while holding G's updates at
 * 4,000 per run (steps = 4,000 / gSteps, so D gets 4,000, 2,000 and 800
 * updates); modes captured with at least 0.8% of the samples (modes_hq),
 * averaged over the last three evaluations, should drop as gSteps grows
 * (PAPER.md, claim mode-collapse; protocol of Metz et al. 2016). At
 * gSteps 1 this baseline covers all 8 modes with 70-90% high-quality
 * samples. The 25-Gaussian grid is left out: at 5,000 updates this
 * baseline covers only 1 to 5 of its modes with 0.8% of the samples each
 * (5-11% high-quality samples), so it could not show a loss of coverage.
 */
export default defineExperiment({
  name: "mode-collapse",
  title: "G steps per D step and mode collapse, G's updates held fixed",
  base: { ...RING_BASELINE, steps: G_UPDATES },
  sweep: zip({
    gSteps: G_STEPS,
    steps: G_STEPS.map((g) => G_UPDATES / g),
    evalEvery: G_STEPS.map((g) => G_UPDATES / g / 10),
  }),
  seeds: [0, 1, 2, 3, 4],
  claims: [{ id: "mode-collapse", params: { axis: "gSteps", metric: "modes_hq" } }],
});
