/**
 * The chart of the Parzen estimate against epochs: per configuration the
 * seeds' mean of parzen_curve_ll at each logged step (x in epochs), the
 * final parzen_ll as a point, the paper's 225 ± 2 as a band; none without a
 * curve; it renders to SVG and the report lists it.
 */
import assert from "node:assert/strict";
import { aggregate } from "../../lib/report/aggregate.ts";
import { PARZEN_CURVE_CHART, parzenCurveChart } from "../../lib/report/parzen_curve.ts";
import { renderSvg } from "../../lib/report/render.ts";
import { buildReport } from "../../lib/report/mod.ts";
import { expandRuns, validateExperiment } from "../../lib/spec/mod.ts";
import type { RunRecord } from "../../lib/sweep/store.ts";
import { record } from "./fixtures.ts";
import { withTempDir } from "../_temp.ts";

const exp = validateExperiment({
  name: "parzen-curve",
  base: {
    data: { name: "mnist", trainSize: 1000, validSize: 100, testSize: 100 },
    arch: { name: "maxout" },
    batchSize: 50,
    steps: 400,
    evalEvery: 100,
    parzen: { samples: 100, validPoints: 50, testPoints: 100, every: 200 },
  },
  sweep: { "optimizer.lr": [1e-3, 1e-4] },
  seeds: [0, 1, 2],
});
const plans = expandRuns(exp);

/** Curves at 0, 200, 400 of 100 + 10 * step / 100 + seed (and + 50 for the second lr); final parzen_ll. */
function records(withCurve: boolean): RunRecord[] {
  return plans.map((p) => {
    const shift = p.point["optimizer.lr"] === 1e-3 ? 0 : 50;
    const curves = [0, 100, 200, 300, 400].map((step) => ({
      step,
      d_loss: 1,
      ...(withCurve && step % 200 === 0
        ? { parzen_curve_ll: 100 + step / 10 + p.seed + shift }
        : {}),
    }));
    return record(p, "done", { d_loss: 1, parzen_ll: 150 + p.seed + shift }, curves);
  });
}

Deno.test("parzen curve chart: seeds' means against epochs, the final parzen_ll, the paper's band", () => {
  const chart = parzenCurveChart(aggregate(exp, plans, records(true)));
  assert.ok(chart);
  assert.equal(chart.name, PARZEN_CURVE_CHART);
  const spec = chart.spec as unknown as {
    layer: { data: { values: Record<string, unknown>[] } }[];
  };
  const band = spec.layer[0].data.values[0];
  assert.deepEqual([band.lo, band.hi, band.mean], [223, 227, 225]);
  const values = spec.layer[3].data.values;
  const curve = values.filter((v) => v.kind === "during training (test subset)");
  // 2 configs x steps 0, 200, 400; an epoch is 50 / 1000 of a step.
  assert.deepEqual(curve.map((v) => [v.label, v.step, v.epoch, v.mean, v.n]), [
    ["optimizer.lr=0.001", 0, 0, 101, 3],
    ["optimizer.lr=0.001", 200, 10, 121, 3],
    ["optimizer.lr=0.001", 400, 20, 141, 3],
    ["optimizer.lr=0.0001", 0, 0, 151, 3],
    ["optimizer.lr=0.0001", 200, 10, 171, 3],
    ["optimizer.lr=0.0001", 400, 20, 191, 3],
  ]);
  const finals = values.filter((v) => v.kind === "final, full protocol");
  assert.deepEqual(finals.map((v) => [v.label, v.epoch, v.mean]), [
    ["optimizer.lr=0.001", 5, 151],
    ["optimizer.lr=0.0001", 5, 201],
  ]);
  assert.ok((finals[0].lo as number) < 151 && (finals[0].hi as number) > 151);
});

Deno.test("parzen curve chart: none without parzen_curve_ll; it renders and the report has it", async () => {
  assert.equal(parzenCurveChart(aggregate(exp, plans, records(false))), null);
  const chart = parzenCurveChart(aggregate(exp, plans, records(true)))!;
  const svg = await renderSvg(chart.spec);
  assert.match(svg, /^<svg/);
  assert.match(svg, /paper: 225 ± 2/);
  await withTempDir("parzen-curve-", async (dir) => {
    const result = await buildReport(exp, plans, records(true), dir, { png: false });
    assert.ok(result.charts.some((c) => c.name === PARZEN_CURVE_CHART));
    const md = await Deno.readTextFile(`${dir}/report.md`);
    assert.match(md, /charts\/parzen-curve\.svg/);
  });
});
