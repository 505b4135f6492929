import assert from "node:assert/strict";
import {
  assertEffect,
  assertEvidence,
  assertHealth,
  byHand,
  check,
  plant,
  type PlantedRun,
} from "./fixtures.ts";

/** Final js near the estimator's floor (about 0.001), from 0.5 at step 0. */
const FLOOR = [0.004, 0.006, 0.005, 0.003, 0.007];

/**
 * One config on gaussian-1d: js = `start` at step 0, a step-100 row of 0.9
 * (ignored), and final js = finals[seed] (in final.json and the step-200
 * row); `other` may replace any run.
 */
function study(
  finals: number[],
  opts: {
    start?: number;
    other?: (seed: number) => PlantedRun | undefined;
    extra?: Record<string, number>;
  } = {},
) {
  const start = opts.start ?? 0.5;
  return plant({
    seeds: finals.map((_, i) => i),
    base: { data: { name: "gaussian-1d" }, steps: 200, evalEvery: 100 },
    run: (_point, seed) =>
      opts.other?.(seed) ?? {
        final: { js: finals[seed], ...opts.extra },
        curves: [{ step: 0, js: start }, { step: 100, js: 0.9 }, {
          step: 200,
          js: finals[seed],
        }],
      },
  });
}

Deno.test("convergence-1d: JS falling to near the floor gives PASS, effect the final js computed by hand", () => {
  const r = check(study(FLOOR), "convergence-1d");
  assert.equal(r.verdict, "PASS", r.evidence);
  // final js: mean 0.005, sd 0.0015811, half-width 2.7764451 * 0.0015811 / sqrt 5 = 0.0019632.
  assertEffect(r, byHand(FLOOR));
  assert.equal(r.effect.name, "final js");
  // log(final / 0.5) = ln 0.008, 0.012, 0.01, 0.006, 0.014: mean -4.6482, interval
  // [-5.0637, -4.2327] (sd 0.33466, half-width 0.41551).
  const logs = byHand(FLOOR.map((x) => Math.log(x / 0.5)));
  assert.ok(Math.abs(logs.mean - -4.648205) < 1e-6, String(logs.mean));
  assert.equal(
    r.evidence,
    "Final js 0.005 [0.003037, 0.006963] (claimed < 0.02); log(final js / js at step 0) " +
      "-4.648 [-5.064, -4.233] (claimed < 0) (mean [95% CI]; n = 5 seeds; bound 0.02): every " +
      "interval lies on its claimed side. The median final js is 0.005, the median ratio " +
      "final / start 0.01.",
  );
  assert.ok(Math.abs(logs.lo - -5.063713) < 1e-6 && Math.abs(logs.hi - -4.232697) < 1e-6);
  assert.deepEqual(r.params, { metric: "js", bound: 0.02, minSeeds: 3 });
  assert.equal(r.runs.length, 5);
  assert.match(r.test, /below 0 and the second below 0\.02/);
});

Deno.test("convergence-1d: a run stuck at JS 0.27 after falling from 0.69 gives FAIL (above the bound)", () => {
  const stuck = [0.27, 0.26, 0.28, 0.25, 0.29];
  const p = study(stuck, { start: 0.69 });
  // js fell to about 0.39 of its start: progress, so the runs are valid evidence.
  assertHealth(p, () => []);
  const r = check(p, "convergence-1d");
  assert.equal(r.verdict, "FAIL", r.evidence);
  assertEffect(r, byHand(stuck));
  assertEvidence(
    r,
    "Final js 0.27 [0.2504, 0.2896] (claimed < 0.02)",
    // The fall alone (the old rule) holds, and does not rescue the run.
    "log(final js / js at step 0) -0.9396 [-1.012, -0.8668] (claimed < 0)",
    "final js lies entirely on the other side (claimed < 0.02)",
  );
  // The bound is a parameter: 0.3 accepts these runs, 0.27 straddles their interval.
  const loose = check(p, "convergence-1d", { bound: 0.3 });
  assert.equal(loose.verdict, "PASS", loose.evidence);
  assert.equal(loose.params.bound, 0.3);
  assertEvidence(loose, "(claimed < 0.3)", "bound 0.3");
  const edge = check(p, "convergence-1d", { bound: 0.27 });
  assert.equal(edge.verdict, "INCONCLUSIVE", edge.evidence);
  assertEvidence(edge, "the interval of final js does not lie on its claimed side (< 0.27)");
  const bad = check(p, "convergence-1d", { bound: 0 });
  assert.equal(bad.verdict, "INCONCLUSIVE");
  assertEvidence(bad, 'param "bound" is 0, expected > 0');
});

Deno.test("convergence-1d: JS growing gives FAIL on both conditions", () => {
  const grow = [0.6, 0.65, 0.62, 0.7, 0.68];
  const r = check(study(grow), "convergence-1d");
  assert.equal(r.verdict, "FAIL", r.evidence);
  assertEffect(r, byHand(grow));
  assertEvidence(
    r,
    "final js and log(final js / js at step 0) lie entirely on the other side (claimed < 0.02, < 0)",
    "the median ratio final / start 1.3",
  );
});

Deno.test("convergence-1d: final JS straddling the bound gives INCONCLUSIVE", () => {
  const noisy = [0.005, 0.04, 0.01, 0.03, 0.02];
  const r = check(study(noisy), "convergence-1d");
  assert.equal(r.verdict, "INCONCLUSIVE", r.evidence);
  assertEffect(r, byHand(noisy));
  assertEvidence(
    r,
    "0.021 [0.003222, 0.03878]",
    "the interval of final js does not lie on its claimed side (< 0.02)",
  );
});

Deno.test("convergence-1d: two seeds are too few", () => {
  const r = check(study([0.004, 0.006]), "convergence-1d");
  assert.equal(r.verdict, "INCONCLUSIVE");
  assertEffect(r, byHand([0.004, 0.006]));
  assertEvidence(r, "too few seeds (n = 2, at least 3 required)");
  const six = check(study(FLOOR), "convergence-1d", { minSeeds: 6 });
  assert.equal(six.verdict, "INCONCLUSIVE");
  assertEvidence(six, "too few seeds (n = 5, at least 6 required)");
});

Deno.test("convergence-1d: diverged and failed runs are not evidence", () => {
  const r = check(
    study([...FLOOR, 0.6, 0.6], {
      other: (s) =>
        s === 5
          ? { state: "diverged", final: { js: 0.6 } }
          : s === 6
          ? { state: "failed", final: null }
          : undefined,
    }),
    "convergence-1d",
  );
  assert.equal(r.verdict, "PASS", r.evidence);
  assertEffect(r, byHand(FLOOR));
  assertEvidence(r, "not used: 1 diverged, 1 failed");
  assert.equal(r.runs.length, 5);
});

Deno.test("convergence-1d: runs whose D died (flat D while js is far, or dead units) are invalid, never evidence", () => {
  // Every run: D flat (d_spread 0.002) while js 0.2: the dead-D study.
  const flat = study([0.2, 0.21, 0.19, 0.2, 0.2], { extra: { d_spread: 0.002 } });
  assertHealth(flat, () => ["d_dead"]);
  const f = check(flat, "convergence-1d");
  assert.equal(f.verdict, "INCONCLUSIVE", f.evidence);
  assertEvidence(f, "No run is done and valid (5 invalid (D dead: 5))");
  assert.equal(f.n, 0);
  assert.deepEqual(f.runs, []);
  // Dead hidden units invalidate a run even when its js looks converged: never PASS.
  const units = study(FLOOR, { extra: { d_active: 0 } });
  assertHealth(units, () => ["d_dead"]);
  const u = check(units, "convergence-1d");
  assert.equal(u.verdict, "INCONCLUSIVE", u.evidence);
  assertEvidence(u, "invalid (D dead: 5)");
  // Five healthy seeds decide; three dead ones (js 0.2, FAIL if used) are counted, not used.
  const mixed = study([...FLOOR, 0.2, 0.2, 0.2], {
    other: (s) =>
      s >= 5
        ? {
          final: { js: 0.2, d_spread: 0.002, d_active: 0.5 },
          curves: [{ step: 0, js: 0.5 }, { step: 200, js: 0.2 }],
        }
        : undefined,
  });
  assertHealth(mixed, (_p, s) => s >= 5 ? ["d_dead"] : []);
  const m = check(mixed, "convergence-1d");
  assert.equal(m.verdict, "PASS", m.evidence);
  assertEffect(m, byHand(FLOOR));
  assertEvidence(m, "not used: 3 invalid (D dead: 3)");
  // Too few healthy seeds left: INCONCLUSIVE, saying why.
  const few = study([0.004, 0.006, 0.2, 0.2, 0.2], {
    other: (s) =>
      s >= 2 ? { final: { js: 0.2, d_active: 0 }, curves: [{ step: 0, js: 0.5 }] } : undefined,
  });
  const w = check(few, "convergence-1d");
  assert.equal(w.verdict, "INCONCLUSIVE", w.evidence);
  assertEvidence(
    w,
    "too few seeds (n = 2, at least 3 required)",
    "not used: 3 invalid (D dead: 3)",
  );
});

Deno.test("convergence-1d: D flat at 1/2 with js near the floor is the optimum, not a dead D", () => {
  const p = study(FLOOR, { extra: { d_spread: 0.002 } });
  assertHealth(p, () => []);
  const r = check(p, "convergence-1d");
  assert.equal(r.verdict, "PASS", r.evidence);
  assertEffect(r, byHand(FLOOR));
});

Deno.test("convergence-1d: runs that made no progress stay evidence (progress is what it measures)", () => {
  const stalled = [0.48, 0.47, 0.49, 0.46, 0.48];
  const p = study(stalled);
  // js stayed above 0.9 of its start (0.5): every run fails no_progress, which the claim tolerates.
  assertHealth(p, () => ["no_progress"]);
  const r = check(p, "convergence-1d");
  assert.equal(r.verdict, "FAIL", r.evidence);
  assertEffect(r, byHand(stalled));
  assert.equal(r.runs.length, 5);
  assert.ok(!r.evidence.includes("invalid"), r.evidence);
  assert.ok(!r.evidence.includes("not used"), r.evidence);
});

Deno.test("convergence-1d: every config must converge (minimax stuck, non-saturating converging)", () => {
  const p = plant({
    sweep: { loss: ["minimax", "non-saturating"] },
    seeds: [0, 1, 2, 3, 4],
    base: { data: { name: "gaussian-1d" }, steps: 200, evalEvery: 100 },
    run: (point, seed) => {
      const js = point.loss === "minimax" ? [0.01, 0.03, 0.02, 0.04, 0.015][seed] : FLOOR[seed];
      return { final: { js }, curves: [{ step: 0, js: 0.5 }] };
    },
  });
  const r = check(p, "convergence-1d");
  assert.equal(r.verdict, "INCONCLUSIVE", r.evidence);
  assertEffect(r, byHand([0.01, 0.03, 0.02, 0.04, 0.015]));
  assertEvidence(
    r,
    "At loss=minimax (the deciding config of 2): final js 0.023 [",
    "By config: loss=minimax INCONCLUSIVE, loss=non-saturating PASS.",
  );
  assert.equal(r.runs.length, 10);
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
    base: { data: { name: "gaussian-1d" }, steps: 200, evalEvery: 100 },
    run: () => ({ final: { js: 0.01 }, curves: [{ step: 100, js: 0.3 }] }),
  });
  const l = check(late, "convergence-1d");
  assert.equal(l.verdict, "INCONCLUSIVE");
  assertEvidence(l, 'No done run logged "js" at step 0');
});
