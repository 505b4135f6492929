/**
 * The report stage: turns planned runs and the records a sweep left into
 * `runs.csv`, `summary.csv`, `curves.csv`, `claims.json`, `contrasts.csv`
 * (when the study declares contrasts), Vega-Lite charts (spec + SVG + PNG +
 * PDF), `report.md`, a self-contained `report.html` and `tables.tex`; for image runs also `parzen_table.csv` (own Parzen
 * log-likelihoods beside Table 1 of the paper) and `figures/` (sample grids
 * and nearest-neighbour figures, Figure 2). A half-finished sweep still
 * gives a report that says what is missing. `compareStudies` puts several studies side by side;
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
import { mkdirSync, rmSync } from "node:fs";
import { join } from "node:path";
import type { ClaimResult } from "../claims/types.ts";
import type { Experiment, RunPlan } from "../spec/mod.ts";
import { FolderWriter } from "../io/mod.ts";
import type { RunRecord } from "../sweep/store.ts";
import { aggregate } from "./aggregate.ts";
import { buildCharts, type Chart, type ChartOptions } from "./charts.ts";
import { claimsToJson } from "./claims_table.ts";
import { toCsv } from "./csv.ts";
import { collectFigures, type FigureOptions, type SampleFigures, writeFigures } from "./figures.ts";
import { reportHtml } from "./html.ts";
import type { ReportState } from "../analysis/join.ts";
import { reportLatex } from "./latex.ts";
import { reportMarkdown } from "./markdown.ts";
import { parzenCurveChart } from "./parzen_curve.ts";
import { parzenCsvTable, type ParzenTable, parzenTable } from "./parzen_table.ts";
import { memorisationChart, qualityCsvTable, type QualityTable, qualityTable } from "./quality.ts";
import type { ParzenBaselines } from "../baselines/parzen_baselines.ts";
import { type SampleChartOptions, sampleCharts } from "./sample_charts.ts";
import type { SectionOptions } from "./sections.ts";
import { renderCharts, type RenderChartsOptions } from "./write_charts.ts";
import type { ContrastResult } from "../claims/contrasts.ts";
import type { ReportOptionsSpec } from "../spec/mod.ts";
import { contrastsTable } from "./contrasts_table.ts";
import { type ReportView, resolveReportView } from "./options.ts";

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
export * from "./charts.ts";
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
export { curveSummary, type CurveSummaryOptions, type StepSummary } from "../analysis/curves.ts";
export {
  collectFigures,
  FIGURE_KINDS,
  type FigureImage,
  type FigureKind,
  type FigureOptions,
  figuresNote,
  pngDimensions,
  type SampleFigure,
  type SampleFigures,
  writeFigures,
} from "./figures.ts";
export * from "../analysis/join.ts";
export {
  axisTitle,
  configLabel,
  formatValue,
  metricTitle,
  orderMetrics,
} from "../analysis/labels.ts";
export { type HtmlOptions, reportHtml } from "./html.ts";
export {
  base64,
  escapeHtml,
  htmlPage,
  htmlTable,
  inlineHtml,
  prefixSvgIds,
  REPORT_CSS,
} from "./html_page.ts";
export * from "./html_sections.ts";
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
  A4_TEXT_WIDTH,
  claimsLatex,
  contrastsLatex,
  escapeLatex,
  fitGroups,
  type LatexColumn,
  latexNumber,
  type LatexOptions,
  parzenLatex,
  reportLatex,
  summaryLatex,
} from "./latex.ts";
export {
  type ContrastRow,
  type LoadedChart,
  type LoadedReport,
  loadReport,
  type RunRow,
  type SummaryRow,
} from "./load.ts";
export { loadStudy, type LoadStudyOptions, type Study as LoadedStudy } from "./study.ts";
export {
  claimsMarkdown,
  contrastsMarkdown,
  figuresMarkdown,
  formatNumber4,
  type MarkdownOptions,
  markdownTable,
  notesMarkdown,
  parzenMarkdown,
  reportMarkdown,
} from "./markdown.ts";
export {
  BASELINE_SOURCE,
  baselineRows,
  OWN_SOURCE,
  PAPER_PARZEN_TABLE,
  type PaperParzenRow,
  PARZEN_COLUMNS,
  PARZEN_NOTE,
  parzenCsvTable,
  type ParzenRow,
  type ParzenTable,
  parzenTable,
} from "./parzen_table.ts";
export {
  memorisationChart,
  QUALITY_COLUMNS,
  QUALITY_NOTE,
  QUALITY_TABLE_METRICS,
  qualityCsvTable,
  type QualityRow,
  type QualityTable,
  qualityTable,
} from "./quality.ts";
export { loadResvg, PNG_FONT, type PngOptions, pngSize, renderPng } from "./png.ts";
export { renderSvg } from "./render.ts";
export {
  densityChart,
  discriminatorChart,
  type SampleChartOptions,
  sampleCharts,
  scatterChart,
} from "./sample_charts.ts";
export { parseSamples, readSamples, type Samples } from "./sample_panels.ts";
export { renderCharts, type RenderChartsOptions, type RenderChartsResult } from "./write_charts.ts";
export * from "./options.ts";
export * from "./contrasts_table.ts";
export { pdfUnavailable, RSVG_CONVERT, svgToPdf } from "./pdf.ts";
export * from "./sections.ts";
export { mean, sd, summarise, type Summary, tQuantile } from "../analysis/stats.ts";

/** Options for {@link buildReport}. */
export interface BuildReportOptions extends Omit<ChartOptions, "view">, RenderChartsOptions {
  /**
   * Report options that win over the experiment file's `report` field (e.g.
   * from `deno task report` flags); defaults come from the study.
   */
  reportOptions?: ReportOptionsSpec;
  /** Evaluated contrasts: `contrasts.csv`, and shown first (default none). */
  contrasts?: readonly ContrastResult[];
  /** Write chart specs and SVGs (default true; false turns SVG and PNG off too). */
  charts?: boolean;
  /** Charts of the generator samples (density, scatter) where runs left them (default true). */
  sampleCharts?: boolean | SampleChartOptions;
  /** Checked claims: written to `claims.json` and shown first (default none). */
  claims?: readonly ClaimResult[];
  /**
   * Notes shown at the top of `report.md`, `report.html` and `tables.tex`,
   * e.g. that the runs used a shortened budget (default none).
   */
  notes?: readonly string[];
  /** Planned runs whose status says running while their worker is gone (default none). */
  interrupted?: readonly string[];
  /**
   * The Parzen estimates of training images and of k-means centres under
   * the study's protocol (`lib/baselines`), shown beside Table 1 (default none).
   */
  parzenBaselines?: ParzenBaselines | null;
  /**
   * Sample figures of image runs (`samples_nn.png`, `samples.png`) copied
   * under `figures/` and shown (default true; an object sets the cap).
   */
  figures?: boolean | FigureOptions;
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
  /** Whether PDFs were written (false when off or when rsvg-convert is unavailable). */
  pdf: boolean;
  /** The resolved report options. */
  view: ReportView;
  /** The Parzen table (`parzen_table.csv`), or null when no run logged `parzen_ll`. */
  parzen: ParzenTable | null;
  /** The quality table (`quality_table.csv`), or null when no run logged quality metrics. */
  quality: QualityTable | null;
  /** The sample figures copied under `figures/` (empty without image runs). */
  figures: SampleFigures;
}

/**
 * Builds the report of one experiment into `outDir` (created if needed):
 * `runs.csv`, `summary.csv`, `curves.csv`, `claims.json`,
 * `charts/<name>.vl.json`, `.svg` and `.png`, `report.md`, `report.html`
 * and `tables.tex`; `parzen_table.csv` when any run logged `parzen_ll`, and
 * `figures/<configId>-samples_nn.png` / `-samples.png` where image runs left
 * them. Every file is written atomically; a `parzen_table.csv` or figure of
 * an earlier build that no longer applies is removed. When resvg cannot
 * load, PNGs are skipped with one warning.
 *
 * @param exp The validated experiment.
 * @param plans Its planned runs (e.g. `expandRuns(exp)`).
 * @param records The runs read back from the store (any subset).
 * @param outDir The report directory, e.g. `reports/<name>`.
 * @param options Claims; notes; charts, SVG, PNG, figures on/off; chart metrics and size.
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
  if (options.interrupted?.length) agg.interrupted = new Set(options.interrupted);
  const claims = options.claims ?? [];
  const contrasts = options.contrasts ?? [];
  const view = resolveReportView(
    exp,
    agg.configs.map((c) => c.point),
    { ...options.reportOptions, ...(options.metrics ? { metrics: [...options.metrics] } : {}) },
  );
  const out = new FolderWriter(outDir);
  out.write("runs.csv", toCsv(agg.runsTable.rows, agg.runsTable.columns));
  out.write("summary.csv", toCsv(agg.summaryTable.rows, agg.summaryTable.columns));
  out.write("curves.csv", toCsv(agg.curvesTable.rows, agg.curvesTable.columns));
  out.write("claims.json", claimsToJson(claims));
  if (contrasts.length) {
    const t = contrastsTable(contrasts);
    out.write("contrasts.csv", toCsv(t.rows, t.columns));
  } else rmSync(join(outDir, "contrasts.csv"), { force: true });
  const parzen = parzenTable(agg, "parzen_ll", options.parzenBaselines ?? null);
  if (parzen) {
    const t = parzenCsvTable(parzen);
    out.write("parzen_table.csv", toCsv(t.rows, t.columns));
  } else rmSync(join(outDir, "parzen_table.csv"), { force: true });
  const quality = qualityTable(agg);
  if (quality) {
    const t = qualityCsvTable(quality);
    out.write("quality_table.csv", toCsv(t.rows, t.columns));
  } else rmSync(join(outDir, "quality_table.csv"), { force: true });

  const wantCharts = options.charts ?? true;
  const svg = wantCharts && (options.svg ?? true);
  const charts: Chart[] = [];
  if (wantCharts) {
    charts.push(...buildCharts(agg, { ...options, metrics: view.metrics, view }));
    const parzenCurve = parzenCurveChart(agg, options);
    if (parzenCurve) charts.push(parzenCurve);
    const samples = options.sampleCharts ?? true;
    if (samples) charts.push(...sampleCharts(agg, samples === true ? {} : samples));
    const memorisation = memorisationChart(agg);
    if (memorisation) charts.push(memorisation);
  }
  const rendered = await renderCharts(charts, out, { ...options, svg });
  const png = rendered.png;
  const pdf = rendered.pdf;

  const figureOptions = options.figures ?? true;
  const figures = figureOptions
    ? collectFigures(agg, figureOptions === true ? {} : figureOptions)
    : { figures: [], eligible: 0, max: 0 };
  out.files.push(...writeFigures(figures.figures, outDir));

  const common: SectionOptions & { contrasts: readonly ContrastResult[]; view: ReportView } = {
    metrics: view.metrics,
    claims,
    notes: options.notes ?? [],
    parzen,
    contrasts,
    view,
    quality,
  };
  out.write("report.md", reportMarkdown(exp, agg, charts, { ...common, svg, png, pdf, figures }));
  out.write("report.html", reportHtml(exp, agg, rendered.charts, { ...common, figures }));
  out.write("tables.tex", reportLatex(exp, agg, common));
  return {
    files: out.files,
    counts: agg.counts,
    missing: agg.missing,
    charts,
    png,
    pdf,
    view,
    parzen,
    quality,
    figures,
  };
}
