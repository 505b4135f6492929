import assert from "node:assert/strict";
import type { RunState } from "../../lib/sweep/store.ts";
import { assertEffect, assertEvidence, byHand, check, plant, type PlantedRun } from "./fixtures.ts";

const K = [1, 2, 5, 10];

/**
 * k-steps study: final d_gap = 0.01 seed + slope[seed] ln k, r_t = 0.2 + 0.1 ln k;
 * `other` may replace any run.
 */
function kSteps(
  slopes: number[],
  other?: (k: number, seed: number) => PlantedRun | undefined,
) {
  return plant({
    sweep: { k: K },
    seeds: slopes.map((_, i) => i),
    run(point, seed) {
      const k = point.k as number;
      const planted = other?.(k, seed);
      if (planted) return planted;
      return {
        final: { d_gap: 0.01 * seed + slopes[seed] * Math.log(k), r_t: 0.2 + 0.1 * Math.log(k) },
      };
    },
  });
}

const RISING = [0.03, 0.04, 0.05, 0.035, 0.045];

Deno.test("d-overfits: d_gap growing with log k in every seed gives PASS with the hand-computed slope interval", () => {
  const p = kSteps(RISING);
  const r = check(p, "d-overfits");
  assert.equal(r.verdict, "PASS", r.evidence);
  // mean 0.04, sd 0.0079057, half-width 2.7764451 * 0.0079057 / sqrt(5) = 0.0098160.
  assertEffect(r, byHand(RISING));
  assertEvidence(
    r,
    "Per-seed slope of final d_gap on log k: 0.04 [0.03018, 0.04982] (mean [95% CI]; n = 5 seeds; k = 1, 2, 5, 10), entirely above 0.",
    "r_t rises with k (per-seed slope 0.1 [0.1, 0.1])",
  );
  assert.equal(r.effect.name, "slope of d_gap on log k");
  assert.deepEqual(r.params, { axis: "k", metric: "d_gap", minSeeds: 3 });
  assert.equal(r.runs.length, 20);
  assert.deepEqual(r.runs, p.plans.map((x) => x.id), "every run, in plan order");
  assert.match(r.test, /slope of final d_gap on log\(k\)/);
});

Deno.test("d-overfits: slopes are least squares on log k, not on k (a curved planted d_gap)", () => {
  // d_gap = [0, 0.05, 0.06, 0.2] + 0.01 seed at k = 1, 2, 5, 10 (same shape for every seed):
  // x = ln k = [0, 0.693147, 1.609438, 2.302585]; Sxx = 3.0707434, Sxy = 0.2348400, so the
  // slope is 0.0764766 for every seed (on k itself it would be 0.0205102).
  const shape = [0, 0.05, 0.06, 0.2];
  const p = plant({
    sweep: { k: K },
    seeds: [0, 1, 2],
    run: (point, seed) => ({ final: { d_gap: shape[K.indexOf(point.k as number)] + 0.01 * seed } }),
  });
  const r = check(p, "d-overfits");
  assert.equal(r.verdict, "PASS", r.evidence);
  assert.ok(Math.abs(r.effect.estimate - 0.07647658) < 1e-7, String(r.effect.estimate));
  assertEvidence(r, "0.07648 [0.07648, 0.07648]");
});

Deno.test("d-overfits: d_gap clearly falling with k gives FAIL", () => {
  const falling = [-0.03, -0.02, -0.04, -0.025, -0.035];
  const r = check(kSteps(falling), "d-overfits");
  assert.equal(r.verdict, "FAIL", r.evidence);
  assertEffect(r, byHand(falling));
  // mean -0.03, sd 0.0079057, half-width 0.0098160.
  assertEvidence(r, ": -0.03 [-0.03982, -0.02018] (", "entirely below 0.");
});

Deno.test("d-overfits: slopes that disagree in sign across seeds give INCONCLUSIVE", () => {
  const noisy = [0.05, -0.04, 0.03, -0.05, 0.02];
  const r = check(kSteps(noisy), "d-overfits");
  assert.equal(r.verdict, "INCONCLUSIVE", r.evidence);
  assertEffect(r, byHand(noisy));
  assert.ok(r.effect.ci95Low < 0 && r.effect.ci95High > 0);
  assertEvidence(r, "which does not exclude 0");
});

Deno.test("d-overfits: two seeds are too few even with a clear effect", () => {
  const r = check(kSteps([0.03, 0.05]), "d-overfits");
  assert.equal(r.verdict, "INCONCLUSIVE", r.evidence);
  // n = 2: mean 0.04, half-width 12.7062047 * 0.0141421 / sqrt(2) = 0.1270620.
  assertEffect(r, byHand([0.03, 0.05]));
  assertEvidence(r, "n = 2 seeds", "too few seeds (n = 2, at least 3 required)");
});

Deno.test("d-overfits: minSeeds from the experiment file raises the bar", () => {
  const r = check(kSteps(RISING), "d-overfits", { minSeeds: 6 });
  assert.equal(r.verdict, "INCONCLUSIVE");
  assertEvidence(r, "too few seeds (n = 5, at least 6 required)");
  assert.deepEqual(r.params, { axis: "k", metric: "d_gap", minSeeds: 6 });
});

Deno.test("d-overfits: diverged, failed, timed-out and missing runs are never evidence", () => {
  // Seeds 5..8 would give slope -1 (FAIL) if they were used.
  const states: (RunState | null)[] = ["diverged", "failed", "timeout", null];
  const p = kSteps([...RISING, -1, -1, -1, -1], (k, seed) => {
    if (seed < 5) return undefined;
    return { state: states[seed - 5], final: { d_gap: -Math.log(k), r_t: 0 } };
  });
  const r = check(p, "d-overfits");
  assert.equal(r.verdict, "PASS", r.evidence);
  assertEffect(r, byHand(RISING));
  assert.equal(r.runs.length, 20);
  for (const seed of [5, 6, 7, 8]) {
    for (const k of K) assert.ok(!r.runs.includes(p.id({ k }, seed)), `seed ${seed} used`);
  }
  assertEvidence(r, "not used: 4 diverged, 4 failed, 4 timeout, 4 missing");
});

Deno.test("d-overfits: a seed whose k = 10 run diverged keeps its slope from k = 1, 2, 5", () => {
  const p = kSteps(
    RISING,
    (k, seed) => seed === 0 && k === 10 ? { state: "diverged", final: { d_gap: -5 } } : undefined,
  );
  const r = check(p, "d-overfits");
  assert.equal(r.verdict, "PASS");
  assertEffect(r, byHand(RISING));
  assert.equal(r.runs.length, 19);
  assertEvidence(r, "not used: 1 diverged");
});

Deno.test("d-overfits: an axis the study does not sweep gives INCONCLUSIVE naming it", () => {
  const p = plant({
    sweep: { gSteps: [1, 2] },
    seeds: [0, 1, 2],
    run: (point) => ({ final: { d_gap: point.gSteps as number } }),
  });
  const r = check(p, "d-overfits");
  assert.equal(r.verdict, "INCONCLUSIVE");
  assertEvidence(r, 'does not sweep "k"', 'it sweeps "gSteps"');
  assert.equal(r.n, 0);
  assert.deepEqual(r.runs, []);
  assert.ok(Number.isNaN(r.effect.estimate));
});

Deno.test("d-overfits: a metric no run logged gives INCONCLUSIVE naming it", () => {
  const p = plant({
    sweep: { k: K },
    seeds: [0, 1, 2],
    run: (point) => ({ final: { modes: point.k as number } }),
  });
  const r = check(p, "d-overfits");
  assert.equal(r.verdict, "INCONCLUSIVE");
  assertEvidence(r, 'No done run logged a finite final "d_gap"', "they logged: modes");
  const other = check(kSteps(RISING), "d-overfits", { metric: "acc_gap" });
  assertEvidence(other, '"acc_gap"');
  assert.equal(other.verdict, "INCONCLUSIVE");
});

Deno.test("d-overfits: a study with no done run says so", () => {
  const p = kSteps(RISING, () => ({ state: "failed", final: null }));
  const r = check(p, "d-overfits");
  assert.equal(r.verdict, "INCONCLUSIVE");
  assertEvidence(r, "No run is done (20 failed)");
});

Deno.test("d-overfits: unknown and ill-typed params give INCONCLUSIVE naming them", () => {
  const p = kSteps(RISING);
  const r = check(p, "d-overfits", { axsi: "k" });
  assert.equal(r.verdict, "INCONCLUSIVE");
  assertEvidence(r, 'unknown param "axsi" (accepted: axis, metric, minSeeds)');
  const t = check(p, "d-overfits", { minSeeds: "3" });
  assertEvidence(t, 'param "minSeeds" is "3", expected a finite number');
  const m = check(p, "d-overfits", { minSeeds: 1 });
  assertEvidence(m, 'param "minSeeds" is 1, expected an integer >= 2');
  assert.equal(m.verdict, "INCONCLUSIVE");
});

Deno.test("d-overfits: an axis whose values are not positive numbers gives INCONCLUSIVE", () => {
  const p = plant({
    sweep: { loss: ["minimax", "non-saturating"] },
    seeds: [0, 1, 2],
    run: () => ({ final: { d_gap: 0.1 } }),
  });
  const r = check(p, "d-overfits", { axis: "loss" });
  assert.equal(r.verdict, "INCONCLUSIVE");
  assertEvidence(
    r,
    'The swept axis "loss" has values that are not positive numbers (minimax, non-saturating)',
  );
});
