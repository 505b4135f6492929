import assert from "node:assert/strict";
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { truthOf } from "../../lib/data/synthetic.ts";
import type { SyntheticDataConfig } from "../../lib/data/types.ts";
import {
  aggregate,
  densityChart,
  discriminatorChart,
  parseSamples,
  renderSvg,
  sampleCharts,
  scatterChart,
} from "../../lib/report/mod.ts";
import { fixture } from "./fixtures.ts";
import { GAUSS_SPEC, RING_SPEC, samplesText, writeStudy } from "./store_fixtures.ts";
import { withTempDir } from "../_temp.ts";

// deno-lint-ignore no-explicit-any
type Json = any;

Deno.test("density chart: histogram of one seed per config, as a density, against N(mean, std)", async () => {
  await withTempDir("report-samples-", async (root) => {
    const s = writeStudy(root, GAUSS_SPEC);
    const agg = aggregate(s.exp, s.plans, s.records);
    const chart = densityChart(agg)!;
    assert.equal(chart.name, "samples-density");
    const spec = chart.spec as Json;
    const values: Json[] = spec.data.values;
    assert.deepEqual([...new Set(values.map((v) => v.label))], agg.configs.map((c) => c.label));
    for (const c of agg.configs) {
      const bars = values.filter((v) => v.label === c.label && v.series === "generator samples");
      assert.equal(bars.length, 40);
      // The bars integrate to the share of samples inside the range (all but a few).
      const area = bars.reduce((a, b) => a + b.density * (b.x2 - b.x), 0);
      assert.ok(area > 0.99 && area <= 1 + 1e-9, `area ${area}`);
      // Samples are the seed-0 run's: the histogram's counts match that file.
      const seed0 = s.plans.find((p) => p.configId === c.configId && p.seed === 0)!;
      const xs = parseSamples(samplesText(seed0)).x;
      const first = bars[20];
      const inBin = xs.filter((x) => x >= first.x && x < first.x2).length;
      assert.ok(Math.abs(first.density * xs.length * (first.x2 - first.x) - inBin) < 1e-6);
      // The truth line is N(4, 0.5) from the config.
      const line = values.filter((v) => v.label === c.label && v.series !== "generator samples");
      assert.ok(line.length > 100);
      assert.equal(line[0].series, "p_data = N(4, 0.5²)");
      for (const p of line) {
        const z = (p.x - 4) / 0.5;
        const pdf = Math.exp(-z * z / 2) / (0.5 * Math.sqrt(2 * Math.PI));
        assert.ok(Math.abs(p.density - pdf) < 1e-12);
      }
    }
    assert.equal(spec.facet.field, "label");
    assert.equal(scatterChart(agg), null, "no mixture configs here");
    const svg = await renderSvg(chart.spec);
    assert.ok(svg.includes("mark-rect") && svg.includes("mark-line"));
  });
});

Deno.test("scatter chart: samples of one seed per config over the mode centres of truthOf", async () => {
  await withTempDir("report-samples-", async (root) => {
    const s = writeStudy(root, RING_SPEC);
    // The first seed's run has no samples: the chart falls back to the next seed.
    Deno.removeSync(join(s.runsDir, s.plans[0].id, "samples.csv"));
    const agg = aggregate(s.exp, s.plans, s.records);
    const chart = scatterChart(agg, { maxPoints: 250 })!;
    assert.equal(chart.name, "samples-scatter");
    const values: Json[] = (chart.spec as Json).data.values;
    const centres = truthOf(s.plans[0].config.data as SyntheticDataConfig);
    assert.equal(centres.kind, "mixture");
    for (const c of agg.configs) {
      const mine = values.filter((v) => v.label === c.label);
      const shown = mine.filter((v) => v.series === "generator samples");
      assert.equal(shown.length, 250);
      assert.deepEqual(
        mine.filter((v) => v.series === "mode centres").map((v) => [v.x, v.y]),
        centres.kind === "mixture" ? centres.centres : [],
      );
      const seed = c.index === 0 ? 1 : 0;
      const plan = s.plans.find((p) => p.configId === c.configId && p.seed === seed)!;
      const file = parseSamples(samplesText(plan));
      assert.deepEqual([shown[1].x, shown[1].y], [file.x[4], file.y[4]], "thinned evenly");
    }
    assert.equal(densityChart(agg), null);
    const svg = await renderSvg(chart.spec);
    assert.ok(svg.includes("mark-symbol"));
  });
});

Deno.test("sample charts: none without samples.csv; at most maxPanels configs", async () => {
  const { exp, plans, records } = fixture();
  assert.deepEqual(sampleCharts(aggregate(exp, plans, records)), []);
  await withTempDir("report-samples-", (root) => {
    const s = writeStudy(root, { ...RING_SPEC, sweep: { k: [1, 2, 3, 4, 5] } });
    const chart = scatterChart(aggregate(s.exp, s.plans, s.records), { maxPanels: 2 })!;
    const spec = chart.spec as Json;
    assert.deepEqual(spec.facet.sort, ["k=1", "k=2"]);
    assert.ok(spec.title.subtitle.join(" ").includes("first 2 of 5 configurations"));
    // A broken file is skipped rather than failing the report.
    writeFileSync(join(s.runsDir, s.plans[0].id, "samples.csv"), "x,y\n");
    const again = scatterChart(aggregate(s.exp, s.plans, s.records), { maxPanels: 1 })!;
    assert.equal((again.spec as Json).data.values.length, 500 + 8);
  });
});

Deno.test("discriminator chart: D and D* of one seed per 1-D config, from discriminator.csv", async () => {
  await withTempDir("report-samples-", async (root) => {
    const s = writeStudy(root, GAUSS_SPEC);
    let agg = aggregate(s.exp, s.plans, s.records);
    assert.equal(discriminatorChart(agg), null, "no discriminator.csv yet");
    for (const r of s.records) {
      const lines = ["x,d,d_star", "3,0.2,0.25", "4,0.5,0.5", "5,0.8,NaN", "6,0.9,0.7"];
      writeFileSync(join(r.dir, "discriminator.csv"), lines.join("\n") + "\n");
    }
    agg = aggregate(s.exp, s.plans, s.records);
    const chart = discriminatorChart(agg)!;
    assert.equal(chart.name, "discriminator");
    const values: Json[] = (chart.spec as Json).data.values;
    const first = agg.configs[0].label;
    const d = values.filter((v) => v.label === first && v.series === "D(x)");
    const dStar = values.filter((v) => v.label === first && v.series === "D*(x)");
    // The non-finite row is dropped.
    assert.deepEqual(d.map((v) => [v.x, v.value]), [[3, 0.2], [4, 0.5], [6, 0.9]]);
    assert.deepEqual(dStar.map((v) => [v.x, v.value]), [[3, 0.25], [4, 0.5], [6, 0.7]]);
    assert.ok(sampleCharts(agg).some((c) => c.name === "discriminator"));
    const svg = await renderSvg(chart.spec);
    assert.ok(svg.includes("mark-line"));
  });
});
