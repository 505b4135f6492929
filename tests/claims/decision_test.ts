import assert from "node:assert/strict";
import { resolveParams } from "../../lib/claims/common.ts";
import { combineDecisions, decideOneSided, type Decision } from "../../lib/claims/decision.ts";
import type { Summary } from "../../lib/analysis/stats.ts";

const s = (n: number, lo: number, hi: number): Summary => ({
  n,
  mean: (lo + hi) / 2,
  sd: 1,
  ci95Low: lo,
  ci95High: hi,
});

Deno.test("decideOneSided: PASS and FAIL only strictly on one side; touching the threshold is INCONCLUSIVE", () => {
  assert.equal(decideOneSided(s(5, 0.001, 2), 0, "above", 3).verdict, "PASS");
  assert.equal(decideOneSided(s(5, 0.001, 2), 0, "above", 3).margin, 0.001);
  assert.equal(decideOneSided(s(5, 0.001, 2), 0, "below", 3).verdict, "FAIL");
  assert.equal(decideOneSided(s(5, -2, -0.5), 0, "below", 3).verdict, "PASS");
  assert.equal(decideOneSided(s(5, -2, -0.5), 0, "above", 3).verdict, "FAIL");
  const touch = decideOneSided(s(5, 0, 2), 0, "above", 3);
  assert.equal(touch.verdict, "INCONCLUSIVE");
  assert.equal(touch.reason, "which does not exclude 0");
  assert.equal(decideOneSided(s(5, 0.05, 0.2), 0.1, "below", 3).verdict, "INCONCLUSIVE");
  const few = decideOneSided(s(2, 1, 2), 0, "above", 3);
  assert.equal(few.verdict, "INCONCLUSIVE");
  assert.equal(few.reason, "too few seeds (n = 2, at least 3 required)");
  const none = decideOneSided(s(3, NaN, NaN), 0, "above", 3);
  assert.equal(none.verdict, "INCONCLUSIVE");
});

Deno.test("combineDecisions: every group must agree; the deciding group is reported", () => {
  const d = (verdict: Decision["verdict"], margin: number, label: string) => ({
    label,
    decision: { verdict, margin, reason: "" },
  });
  let c = combineDecisions([d("PASS", 0.5, "a"), d("PASS", 0.1, "b"), d("PASS", 0.3, "c")]);
  assert.equal(c.verdict, "PASS");
  assert.equal(c.deciding.label, "b", "the weakest pass");
  c = combineDecisions([d("FAIL", 0.5, "a"), d("FAIL", 0.2, "b")]);
  assert.equal(c.verdict, "FAIL");
  assert.equal(c.deciding.label, "b", "the weakest fail");
  c = combineDecisions([d("PASS", 0.5, "a"), d("INCONCLUSIVE", NaN, "b"), d("FAIL", 1, "c")]);
  assert.equal(c.verdict, "INCONCLUSIVE");
  assert.equal(c.deciding.label, "b", "the first inconclusive");
  c = combineDecisions([d("PASS", 0.5, "a"), d("FAIL", 1, "c")]);
  assert.equal(c.verdict, "INCONCLUSIVE");
  assert.equal(c.deciding.label, "c", "disagreeing groups: the first failing one");
  assert.throws(() => combineDecisions([]));
});

Deno.test("resolveParams: merges overrides and names every problem", () => {
  const defaults = { axis: "k", minSeeds: 3 };
  assert.deepEqual(resolveParams(defaults, { axis: "gSteps" }), {
    params: { axis: "gSteps", minSeeds: 3 },
    problems: [],
  });
  assert.deepEqual(resolveParams(defaults, undefined).params, defaults);
  const bad = resolveParams(defaults, { axs: "k", axis: 5, minSeeds: 2.5 });
  assert.deepEqual(bad.problems, [
    'unknown param "axs" (accepted: axis, minSeeds)',
    'param "axis" is 5, expected a string',
    'param "minSeeds" is 2.5, expected an integer >= 2',
  ]);
  assert.deepEqual(bad.params, defaults, "bad overrides are not in force");
  assert.deepEqual(resolveParams(defaults, { minSeeds: NaN }).problems, [
    'param "minSeeds" is NaN, expected a finite number',
  ]);
  assert.deepEqual(resolveParams(defaults, "k").problems, [
    'params is "k", expected an object of name -> value',
  ]);
});
