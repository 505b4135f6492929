/**
 * A planted study with a contrast for report tests: loss x lr x data, 5
 * seeds, least-squares covering 1.5 more modes (and 0.1 more hq_share)
 * everywhere, with seed-to-seed noise.
 *
 * @module
 */
import { evaluateContrasts } from "../../lib/claims/contrasts.ts";
import { planStudy, type PlantedRun, plantRuns } from "../../lib/claims/simulate.ts";

const JITTER = [0.3, -0.2, 0.1, -0.4, 0.2];
/** Arm A's own seed-to-seed noise, so its differences from B vary by seed. */
export const JITTER_A = [0.12, -0.05, 0.02, -0.1, 0.01];

function ring(modes: number, hq: number): PlantedRun {
  return {
    final: { modes, hq_share: hq, d_spread: 0.1, d_active: 1, g_spread: 1, d_gap: 0.01 },
    curves: [
      { step: 0, modes: 0, hq_share: 0 },
      { step: 100, modes: modes / 2, hq_share: hq / 2 },
      { step: 200, modes, hq_share: hq },
    ],
  };
}

/** loss x lr x data, 5 seeds; least-squares covers 1.5 more modes everywhere. */
export function study(
  report: Record<string, unknown> = {},
  base: Record<string, unknown> = {},
  effect = 1.5,
  name = "planted",
) {
  const planned = planStudy({
    base: { data: { name: "ring-8" }, steps: 200, evalEvery: 100, ...base },
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
      id: "LS vs NS",
      title: "Does least-squares cover more modes than non-saturating?",
    }],
  });
  const exp = { ...planned.exp, name, report };
  const s = plantRuns({ exp, plans: planned.plans }, (p, seed) => {
    const ls = p.loss === "least-squares";
    const base = p["data.name"] === "ring-8" ? 5 : 17;
    const a = ls ? JITTER_A[seed] : 0;
    return ring(
      base + (ls ? effect : 0) + JITTER[seed] + a,
      0.4 + (ls ? 0.1 : 0) + JITTER[seed] / 10 + a / 10,
    );
  });
  return { ...s, exp, contrasts: evaluateContrasts(exp, s.joined) };
}
