/**
 * The report stage: turns planned runs and the records a sweep left into
 * `runs.csv`, `summary.csv`, `curves.csv`, Vega-Lite charts (spec + SVG) and
 * `report.md`. A half-finished sweep still gives a report that says what is
 * missing.
 *
 * @example
 * ```ts
 * import { buildReport } from "./lib/report/mod.ts";
 * const plans = expandRuns(exp);
 * const records = readRuns(`runs/${exp.name}`);
 * const { files, counts, missing } = await buildReport(exp, plans, records, `reports/${exp.name}`);
 * ```
 *
 * @module
 */
import { mkdirSync, readdirSync, rmSync } from "node:fs";
import { join } from "node:path";
import type { Experiment, RunPlan } from "../spec/experiment.ts";
import { type RunRecord, writeAtomic } from "../sweep/store.ts";
import { aggregate } from "./aggregate.ts";
import { buildCharts, type ChartOptions } from "./charts.ts";
import { toCsv } from "./csv.ts";
import type { ReportState } from "./join.ts";
import { reportMarkdown } from "./markdown.ts";
import { renderSvg } from "./render.ts";

export {
  type Aggregate,
  aggregate,
  type Cell,
  type ConfigSummary,
  type Row,
  SUMMARY_STATS,
  summaryValue,
  type Table,
} from "./aggregate.ts";
export {
  buildCharts,
  type Chart,
  type ChartOptions,
  curveChart,
  finalChart,
  VEGA_LITE_SCHEMA,
} from "./charts.ts";
export { parseCsv, type ParseCsvOptions, TEXT_COLUMNS, toCsv } from "./csv.ts";
export { curveSummary, type CurveSummaryOptions, type StepSummary } from "./curve_stats.ts";
export {
  axisValue,
  type ConfigGroup,
  type Joined,
  type JoinedRun,
  joinRuns,
  REPORT_STATES,
  type ReportState,
  UNFINISHED_STATES,
} from "./join.ts";
export {
  axisTitle,
  configLabel,
  formatValue,
  METRIC_ORDER,
  METRICS_OF_INTEREST,
  metricTitle,
  orderMetrics,
} from "./labels.ts";
export { formatNumber4, type MarkdownOptions, reportMarkdown } from "./markdown.ts";
export { renderSvg } from "./render.ts";
export { mean, sd, summarise, type Summary, tQuantile } from "./stats.ts";

/** Options for {@link buildReport}. */
export interface BuildReportOptions extends ChartOptions {
  /** Write chart specs and SVGs (default true). */
  charts?: boolean;
  /** Render each chart to SVG (default true; needs `charts`). */
  svg?: boolean;
}

/** What {@link buildReport} wrote and found. */
export interface BuildReportResult {
  /** Paths of the files written (under `outDir`). */
  files: string[];
  /** Planned runs by state; `missing` counts plans without a record. */
  counts: Record<ReportState, number>;
  /** Ids of planned runs that are queued, running or have no record. */
  missing: string[];
}

/** Chart files from an earlier report whose metric is gone are removed. */
const OWN_CHART = /^(final|curve)-.+\.(vl\.json|svg)$/;

/**
 * Builds the report of one experiment into `outDir` (created if needed):
 * `runs.csv`, `summary.csv`, `curves.csv`, `charts/<name>.vl.json`,
 * `charts/<name>.svg` and `report.md`. Every file is written atomically.
 *
 * @param exp The validated experiment.
 * @param plans Its planned runs (e.g. `expandRuns(exp)`).
 * @param records The runs read back from the store (any subset).
 * @param outDir The report directory, e.g. `reports/<name>`.
 * @param options Charts on/off, SVG on/off, chart metrics and size.
 * @returns The files written, counts by state and the unfinished run ids.
 */
export async function buildReport(
  exp: Experiment,
  plans: RunPlan[],
  records: RunRecord[],
  outDir: string,
  options: BuildReportOptions = {},
): Promise<BuildReportResult> {
  mkdirSync(outDir, { recursive: true });
  const agg = aggregate(exp, plans, records);
  const files: string[] = [];
  const write = (name: string, text: string) => {
    const path = join(outDir, name);
    writeAtomic(path, text);
    files.push(path);
  };
  write("runs.csv", toCsv(agg.runsTable.rows, agg.runsTable.columns));
  write("summary.csv", toCsv(agg.summaryTable.rows, agg.summaryTable.columns));
  write("curves.csv", toCsv(agg.curvesTable.rows, agg.curvesTable.columns));

  const wantCharts = options.charts ?? true;
  const svg = wantCharts && (options.svg ?? true);
  const charts = wantCharts ? buildCharts(agg, options) : [];
  const kept = new Set<string>();
  for (const chart of charts) {
    write(join("charts", `${chart.name}.vl.json`), JSON.stringify(chart.spec, null, 2) + "\n");
    kept.add(`${chart.name}.vl.json`);
    if (svg) {
      write(join("charts", `${chart.name}.svg`), await renderSvg(chart.spec));
      kept.add(`${chart.name}.svg`);
    }
  }
  removeStaleCharts(join(outDir, "charts"), kept);

  write("report.md", reportMarkdown(exp, agg, charts, { svg, metrics: options.metrics }));
  return { files, counts: agg.counts, missing: agg.missing };
}

function removeStaleCharts(dir: string, kept: Set<string>): void {
  let names: string[];
  try {
    names = readdirSync(dir);
  } catch {
    return;
  }
  for (const name of names) {
    if (OWN_CHART.test(name) && !kept.has(name)) rmSync(join(dir, name), { force: true });
  }
}
