import assert from "node:assert/strict";
import {
  assertEffect,
  assertEvidence,
  assertHealth,
  byHand,
  check,
  plant,
  type PlantedRun,
  slopeByHand,
} from "./fixtures.ts";

const G = [1, 2, 5];
const RING_FALLING = [-1.0, -1.2, -0.8, -1.1, -0.9];
const GRID_FALLING = [-3, -2.5, -3.5, -2.8, -3.2];

/**
 * The last three evaluations around their mean: at gSteps 1 the last one dips by 3,
 * at gSteps 5 it jumps by 3, so the final snapshot alone rises with gSteps by
 * slopeByHand(ln G, [-3, 0, 3]) while the mean of the last three does not move.
 */
const WOBBLE: Record<number, number[]> = {
  1: [1.5, 1.5, -3],
  2: [0, 0, 0],
  5: [-1.5, -1.5, 3],
};

/**
 * gSteps x data.name study: over the last three evaluations (steps 180, 190, 200)
 * modes_hq averages (8 or 25) + slope[seed] ln gSteps (WOBBLE around it), and
 * hq_share = 0.9 - 0.05 ln gSteps; step 0 has modes_hq 0. The final metrics are
 * the last evaluation's. `other` may replace any run, `extra` adds final metrics.
 */
function study(
  ring: number[],
  grid: number[],
  opts: {
    other?: (g: number, data: string, seed: number) => PlantedRun | undefined;
    extra?: (g: number, data: string, seed: number) => Record<string, number>;
  } = {},
) {
  return plant({
    sweep: { gSteps: G, "data.name": ["ring-8", "grid-25"] },
    seeds: ring.map((_, i) => i),
    run(point, seed) {
      const g = point.gSteps as number;
      const data = point["data.name"] as string;
      const planted = opts.other?.(g, data, seed);
      if (planted) return planted;
      const slope = data === "ring-8" ? ring[seed] : grid[seed];
      const mean = (data === "ring-8" ? 8 : 25) + slope * Math.log(g);
      const hq = 0.9 - 0.05 * Math.log(g);
      const curves = [
        { step: 0, modes_hq: 0, hq_share: 0 },
        ...[180, 190, 200].map((step, i) => ({
          step,
          modes_hq: mean + WOBBLE[g][i],
          hq_share: hq,
        })),
      ];
      return {
        final: { modes_hq: mean + WOBBLE[g][2], hq_share: hq, ...opts.extra?.(g, data, seed) },
        curves,
      };
    },
  });
}

Deno.test("mode-collapse: modes_hq (mean of the last 3 evaluations) falling with gSteps on both data sets gives PASS", () => {
  const p = study(RING_FALLING, GRID_FALLING);
  const r = check(p, "mode-collapse");
  assert.equal(r.verdict, "PASS", r.evidence);
  // ring-8: mean -1, sd 0.1581139, half-width 0.1963340 -> [-1.196, -0.8037] (nearer 0 than grid-25's).
  assertEffect(r, byHand(RING_FALLING));
  assert.equal(r.effect.name, "slope of modes_hq on log gSteps");
  assert.equal(
    r.evidence,
    "Per-seed slope of modes_hq (mean of the last 3 evaluations) on log gSteps at " +
      "data.name=ring-8 (the deciding level of 2): -1 [-1.196, -0.8037] (mean [95% CI]; n = 5 " +
      "seeds; gSteps = 1, 2, 5), entirely below 0. By level: data.name=ring-8 PASS, " +
      "data.name=grid-25 PASS; hq_share falls with gSteps (per-seed slope -0.05 [-0.05, -0.05]); " +
      "the study varies G's updates per run with gSteps (1: 200, 2: 400, 5: 1000; D's updates: " +
      "200), so more G updates and more G updates per D update go together here.",
  );
  assert.equal(r.runs.length, 30);
  assert.deepEqual(r.params, {
    axis: "gSteps",
    metric: "modes_hq",
    direction: "decreasing",
    lastEvals: 3,
    minSeeds: 3,
  });
  assert.match(r.test, /averaged over each run's last 3 evaluations/);
});

Deno.test("mode-collapse: one final snapshot does not decide (lastEvals 1 reads only the last evaluation)", () => {
  const p = study(RING_FALLING, GRID_FALLING);
  // The last evaluation alone: slope + slopeByHand(ln G, [-3, 0, 3]) = slope + 3.7043
  // (Sxy 4.8283 / Sxx 1.3034): rising on both data sets, so FAIL; the weaker fail is
  // grid-25's (mean -3 + 3.7043).
  const shift = slopeByHand(G.map(Math.log), [-3, 0, 3]);
  assert.ok(Math.abs(shift - 3.704274) < 1e-6, String(shift));
  const last = check(p, "mode-collapse", { lastEvals: 1 });
  assert.equal(last.verdict, "FAIL", last.evidence);
  assertEvidence(last, "By level: data.name=ring-8 FAIL, data.name=grid-25 FAIL");
  assertEffect(last, byHand(GRID_FALLING.map((x) => x + shift)));
  assertEvidence(last, "(mean of the last 1 evaluations)");
  const bad = check(p, "mode-collapse", { lastEvals: 0 });
  assert.equal(bad.verdict, "INCONCLUSIVE");
  assertEvidence(bad, 'param "lastEvals" is 0, expected an integer >= 1');
});

Deno.test("mode-collapse: every data set must hold; one without done runs blocks PASS", () => {
  const p = study(RING_FALLING, GRID_FALLING, {
    other: (_g, data) => data === "grid-25" ? { state: "failed", final: null } : undefined,
  });
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

Deno.test("mode-collapse: modes_hq rising with gSteps gives FAIL; direction 'increasing' makes it PASS", () => {
  const rising = RING_FALLING.map((x) => -x);
  const p = study(rising, GRID_FALLING.map((x) => -x));
  const r = check(p, "mode-collapse");
  assert.equal(r.verdict, "FAIL", r.evidence);
  assertEffect(r, byHand(rising));
  assertEvidence(
    r,
    "1 [0.8037, 1.196]",
    "entirely above 0",
    "By level: data.name=ring-8 FAIL, data.name=grid-25 FAIL",
  );
  const inc = check(p, "mode-collapse", { direction: "increasing" });
  assert.equal(inc.verdict, "PASS", inc.evidence);
  assert.match(inc.test, /PASS if every interval is above 0/);
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
  const p = study([...RING_FALLING, 5, 5], [...GRID_FALLING, 5, 5], {
    other: (g, _data, seed) =>
      seed >= 5
        ? {
          state: seed === 5 ? "diverged" : "failed",
          final: { modes_hq: 5 * Math.log(g), hq_share: 1 },
          curves: [{ step: 200, modes_hq: 5 * Math.log(g), hq_share: 1 }],
        }
        : undefined,
  });
  const r = check(p, "mode-collapse");
  assert.equal(r.verdict, "PASS", r.evidence);
  assertEffect(r, byHand(RING_FALLING));
  assert.equal(r.runs.length, 30);
  assert.ok(!r.runs.includes(p.id({ gSteps: 5, "data.name": "ring-8" }, 5)));
  assertEvidence(r, "not used: 6 diverged, 6 failed");
});

Deno.test("mode-collapse: a collapsed G is the effect measured, so its runs stay evidence", () => {
  // At gSteps 5, G's samples have almost no spread (g_spread 0.05): g_collapsed, tolerated.
  const p = study(RING_FALLING, GRID_FALLING, {
    extra: (g) => ({ g_spread: g === 5 ? 0.05 : 0.8 }),
  });
  assertHealth(p, (point) => point.gSteps === 5 ? ["g_collapsed"] : []);
  const r = check(p, "mode-collapse");
  assert.equal(r.verdict, "PASS", r.evidence);
  assertEffect(r, byHand(RING_FALLING));
  assert.equal(r.runs.length, 30);
  assert.ok(!r.evidence.includes("not used"), r.evidence);
});

Deno.test("mode-collapse: runs whose D died or that never moved from their start are invalid, never evidence", () => {
  // Seeds 5 and 6 rise with gSteps (FAIL if used). Seed 5: D's hidden units all dead; seed 6:
  // modes and hq_share at or below their step-0 values (no progress).
  const rising = (g: number, seed: number): PlantedRun => ({
    final: {
      modes_hq: 5 * Math.log(g),
      hq_share: 0.3,
      modes: 2,
      ...(seed === 5 ? { d_active: 0 } : {}),
    },
    curves: [
      { step: 0, modes_hq: 0, hq_share: seed === 6 ? 0.4 : 0, modes: seed === 6 ? 3 : 0 },
      { step: 200, modes_hq: 5 * Math.log(g), hq_share: 0.3, modes: 2 },
    ],
  });
  const p = study([...RING_FALLING, 5, 5], [...GRID_FALLING, 5, 5], {
    other: (g, _data, seed) => seed >= 5 ? rising(g, seed) : undefined,
  });
  assertHealth(
    p,
    (_point, seed) => seed === 5 ? ["d_dead"] : seed === 6 ? ["no_progress"] : [],
  );
  const r = check(p, "mode-collapse");
  assert.equal(r.verdict, "PASS", r.evidence);
  assertEffect(r, byHand(RING_FALLING));
  assertEvidence(r, "not used: 12 invalid (D dead: 6, no progress: 6)");
});

Deno.test("mode-collapse: the evidence says when the study holds G's updates fixed", () => {
  // k (D steps per G step) swept, gSteps 1 and 200 steps: G's updates are 200 in every run.
  const p = plant({
    sweep: { k: [1, 2, 5] },
    seeds: [0, 1, 2],
    run: (point, seed) => {
      const v = 4 + (1 + 0.1 * seed) * Math.log(point.k as number);
      const rows = [180, 190, 200].map((step) => ({ step, modes_hq: v, hq_share: 0.8 }));
      return { final: { modes_hq: v, hq_share: 0.8 }, curves: rows };
    },
  });
  const r = check(p, "mode-collapse", { axis: "k", direction: "increasing" });
  assert.equal(r.verdict, "PASS", r.evidence);
  assertEffect(r, byHand([1, 1.1, 1.2]));
  assertEvidence(
    r,
    "Also, hq_share shows no clear direction with k (per-seed slope 0 [0, 0]); the study holds " +
      "G's updates at 200 per run; D's updates per run: 200, 400, 1000.",
  );
});

Deno.test("mode-collapse: without curves there is no mean of the last evaluations", () => {
  const p = plant({
    sweep: { gSteps: G },
    seeds: [0, 1, 2],
    run: (point, seed) => ({
      final: { modes_hq: 8 - (1 + 0.1 * seed) * Math.log(point.gSteps as number) },
    }),
  });
  const r = check(p, "mode-collapse");
  assert.equal(r.verdict, "INCONCLUSIVE", r.evidence);
  assert.equal(r.n, 0);
  assertEvidence(r, "too few seeds (n = 0, at least 3 required)", "9 done without a usable value");
});

Deno.test("mode-collapse: an unswept axis or an unlogged metric gives INCONCLUSIVE naming it", () => {
  const p = study(RING_FALLING, GRID_FALLING);
  const a = check(p, "mode-collapse", { axis: "k" });
  assert.equal(a.verdict, "INCONCLUSIVE");
  assertEvidence(a, 'does not sweep "k"', '"gSteps", "data.name"');
  const m = check(p, "mode-collapse", { metric: "mode_kl" });
  assert.equal(m.verdict, "INCONCLUSIVE");
  assertEvidence(m, '"mode_kl"', "they logged: modes_hq, hq_share");
});

Deno.test("mode-collapse: hq_share is left out of the evidence when not logged", () => {
  const p = plant({
    sweep: { gSteps: G },
    seeds: [0, 1, 2],
    run: (point, seed) => {
      const v = 8 - (1 + 0.1 * seed) * Math.log(point.gSteps as number);
      return { final: { modes_hq: v }, curves: [{ step: 200, modes_hq: v }] };
    },
  });
  const r = check(p, "mode-collapse");
  assert.equal(r.verdict, "PASS", r.evidence);
  assertEffect(r, byHand([-1, -1.1, -1.2]));
  assert.ok(!r.evidence.includes("hq_share"), r.evidence);
  assert.ok(!r.evidence.includes("By level"), r.evidence);
  assertEvidence(r, "the study varies G's updates per run with gSteps (1: 200, 2: 400, 5: 1000");
});

Deno.test("mode-collapse: a bad direction gives INCONCLUSIVE naming it", () => {
  const r = check(study(RING_FALLING, GRID_FALLING), "mode-collapse", { direction: "down" });
  assert.equal(r.verdict, "INCONCLUSIVE");
  assertEvidence(r, 'param "direction" is "down", expected "decreasing" or "increasing"');
});
