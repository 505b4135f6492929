import assert from "node:assert/strict";
import { aggregate } from "../../lib/report/aggregate.ts";
import { buildCharts } from "../../lib/report/charts.ts";
import { renderSvg } from "../../lib/report/render.ts";
import { expandRuns, validateExperiment } from "../../lib/spec/mod.ts";
import { fixture, record } from "./fixtures.ts";

Deno.test("renderSvg draws a final chart with its axis titles", async () => {
  const { exp, plans, records } = fixture();
  const chart = buildCharts(aggregate(exp, plans, records)).find((c) => c.name === "final-modes")!;
  const svg = await renderSvg(chart.spec);
  assert.ok(svg.startsWith("<svg"), svg.slice(0, 40));
  assert.ok(svg.trimEnd().endsWith("</svg>"));
  assert.ok(svg.includes("k (D steps per G step)"));
  assert.ok(svg.includes("mark-symbol"), "no points drawn");
});

Deno.test("renderSvg draws curve bands and lines", async () => {
  const { exp, plans, records } = fixture();
  const chart = buildCharts(aggregate(exp, plans, records)).find((c) => c.name === "curve-modes")!;
  const svg = await renderSvg(chart.spec);
  assert.ok(svg.startsWith("<svg"));
  assert.ok(svg.includes("mark-area") && svg.includes("mark-line"));
  assert.ok(svg.includes("k=1") && svg.includes("k=2"), "legend labels missing");
});

Deno.test("renderSvg handles a text axis and a colour series", async () => {
  const exp = validateExperiment({
    name: "loss",
    base: { data: { name: "ring-8" } },
    sweep: { loss: ["minimax", "non-saturating"], gSteps: [1, 3] },
    seeds: [0, 1],
  });
  const plans = expandRuns(exp);
  const records = plans.map((p, i) => record(p, "done", { hq_share: i / 10 }));
  const chart = buildCharts(aggregate(exp, plans, records))[0];
  assert.equal((chart.spec as { encoding: { x: { type: string } } }).encoding.x.type, "ordinal");
  const svg = await renderSvg(chart.spec);
  assert.ok(svg.startsWith("<svg"));
  assert.ok(svg.includes("non-saturating") && svg.includes("gSteps (G steps per iteration)"));
});
