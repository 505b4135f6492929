import assert from "node:assert/strict";
import { CLAIMS, evaluateClaims } from "../../lib/claims/mod.ts";
import { CLAIM_IDS } from "../../lib/spec/experiment.ts";
import { joinRuns } from "../../lib/analysis/join.ts";
import { check, plant, withFullProtocol } from "./fixtures.ts";

const K = [1, 2, 5, 10];

/**
 * k x data.trainSize study: final d_gap (and its curve) rises with log k, faster on 64
 * points than on 4,096; dstar_err 0.5 everywhere; `extra` adds final metrics to every run.
 */
function kSteps(claims: unknown[], extra: Record<string, number> = {}) {
  return plant({
    sweep: { k: K, "data.trainSize": [64, 4096] },
    seeds: [0, 1, 2, 3, 4],
    claims,
    run: (point, seed) => {
      const slope = point["data.trainSize"] === 64 ? 0.03 + 0.005 * seed : 0.01 + 0.001 * seed;
      const d_gap = slope * Math.log(point.k as number);
      return {
        final: { d_gap, dstar_err: 0.5, ...extra },
        curves: [{ step: 200, d_gap }],
      };
    },
  });
}

Deno.test("CLAIMS holds one definition per claim id of the spec, with defaults", () => {
  assert.deepEqual(Object.keys(CLAIMS).sort(), [...CLAIM_IDS].sort());
  for (const [id, def] of Object.entries(CLAIMS)) {
    assert.equal(def.id, id);
    assert.ok(def.title.length > 10, id);
    assert.equal(typeof def.evaluate, "function");
    assert.equal(def.defaults.minSeeds, 3, `${id}: minSeeds default`);
  }
  assert.deepEqual(CLAIMS["d-overfits"].defaults, {
    axis: "k",
    metric: "d_gap",
    control: "data.trainSize",
    minSeeds: 3,
  });
  assert.deepEqual(CLAIMS["mode-collapse"].defaults, {
    axis: "gSteps",
    metric: "modes_hq",
    direction: "decreasing",
    lastEvals: 3,
    minSeeds: 3,
  });
  assert.deepEqual(CLAIMS["saturation"].defaults, {
    axis: "loss",
    confident: 0.1,
    early: 0.1,
    gradientRatio: 0.5,
    metric: "js",
    minSeeds: 3,
    nonSaturating: "non-saturating",
    minimax: "minimax",
  });
  assert.deepEqual(CLAIMS["optimal-d"].defaults, {
    metric: "dstar_err",
    threshold: 0.1,
    minSeeds: 3,
  });
  assert.deepEqual(CLAIMS["global-optimum"].defaults, {
    tolerance: 0.02,
    spreadTolerance: 0.05,
    minSeeds: 3,
  });
  assert.deepEqual(CLAIMS["convergence-1d"].defaults, { metric: "js", bound: 0.02, minSeeds: 3 });
  assert.deepEqual(CLAIMS["parzen-table"].defaults, {
    metric: "parzen_ll",
    paperMean: 225,
    paperSe: 2,
    margin: 10,
    minSeeds: 3,
  });
});

Deno.test("evaluateClaims: one result per claim of the experiment, in order, with its params", () => {
  const p = kSteps([
    "optimal-d",
    "d-overfits",
    { id: "d-overfits", params: { minSeeds: 6 } },
    { id: "mode-collapse", params: { axis: "k", metric: "d_gap", direction: "increasing" } },
  ]);
  const results = evaluateClaims(p.exp, p.joined);
  assert.deepEqual(results.map((r) => r.id), [
    "optimal-d",
    "d-overfits",
    "d-overfits",
    "mode-collapse",
  ]);
  assert.deepEqual(results.map((r) => r.verdict), ["FAIL", "PASS", "INCONCLUSIVE", "PASS"]);
  assert.equal(results[2].params.minSeeds, 6);
  assert.equal(results[3].params.axis, "k");
  // The same study gives the same results, field for field, in ClaimResult's order.
  assert.deepEqual(evaluateClaims(p.exp, p.joined), results);
  assert.deepEqual(Object.keys(results[1]), [
    "id",
    "title",
    "verdict",
    "evidence",
    "effect",
    "test",
    "n",
    "runs",
    "params",
  ]);
  assert.deepEqual(results[1], check(p, "d-overfits"));
});

Deno.test("evaluateClaims: no claims gives []; an unknown id or non-object params give INCONCLUSIVE", () => {
  const p = kSteps([]);
  assert.deepEqual(evaluateClaims(p.exp, p.joined), []);
  // validateExperiment rejects both; the engine still answers without throwing.
  const exp = {
    ...p.exp,
    claims: ["d-overfit", { id: "d-overfits", params: [1] }],
  } as typeof p.exp;
  const [unknown, bad] = evaluateClaims(exp, joinRuns(exp, p.plans, p.records));
  assert.equal(unknown.verdict, "INCONCLUSIVE");
  assert.match(unknown.evidence, /no claim "d-overfit" \(known: optimal-d, /);
  assert.equal(bad.verdict, "INCONCLUSIVE");
  assert.match(bad.evidence, /params is \[1\], expected an object/);
});

Deno.test("evaluateClaims: a study with no records at all gives INCONCLUSIVE for every claim", () => {
  const p = kSteps([...CLAIM_IDS]);
  const joined = joinRuns(p.exp, p.plans, []);
  const results = evaluateClaims(p.exp, joined);
  assert.equal(results.length, CLAIM_IDS.length);
  for (const r of results) {
    assert.equal(r.verdict, "INCONCLUSIVE", r.id);
    assert.deepEqual(r.runs, [], r.id);
    assert.equal(r.n, 0, r.id);
  }
  assert.match(
    results.find((r) => r.id === "d-overfits")!.evidence,
    /No run is done \(40 missing\)/,
  );
});

Deno.test("evaluateClaims: the protocol reaches the claims (parzen-table under the shortened budget)", () => {
  const p = withFullProtocol(plant({
    seeds: [0, 1, 2],
    claims: ["parzen-table"],
    run: (_point, seed) => ({ final: { parzen_ll: 150 + seed } }),
  }));
  const [short] = evaluateClaims(p.exp, p.joined, { full: false });
  assert.equal(short.verdict, "INCONCLUSIVE", short.evidence);
  assert.match(short.evidence, /shortened default budget/);
  assert.equal(
    evaluateClaims(p.exp, p.joined).at(0)?.verdict,
    "INCONCLUSIVE",
    "default: shortened",
  );
  const [full] = evaluateClaims(p.exp, p.joined, { full: true });
  assert.equal(full.verdict, "FAIL", full.evidence);
});

Deno.test("evaluateClaims: a study whose every run has a dead D gives no PASS or FAIL, saying why", () => {
  const healthy = kSteps([...CLAIM_IDS]);
  const before = evaluateClaims(healthy.exp, healthy.joined);
  assert.equal(before.find((r) => r.id === "d-overfits")!.verdict, "PASS");
  assert.equal(before.find((r) => r.id === "optimal-d")!.verdict, "FAIL");
  // The same runs with every hidden unit of D inactive.
  const p = kSteps([...CLAIM_IDS], { d_active: 0 });
  const results = evaluateClaims(p.exp, p.joined);
  assert.equal(results.length, CLAIM_IDS.length);
  for (const r of results) {
    assert.equal(r.verdict, "INCONCLUSIVE", `${r.id}: ${r.evidence}`);
    assert.deepEqual(r.runs, [], r.id);
  }
  // Claims that reach their metric say the runs are invalid, and why.
  for (
    const id of ["optimal-d", "global-optimum", "d-overfits", "parzen-table", "convergence-1d"]
  ) {
    const r = results.find((x) => x.id === id)!;
    assert.match(r.evidence, /No run is done and valid \(40 invalid \(D dead: 40\)\)/, id);
  }
});
