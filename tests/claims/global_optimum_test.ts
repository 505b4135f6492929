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

const LOG4 = Math.log(4);

/** Near the optimum: js near the floor, C(G) + log 4 = 2 js within 0.002, D* flat. */
const JS = [0.003, 0.004, 0.002, 0.005, 0.003];
const CG = [0.007, 0.006, 0.004, 0.011, 0.005];
const SPREAD = [0.02, 0.025, 0.015, 0.03, 0.02];

/** Far from it: the study, C(G) + log 4 = 2 JSD about 0.3. */
const FAR_CG = [0.3, 0.28, 0.32, 0.3, 0.31];
const FAR_JS = FAR_CG.map((x) => x / 2);

interface Values {
  /** C(G) + log 4 per seed. */
  cg: number[];
  js: number[];
  dstarSpread?: number[];
  /** Extra final metrics of every run (e.g. D's own health metrics). */
  extra?: Record<string, number>;
  other?: (seed: number) => PlantedRun | undefined;
}

/**
 * One gaussian-1d config: final cg = -log 4 + cg[seed] with cg_se 0.002, js,
 * dstar_spread, and the D that training left flat at 1/2 (value -log 4,
 * d_real_valid = d_fake = 0.5: what the old rule read).
 */
function study(v: Values) {
  return plant({
    seeds: v.cg.map((_, i) => i),
    base: { data: { name: "gaussian-1d" }, steps: 200, evalEvery: 50 },
    run: (_point, seed) =>
      v.other?.(seed) ?? {
        final: {
          cg: v.cg[seed] - LOG4,
          cg_se: 0.002,
          js: v.js[seed],
          dstar_spread: (v.dstarSpread ?? SPREAD)[seed],
          value: -LOG4,
          d_real_valid: 0.5,
          d_fake: 0.5,
          ...v.extra,
        },
      },
  });
}

Deno.test("global-optimum: C(G) near -log 4, JS near 0, D* flat and the identity holding give PASS", () => {
  // D is flat too (d_spread 0.004), as it is at the optimum: flatness alone is not a dead D.
  const p = study({ cg: CG, js: JS, extra: { d_spread: 0.004 } });
  assertHealth(p, () => []);
  const r = check(p, "global-optimum");
  assert.equal(r.verdict, "PASS", r.evidence);
  // C(G) + log 4: mean 0.0066, sd 0.0027019, half-width 2.7764451 * 0.0027019 / sqrt 5 = 0.0033549.
  assertEffect(r, byHand(CG));
  assert.equal(r.effect.name, "C(G) + log 4");
  // js: 0.0034, sd 0.0011402, half-width 0.0014157; dstar_spread: 0.022, sd 0.0057009,
  // half-width 0.0070786.
  const js = byHand(JS);
  assert.ok(Math.abs(js.lo - 0.0019843) < 1e-7 && Math.abs(js.hi - 0.0048157) < 1e-7);
  assert.equal(
    r.evidence,
    "C(G) + log 4 0.0066 [0.003245, 0.009955] (claimed within (-0.02, 0.02)); js 0.0034 " +
      "[0.001984, 0.004816] (claimed < 0.02); dstar_spread 0.022 [0.01492, 0.02908] (claimed " +
      "< 0.05) (mean [95% CI]; n = 5 seeds; tolerance 0.02; spread tolerance 0.05): every " +
      "interval lies on its claimed side. C(G) = -log 4 + 2 JSD holds in every run within its " +
      "Monte Carlo error.",
  );
  assert.deepEqual(r.params, { tolerance: 0.02, spreadTolerance: 0.05, minSeeds: 3 });
  assert.equal(r.runs.length, 5);
});

Deno.test("global-optimum: D flat at 1/2 (V = -log 4) while C(G) and JS say G is far gives FAIL, never PASS", () => {
  // The study: the D training left gives V = -log 4, d_real_valid = d_fake = 1/2;
  // the optimal D for the final G gives C(G) + log 4 = 0.3 = 2 JSD.
  const p = study({ cg: FAR_CG, js: FAR_JS, dstarSpread: [0.2, 0.21, 0.19, 0.2, 0.2] });
  assertHealth(p, () => []);
  const r = check(p, "global-optimum");
  assert.equal(r.verdict, "FAIL", r.evidence);
  assertEffect(r, byHand(FAR_CG));
  assertEvidence(
    r,
    "C(G) + log 4 0.302 [0.2836, 0.3204] (claimed within (-0.02, 0.02)); js 0.151 [",
    "C(G) + log 4 and js lie entirely on the other side (claimed within (-0.02, 0.02), < 0.02)",
    "C(G) = -log 4 + 2 JSD holds in every run",
  );
  // JS alone far off fails too (C(G) read at the tolerance, D* flat).
  const js = check(
    study({ cg: [0.04, 0.045, 0.035, 0.04, 0.04], js: FAR_JS }),
    "global-optimum",
    { tolerance: 0.05 },
  );
  assert.equal(js.verdict, "FAIL", js.evidence);
  assertEvidence(js, "js lies entirely on the other side (claimed < 0.05)");
});

Deno.test("global-optimum: the same study with a dead D is INCONCLUSIVE (invalid runs), never PASS", () => {
  // D flat (d_spread 0.002) while js 0.15: D dead in every run.
  const flat = study({ cg: FAR_CG, js: FAR_JS, extra: { d_spread: 0.002 } });
  assertHealth(flat, () => ["d_dead"]);
  const f = check(flat, "global-optimum");
  assert.equal(f.verdict, "INCONCLUSIVE", f.evidence);
  assertEvidence(f, "No run is done and valid (5 invalid (D dead: 5))");
  assert.deepEqual(f.runs, []);
  // Dead hidden units invalidate runs that would otherwise PASS.
  const units = study({ cg: CG, js: JS, extra: { d_active: 0 } });
  assertHealth(units, () => ["d_dead"]);
  const u = check(units, "global-optimum");
  assert.equal(u.verdict, "INCONCLUSIVE", u.evidence);
  assertEvidence(u, "invalid (D dead: 5)");
  // Three healthy seeds decide; two dead ones (far from the optimum) are counted, not used.
  const mixed = study({
    cg: [...CG.slice(0, 3), 0.3, 0.3],
    js: [...JS.slice(0, 3), 0.15, 0.15],
    other: (s) =>
      s >= 3
        ? {
          final: { cg: 0.3 - LOG4, cg_se: 0.002, js: 0.15, dstar_spread: 0.2, d_spread: 0.001 },
        }
        : undefined,
  });
  const m = check(mixed, "global-optimum");
  assert.equal(m.verdict, "PASS", m.evidence);
  assertEffect(m, byHand(CG.slice(0, 3)));
  assertEvidence(m, "n = 3 seeds", "not used: 2 invalid (D dead: 2)");
  assert.equal(m.runs.length, 3);
});

Deno.test("global-optimum: a collapsed G is not tolerated, a run that made no progress is", () => {
  const collapsed = study({ cg: CG, js: JS, extra: { g_spread: 0.05 } });
  assertHealth(collapsed, () => ["g_collapsed"]);
  const c = check(collapsed, "global-optimum");
  assert.equal(c.verdict, "INCONCLUSIVE", c.evidence);
  assertEvidence(c, "5 invalid (G collapsed: 5)");
  // js 0.15 at step 0, 0.14 to 0.16 at the end: no progress, which the claim measures (FAIL).
  const stalled = study({
    cg: FAR_CG,
    js: FAR_JS,
    other: (s) => ({
      final: { cg: FAR_CG[s] - LOG4, cg_se: 0.002, js: FAR_JS[s], dstar_spread: 0.2 },
      curves: [{ step: 0, js: 0.15 }, { step: 200, js: FAR_JS[s] }],
    }),
  });
  assertHealth(stalled, () => ["no_progress"]);
  const s = check(stalled, "global-optimum");
  assert.equal(s.verdict, "FAIL", s.evidence);
  assertEffect(s, byHand(FAR_CG));
  assert.ok(!s.evidence.includes("not used"), s.evidence);
});

Deno.test("global-optimum: a run whose C(G) + log 4 disagrees with 2 JSD gives INCONCLUSIVE naming the run", () => {
  // Seed 2: js 0.03 but C(G) + log 4 0.004: gap 0.004 - 0.06 = -0.056, allowed
  // 3 x 0.002 + 0.01 + 0.25 x 0.06 = 0.031. Every interval alone would PASS.
  const js = [...JS.slice(0, 2), 0.03, ...JS.slice(3)];
  const p = study({ cg: CG, js });
  const r = check(p, "global-optimum", { tolerance: 0.05 });
  assert.equal(r.verdict, "INCONCLUSIVE", r.evidence);
  assertEffect(r, byHand(CG));
  const id = p.id({}, 2);
  assertEvidence(
    r,
    `the estimators disagree: C(G) + log 4 - 2 JSD is -0.056 in run ${id} (allowed ±0.031)`,
    `The identity C(G) = -log 4 + 2 JSD does not hold: C(G) + log 4 - 2 JSD is -0.056 in run ${id}`,
  );
  // Within the slack (gap -0.006 against 0.0175 for js 0.005, cg 0.004) the identity holds.
  const ok = check(
    study({ cg: CG, js: [...JS.slice(0, 2), 0.005, ...JS.slice(3)] }),
    "global-optimum",
  );
  assert.equal(ok.verdict, "PASS", ok.evidence);
});

Deno.test("global-optimum: an interval crossing the tolerance gives INCONCLUSIVE; the tolerance is a param", () => {
  const cg = [0.01, 0.06, 0.03, 0.08, 0.02];
  const p = study({ cg, js: cg.map((x) => x / 2) });
  const r = check(p, "global-optimum");
  assert.equal(r.verdict, "INCONCLUSIVE", r.evidence);
  assertEffect(r, byHand(cg));
  assertEvidence(
    r,
    "C(G) + log 4 0.04 [0.0038, 0.0762]",
    "the interval of C(G) + log 4 and js does not lie on its claimed side " +
      "(within (-0.02, 0.02), < 0.02)",
  );
  const wide = check(p, "global-optimum", { tolerance: 0.1 });
  assert.equal(wide.verdict, "PASS", wide.evidence);
  assertEvidence(wide, "(claimed within (-0.1, 0.1))", "tolerance 0.1");
});

Deno.test("global-optimum: D* not flat over x gives INCONCLUSIVE, never FAIL on its own", () => {
  const spread = [0.2, 0.25, 0.15, 0.22, 0.18];
  const r = check(study({ cg: CG, js: JS, dstarSpread: spread }), "global-optimum");
  assert.equal(r.verdict, "INCONCLUSIVE", r.evidence);
  assertEvidence(
    r,
    "dstar_spread 0.2 [",
    "the interval of dstar_spread does not lie on its claimed side (< 0.05)",
  );
  const loose = check(study({ cg: CG, js: JS, dstarSpread: spread }), "global-optimum", {
    spreadTolerance: 0.3,
  });
  assert.equal(loose.verdict, "PASS", loose.evidence);
});

Deno.test("global-optimum: C(G) + log 4 entirely below -tolerance (impossible: C(G) >= -log 4) is INCONCLUSIVE, not FAIL", () => {
  // The rule FAILs only when C(G) + log 4 or js lies entirely above the tolerance.
  const cg = [-0.1, -0.12, -0.09, -0.11, -0.1];
  const r = check(study({ cg, js: JS }), "global-optimum");
  assert.equal(r.verdict, "INCONCLUSIVE", r.evidence);
  assertEffect(r, byHand(cg));
  assertEvidence(
    r,
    "C(G) + log 4 -0.104 [-0.1182, -0.08984]",
    "C(G) + log 4 lies entirely below -0.02, under its minimum 0, so the estimate of C(G) " +
      "cannot be right",
    "The identity C(G) = -log 4 + 2 JSD does not hold",
  );
  // With js entirely above the tolerance as well, the rule FAILs (G is far by the JS).
  const far = check(study({ cg, js: FAR_JS }), "global-optimum");
  assert.equal(far.verdict, "FAIL", far.evidence);
});

Deno.test("global-optimum: two seeds are too few", () => {
  const r = check(study({ cg: CG.slice(0, 2), js: JS.slice(0, 2) }), "global-optimum");
  assert.equal(r.verdict, "INCONCLUSIVE");
  assertEffect(r, byHand(CG.slice(0, 2)));
  assertEvidence(r, "too few seeds (n = 2, at least 3 required)");
});

Deno.test("global-optimum: diverged and failed runs are not averaged", () => {
  const r = check(
    study({
      cg: [...CG, 0.3, 0.3],
      js: [...JS, 0.15, 0.15],
      other: (s) =>
        s === 5
          ? { state: "diverged", final: { cg: 1, cg_se: 0, js: 0.5, dstar_spread: 0.3 } }
          : s === 6
          ? { state: "failed", final: null }
          : undefined,
    }),
    "global-optimum",
  );
  assert.equal(r.verdict, "PASS", r.evidence);
  assertEffect(r, byHand(CG));
  assertEvidence(r, "not used: 1 diverged, 1 failed");
  assert.equal(r.runs.length, 5);
});

Deno.test("global-optimum: without C(G) (data not 1-D) or another needed metric, INCONCLUSIVE naming it", () => {
  // ring-8 runs log V at the trained D and D's outputs, never C(G) with the optimal D.
  const ring = plant({
    seeds: [0, 1, 2],
    run: () => ({ final: { value: -LOG4, d_real_valid: 0.5, d_fake: 0.5, modes: 8 } }),
  });
  const r = check(ring, "global-optimum");
  assert.equal(r.verdict, "INCONCLUSIVE");
  assertEvidence(
    r,
    'No done run logged a finite final "cg"',
    "The test needs C(G) with the optimal D, which the harness computes on 1-D data (gaussian-1d).",
  );
  const noSpread = study({
    cg: CG,
    js: JS,
    other: (s) => ({ final: { cg: CG[s] - LOG4, cg_se: 0.002, js: JS[s] } }),
  });
  const n = check(noSpread, "global-optimum");
  assert.equal(n.verdict, "INCONCLUSIVE");
  assertEvidence(n, 'No done run logged a finite final "dstar_spread"');
  const t = check(study({ cg: CG, js: JS }), "global-optimum", { tolerance: -1 });
  assert.equal(t.verdict, "INCONCLUSIVE");
  assertEvidence(t, 'params "tolerance" and "spreadTolerance" must be > 0');
});
