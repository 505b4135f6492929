import assert from "node:assert/strict";
import {
  CHARTED_METRICS,
  COMMON_METRICS,
  METRIC_ORDER,
  metricInfo,
  METRICS,
  metricsOfStage,
  unknownMetricIssues,
} from "../../lib/metrics/registry.ts";
import { registeredRow } from "../../lib/gan/evaluate.ts";
import { train } from "../../lib/gan/train.ts";
import { config } from "../_config.ts";
import { useBackend } from "../_backend.ts";

await useBackend("cpu");

Deno.test("registry: names are unique, titles and descriptions are given, chart positions are 0..n-1", () => {
  assert.equal(new Set(METRICS.map((m) => m.name)).size, METRICS.length);
  for (const m of METRICS) {
    assert.ok(m.title.length > 0 && m.description.length > 0, m.name);
    assert.ok(m.stages.length > 0, m.name);
  }
  const positions = METRICS.flatMap((m) => (m.chart === undefined ? [] : [m.chart])).sort((a, b) =>
    a - b
  );
  assert.deepEqual(positions, positions.map((_, i) => i));
  assert.equal(metricInfo("no_such_metric"), undefined);
});

Deno.test("registry: the order tables and charts use", () => {
  assert.deepEqual(COMMON_METRICS, METRIC_ORDER.slice(0, COMMON_METRICS.length));
  assert.deepEqual(COMMON_METRICS.slice(0, 3), ["d_loss", "g_loss", "d_real_train"]);
  assert.deepEqual(COMMON_METRICS, metricsOfStage("common"));
  assert.deepEqual(CHARTED_METRICS.slice(0, 4), ["d_gap", "r_t", "d_real_train", "d_real_valid"]);
  assert.equal(CHARTED_METRICS[CHARTED_METRICS.length - 1], "g_grad_norm");
});

Deno.test("registeredRow: orders by the registry, step first; an unregistered metric is an error", () => {
  const row = registeredRow({ js: 0.1, step: 5, d_loss: 1 });
  assert.deepEqual(Object.keys(row), ["step", "d_loss", "js"]);
  assert.throws(
    () => registeredRow({ step: 0, made_up: 1 }),
    /"made_up" is not in the metric registry/,
  );
});

Deno.test("registry: every metric a run logs is registered, in registry order", async () => {
  for (const data of [{ name: "gaussian-1d" }, { name: "ring-8" }]) {
    const result = await train(config({
      data: { ...data, trainSize: 64, validSize: 64 },
      arch: { name: "mlp", noiseDim: 1, hidden: [8] },
      steps: 2,
      evalEvery: 1,
      batchSize: 16,
      evalSamples: 64,
    }));
    const names = Object.keys(result.rows[0]).filter((k) => k !== "step");
    for (const n of names) assert.ok(metricInfo(n), `${n} is registered`);
    assert.deepEqual(names, METRIC_ORDER.filter((m) => names.includes(m)));
    const stage = data.name === "gaussian-1d" ? "gaussian-1d" : "mixture";
    for (const m of metricsOfStage(stage)) assert.ok(names.includes(m), `${m} logged`);
  }
});

Deno.test("unknownMetricIssues: unregistered names, indexed, with the closest registered one", () => {
  assert.deepEqual(unknownMetricIssues(["modes", "hq_share", "js"], "report.metrics"), []);
  const got = unknownMetricIssues(["modes", "hq_shar", "zzzzzz"], "report.metrics");
  assert.deepEqual(got.map((i) => i.path), ["report.metrics[1]", "report.metrics[2]"]);
  assert.match(got[0].message, /got "hq_shar", which no run logs; did you mean "hq_share"\?/);
  assert.match(got[1].message, /^got "zzzzzz", which no run logs \(reports\/README\.md/);
});
