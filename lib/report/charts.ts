/**
 * Vega-Lite v6 chart specs (plain objects with inlined data) for a report:
 * the final value of each metric of interest against the first swept axis,
 * and learning curves per configuration, both as mean ± 95% t-interval
 * across seeds.
 *
 * @module
 */
import type { TopLevelSpec } from "../deps.ts";
import type { Aggregate, ConfigSummary } from "./aggregate.ts";
import { curveSummary } from "../analysis/curves.ts";
import { axisTitle, formatValue, metricTitle } from "../analysis/labels.ts";
import { CHARTED_METRICS } from "../metrics/registry.ts";
import type { ReportState } from "../analysis/join.ts";

/** The `$schema` every chart spec carries. */
export const VEGA_LITE_SCHEMA = "https://vega.github.io/schema/vega-lite/v6.json";

/** A named chart spec. */
export interface Chart {
  /** File stem: `final-<metric>` or `curve-<metric>`. */
  name: string;
  /** The metric charted. */
  metric: string;
  /** One-line title. */
  title: string;
  /** The Vega-Lite spec, data inlined. */
  spec: TopLevelSpec;
}

/** Options for {@link buildCharts}. */
export interface ChartOptions {
  /** Metrics to chart, when present (default: the registry's `CHARTED_METRICS`). */
  metrics?: readonly string[];
  /** Run states whose curves enter the learning curves (default: only `done`). */
  curveStates?: readonly ReportState[];
  /** Plot width in pixels (default 360). */
  width?: number;
  /** Plot height in pixels (default 240). */
  height?: number;
  /**
   * Above this many configurations (and with two or more swept axes), learning
   * curves become small multiples: one panel per value of the other axes,
   * one line per value of the first (default 10).
   */
  maxLines?: number;
}

const CI_TITLE = "mean ± 95% CI across seeds";
/** Legends show whole labels (config labels can be long). */
const LEGEND = { titleLimit: 400, labelLimit: 400, symbolOpacity: 1 };
const VALID_LOW = "isValid(datum.lo) && isFinite(datum.lo)";

/** Axis titles wrap at about this many characters so they fit beside the plot. */
const TITLE_LINE = 34;

/**
 * Word-wraps a title into lines of at most `width` characters (longer words
 * stay whole); Vega-Lite draws an array title as one line per element.
 */
export function wrap(text: string, width = TITLE_LINE): string[] {
  const lines: string[] = [];
  let line = "";
  for (const word of text.split(" ")) {
    if (line && line.length + 1 + word.length > width) {
      lines.push(line);
      line = word;
    } else line = line ? `${line} ${word}` : word;
  }
  if (line) lines.push(line);
  return lines;
}

/** JSON has no NaN or Infinity: non-finite numbers become null. */
function finite(v: number): number | null {
  return Number.isFinite(v) ? v : null;
}

/** The mean, 95% interval (null where not finite) and count of one plotted point. */
function interval(s: { mean: number; ci95Low: number; ci95High: number; n: number }) {
  return { mean: finite(s.mean), lo: finite(s.ci95Low), hi: finite(s.ci95High), n: s.n };
}

/** The y encoding of `field` on the metric's axis, which does not start at zero. */
function metricY(field: "mean" | "lo", title: string[]) {
  return { field, type: "quantitative", title, scale: { zero: false } };
}

/** A layer marking the 95% interval (error bar or band) where its low end is finite. */
function intervalLayer(mark: Record<string, unknown>, yTitle: string[]) {
  return {
    transform: [{ filter: VALID_LOW }],
    mark,
    encoding: { y: metricY("lo", yTitle), y2: { field: "hi" } },
  };
}

/** A one-view spec: a titled plot of the given size with its data, encoding and layers. */
function singleView(
  title: string,
  subtitle: string,
  options: ChartOptions,
  values: unknown[],
  encoding: Record<string, unknown>,
  layer: Record<string, unknown>[],
): TopLevelSpec {
  return {
    $schema: VEGA_LITE_SCHEMA,
    title: { text: title, subtitle },
    width: options.width ?? 360,
    height: options.height ?? 240,
    data: { values },
    encoding,
    layer,
  } as unknown as TopLevelSpec;
}

/** How the first swept axis is drawn on x. */
interface XAxis {
  field: string;
  title: string;
  numeric: boolean;
  value: (c: ConfigSummary) => string | number;
  encoding: Record<string, unknown>;
}

function xAxis(agg: Aggregate): XAxis {
  const axis = agg.axes[0];
  if (axis === undefined) {
    return {
      field: "config",
      title: "configuration (index)",
      numeric: false,
      value: (c) => c.index,
      encoding: { field: "config", type: "ordinal", title: "configuration (index)" },
    };
  }
  const raw = agg.configs.map((c) => c.point[axis]);
  const numeric = raw.every((v) => typeof v === "number" && Number.isFinite(v));
  const title = axisTitle(axis);
  if (numeric) {
    const nums = raw as number[];
    const lo = Math.min(...nums);
    const hi = Math.max(...nums);
    const log = lo > 0 && hi / lo >= 100;
    return {
      field: "x",
      title,
      numeric,
      value: (c) => c.point[axis] as number,
      encoding: {
        field: "x",
        type: "quantitative",
        title,
        scale: log ? { type: "log" } : { zero: false, nice: false, padding: 12 },
        axis: { values: [...new Set(nums)].sort((a, b) => a - b) },
      },
    };
  }
  const order = [...new Set(raw.map(formatValue))];
  return {
    field: "x",
    title,
    numeric,
    value: (c) => formatValue(c.point[axis]),
    encoding: { field: "x", type: "ordinal", title, sort: order, axis: { labelAngle: 0 } },
  };
}

/** The colour series: the second swept axis, or the rest of the axes combined. */
function series(agg: Aggregate): { title: string; value: (c: ConfigSummary) => string } | null {
  const rest = agg.axes.slice(1);
  if (rest.length === 0) return null;
  if (rest.length === 1) {
    return { title: axisTitle(rest[0]), value: (c) => formatValue(c.point[rest[0]]) };
  }
  return {
    title: rest.join(", "),
    value: (c) => rest.map((a) => `${a}=${formatValue(c.point[a])}`).join(", "),
  };
}

/**
 * The final value of one metric against the first swept axis: a point at
 * the mean of the `done` runs, an error bar over the 95% t-interval, coloured
 * by the second swept axis (if any). Without a swept axis, x is the
 * configuration index.
 *
 * @param agg The aggregated sweep.
 * @param metric A metric in `agg.metrics`.
 * @param options Plot size.
 * @returns The chart, or null when no configuration has a finite value.
 */
export function finalChart(
  agg: Aggregate,
  metric: string,
  options: ChartOptions = {},
): Chart | null {
  const x = xAxis(agg);
  const colour = series(agg);
  const values = agg.configs
    .filter((c) => (c.stats[metric]?.n ?? 0) > 0)
    .map((c) => {
      const s = c.stats[metric];
      return {
        config: c.index,
        label: c.label,
        x: x.value(c),
        series: colour ? colour.value(c) : null,
        ...interval(s),
      };
    });
  if (values.length === 0) return null;
  const yTitle = wrap(`${metricTitle(metric)}, ${CI_TITLE}`);
  const encoding: Record<string, unknown> = { x: x.encoding };
  if (colour) {
    const order = [...new Set(values.map((v) => v.series))];
    encoding.color = {
      field: "series",
      type: "nominal",
      title: colour.title,
      legend: LEGEND,
      sort: order,
    };
    // Side by side within each category; a numeric x keeps exact positions.
    if (!x.numeric) encoding.xOffset = { field: "series", type: "nominal", sort: order };
  }
  const layer: Record<string, unknown>[] = [];
  if (x.numeric) {
    layer.push({
      mark: { type: "line", opacity: 0.6 },
      encoding: { y: { field: "mean", type: "quantitative", title: yTitle } },
    });
  }
  layer.push(
    intervalLayer({ type: "errorbar", ticks: { size: 8 } }, yTitle),
    {
      mark: { type: "point", filled: true, size: 60 },
      encoding: {
        y: metricY("mean", yTitle),
        tooltip: [
          { field: "label", title: "configuration" },
          { field: "mean", type: "quantitative", format: ".4g" },
          { field: "lo", type: "quantitative", title: "95% CI low", format: ".4g" },
          { field: "hi", type: "quantitative", title: "95% CI high", format: ".4g" },
          { field: "n", type: "quantitative", title: "seeds (done)" },
        ],
      },
    },
  );
  const title = `${metricTitle(metric)}: final value by ${x.title}`;
  return {
    name: `final-${metric}`,
    metric,
    title,
    spec: singleView(
      title,
      `${CI_TITLE} (runs that finished done)`,
      options,
      values,
      encoding,
      layer,
    ),
  };
}

/**
 * Learning curves of one metric: per configuration, the mean over seeds at
 * every logged step as a line, with a band over the 95% t-interval. Curves
 * are summarised per configuration before charting (a chart never holds
 * per-run data). With more than `maxLines` configurations and two or more
 * swept axes, one panel per value of the other axes holds one line per
 * value of the first axis.
 *
 * @param agg The aggregated sweep.
 * @param metric A metric in `agg.curveMetrics`.
 * @param options Which run states contribute, plot size.
 * @returns The chart, or null when no step has a finite value.
 */
export function curveChart(
  agg: Aggregate,
  metric: string,
  options: ChartOptions = {},
): Chart | null {
  const panels = agg.axes.length >= 2 && agg.configs.length > (options.maxLines ?? 10)
    ? series(agg)
    : null;
  const first = agg.axes[0];
  const values = agg.configs.flatMap((c) => {
    const panel = panels ? panels.value(c) : null;
    const line = panels ? formatValue(c.point[first]) : c.label;
    return curveSummary(c, metric, { states: options.curveStates }).map((s) => ({
      config: c.index,
      label: c.label,
      line,
      panel,
      step: s.step,
      ...interval(s),
    }));
  });
  if (values.length === 0) return null;
  const yTitle = wrap(`${metricTitle(metric)}, ${CI_TITLE}`);
  const title = `${metricTitle(metric)} during training`;
  const states = options.curveStates ?? ["done"];
  const lineOrder = [...new Set(values.map((v) => v.line))];
  const numericLines = panels !== null &&
    agg.configs.every((c) => typeof c.point[first] === "number");
  const colour: Record<string, unknown> = {
    field: panels ? "line" : "label",
    type: panels ? "ordinal" : "nominal",
    title: panels ? axisTitle(first) : "configuration",
    legend: { ...LEGEND, symbolType: "stroke", symbolStrokeWidth: 2 },
    sort: numericLines ? lineOrder.sort((a, b) => Number(a) - Number(b)) : lineOrder,
  };
  if (numericLines) colour.scale = { scheme: "viridis" };
  const layer = [
    intervalLayer({ type: "area", opacity: 0.2 }, yTitle),
    { mark: { type: "line", strokeWidth: 1.5 }, encoding: { y: metricY("mean", yTitle) } },
  ];
  const encoding = {
    x: { field: "step", type: "quantitative", title: "step (training iteration)" },
    color: colour,
  };
  const subtitle = `${CI_TITLE} (runs: ${states.join(", ")})`;
  if (panels) {
    const order = [...new Set(values.map((v) => v.panel))];
    const width = Math.round((options.width ?? 360) * 0.6);
    return {
      name: `curve-${metric}`,
      metric,
      title,
      spec: {
        $schema: VEGA_LITE_SCHEMA,
        title: { text: title, subtitle: `${subtitle}; one panel per ${panels.title}` },
        data: { values },
        facet: {
          field: "panel",
          type: "nominal",
          title: panels.title,
          sort: order,
          header: { labelLimit: 400, titleLimit: 600 },
        },
        columns: Math.min(4, order.length),
        spec: {
          width,
          height: Math.round((options.height ?? 240) * 0.6),
          encoding,
          layer,
        },
      } as unknown as TopLevelSpec,
    };
  }
  return {
    name: `curve-${metric}`,
    metric,
    title,
    spec: singleView(title, subtitle, options, values, encoding, layer),
  };
}

/**
 * Every chart of a report: `final-<metric>` for each metric of interest with
 * final values, then `curve-<metric>` for each that some run logged at two
 * or more steps.
 *
 * @param agg The aggregated sweep.
 * @param options Metrics, curve states, plot size.
 * @returns The charts, finals first, metrics in the order of `options.metrics`.
 */
export function buildCharts(agg: Aggregate, options: ChartOptions = {}): Chart[] {
  const wanted = options.metrics ?? CHARTED_METRICS;
  const charts: (Chart | null)[] = [];
  for (const m of wanted) if (agg.metrics.includes(m)) charts.push(finalChart(agg, m, options));
  for (const m of wanted) {
    if (agg.curveMetrics.includes(m) && hasCurve(agg, m)) {
      charts.push(curveChart(agg, m, options));
    }
  }
  return charts.filter((c): c is Chart => c !== null);
}

/** Whether some run logged `metric` at two or more steps (e.g. `parzen_ll` is only final). */
function hasCurve(agg: Aggregate, metric: string): boolean {
  for (const r of agg.runs) {
    let seen = 0;
    for (const row of r.record?.curves ?? []) {
      if (Number.isFinite(row[metric]) && ++seen >= 2) return true;
    }
  }
  return false;
}
