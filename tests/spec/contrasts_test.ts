/**
 * Validation of an experiment's `contrasts` and `report` fields: every bad
 * input names its path, the value and what is accepted.
 */
import assert from "node:assert/strict";
import { SpecError, validateExperiment } from "../../lib/spec/mod.ts";
import { CONTRAST_TOLERABLE } from "../../lib/spec/contrasts.ts";
import { HEALTH_CHECKS } from "../../lib/metrics/health.ts";

const BASE = {
  name: "c",
  base: { data: { name: "ring-8" } },
  sweep: { loss: ["least-squares", "non-saturating"], "optimizer.lr": [1e-4, 1e-3] },
  seeds: [0, 1, 2],
};
const GOOD = { axis: "loss", a: "least-squares", b: "non-saturating", metrics: ["modes"] };

function issues(extra: Record<string, unknown>): string[] {
  try {
    validateExperiment({ ...BASE, ...extra });
  } catch (e) {
    assert.ok(e instanceof SpecError);
    return e.issues.map((i) => `${i.path}: ${i.message}`);
  }
  return [];
}

Deno.test("contrasts: a valid contrast is kept; none gives an empty list", () => {
  const exp = validateExperiment({ ...BASE, contrasts: [GOOD] });
  assert.deepEqual(exp.contrasts, [GOOD]);
  assert.deepEqual(validateExperiment(BASE).contrasts, []);
  const full = {
    ...GOOD,
    metrics: ["modes", "hq_share"],
    better: { modes: "higher" },
    id: "LS vs NS",
    title: "Is LS better?",
    rule: "any",
    alpha: 0.01,
    minSeeds: 2,
    lastEvals: 3,
    interactions: ["optimizer.lr"],
    tolerate: ["g_collapsed"],
    resamples: 500,
  };
  assert.deepEqual(validateExperiment({ ...BASE, contrasts: [full] }).contrasts, [full]);
});

Deno.test("contrasts: bad fields are named with what is accepted", () => {
  const got = issues({
    contrasts: [
      { ...GOOD, axis: "los" },
      { ...GOOD, a: "hinge", b: "least-squares" },
      { ...GOOD, b: "least-squares" },
      { ...GOOD, metrics: [] },
      { ...GOOD, better: "up", rule: "most", alpha: 2, minSeeds: 1, lastEvals: 0 },
      { ...GOOD, interactions: ["loss", "k"], tolerate: ["tired"], extra: 1 },
      { ...GOOD, better: { js: "higher", modes: "more" } },
      "loss",
    ],
  });
  const expect = [
    /^contrasts\[0\]\.axis: got "los", expected a swept path \("loss", "optimizer\.lr"\); did you mean "loss"\?/,
    /^contrasts\[1\]\.a: got "hinge", expected a value "loss" takes in the sweep \("least-squares", "non-saturating"\)/,
    /^contrasts\[2\]\.b: got "least-squares", the same value as a/,
    /^contrasts\[3\]\.metrics: got \[\], expected a non-empty array of metric names/,
    /^contrasts\[4\]\.better: got "up", expected "higher", "lower" or an object/,
    /^contrasts\[4\]\.rule: got "most", expected "overall", "all" or "any"/,
    /^contrasts\[4\]\.alpha: got 2, expected a number > 0 and <= 0\.5/,
    /^contrasts\[4\]\.minSeeds: got 1, expected an integer >= 2/,
    /^contrasts\[4\]\.lastEvals: got 0, expected an integer >= 1/,
    /^contrasts\[5\]\.extra: unknown field/,
    /^contrasts\[5\]\.interactions\[0\]: got "loss", expected one of the other swept paths \("optimizer\.lr"\)/,
    /^contrasts\[5\]\.interactions\[1\]: got "k"/,
    /^contrasts\[5\]\.tolerate: got \["tired"\], expected an array of health checks/,
    /^contrasts\[6\]\.better\.js: not one of the contrast's metrics/,
    /^contrasts\[6\]\.better\.modes: got "more", expected "higher" or "lower"/,
    /^contrasts\[7\]: got "loss", expected \{ axis, a, b, metrics/,
  ];
  for (const re of expect) {
    assert.ok(got.some((g) => re.test(g)), `${re} not in\n${got.join("\n")}`);
  }
  assert.equal(got.length, expect.length, got.join("\n"));
  assert.deepEqual(issues({ contrasts: "x" }), [
    'contrasts: got "x", expected an array of { axis, a, b, metrics, ... }',
  ]);
  assert.match(
    issues({ contrasts: [GOOD, GOOD] })[0],
    /contrasts\[1\]\.id: the contrast "loss: least-squares vs non-saturating" appears twice/,
  );
});

Deno.test("contrasts: the tolerable checks are the health checks", () => {
  assert.deepEqual([...CONTRAST_TOLERABLE], [...HEALTH_CHECKS]);
});

Deno.test("report options: valid options are accepted; bad ones named", () => {
  const report = {
    metrics: ["modes"],
    x: "optimizer.lr",
    color: "loss",
    facet: null,
    logX: "auto",
    digits: 3,
    axisFormat: ".1e",
    names: { "optimizer.lr": "lr" },
    values: { loss: { "least-squares": "LS" } },
    sections: ["contrasts", "charts"],
  };
  assert.deepEqual(validateExperiment({ ...BASE, report }).report, report);
  const got = issues({
    report: {
      metrics: "modes",
      x: "lr",
      color: "optimizer.lr",
      facet: "optimizer.lr",
      logX: "yes",
      digits: 9,
      axisFormat: "%%%",
      names: { k: 3 },
      values: { los: {} },
      sections: ["contrast"],
      colour: "loss",
    },
  });
  const expect = [
    /^report\.colour: unknown field; did you mean "color"\?/,
    /^report\.metrics: got "modes", expected a non-empty array/,
    /^report\.x: got "lr", expected a swept path \("loss", "optimizer\.lr"\)/,
    /^report\.facet: got "optimizer\.lr", already the color/,
    /^report\.logX: got "yes", expected true, false or "auto"/,
    /^report\.digits: got 9, expected an integer from 2 to 6/,
    /^report\.axisFormat: got "%%%", expected a d3-format specifier/,
    /^report\.names\["k"\]: got 3, expected a non-empty string/,
    /^report\.values\["los"\]: not a swept path .*did you mean "loss"\?/,
    /^report\.sections: got \["contrast"\], expected distinct names among "contrasts"/,
  ];
  for (const re of expect) {
    assert.ok(got.some((g) => re.test(g)), `${re} not in\n${got.join("\n")}`);
  }
  assert.equal(got.length, expect.length, got.join("\n"));
});

Deno.test("contrasts: not checked against a sweep that is itself invalid", () => {
  const got = issues({ sweep: { lss: [1] }, contrasts: [GOOD] });
  assert.ok(got.every((g) => !g.startsWith("contrasts")), got.join("\n"));
});
