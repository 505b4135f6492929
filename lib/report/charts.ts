/**
 * Vega-Lite v6 chart specs (plain objects with inlined data) for a report:
 * the final value of each metric of interest against the x axis, and
 * learning curves per configuration, both as mean ± 95% t-interval across
 * seeds, the interval clipped to the metric's range (the registry's
 * `range`: shares in [0, 1], counts at least 0).
 *
 * Roles come from the report's view (`options.ts`): x, colour and facets
 * (one panel per value, each with its own y scale, so ring-8 of 8 and
 * grid-25 of 25 are not squeezed onto one axis). A numeric x spanning a
 * factor of 10 or more is drawn on a log scale with its values as ticks
 * ("~g": 0.0003, not 0.000). Series use the Okabe-Ito palette (distinct
 * hues, safe for colour-blind readers); labels and titles have limits
 * large enough that they are never cut (tests render the charts in
 * Chromium and check every text box).
 *
 * @module
 */
import type { TopLevelSpec } from "../deps.ts";
import type { Aggregate, ConfigSummary } from "./aggregate.ts";
import { curveSummary } from "../analysis/curves.ts";
import { clipToRange } from "../analysis/stats.ts";
import { CHARTED_METRICS, metricInfo } from "../metrics/registry.ts";
import type { ReportState } from "../analysis/join.ts";
import { metricName, pathName, PLAIN_VIEW, type ReportView, valueName } from "./options.ts";

/** The `$schema` every chart spec carries. */
export const VEGA_LITE_SCHEMA = "https://vega.github.io/schema/vega-lite/v6.json";

/**
 * The Okabe-Ito palette (Okabe & Ito 2008), ordered so that the first two
 * series are blue and orange; yellow last (weak on white).
 */
export const PALETTE: readonly string[] = [
  "#0072B2",
  "#E69F00",
  "#009E73",
  "#CC79A7",
  "#56B4E9",
  "#D55E00",
  "#000000",
  "#F0E442",
];

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
  /** Metrics to chart, when present (default: the view's, else the registry's `CHARTED_METRICS`). */
  metrics?: readonly string[];
  /** Run states whose curves enter the learning curves (default: only `done`). */
  curveStates?: readonly ReportState[];
  /** Plot width in pixels (default 360; panels of a faceted chart are narrower). */
  width?: number;
  /** Plot height in pixels (default 240). */
  height?: number;
  /**
   * Without a colour role: above this many configurations (and with two or
   * more swept axes), learning curves become small multiples (default 10).
   */
  maxLines?: number;
  /** Roles, names and formats (default: the study's defaults without options). */
  view?: Partial<ReportView>;
  /** The widest a chart may be, in pixels (default 1000: a page). */
  maxWidth?: number;
}

const CI_TITLE = "mean ± 95% CI across seeds";
/** Legends show whole labels (config labels can be long). */
const LEGEND = { titleLimit: 600, labelLimit: 600, symbolOpacity: 1, orient: "right" };
const VALID_LOW = "isValid(datum.lo) && isFinite(datum.lo)";
/** Text never truncated by vega (its default limits cut titles and labels). */
const AXIS = { titleLimit: 1000, labelLimit: 400, labelOverlap: "greedy" };

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

/**
 * Characters per line of a y-axis title so that the rotated title is no
 * taller than the plot (an 11 px bold character is about 7 px wide); a
 * taller title would push the x axis away from the plot.
 */
function titleWidth(options: ChartOptions, heightFactor: number): number {
  const h = Math.round((options.height ?? 240) * heightFactor);
  return Math.max(12, Math.min(TITLE_LINE, Math.floor(h / 7.5)));
}

/** JSON has no NaN or Infinity: non-finite numbers become null. */
function finite(v: number): number | null {
  return Number.isFinite(v) ? v : null;
}

/** The mean, 95% interval (clipped to the metric's range; null where not finite) and count. */
function interval(
  metric: string,
  s: { mean: number; sd?: number; ci95Low: number; ci95High: number; n: number },
) {
  const c = clipToRange({ sd: NaN, ...s }, metricInfo(metric)?.range);
  return { mean: finite(c.mean), lo: finite(c.ci95Low), hi: finite(c.ci95High), n: c.n };
}

/** The y encoding of `field` on the metric's axis, which does not start at zero. */
function metricY(field: "mean" | "lo", title: string[]) {
  return { field, type: "quantitative", title, scale: { zero: false }, axis: AXIS };
}

/** A layer marking the 95% interval (error bar or band) where its low end is finite. */
function intervalLayer(mark: Record<string, unknown>, yTitle: string[]) {
  return {
    transform: [{ filter: VALID_LOW }],
    mark,
    encoding: { y: metricY("lo", yTitle), y2: { field: "hi" } },
  };
}

/**
 * The view's roles; without a view, those of a study without options: x
 * the first swept axis, colour the second, facets the rest.
 */
function roles(agg: Aggregate, options: ChartOptions): ReportView {
  const v = options.view;
  return {
    metrics: v?.metrics ?? [...CHARTED_METRICS],
    x: v ? v.x : agg.axes[0],
    color: v ? v.color : agg.axes[1],
    facet: v ? (v.facet ?? []) : agg.axes.slice(2),
    logX: v?.logX ?? "auto",
    digits: v?.digits ?? 4,
    axisFormat: v?.axisFormat ?? "~g",
    names: v?.names ?? PLAIN_VIEW.names,
    values: v?.values ?? PLAIN_VIEW.values,
    sections: v?.sections ?? [],
  };
}

/** How one role's values are named and ordered. */
interface Role {
  /** The role's title (readable path names joined). */
  title: string;
  /** A configuration's value text. */
  value: (c: ConfigSummary) => string;
  /** The value texts in plan order (numeric axes sorted by value). */
  order: string[];
  /** Whether every value is a finite number. */
  numeric: boolean;
}

function role(agg: Aggregate, view: ReportView, paths: readonly string[]): Role | null {
  if (paths.length === 0) return null;
  const value = (c: ConfigSummary) =>
    paths.length === 1
      ? valueName(view, paths[0], c.point[paths[0]])
      : paths.map((a) => `${pathName(view, a, true)}=${valueName(view, a, c.point[a])}`)
        .join(", ");
  const numeric = paths.length === 1 &&
    agg.configs.every((c) => typeof c.point[paths[0]] === "number");
  const configs = numeric
    ? [...agg.configs].sort((a, b) => (a.point[paths[0]] as number) - (b.point[paths[0]] as number))
    : agg.configs;
  return {
    title: paths.length === 1 ? pathName(view, paths[0]) : paths.map((p) => pathName(view, p, true))
      .join(", "),
    value,
    order: [...new Set(configs.map(value))],
    numeric,
  };
}

/** The colour encoding of a series role: Okabe-Ito, or viridis for many numeric values. */
function colourEncoding(field: string, r: Role, stroke = false): Record<string, unknown> {
  const many = r.order.length > PALETTE.length;
  return {
    field,
    type: "nominal",
    title: r.title,
    sort: r.order,
    scale: many ? { scheme: "viridis" } : { range: PALETTE.slice(0, r.order.length) },
    legend: stroke ? { ...LEGEND, symbolType: "stroke", symbolStrokeWidth: 3 } : LEGEND,
  };
}

/** Whether x values spanning [lo, hi] get a log scale. */
function useLog(view: ReportView, nums: number[]): boolean {
  const lo = Math.min(...nums);
  const hi = Math.max(...nums);
  if (view.logX === true) return lo > 0;
  if (view.logX === false) return false;
  return lo > 0 && hi / lo >= 10;
}

/** How x is drawn. */
interface XAxis {
  numeric: boolean;
  /** For a numeric x: whether it is on a log scale, and its lowest and highest value. */
  log?: boolean;
  lo?: number;
  hi?: number;
  value: (c: ConfigSummary) => string | number;
  encoding: Record<string, unknown>;
  title: string;
}

function xAxis(agg: Aggregate, view: ReportView): XAxis {
  const axis = view.x;
  if (axis === undefined) {
    return {
      numeric: false,
      value: (c) => c.index,
      title: "configuration (index)",
      encoding: { field: "config", type: "ordinal", title: "configuration (index)", axis: AXIS },
    };
  }
  const raw = agg.configs.map((c) => c.point[axis]);
  const numeric = raw.every((v) => typeof v === "number" && Number.isFinite(v));
  const title = pathName(view, axis);
  if (numeric) {
    const nums = [...new Set(raw as number[])].sort((a, b) => a - b);
    const log = useLog(view, nums);
    return {
      numeric,
      log,
      lo: nums[0],
      hi: nums[nums.length - 1],
      title,
      value: (c) => c.point[axis] as number,
      encoding: {
        field: "x",
        type: "quantitative",
        title,
        scale: log
          ? { type: "log", nice: false, padding: 16 }
          : { zero: false, nice: false, padding: 16 },
        axis: { ...AXIS, values: nums, format: view.axisFormat, labelFlush: false },
      },
    };
  }
  const order = [...new Set(raw.map((v) => valueName(view, axis, v)))];
  return {
    numeric,
    title,
    value: (c) => valueName(view, axis, c.point[axis]),
    encoding: {
      field: "x",
      type: "ordinal",
      title,
      sort: order,
      axis: { ...AXIS, labelAngle: 0 },
    },
  };
}

/** Panel size: narrower panels when there are several columns, within `maxWidth` overall. */
function panelWidth(options: ChartOptions, columns: number): number {
  const base = options.width ?? 360;
  if (columns <= 1) return base;
  const max = options.maxWidth ?? 1000;
  // Room for the legend and row titles (about 260 px) and each panel's y axis (about 75 px).
  return Math.max(120, Math.min(Math.round(base * 0.7), Math.floor((max - 260) / columns) - 75));
}

/**
 * Wraps a layered view in a facet over `panel` (one panel per value, each
 * with its own y scale) or returns it as one view.
 */
function compose(
  title: string,
  subtitle: string,
  options: ChartOptions,
  values: unknown[],
  encoding: Record<string, unknown>,
  layer: Record<string, unknown>[],
  facet: { row?: Role | null; column?: Role | null },
): TopLevelSpec {
  const rows = facet.row ? facet.row.order.length : 1;
  const cols = facet.column ? facet.column.order.length : 1;
  if (!facet.row && !facet.column) {
    return {
      $schema: VEGA_LITE_SCHEMA,
      title: { text: title, subtitle, limit: 1000, subtitlePadding: 4 },
      width: options.width ?? 360,
      height: options.height ?? 240,
      data: { values },
      encoding,
      layer,
    } as unknown as TopLevelSpec;
  }
  // One facet role wraps into columns; two are rows x columns.
  const header = {
    labelLimit: 0,
    titleLimit: 0,
    labelFontSize: 12,
    labelExpr: "split(datum.label, ', ')",
    labelLineHeight: 15,
  };
  const single = facet.row && !facet.column ? facet.row : !facet.row ? facet.column : null;
  const wrapCols = single ? Math.min(single === facet.column ? 4 : 2, single.order.length) : cols;
  const width = panelWidth(options, single ? wrapCols : cols);
  const height = Math.round((options.height ?? 240) * (rows > 1 || single ? 0.8 : 1));
  const facetSpec = single
    ? {
      facet: { field: "panel", type: "nominal", title: single.title, sort: single.order, header },
      columns: wrapCols,
    }
    : {
      facet: {
        row: {
          field: "row",
          type: "nominal",
          title: facet.row!.title,
          sort: facet.row!.order,
          header,
        },
        column: {
          field: "col",
          type: "nominal",
          title: facet.column!.title,
          sort: facet.column!.order,
          header,
        },
      },
    };
  return {
    $schema: VEGA_LITE_SCHEMA,
    title: { text: title, subtitle, limit: 1000, subtitlePadding: 4 },
    data: { values },
    ...facetSpec,
    spec: { width, height, encoding, layer },
    resolve: { scale: { y: "independent" } },
  } as unknown as TopLevelSpec;
}

/**
 * The final value of one metric against x: a point at the mean of the
 * `done` runs and an error bar over the 95% t-interval, coloured by the
 * colour role, one panel per facet value (own y scale). Without a swept
 * axis, x is the configuration index.
 *
 * @param agg The aggregated sweep.
 * @param metric A metric in `agg.metrics`.
 * @param options Plot size, roles and names.
 * @returns The chart, or null when no configuration has a finite value.
 */
export function finalChart(
  agg: Aggregate,
  metric: string,
  options: ChartOptions = {},
): Chart | null {
  const view = roles(agg, options);
  const x = xAxis(agg, view);
  const colour = role(agg, view, view.color ? [view.color] : []);
  const panels = role(agg, view, view.facet);
  const values = agg.configs
    .filter((c) => (c.stats[metric]?.n ?? 0) > 0)
    .map((c) => ({
      config: c.index,
      label: c.label,
      x: x.value(c),
      series: colour ? colour.value(c) : null,
      panel: panels ? panels.value(c) : null,
      ...interval(metric, c.stats[metric]),
    }));
  if (values.length === 0) return null;
  const panels0 = role(agg, view, view.facet);
  const yTitle = wrap(
    `${metricName(view, metric)}, ${CI_TITLE}`,
    titleWidth(options, panels0 ? 0.8 : 1),
  );
  const encoding: Record<string, unknown> = { x: x.encoding };
  if (colour) {
    encoding.color = colourEncoding("series", colour);
    // Side by side within each category; on a numeric x, series are dodged a
    // little (their points and error bars would hide each other), the ticks
    // staying at the true values.
    if (!x.numeric) encoding.xOffset = { field: "series", type: "nominal", sort: colour.order };
    else if (colour.order.length > 1) {
      const k = colour.order.length;
      const lo = x.lo!;
      const hi = x.hi!;
      for (const v of values) {
        const off = colour.order.indexOf(v.series as string) - (k - 1) / 2;
        const xv = v.x as number;
        (v as Record<string, unknown>).xd = x.log
          ? xv * 10 ** (off * 0.02 * Math.max(1, Math.log10(hi / lo)))
          : xv + off * 0.015 * (hi > lo ? hi - lo : 1);
      }
      encoding.x = { ...x.encoding, field: "xd" };
    }
  }
  const layer: Record<string, unknown>[] = [];
  if (x.numeric) {
    layer.push({
      mark: { type: "line", opacity: 0.6 },
      encoding: { y: metricY("mean", yTitle) },
    });
  }
  layer.push(
    intervalLayer({ type: "errorbar", ticks: { size: 8 } }, yTitle),
    {
      mark: { type: "point", filled: true, size: 60, opacity: 1 },
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
  const title = `${metricName(view, metric)}: final value by ${
    pathName(view, view.x ?? "", true) || "configuration"
  }`;
  return {
    name: `final-${metric}`,
    metric,
    title,
    spec: compose(
      title,
      `${CI_TITLE} (runs that finished done)${
        panels ? `; one panel per ${panels.title}, each with its own y scale` : ""
      }`,
      options,
      values,
      encoding,
      layer,
      { row: panels },
    ),
  };
}

/**
 * Learning curves of one metric: per configuration, the mean over seeds at
 * every logged step as a line, with a band over the 95% t-interval. With a
 * colour role, lines are coloured by it, with one column of panels per x
 * value and one row per facet value; without one, lines are
 * configurations (small multiples by the second axis beyond `maxLines`).
 * Curves are summarised per configuration before charting (a chart never
 * holds per-run data).
 *
 * @param agg The aggregated sweep.
 * @param metric A metric in `agg.curveMetrics`.
 * @param options Which run states contribute, plot size, roles and names.
 * @returns The chart, or null when no step has a finite value.
 */
export function curveChart(
  agg: Aggregate,
  metric: string,
  options: ChartOptions = {},
): Chart | null {
  const view = roles(agg, options);
  const viewGiven = options.view !== undefined;
  let lineRole: Role | null;
  let rowRole: Role | null;
  let colRole: Role | null = null;
  if (viewGiven && view.color) {
    lineRole = role(agg, view, [view.color]);
    colRole = role(agg, view, view.x ? [view.x] : []);
    rowRole = role(agg, view, view.facet);
  } else if (viewGiven) {
    lineRole = role(agg, view, view.x ? [view.x] : []);
    rowRole = role(agg, view, view.facet);
  } else {
    // No view: one line per configuration, or panels by the other axes when there are many.
    const many = agg.axes.length >= 2 && agg.configs.length > (options.maxLines ?? 10);
    lineRole = many ? role(agg, view, [agg.axes[0]]) : null;
    rowRole = many ? role(agg, view, agg.axes.slice(1)) : null;
  }
  const values = agg.configs.flatMap((c) => {
    const line = lineRole ? lineRole.value(c) : c.label;
    return curveSummary(c, metric, { states: options.curveStates }).map((s) => ({
      config: c.index,
      label: c.label,
      line,
      ...(rowRole && colRole
        ? { row: rowRole.value(c), col: colRole.value(c) }
        : { panel: rowRole ? rowRole.value(c) : colRole ? colRole.value(c) : null }),
      step: s.step,
      ...interval(metric, s),
    }));
  });
  if (values.length === 0) return null;
  // A grid of panels repeats the y title in every panel: the metric alone (the
  // subtitle says what the line and band are), so the grid stays narrow.
  const yTitle = rowRole && colRole
    ? wrap(metricName(view, metric), titleWidth(options, 0.8))
    : wrap(
      `${metricName(view, metric)}, ${CI_TITLE}`,
      titleWidth(options, rowRole || colRole ? 0.8 : 1),
    );
  const title = `${metricName(view, metric)} during training`;
  const states = options.curveStates ?? ["done"];
  const lines: Role = lineRole ?? {
    title: "configuration",
    value: (c) => c.label,
    order: agg.configs.map((c) => c.label),
    numeric: false,
  };
  const colour = colourEncoding("line", lines, true);
  if (!lineRole) colour.field = "label";
  const layer = [
    intervalLayer({ type: "area", opacity: 0.2 }, yTitle),
    { mark: { type: "line", strokeWidth: 1.5 }, encoding: { y: metricY("mean", yTitle) } },
  ];
  const encoding = {
    x: {
      field: "step",
      type: "quantitative",
      title: "step (training iteration)",
      axis: { ...AXIS, format: ",d", tickCount: 4 },
    },
    color: colour,
  };
  const panels = [rowRole?.title, colRole?.title].filter(Boolean).join(" and ");
  const subtitle = `${CI_TITLE} (runs: ${states.join(", ")})${
    panels ? `; one panel per ${panels}, each with its own y scale` : ""
  }`;
  return {
    name: `curve-${metric}`,
    metric,
    title,
    spec: compose(title, subtitle, options, values, encoding, layer, {
      row: rowRole,
      column: colRole,
    }),
  };
}

/**
 * Every chart of a report: `final-<metric>` for each metric of interest with
 * final values, then `curve-<metric>` for each that some run logged at two
 * or more steps.
 *
 * @param agg The aggregated sweep.
 * @param options Metrics, curve states, plot size, roles and names.
 * @returns The charts, finals first, metrics in the order of `options.metrics`.
 */
export function buildCharts(agg: Aggregate, options: ChartOptions = {}): Chart[] {
  const wanted = options.metrics ?? options.view?.metrics ?? CHARTED_METRICS;
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
