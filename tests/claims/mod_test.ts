import assert from "node:assert/strict";
import { CLAIMS, evaluateClaims } from "../../lib/claims/mod.ts";
import { CLAIM_IDS } from "../../lib/spec/experiment.ts";
import { joinRuns } from "../../lib/analysis/join.ts";
import { check, plant } from "./fixtures.ts";

const K = [1, 2, 5, 10];

function kSteps(claims: unknown[]) {
  return plant({
    sweep: { k: K },
    seeds: [0, 1, 2, 3, 4],
    claims,
    run: (point, seed) => ({
      final: { d_gap: (0.03 + 0.005 * seed) * Math.log(point.k as number), dstar_err: 0.5 },
    }),
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
  assert.deepEqual(CLAIMS["d-overfits"].defaults, { axis: "k", metric: "d_gap", minSeeds: 3 });
  assert.deepEqual(CLAIMS["mode-collapse"].defaults, {
    axis: "gSteps",
    metric: "modes",
    direction: "decreasing",
    minSeeds: 3,
  });
  assert.equal(CLAIMS["saturation"].defaults.early, 0.1);
  assert.equal(CLAIMS["optimal-d"].defaults.threshold, 0.1);
  assert.equal(CLAIMS["global-optimum"].defaults.tolerance, 0.1);
  assert.equal(CLAIMS["convergence-1d"].defaults.metric, "js");
  assert.equal(CLAIMS["parzen-table"].defaults.metric, "parzen_ll");
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
    /No run is done \(20 missing\)/,
  );
});
