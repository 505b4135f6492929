import assert from "node:assert/strict";
import { assertEffect, assertEvidence, byHand, check, plant } from "./fixtures.ts";

const SHRINK = [0.1, 0.2, 0.15, 0.12, 0.18];

/**
 * One config: js = 0.5 at step 0, a step-100 row of 0.9 (ignored), and a final js of
 * 0.5 x ratio[seed] (in final.json).
 */
function study(
  ratios: number[],
  state?: (seed: number) => "diverged" | "failed" | undefined,
  start = 0.5,
) {
  return plant({
    seeds: ratios.map((_, i) => i),
    base: { data: { name: "gaussian-1d" }, steps: 200, evalEvery: 100 },
    run: (_point, seed) => ({
      state: state?.(seed),
      final: { js: 0.5 * ratios[seed] },
      curves: [{ step: 0, js: start }, { step: 100, js: 0.9 }, {
        step: 200,
        js: 0.5 * ratios[seed],
      }],
    }),
  });
}

Deno.test("convergence-1d: JS shrinking 5-10x gives PASS with the hand-computed log ratio and median", () => {
  const r = check(study(SHRINK), "convergence-1d");
  assert.equal(r.verdict, "PASS", r.evidence);
  assertEffect(r, byHand(SHRINK.map(Math.log)));
  assert.equal(
    r.evidence,
    "Per-run log(final js / js at step 0): -1.929 [-2.283, -1.575] (mean [95% CI]; n = 5 seeds), " +
      "entirely below 0. Also, the median ratio final / start is 0.15.",
  );
  assert.deepEqual(r.params, { metric: "js", minSeeds: 3 });
});

Deno.test("convergence-1d: JS growing gives FAIL", () => {
  const grow = [2, 3, 2.5, 4, 3.5];
  const r = check(study(grow), "convergence-1d");
  assert.equal(r.verdict, "FAIL", r.evidence);
  assertEffect(r, byHand(grow.map(Math.log)));
  assertEvidence(r, "entirely above 0", "the median ratio final / start is 3");
});

Deno.test("convergence-1d: ratios on both sides of 1 give INCONCLUSIVE", () => {
  const noisy = [0.5, 2, 0.8, 1.5, 1];
  const r = check(study(noisy), "convergence-1d");
  assert.equal(r.verdict, "INCONCLUSIVE", r.evidence);
  assertEffect(r, byHand(noisy.map(Math.log)));
  assertEvidence(r, "which does not exclude 0");
});

Deno.test("convergence-1d: two seeds are too few", () => {
  const r = check(study([0.1, 0.2]), "convergence-1d");
  assert.equal(r.verdict, "INCONCLUSIVE");
  assertEffect(r, byHand([Math.log(0.1), Math.log(0.2)]));
  assertEvidence(r, "too few seeds (n = 2, at least 3 required)");
});

Deno.test("convergence-1d: diverged and failed runs are not evidence", () => {
  const r = check(
    study([...SHRINK, 100, 100], (s) => s === 5 ? "diverged" : s === 6 ? "failed" : undefined),
    "convergence-1d",
  );
  assert.equal(r.verdict, "PASS", r.evidence);
  assertEffect(r, byHand(SHRINK.map(Math.log)));
  assertEvidence(r, "not used: 1 diverged, 1 failed");
});

Deno.test("convergence-1d: every config must converge (minimax stuck, non-saturating converging)", () => {
  const p = plant({
    sweep: { loss: ["minimax", "non-saturating"] },
    seeds: [0, 1, 2, 3, 4],
    run: (point, seed) => {
      const ratio = point.loss === "minimax" ? [0.9, 1.1, 1, 1.05, 0.95][seed] : SHRINK[seed];
      return { final: { js: 0.5 * ratio }, curves: [{ step: 0, js: 0.5 }] };
    },
  });
  const r = check(p, "convergence-1d");
  assert.equal(r.verdict, "INCONCLUSIVE", r.evidence);
  assertEvidence(
    r,
    "at loss=minimax (the deciding config of 2)",
    "By config: loss=minimax INCONCLUSIVE, loss=non-saturating PASS",
  );
});

Deno.test("convergence-1d: no js metric, or no step-0 row, gives INCONCLUSIVE naming it", () => {
  const p = plant({
    seeds: [0, 1, 2],
    run: () => ({ final: { modes: 8 }, curves: [{ step: 0, modes: 3 }] }),
  });
  const r = check(p, "convergence-1d");
  assert.equal(r.verdict, "INCONCLUSIVE");
  assertEvidence(r, 'No done run logged a finite final "js"', "they logged: modes");

  const late = plant({
    seeds: [0, 1, 2],
    run: () => ({ final: { js: 0.1 }, curves: [{ step: 100, js: 0.3 }] }),
  });
  const l = check(late, "convergence-1d");
  assert.equal(l.verdict, "INCONCLUSIVE");
  assertEvidence(l, 'No done run logged "js" at step 0');
});
