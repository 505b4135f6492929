import assert from "node:assert/strict";
import { assertEffect, assertEvidence, byHand, check, plant, type PlantedRun } from "./fixtures.ts";

const G = [1, 2, 5];
const RING_FALLING = [-1.0, -1.2, -0.8, -1.1, -0.9];
const GRID_FALLING = [-3, -2.5, -3.5, -2.8, -3.2];

/**
 * gSteps x data.name study: final modes = (8 or 25) + slope[seed] ln gSteps,
 * hq_share = 0.9 - 0.05 ln gSteps; `other` may replace any run.
 */
function study(
  ring: number[],
  grid: number[],
  other?: (g: number, data: string, seed: number) => PlantedRun | undefined,
) {
  return plant({
    sweep: { gSteps: G, "data.name": ["ring-8", "grid-25"] },
    seeds: ring.map((_, i) => i),
    run(point, seed) {
      const g = point.gSteps as number;
      const data = point["data.name"] as string;
      const planted = other?.(g, data, seed);
      if (planted) return planted;
      const slope = data === "ring-8" ? ring[seed] : grid[seed];
      const top = data === "ring-8" ? 8 : 25;
      return { final: { modes: top + slope * Math.log(g), hq_share: 0.9 - 0.05 * Math.log(g) } };
    },
  });
}

Deno.test("mode-collapse: modes falling with gSteps on both data sets gives PASS, deciding level the weakest", () => {
  const p = study(RING_FALLING, GRID_FALLING);
  const r = check(p, "mode-collapse");
  assert.equal(r.verdict, "PASS", r.evidence);
  // ring-8: mean -1, sd 0.1581139, half-width 0.1963340 -> [-1.196, -0.8037] (nearer 0 than grid-25's).
  assertEffect(r, byHand(RING_FALLING));
  assertEvidence(
    r,
    "Per-seed slope of final modes on log gSteps at data.name=ring-8 (the deciding level of 2): -1 [-1.196, -0.8037] (mean [95% CI]; n = 5 seeds; gSteps = 1, 2, 5), entirely below 0.",
    "By level: data.name=ring-8 PASS, data.name=grid-25 PASS",
    "hq_share falls with gSteps (per-seed slope -0.05 [-0.05, -0.05])",
  );
  assert.equal(r.runs.length, 30);
  assert.deepEqual(r.params, {
    axis: "gSteps",
    metric: "modes",
    direction: "decreasing",
    minSeeds: 3,
  });
});

Deno.test("mode-collapse: every data set must hold; one without done runs blocks PASS", () => {
  const p = study(
    RING_FALLING,
    GRID_FALLING,
    (_g, data) => data === "grid-25" ? { state: "failed", final: null } : undefined,
  );
  const r = check(p, "mode-collapse");
  assert.equal(r.verdict, "INCONCLUSIVE", r.evidence);
  assert.equal(r.n, 0);
  assertEvidence(
    r,
    "at data.name=grid-25 (the deciding level of 2)",
    "too few seeds (n = 0, at least 3 required)",
    "By level: data.name=ring-8 PASS, data.name=grid-25 INCONCLUSIVE",
    "not used: 15 failed",
  );
  assert.equal(r.runs.length, 15);
});

Deno.test("mode-collapse: modes rising with gSteps gives FAIL", () => {
  const rising = RING_FALLING.map((x) => -x);
  const r = check(study(rising, GRID_FALLING.map((x) => -x)), "mode-collapse");
  assert.equal(r.verdict, "FAIL", r.evidence);
  assertEffect(r, byHand(rising));
  assertEvidence(
    r,
    "1 [0.8037, 1.196]",
    "entirely above 0",
    "By level: data.name=ring-8 FAIL, data.name=grid-25 FAIL",
  );
});

Deno.test("mode-collapse: direction 'increasing' turns the same rising data into PASS", () => {
  const rising = RING_FALLING.map((x) => -x);
  const r = check(study(rising, GRID_FALLING.map((x) => -x)), "mode-collapse", {
    direction: "increasing",
  });
  assert.equal(r.verdict, "PASS", r.evidence);
  assert.match(r.test, /PASS if every interval is above 0/);
});

Deno.test("mode-collapse: one data set too noisy gives INCONCLUSIVE, naming it", () => {
  const noisy = [-2, 1.5, -1, 2, -0.5];
  const r = check(study(RING_FALLING, noisy), "mode-collapse");
  assert.equal(r.verdict, "INCONCLUSIVE", r.evidence);
  assertEffect(r, byHand(noisy));
  assertEvidence(
    r,
    "at data.name=grid-25 (the deciding level of 2)",
    "which does not exclude 0",
    "By level: data.name=ring-8 PASS, data.name=grid-25 INCONCLUSIVE",
  );
});

Deno.test("mode-collapse: data sets that disagree give INCONCLUSIVE with the failing one as effect", () => {
  const r = check(study(RING_FALLING, GRID_FALLING.map((x) => -x)), "mode-collapse");
  assert.equal(r.verdict, "INCONCLUSIVE", r.evidence);
  assertEffect(r, byHand(GRID_FALLING.map((x) => -x)));
  assertEvidence(r, "By level: data.name=ring-8 PASS, data.name=grid-25 FAIL");
});

Deno.test("mode-collapse: two seeds are too few", () => {
  const r = check(study([-1, -1.2], [-3, -2.5]), "mode-collapse");
  assert.equal(r.verdict, "INCONCLUSIVE");
  assertEffect(r, byHand([-1, -1.2]));
  assertEvidence(r, "too few seeds (n = 2, at least 3 required)");
});

Deno.test("mode-collapse: diverged and failed runs are not evidence", () => {
  // Seeds 5 and 6 would give strongly rising modes (FAIL) if used.
  const p = study(
    [...RING_FALLING, 5, 5],
    [...GRID_FALLING, 5, 5],
    (g, _data, seed) =>
      seed >= 5
        ? {
          state: seed === 5 ? "diverged" : "failed",
          final: { modes: 5 * Math.log(g), hq_share: 1 },
        }
        : undefined,
  );
  const r = check(p, "mode-collapse");
  assert.equal(r.verdict, "PASS", r.evidence);
  assertEffect(r, byHand(RING_FALLING));
  assert.equal(r.runs.length, 30);
  assert.ok(!r.runs.includes(p.id({ gSteps: 5, "data.name": "ring-8" }, 5)));
  assertEvidence(r, "not used: 6 diverged, 6 failed");
});

Deno.test("mode-collapse: an unswept axis or an unlogged metric gives INCONCLUSIVE naming it", () => {
  const p = study(RING_FALLING, GRID_FALLING);
  const a = check(p, "mode-collapse", { axis: "k" });
  assert.equal(a.verdict, "INCONCLUSIVE");
  assertEvidence(a, 'does not sweep "k"', '"gSteps", "data.name"');
  const m = check(p, "mode-collapse", { metric: "mode_kl" });
  assert.equal(m.verdict, "INCONCLUSIVE");
  assertEvidence(m, '"mode_kl"', "they logged: modes, hq_share");
});

Deno.test("mode-collapse: hq_share is left out of the evidence when not logged", () => {
  const p = plant({
    sweep: { gSteps: G },
    seeds: [0, 1, 2],
    run: (point, seed) => ({
      final: { modes: 8 - (1 + 0.1 * seed) * Math.log(point.gSteps as number) },
    }),
  });
  const r = check(p, "mode-collapse");
  assert.equal(r.verdict, "PASS", r.evidence);
  assertEffect(r, byHand([-1, -1.1, -1.2]));
  assert.ok(!r.evidence.includes("hq_share"), r.evidence);
  assert.ok(!r.evidence.includes("By level"), r.evidence);
});

Deno.test("mode-collapse: a bad direction gives INCONCLUSIVE naming it", () => {
  const r = check(study(RING_FALLING, GRID_FALLING), "mode-collapse", { direction: "down" });
  assert.equal(r.verdict, "INCONCLUSIVE");
  assertEvidence(r, 'param "direction" is "down", expected "decreasing" or "increasing"');
});
