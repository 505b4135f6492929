import assert from "node:assert/strict";
import type { RunState } from "../../lib/sweep/store.ts";
import { assertEffect, assertEvidence, byHand, check, plant } from "./fixtures.ts";

/** Trap value outside the early window (step 0 and step > 20): using it changes every ratio. */
const TRAP = 1000;

/**
 * Curve of g_grad_norm over 200 steps, every 10: the early window (0 < step <= 20 for
 * early = 0.1) holds 0.9 mean and 1.1 mean, so its mean is `mean`.
 */
function curve(mean: number): Record<string, number>[] {
  const rows: Record<string, number>[] = [];
  for (let step = 0; step <= 200; step += 10) {
    const g = step === 10 ? 0.9 * mean : step === 20 ? 1.1 * mean : TRAP;
    rows.push({ step, g_grad_norm: g, d_loss: 1 });
  }
  return rows;
}

/**
 * loss study: non-saturating runs' early mean g_grad_norm = ratio[seed] x minimax's (0.01).
 */
function study(ratios: number[], state?: (seed: number) => RunState | undefined) {
  return plant({
    sweep: { loss: ["minimax", "non-saturating"] },
    seeds: ratios.map((_, i) => i),
    run(point, seed) {
      const mean = point.loss === "minimax" ? 0.01 : 0.01 * ratios[seed];
      return { state: state?.(seed), final: { g_grad_norm: 0.5 }, curves: curve(mean) };
    },
  });
}

const ALIVE = [10, 20, 8, 15, 12, 9, 11, 14];

Deno.test("saturation: non-saturating gradients 8-20x the minimax ones early give PASS", () => {
  const p = study(ALIVE);
  const r = check(p, "saturation");
  assert.equal(r.verdict, "PASS", r.evidence);
  // log ratios: mean 2.476, 95% interval [2.226, 2.725] (t(0.975, 7) = 2.3646).
  assertEffect(r, byHand(ALIVE.map(Math.log)));
  assertEvidence(
    r,
    "Per-seed log(mean early g_grad_norm of non-saturating / of minimax): 2.476 [2.226, 2.725] (mean [95% CI]; n = 8 seeds; 0 < step <= 20, the first 10% of 200 steps), entirely above 0.",
    "Also, the geometric-mean ratio is 11.89 [9.267, 15.25].",
  );
  assert.equal(r.runs.length, 16);
  assert.deepEqual(r.params, {
    axis: "loss",
    early: 0.1,
    metric: "g_grad_norm",
    minSeeds: 3,
    nonSaturating: "non-saturating",
    minimax: "minimax",
  });
});

Deno.test("saturation: the window follows early (0.2 of 200 steps takes rows 10..40)", () => {
  // With early = 0.2, rows 30 and 40 (TRAP for both losses) join the window:
  // ns mean = (0.9 r + 1.1 r) 0.01 + 2 TRAP) / 4, mm mean = (0.02 + 2 TRAP) / 4.
  const r = check(study(ALIVE), "saturation", { early: 0.2 });
  const expected = ALIVE.map((x) => Math.log((0.02 * x + 2 * TRAP) / (0.02 + 2 * TRAP)));
  assertEffect(r, byHand(expected));
  assertEvidence(r, "0 < step <= 40, the first 20% of 200 steps");
});

Deno.test("saturation: minimax gradients larger than non-saturating ones give FAIL", () => {
  const dead = ALIVE.map((x) => 1 / x);
  const r = check(study(dead), "saturation");
  assert.equal(r.verdict, "FAIL", r.evidence);
  assertEffect(r, byHand(dead.map(Math.log)));
  assertEvidence(r, "-2.476 [-2.725, -2.226]", "entirely below 0");
});

Deno.test("saturation: ratios on both sides of 1 give INCONCLUSIVE", () => {
  const noisy = [2, 0.5, 3, 0.4, 1.5, 0.7, 1.2, 0.9];
  const r = check(study(noisy), "saturation");
  assert.equal(r.verdict, "INCONCLUSIVE", r.evidence);
  assertEffect(r, byHand(noisy.map(Math.log)));
  assertEvidence(r, "which does not exclude 0");
});

Deno.test("saturation: two seeds are too few", () => {
  const r = check(study([10, 20]), "saturation");
  assert.equal(r.verdict, "INCONCLUSIVE");
  assertEffect(r, byHand([Math.log(10), Math.log(20)]));
  assertEvidence(r, "too few seeds (n = 2, at least 3 required)");
});

Deno.test("saturation: diverged and failed runs break their pair and are not evidence", () => {
  // Seeds 8 and 9 would give ratio 1/1000 if used; seed 2's minimax run diverged.
  const p = plant({
    sweep: { loss: ["minimax", "non-saturating"] },
    seeds: [...ALIVE.keys(), 8, 9],
    run(point, seed) {
      const ratio = seed >= 8 ? 1e-3 : ALIVE[seed];
      const mean = point.loss === "minimax" ? 0.01 : 0.01 * ratio;
      const state: RunState = seed === 8 || (seed === 2 && point.loss === "minimax")
        ? "diverged"
        : seed === 9
        ? "failed"
        : "done";
      return { state, final: { g_grad_norm: 0.5 }, curves: curve(mean) };
    },
  });
  const r = check(p, "saturation");
  assert.equal(r.verdict, "PASS", r.evidence);
  assertEffect(r, byHand(ALIVE.filter((_, i) => i !== 2).map(Math.log)));
  assert.ok(!r.runs.includes(p.id({ loss: "non-saturating" }, 2)), "unpaired run used");
  assert.ok(!r.runs.includes(p.id({ loss: "minimax" }, 8)));
  assertEvidence(r, "not used: 3 diverged, 2 failed, 1 done without a usable value");
});

Deno.test("saturation: runs are paired by seed within each level of the other axes", () => {
  // lr = 1e-3: ns 10 r, mm 10; lr = 1e-4: ns 0.1 r, mm 0.1. Pairing across levels would
  // give ratios 100 r or r / 100.
  const p = plant({
    sweep: { loss: ["minimax", "non-saturating"], "optimizer.lr": [1e-3, 1e-4] },
    seeds: [0, 1, 2, 3, 4],
    run(point, seed) {
      const scale = point["optimizer.lr"] === 1e-3 ? 10 : 0.1;
      const mean = point.loss === "minimax" ? scale : scale * ALIVE[seed];
      return { final: { g_grad_norm: 1 }, curves: curve(mean) };
    },
  });
  const r = check(p, "saturation");
  assert.equal(r.verdict, "PASS", r.evidence);
  assertEffect(r, byHand(ALIVE.slice(0, 5).map(Math.log)));
  assertEvidence(r, "By level: optimizer.lr=0.001 PASS, optimizer.lr=0.0001 PASS");
});

Deno.test("saturation: a study without minimax runs gives INCONCLUSIVE naming the missing loss", () => {
  const p = plant({
    sweep: { loss: ["non-saturating", "hinge"] },
    seeds: [0, 1, 2],
    run: () => ({ final: { g_grad_norm: 1 }, curves: curve(1) }),
  });
  const r = check(p, "saturation");
  assert.equal(r.verdict, "INCONCLUSIVE");
  assertEvidence(r, 'values are non-saturating, hinge; the test needs "minimax" too');
});

Deno.test("saturation: an unswept loss, a metric without curves or an empty window give INCONCLUSIVE", () => {
  const k = plant({
    sweep: { k: [1, 5] },
    seeds: [0, 1, 2],
    run: () => ({ final: { g_grad_norm: 1 }, curves: curve(1) }),
  });
  const a = check(k, "saturation");
  assert.equal(a.verdict, "INCONCLUSIVE");
  assertEvidence(a, 'does not sweep "loss"', 'it sweeps "k"');

  const noCurves = plant({
    sweep: { loss: ["minimax", "non-saturating"] },
    seeds: [0, 1, 2],
    run: () => ({ final: { g_grad_norm: 1 }, curves: [{ step: 0, d_loss: 1 }] }),
  });
  const m = check(noCurves, "saturation");
  assert.equal(m.verdict, "INCONCLUSIVE");
  assertEvidence(m, 'No done run logged a curve of "g_grad_norm"', "they logged: d_loss");

  const w = check(study(ALIVE), "saturation", { early: 0.01 });
  assert.equal(w.verdict, "INCONCLUSIVE");
  assertEvidence(w, 'No done run logged "g_grad_norm" at 0 < step <= 2, the first 1% of 200 steps');

  const bad = check(study(ALIVE), "saturation", { early: 1.5 });
  assertEvidence(bad, 'param "early" is 1.5, expected 0 < early <= 1');
});
