/**
 * The report stage: turns planned runs and the records a sweep left into
 * `runs.csv`, `summary.csv`, `curves.csv`, `claims.json`, Vega-Lite charts
 * (spec + SVG + PNG), `report.md`, a self-contained `report.html` and
 * `tables.tex`. A half-finished sweep still gives a report that says what is
 * missing. `compareStudies` puts several studies side by side;
 * `loadReport` and `displayChart` read a report back in a notebook.
 *
 * @example
 * ```ts
 * import { buildReport } from "./lib/report/mod.ts";
 * const plans = expandRuns(exp);
 * const records = readRuns(`runs/${exp.name}`);
 * const { files, counts, missing } = await buildReport(exp, plans, records, `reports/${exp.name}`, {
 *   claims, // ClaimResult[] from lib/claims
 * });
 * ```
 *
 * @module
 */
import { mkdirSync } from "node:fs";
import { join } from "node:path";
import type { ClaimResult } from "../claims/types.ts";
import type { Experiment, RunPlan } from "../spec/experiment.ts";
import { type RunRecord, writeAtomic } from "../sweep/store.ts";
import { aggregate } from "./aggregate.ts";
import { buildCharts, type Chart, type ChartOptions } from "./charts.ts";
import { claimsToJson } from "./claims_table.ts";
import { toCsv } from "./csv.ts";
import { reportHtml } from "./html.ts";
import type { ReportState } from "./join.ts";
import { reportLatex } from "./latex.ts";
import { reportMarkdown } from "./markdown.ts";
import { type SampleChartOptions, sampleCharts } from "./sample_charts.ts";
import { renderCharts } from "./write_charts.ts";

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
export {
  type ClaimRow,
  claimRows,
  claimsToJson,
  formatEffect,
  parseClaimsJson,
  verdictCounts,
  VERDICTS,
} from "./claims_table.ts";
export {
  combinedSummary,
  compareName,
  type CompareOptions,
  type CompareResult,
  compareStudies,
  type Study,
  type StudyClaim,
} from "./compare.ts";
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
export {
  chartFigure,
  claimsHtml,
  escapeHtml,
  type HtmlOptions,
  htmlPage,
  htmlTable,
  inlineHtml,
  prefixSvgIds,
  type RenderedChart,
  REPORT_CSS,
  reportHtml,
} from "./html.ts";
export {
  chartBundle,
  type DisplayableChart,
  displayChart,
  jupyterKernel,
  type JupyterLike,
  VEGA_LITE_V5_MIME,
  VEGA_LITE_V5_SCHEMA,
} from "./jupyter.ts";
export {
  claimsLatex,
  escapeLatex,
  latexNumber,
  type LatexOptions,
  reportLatex,
  summaryLatex,
} from "./latex.ts";
export { type LoadedChart, type LoadedReport, loadReport } from "./load.ts";
export {
  claimsMarkdown,
  formatNumber4,
  type MarkdownOptions,
  markdownTable,
  reportMarkdown,
} from "./markdown.ts";
export { loadResvg, PNG_FONT, type PngOptions, pngSize, renderPng } from "./png.ts";
export { renderSvg } from "./render.ts";
export {
  densityChart,
  discriminatorChart,
  parseSamples,
  readSamples,
  type SampleChartOptions,
  sampleCharts,
  type Samples,
  scatterChart,
} from "./sample_charts.ts";
export { renderCharts, type RenderChartsOptions, type RenderChartsResult } from "./write_charts.ts";
export {
  problemRuns,
  type RunLine,
  stateCounts,
  SUMMARY_NOTE,
  summaryMetrics,
  type SummaryText,
  summaryText,
  unfinishedRuns,
} from "./sections.ts";
export { mean, sd, summarise, type Summary, tQuantile } from "./stats.ts";

/** Options for {@link buildReport}. */
export interface BuildReportOptions extends ChartOptions {
  /** Write chart specs and SVGs (default true). */
  charts?: boolean;
  /** Render each chart to SVG (default true; needs `charts`). */
  svg?: boolean;
  /** Render each chart to PNG through resvg (default true; needs `svg`). */
  png?: boolean;
  /** PNG pixels per SVG pixel (default 2). */
  pngScale?: number;
  /** Charts of the generator samples (density, scatter) where runs left them (default true). */
  sampleCharts?: boolean | SampleChartOptions;
  /** Checked claims: written to `claims.json` and shown first (default none). */
  claims?: readonly ClaimResult[];
}

/** What {@link buildReport} wrote and found. */
export interface BuildReportResult {
  /** Paths of the files written (under `outDir`). */
  files: string[];
  /** Planned runs by state; `missing` counts plans without a record. */
  counts: Record<ReportState, number>;
  /** Ids of planned runs that are queued, running or have no record. */
  missing: string[];
  /** The charts, in report order. */
  charts: Chart[];
  /** Whether PNGs were written (false when off or when resvg could not load). */
  png: boolean;
}

/**
 * Builds the report of one experiment into `outDir` (created if needed):
 * `runs.csv`, `summary.csv`, `curves.csv`, `claims.json`,
 * `charts/<name>.vl.json`, `.svg` and `.png`, `report.md`, `report.html`
 * and `tables.tex`. Every file is written atomically. When resvg cannot
 * load, PNGs are skipped with one warning.
 *
 * @param exp The validated experiment.
 * @param plans Its planned runs (e.g. `expandRuns(exp)`).
 * @param records The runs read back from the store (any subset).
 * @param outDir The report directory, e.g. `reports/<name>`.
 * @param options Claims; charts, SVG, PNG on/off; chart metrics and size.
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
  const claims = options.claims ?? [];
  const files: string[] = [];
  const write = (name: string, data: string | Uint8Array) => {
    const path = join(outDir, name);
    writeAtomic(path, data);
    files.push(path);
  };
  write("runs.csv", toCsv(agg.runsTable.rows, agg.runsTable.columns));
  write("summary.csv", toCsv(agg.summaryTable.rows, agg.summaryTable.columns));
  write("curves.csv", toCsv(agg.curvesTable.rows, agg.curvesTable.columns));
  write("claims.json", claimsToJson(claims));

  const wantCharts = options.charts ?? true;
  const svg = wantCharts && (options.svg ?? true);
  const charts: Chart[] = [];
  if (wantCharts) {
    charts.push(...buildCharts(agg, options));
    const samples = options.sampleCharts ?? true;
    if (samples) charts.push(...sampleCharts(agg, samples === true ? {} : samples));
  }
  const rendered = await renderCharts(charts, outDir, {
    svg,
    png: svg && (options.png ?? true),
    pngScale: options.pngScale,
  });
  files.push(...rendered.files);
  const png = rendered.png;

  const common = { metrics: options.metrics, claims };
  write("report.md", reportMarkdown(exp, agg, charts, { ...common, svg, png }));
  write("report.html", reportHtml(exp, agg, rendered.charts, common));
  write("tables.tex", reportLatex(exp, agg, common));
  return { files, counts: agg.counts, missing: agg.missing, charts, png };
}
