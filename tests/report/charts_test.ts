import assert from "node:assert/strict";
import { aggregate } from "../../lib/report/aggregate.ts";
import { buildCharts, type Chart, VEGA_LITE_SCHEMA, wrap } from "../../lib/report/charts.ts";
import { expandRuns, validateExperiment } from "../../lib/spec/mod.ts";
import { fixture, record } from "./fixtures.ts";

// deno-lint-ignore no-explicit-any
type Json = any;

function byName(charts: Chart[], name: string): Json {
  const c = charts.find((c) => c.name === name);
  assert.ok(c, `no chart ${name} among ${charts.map((c) => c.name).join(", ")}`);
  return c.spec;
}

function titleText(t: string | string[]): string {
  return Array.isArray(t) ? t.join(" ") : t;
}

Deno.test("buildCharts: final and curve charts for the metrics of interest present", () => {
  const { exp, plans, records } = fixture();
  const charts = buildCharts(aggregate(exp, plans, records));
  assert.deepEqual(charts.map((c) => c.name), [
    "final-d_gap",
    "final-modes",
    "final-hq_share",
    "curve-modes",
    "curve-hq_share",
  ]);
  for (const c of charts) assert.equal((c.spec as Json).$schema, VEGA_LITE_SCHEMA);
});

Deno.test("final chart: mean and 95% interval per config against the first axis", () => {
  const { exp, plans, records } = fixture();
  const spec = byName(buildCharts(aggregate(exp, plans, records)), "final-modes");
  const values = spec.data.values;
  // k = 3 has no done run, so it has no point.
  assert.deepEqual(values.map((v: Json) => [v.x, v.mean, v.n]), [[1, 7, 3], [2, 5, 1]]);
  const half = 4.3026527 / Math.sqrt(3);
  assert.ok(Math.abs(values[0].lo - (7 - half)) < 1e-6);
  assert.ok(Math.abs(values[0].hi - (7 + half)) < 1e-6);
  assert.equal(values[1].lo, null); // one seed: no interval, and JSON has no NaN
  assert.equal(spec.encoding.x.field, "x");
  assert.equal(spec.encoding.x.type, "quantitative");
  assert.equal(spec.encoding.x.title, "k (D steps per G step)");
  assert.equal(spec.encoding.color, undefined); // one swept axis: one series
  const marks = spec.layer.map((l: Json) => l.mark.type);
  assert.ok(marks.includes("errorbar") && marks.includes("point"));
  const errorbar = spec.layer.find((l: Json) => l.mark.type === "errorbar");
  assert.equal(errorbar.encoding.y.field, "lo");
  assert.equal(errorbar.encoding.y2.field, "hi");
  const yTitle = titleText(errorbar.encoding.y.title);
  assert.ok(yTitle.includes("modes captured"), yTitle);
  assert.ok(yTitle.includes("mean ± 95% CI across seeds"), yTitle);
});

Deno.test("final chart: colour by the second swept axis", () => {
  const exp = validateExperiment({
    name: "two",
    base: { data: { name: "ring-8" }, optimizer: { name: "adam" } },
    sweep: { k: [1, 5], "optimizer.lr": [1e-4, 1e-3] },
    seeds: [0, 1],
  });
  const plans = expandRuns(exp);
  const records = plans.map((p, i) => record(p, "done", { modes: i }));
  const spec = byName(buildCharts(aggregate(exp, plans, records)), "final-modes");
  assert.equal(spec.encoding.color.field, "series");
  assert.equal(spec.encoding.color.title, "optimizer.lr (learning rate)");
  assert.deepEqual(spec.encoding.color.sort, ["0.0001", "0.001"]);
  assert.deepEqual(
    spec.data.values.map((v: Json) => [v.x, v.series, v.mean]),
    [[1, "0.0001", 0.5], [1, "0.001", 2.5], [5, "0.0001", 4.5], [5, "0.001", 6.5]],
  );
});

Deno.test("final chart: without a swept axis, x is the config index", () => {
  const exp = validateExperiment({ name: "one", base: {}, seeds: [0, 1] });
  const plans = expandRuns(exp);
  const records = plans.map((p) => record(p, "done", { r_t: p.seed }));
  const spec = byName(buildCharts(aggregate(exp, plans, records)), "final-r_t");
  assert.equal(spec.encoding.x.field, "config");
  assert.deepEqual(spec.data.values.map((v: Json) => [v.config, v.mean, v.n]), [[0, 0.5, 2]]);
});

Deno.test("curve chart: per-step mean and band per config, coloured by config label", () => {
  const { exp, plans, records } = fixture();
  const spec = byName(buildCharts(aggregate(exp, plans, records)), "curve-modes");
  // k = 1 seeds log modes 6, 5, 4 at step 0 and 8, 7, 6 at step 100; k = 2 only seed 0.
  assert.deepEqual(
    spec.data.values.map((v: Json) => [v.label, v.step, v.mean, v.n]),
    [["k=1", 0, 5, 3], ["k=1", 100, 7, 3], ["k=2", 0, 3, 1], ["k=2", 100, 5, 1]],
  );
  const half = 4.3026527 / Math.sqrt(3);
  assert.ok(Math.abs(spec.data.values[1].hi - (7 + half)) < 1e-6);
  assert.equal(spec.encoding.x.field, "step");
  assert.equal(spec.encoding.color.field, "label");
  const band = spec.layer.find((l: Json) => l.mark.type === "area");
  assert.equal(band.encoding.y.field, "lo");
  assert.equal(band.encoding.y2.field, "hi");
  assert.ok(spec.layer.some((l: Json) => l.mark.type === "line" && l.encoding.y.field === "mean"));
});

Deno.test("wrap breaks long titles into lines without losing words", () => {
  const text = "D overfitting gap, train − held-out D(x) (d_gap), mean ± 95% CI across seeds";
  const lines = wrap(text, 34);
  assert.ok(lines.length > 1);
  assert.ok(lines.every((l) => l.length <= 34));
  assert.equal(lines.join(" "), text);
});

Deno.test("curve chart: many configs over two axes become panels by the second axis", () => {
  const exp = validateExperiment({
    name: "grid",
    base: { data: { name: "ring-8" }, optimizer: { name: "adam" } },
    sweep: { k: [1, 2, 3, 4], "optimizer.lr": [1e-4, 1e-3, 1e-2] },
    seeds: [0, 1],
  });
  const plans = expandRuns(exp);
  const records = plans.map((p, i) =>
    record(p, "done", { d_gap: i }, [{ step: 0, d_gap: 0 }, { step: 10, d_gap: i }])
  );
  const agg = aggregate(exp, plans, records);
  const spec = byName(buildCharts(agg), "curve-d_gap");
  assert.equal(spec.facet.field, "panel");
  assert.equal(spec.facet.title, "optimizer.lr (learning rate)");
  assert.deepEqual(spec.facet.sort, ["0.0001", "0.001", "0.01"]);
  assert.equal(spec.spec.encoding.color.field, "line");
  assert.equal(spec.spec.encoding.color.title, "k (D steps per G step)");
  assert.deepEqual(spec.spec.encoding.color.sort, ["1", "2", "3", "4"]);
  // Still summarised per configuration: 12 configs x 2 steps, never per run.
  assert.equal(spec.data.values.length, 24);
  const v = spec.data.values.find((v: Json) =>
    v.line === "3" && v.panel === "0.001" && v.step === 10
  );
  const runs = plans.map((p, i) => [p, i] as const)
    .filter(([p]) => p.point.k === 3 && p.point["optimizer.lr"] === 1e-3).map(([, i]) => i);
  assert.equal(v.mean, (runs[0] + runs[1]) / 2);
  assert.equal(v.n, 2);
  // With few configs (or maxLines raised) it stays one panel coloured by config.
  const flat = byName(buildCharts(agg, { maxLines: 12 }), "curve-d_gap");
  assert.equal(flat.facet, undefined);
  assert.equal(flat.encoding.color.field, "label");
});
