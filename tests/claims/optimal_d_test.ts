import assert from "node:assert/strict";
import { assertEffect, assertEvidence, assertHealth, byHand, check, plant } from "./fixtures.ts";

const GOOD = [0.03, 0.05, 0.04, 0.06, 0.02];

/** One config; final dstar_err per seed (NaN: not logged). */
function study(errors: number[], state?: (seed: number) => "diverged" | "failed" | undefined) {
  return plant({
    seeds: errors.map((_, i) => i),
    base: { data: { name: "gaussian-1d" }, gSteps: 0, steps: 200, evalEvery: 10 },
    run: (_point, seed) => ({
      state: state?.(seed),
      final: Number.isNaN(errors[seed]) ? { js: 0.1 } : { dstar_err: errors[seed], js: 0.1 },
    }),
  });
}

Deno.test("optimal-d: errors well below the threshold give PASS with the hand-computed interval", () => {
  const r = check(study(GOOD), "optimal-d");
  assert.equal(r.verdict, "PASS", r.evidence);
  // mean 0.04, sd 0.0158114, half-width 2.7764451 * 0.0158114 / sqrt(5) = 0.0196324.
  assertEffect(r, byHand(GOOD));
  assert.equal(
    r.evidence,
    "Final dstar_err: 0.04 [0.02037, 0.05963] (mean [95% CI]; n = 5 seeds; threshold 0.1), entirely below 0.1.",
  );
  assert.equal(r.effect.name, "final dstar_err");
  assert.deepEqual(r.params, { metric: "dstar_err", threshold: 0.1, minSeeds: 3 });
  assert.equal(r.runs.length, 5);
});

Deno.test("optimal-d: errors well above the threshold give FAIL", () => {
  const bad = [0.3, 0.25, 0.35, 0.28, 0.32];
  const r = check(study(bad), "optimal-d");
  assert.equal(r.verdict, "FAIL", r.evidence);
  assertEffect(r, byHand(bad));
  assertEvidence(r, "0.3 [0.2527, 0.3473]", "entirely above 0.1");
});

Deno.test("optimal-d: an interval containing the threshold gives INCONCLUSIVE", () => {
  const noisy = [0.02, 0.2, 0.05, 0.18, 0.1];
  const r = check(study(noisy), "optimal-d");
  assert.equal(r.verdict, "INCONCLUSIVE", r.evidence);
  assertEffect(r, byHand(noisy));
  assertEvidence(r, "0.11 [0.01223, 0.2078]", "which does not exclude 0.1");
  // The same good runs against a threshold of 0.05 also straddle it.
  const tight = check(study(GOOD), "optimal-d", { threshold: 0.05 });
  assert.equal(tight.verdict, "INCONCLUSIVE");
  assert.equal(tight.params.threshold, 0.05);
});

Deno.test("optimal-d: two seeds are too few", () => {
  const r = check(study([0.01, 0.012]), "optimal-d");
  assert.equal(r.verdict, "INCONCLUSIVE");
  assertEffect(r, byHand([0.01, 0.012]));
  assertEvidence(r, "too few seeds (n = 2, at least 3 required)");
});

Deno.test("optimal-d: diverged and failed runs are not averaged", () => {
  const r = check(
    study([...GOOD, 5, 7], (seed) => seed === 5 ? "diverged" : seed === 6 ? "failed" : undefined),
    "optimal-d",
  );
  assert.equal(r.verdict, "PASS", r.evidence);
  assertEffect(r, byHand(GOOD));
  assertEvidence(r, "not used: 1 diverged, 1 failed");
});

Deno.test("optimal-d: every config must pass; the failing config is named", () => {
  const p = plant({
    sweep: { steps: [100, 3000] },
    seeds: [0, 1, 2, 3, 4],
    run: (point, seed) => ({
      final: { dstar_err: point.steps === 100 ? 0.3 + 0.01 * seed : GOOD[seed] },
    }),
  });
  const r = check(p, "optimal-d");
  assert.equal(r.verdict, "INCONCLUSIVE", r.evidence);
  assertEvidence(
    r,
    "at steps=100 (the deciding config of 2)",
    "By config: steps=100 FAIL, steps=3000 PASS.",
  );
  assertEffect(r, byHand([0.3, 0.31, 0.32, 0.33, 0.34]));
});

Deno.test("optimal-d: a metric no run logged gives INCONCLUSIVE naming it", () => {
  const r = check(study([NaN, NaN, NaN]), "optimal-d");
  assert.equal(r.verdict, "INCONCLUSIVE");
  assertEvidence(r, 'No done run logged a finite final "dstar_err"', "they logged: js");
  const u = check(study(GOOD), "optimal-d", { treshold: 0.2 });
  assertEvidence(u, 'unknown param "treshold" (accepted: metric, threshold, minSeeds)');
});

Deno.test("optimal-d: runs whose D died are invalid, never evidence", () => {
  // Seeds 5 and 6: D flat (d_spread 0.004) while js 0.1 says p_g is far: D dead. Their
  // dstar_err 0.5 would FAIL the claim if used.
  const p = plant({
    seeds: [0, 1, 2, 3, 4, 5, 6],
    base: { data: { name: "gaussian-1d" }, gSteps: 0, steps: 200, evalEvery: 10 },
    run: (_point, seed) => ({
      final: seed >= 5
        ? { dstar_err: 0.5, js: 0.1, d_spread: 0.004 }
        : { dstar_err: GOOD[seed], js: 0.1, d_spread: 0.2 },
    }),
  });
  assertHealth(p, (_point, seed) => seed >= 5 ? ["d_dead"] : []);
  const r = check(p, "optimal-d");
  assert.equal(r.verdict, "PASS", r.evidence);
  assertEffect(r, byHand(GOOD));
  assertEvidence(r, "not used: 2 invalid (D dead: 2)");
  assert.equal(r.runs.length, 5);
  // The same dstar_err 0.5 in valid runs: FAIL.
  assert.equal(check(study(GOOD.map(() => 0.5)), "optimal-d").verdict, "FAIL");
  // Every run dead: INCONCLUSIVE, saying why.
  const all = plant({
    seeds: [0, 1, 2],
    base: { data: { name: "gaussian-1d" }, gSteps: 0, steps: 200, evalEvery: 10 },
    run: () => ({ final: { dstar_err: 0.02, js: 0.1, d_active: 0 } }),
  });
  const a = check(all, "optimal-d");
  assert.equal(a.verdict, "INCONCLUSIVE", a.evidence);
  assertEvidence(a, "No run is done and valid (3 invalid (D dead: 3))");
});
