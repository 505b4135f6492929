/**
 * The chart of the Parzen-window log-likelihood against epochs, for image
 * studies that log it during training (`parzen.every`): per configuration
 * the mean of `parzen_curve_ll` across seeds with its 95% interval, the
 * final full-protocol `parzen_ll` as a point with its interval, and the
 * paper's 225 ± 2 (Table 1) as a band, so the report shows how far along
 * the curve a run got and how far it still is from the paper.
 *
 * An epoch is `batchSize` x step / `data.trainSize` (updates of D in one
 * pass over the training images).
 *
 * @module
 */
import type { TopLevelSpec } from "../deps.ts";
import type { Aggregate, ConfigSummary } from "./aggregate.ts";
import { type Chart, type ChartOptions, VEGA_LITE_SCHEMA } from "./charts.ts";
import { PAPER_PARZEN_TABLE } from "./parzen_table.ts";
import { curveSummary } from "../analysis/curves.ts";
import { summarise } from "../analysis/stats.ts";

/** The metric of the curve and the final full-protocol metric. */
export const PARZEN_CURVE_METRIC = "parzen_curve_ll";
const FINAL_METRIC = "parzen_ll";

/** Name of the chart's files (`charts/parzen-curve.*`). */
export const PARZEN_CURVE_CHART = "parzen-curve";

function finite(v: number): number | null {
  return Number.isFinite(v) ? v : null;
}

/** Epochs per step of a configuration's runs (batchSize / trainSize), or null if unknown. */
function epochsPerStep(c: ConfigSummary): number | null {
  const config = c.runs[0]?.plan.config;
  const trainSize = (config?.data as { trainSize?: number } | undefined)?.trainSize;
  if (!config || !trainSize) return null;
  return config.batchSize / trainSize;
}

/**
 * The chart (see the module doc), or null when no run logged
 * `parzen_curve_ll` at two or more steps in the states charted.
 *
 * @param agg The aggregated study.
 * @param options Which run states contribute (default `done`), plot size.
 * @returns The chart or null.
 */
export function parzenCurveChart(agg: Aggregate, options: ChartOptions = {}): Chart | null {
  const states = options.curveStates ?? ["done"];
  const values: Record<string, unknown>[] = [];
  for (const c of agg.configs) {
    const perStep = epochsPerStep(c);
    if (perStep === null) continue;
    const curve = curveSummary(c, PARZEN_CURVE_METRIC, { states });
    if (curve.length < 2) continue;
    for (const s of curve) {
      values.push({
        kind: "during training (test subset)",
        label: c.label,
        step: s.step,
        epoch: s.step * perStep,
        mean: finite(s.mean),
        lo: finite(s.ci95Low),
        hi: finite(s.ci95High),
        n: s.n,
      });
    }
    // The full protocol at the end, over the same runs, at their mean last step.
    const finals = c.runs.filter((r) =>
      states.includes(r.state) && Number.isFinite(r.record?.final?.metrics[FINAL_METRIC])
    );
    if (finals.length > 0) {
      const s = summarise(finals.map((r) => r.record!.final!.metrics[FINAL_METRIC]));
      const step = finals.reduce((a, r) => a + r.record!.final!.step, 0) / finals.length;
      values.push({
        kind: "final, full protocol",
        label: c.label,
        step,
        epoch: step * perStep,
        mean: finite(s.mean),
        lo: finite(s.ci95Low),
        hi: finite(s.ci95High),
        n: s.n,
      });
    }
  }
  if (!values.some((v) => v.kind !== "final, full protocol")) return null;
  const paper = PAPER_PARZEN_TABLE.rows[0];
  const band = [{
    lo: paper.mean - paper.se,
    hi: paper.mean + paper.se,
    mean: paper.mean,
    text: `paper: ${paper.mean} ± ${paper.se} (${PAPER_PARZEN_TABLE.source})`,
  }];
  const y = (field: string) => ({
    field,
    type: "quantitative",
    title: ["Parzen log-likelihood of the test set", "(nats), mean ± 95% CI across seeds"],
    scale: { zero: false },
  });
  const colour = {
    field: "label",
    type: "nominal",
    title: "configuration",
    legend: { titleLimit: 400, labelLimit: 400 },
  };
  const x = {
    field: "epoch",
    type: "quantitative",
    title: "epoch (passes over the training images)",
  };
  const curveOnly = { filter: "datum.kind !== 'final, full protocol'" };
  const finalOnly = { filter: "datum.kind === 'final, full protocol'" };
  const validLo = { filter: "isValid(datum.lo) && isFinite(datum.lo)" };
  const title = "Parzen log-likelihood of the test set against epochs";
  const spec = {
    $schema: VEGA_LITE_SCHEMA,
    title: {
      text: title,
      subtitle: [
        "lines: parzen_curve_ll during training (the first parzen.trainingPoints test images)",
        "diamonds: parzen_ll at the end (every test image)",
        `band: the paper's ${paper.mean} ± ${paper.se}; runs: ${states.join(", ")}`,
      ],
    },
    width: options.width ?? 360,
    height: options.height ?? 240,
    layer: [
      {
        data: { values: band },
        mark: { type: "rect", color: "#999", opacity: 0.25 },
        encoding: { y: { ...y("lo") }, y2: { field: "hi" } },
      },
      {
        data: { values: band },
        mark: { type: "rule", color: "#666", strokeDash: [4, 3] },
        encoding: { y: y("mean"), tooltip: { field: "text" } },
      },
      {
        data: { values: band },
        mark: { type: "text", align: "left", baseline: "top", dx: 4, dy: 8, color: "#444", x: 0 },
        encoding: { y: y("lo"), text: { field: "text" } },
      },
      {
        data: { values },
        layer: [
          {
            transform: [curveOnly, validLo],
            mark: { type: "area", opacity: 0.2 },
            encoding: { x, y: y("lo"), y2: { field: "hi" }, color: colour },
          },
          {
            transform: [curveOnly],
            mark: { type: "line", strokeWidth: 1.5, point: true },
            encoding: { x, y: y("mean"), color: colour },
          },
          {
            transform: [finalOnly, validLo],
            mark: { type: "errorbar", ticks: true },
            encoding: { x, y: y("lo"), y2: { field: "hi" }, color: colour },
          },
          {
            transform: [finalOnly],
            mark: { type: "point", shape: "diamond", size: 80, filled: true },
            encoding: {
              x,
              y: y("mean"),
              color: colour,
              tooltip: [
                { field: "label", title: "configuration" },
                { field: "kind" },
                { field: "step" },
                { field: "mean", format: ".1f" },
                { field: "n", title: "seeds" },
              ],
            },
          },
        ],
      },
    ],
  } as unknown as TopLevelSpec;
  return { name: PARZEN_CURVE_CHART, metric: PARZEN_CURVE_METRIC, title, spec };
}
