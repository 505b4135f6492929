import assert from "node:assert/strict";
import { assertEffect, assertEvidence, byHand, check, plant } from "./fixtures.ts";

const LOG4 = Math.log(4);
const VALUE = [0.01, -0.02, 0.0, 0.015, 0.005];
const D_REAL = [0.51, 0.49, 0.505, 0.495, 0.51];
const D_FAKE = [0.48, 0.52, 0.49, 0.5, 0.52];

/** One config; final value = -log 4 + value[seed], D outputs as given. */
function study(
  value: number[],
  dReal: number[],
  dFake: number[],
  state?: (seed: number) => "diverged" | "failed" | undefined,
) {
  return plant({
    seeds: value.map((_, i) => i),
    base: { data: { name: "gaussian-1d" }, steps: 200, evalEvery: 10 },
    run: (_point, seed) => ({
      state: state?.(seed),
      final: { value: -LOG4 + value[seed], d_real_valid: dReal[seed], d_fake: dFake[seed] },
    }),
  });
}

const minus = (xs: number[], c: number) => xs.map((x) => x - c);

Deno.test("global-optimum: V near -log 4 and D near 1/2 give PASS, effect the widest-reaching interval", () => {
  const r = check(study(VALUE, D_REAL, D_FAKE), "global-optimum");
  assert.equal(r.verdict, "PASS", r.evidence);
  // value + log 4: 0.002 [-0.01477, 0.01877]; d_real_valid - 1/2: 0.002 [-0.009278, 0.01328];
  // d_fake - 1/2: 0.002 [-0.02021, 0.02421] reaches furthest from 0 (half-widths 2.7764451 sd / sqrt 5).
  assertEffect(r, byHand(minus(D_FAKE, 0.5)));
  assert.equal(r.effect.name, "d_fake - 1/2");
  assert.equal(
    r.evidence,
    "Final value + log 4 = 0.002 [-0.01477, 0.01877], d_real_valid - 1/2 = 0.002 [-0.009278, 0.01328], " +
      "d_fake - 1/2 = 0.002 [-0.02021, 0.02421] (mean [95% CI]; n = 5 seeds): every interval lies within ±0.1.",
  );
  assert.deepEqual(r.params, { tolerance: 0.1, minSeeds: 3 });
});

Deno.test("global-optimum: D still rejecting fakes (d_fake near 0.2) gives FAIL", () => {
  const fake = [0.2, 0.22, 0.18, 0.21, 0.19];
  const r = check(study(VALUE, D_REAL, fake), "global-optimum");
  assert.equal(r.verdict, "FAIL", r.evidence);
  assertEffect(r, byHand(minus(fake, 0.5)));
  assertEvidence(
    r,
    "d_fake - 1/2 = -0.3 [-0.3196, -0.2804]",
    "d_fake - 1/2 lies entirely outside ±0.1",
  );
  // The value alone far off also fails.
  const v = check(study(VALUE.map((x) => x + 0.5), D_REAL, D_FAKE), "global-optimum");
  assert.equal(v.verdict, "FAIL");
  assertEvidence(v, "value + log 4 lies entirely outside ±0.1");
  assert.equal(v.effect.name, "value + log 4");
});

Deno.test("global-optimum: an interval crossing the tolerance gives INCONCLUSIVE", () => {
  const fake = [0.3, 0.45, 0.5, 0.38, 0.42];
  const r = check(study(VALUE, D_REAL, fake), "global-optimum");
  assert.equal(r.verdict, "INCONCLUSIVE", r.evidence);
  assertEffect(r, byHand(minus(fake, 0.5)));
  assertEvidence(r, "-0.09 [-0.1837, 0.003744]", "the interval of d_fake - 1/2 reaches past ±0.1");
  // A wider tolerance accepts the same runs.
  assert.equal(
    check(study(VALUE, D_REAL, fake), "global-optimum", { tolerance: 0.2 }).verdict,
    "PASS",
  );
});

Deno.test("global-optimum: two seeds are too few", () => {
  const r = check(study(VALUE.slice(0, 2), D_REAL, D_FAKE), "global-optimum");
  assert.equal(r.verdict, "INCONCLUSIVE");
  assert.equal(r.n, 2);
  assertEvidence(r, "too few seeds (n = 2, at least 3 required)");
});

Deno.test("global-optimum: diverged and failed runs are not averaged", () => {
  const r = check(
    study(
      [...VALUE, 9, 9],
      [...D_REAL, 1, 1],
      [...D_FAKE, 0, 0],
      (s) => s === 5 ? "diverged" : s === 6 ? "failed" : undefined,
    ),
    "global-optimum",
  );
  assert.equal(r.verdict, "PASS", r.evidence);
  assertEffect(r, byHand(minus(D_FAKE, 0.5)));
  assertEvidence(r, "not used: 1 diverged, 1 failed");
  assert.equal(r.runs.length, 5);
});

Deno.test("global-optimum: a missing metric gives INCONCLUSIVE naming it", () => {
  const p = plant({
    seeds: [0, 1, 2],
    run: () => ({ final: { value: -LOG4, d_real_valid: 0.5 } }),
  });
  const r = check(p, "global-optimum");
  assert.equal(r.verdict, "INCONCLUSIVE");
  assertEvidence(r, 'No done run logged a finite final "d_fake"');
  const t = check(study(VALUE, D_REAL, D_FAKE), "global-optimum", { tolerance: -1 });
  assertEvidence(t, 'param "tolerance" is -1, expected > 0');
});
