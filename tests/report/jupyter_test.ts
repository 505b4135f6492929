import assert from "node:assert/strict";
import {
  chartBundle,
  displayChart,
  jupyterKernel,
  type JupyterLike,
  VEGA_LITE_SCHEMA,
  VEGA_LITE_V5_MIME,
  VEGA_LITE_V5_SCHEMA,
} from "../../lib/report/mod.ts";

const chart = {
  spec: { $schema: VEGA_LITE_SCHEMA, mark: "point", data: { values: [{ a: 1 }] } },
  svg: "<svg></svg>",
};

Deno.test("displayChart outside a Jupyter kernel returns false and does not throw", () => {
  assert.equal(jupyterKernel(), null);
  assert.equal(displayChart(chart), false);
});

Deno.test("displayChart in a kernel shows a v5 copy of the spec and the SVG, raw", () => {
  const shown: [Record<string, unknown>, unknown][] = [];
  const kernel: JupyterLike = { display: (bundle, options) => shown.push([bundle, options]) };
  assert.equal(displayChart(chart, kernel), true);
  assert.equal(shown.length, 1);
  const [bundle, options] = shown[0];
  assert.deepEqual(options, { raw: true });
  assert.deepEqual(Object.keys(bundle).sort(), [VEGA_LITE_V5_MIME, "image/svg+xml"].sort());
  assert.equal(VEGA_LITE_V5_MIME, "application/vnd.vegalite.v5+json");
  const spec = bundle[VEGA_LITE_V5_MIME] as Record<string, unknown>;
  assert.equal(spec.$schema, VEGA_LITE_V5_SCHEMA);
  assert.equal(VEGA_LITE_V5_SCHEMA, "https://vega.github.io/schema/vega-lite/v5.json");
  assert.deepEqual(spec.data, chart.spec.data);
  assert.equal(bundle["image/svg+xml"], "<svg></svg>");
  assert.equal(chart.spec.$schema, VEGA_LITE_SCHEMA, "the original spec must stay v6");
});

Deno.test("chartBundle leaves out a missing SVG", () => {
  assert.deepEqual(Object.keys(chartBundle({ spec: {}, svg: null })), [VEGA_LITE_V5_MIME]);
});
