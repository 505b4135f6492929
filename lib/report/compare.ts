/**
 * Several studies side by side: one folder (`reports/compare-<a>-<b>/`) with
 * a combined `summary.csv` (a `study` column first), charts of the metrics of
 * interest that every study logged (one panel per study, shared y scale),
 * `claims.json` (every study's claims, each with its `study`), and
 * `report.md` / `report.html` listing each study's claims and verdicts.
 *
 * @module
 */
import { mkdirSync } from "node:fs";
import type { TopLevelSpec } from "../deps.ts";
import type { ClaimResult } from "../claims/types.ts";
import type { Experiment, RunPlan } from "../spec/mod.ts";
import { FolderWriter } from "../io/mod.ts";
import type { RunRecord } from "../sweep/store.ts";
import { type Aggregate, aggregate, type Row } from "./aggregate.ts";
import {
  type Chart,
  type ChartOptions,
  curveChart,
  finalChart,
  VEGA_LITE_SCHEMA,
} from "./charts.ts";
import { claimRows, claimsToJson, verdictCounts } from "./claims_table.ts";
import { toCsv } from "./csv.ts";
import { escapeHtml, htmlPage, htmlTable, inlineHtml } from "./html_page.ts";
import { chartFigure, type RenderedChart } from "./html_sections.ts";
import { metricTitle } from "../analysis/labels.ts";
import { CHARTED_METRICS } from "../metrics/registry.ts";
import { markdownTable } from "./markdown.ts";
import { SUMMARY_NOTE, summaryText } from "./sections.ts";
import { renderCharts, type RenderChartsOptions } from "./write_charts.ts";

/** One study to compare: what `buildReport` takes, plus its claims. */
export interface Study {
  /** The validated experiment. */
  exp: Experiment;
  /** Its planned runs. */
  plans: RunPlan[];
  /** Its runs read back from the store. */
  records: RunRecord[];
  /** Its checked claims (e.g. from its `claims.json`); default none. */
  claims?: readonly ClaimResult[];
}

/** Options for {@link compareStudies}. */
export interface CompareOptions extends ChartOptions, RenderChartsOptions {}

/** What {@link compareStudies} wrote. */
export interface CompareResult {
  /** Paths of the files written. */
  files: string[];
  /** Metrics of interest every study has final values for. */
  metrics: string[];
  /** The charts. */
  charts: Chart[];
}

/** A claim with the study it belongs to, as `claims.json` of a comparison holds it. */
export type StudyClaim = ClaimResult & { study: string };

/**
 * The folder name of a comparison: `compare-<a>-<b>[-<c>...]`.
 *
 * @param names The studies' names, in order.
 * @returns The name.
 */
export function compareName(names: readonly string[]): string {
  return `compare-${names.join("-")}`;
}

/**
 * The combined summary: every study's summary rows with a `study` column
 * first; columns are the union in order of first appearance.
 *
 * @param aggs Study name and aggregate, in order.
 * @returns Columns and rows.
 */
export function combinedSummary(
  aggs: readonly { name: string; agg: Aggregate }[],
): { columns: string[]; rows: Row[] } {
  const columns = ["study"];
  const seen = new Set(columns);
  const rows: Row[] = [];
  for (const { name, agg } of aggs) {
    for (const c of agg.summaryTable.columns) {
      if (!seen.has(c)) {
        seen.add(c);
        columns.push(c);
      }
    }
    for (const r of agg.summaryTable.rows) rows.push({ study: name, ...r });
  }
  return { columns, rows };
}

/** Panels from per-study charts side by side, y shared so values compare directly. */
function sideBySide(
  name: string,
  metric: string,
  title: string,
  subtitle: string,
  panels: { study: Study; chart: Chart }[],
): Chart {
  const hconcat = panels.map(({ study, chart }) => {
    const { $schema: _s, title: _t, ...rest } = chart.spec as unknown as Record<string, unknown>;
    return { ...rest, title: { text: study.exp.name, subtitle: study.exp.title ?? "" } };
  });
  return {
    name,
    metric,
    title,
    spec: {
      $schema: VEGA_LITE_SCHEMA,
      title: { text: title, subtitle },
      hconcat,
      resolve: { scale: { y: "shared", color: "independent" }, legend: { color: "independent" } },
    } as unknown as TopLevelSpec,
  };
}

/**
 * Compares two or more studies into `outDir` (created if needed).
 *
 * @param studies The studies, in the order they appear.
 * @param outDir The comparison's folder, e.g. `reports/compare-a-b`.
 * @param options Metrics, plot size, SVG/PNG.
 * @returns The files written, the shared metrics and the charts.
 */
export async function compareStudies(
  studies: readonly Study[],
  outDir: string,
  options: CompareOptions = {},
): Promise<CompareResult> {
  if (studies.length < 2) throw new Error("compare needs at least two studies");
  const names = studies.map((s) => s.exp.name);
  const dup = names.find((n, i) => names.indexOf(n) !== i);
  if (dup) throw new Error(`study "${dup}" is given twice`);
  mkdirSync(outDir, { recursive: true });
  const aggs = studies.map((s) => ({
    study: s,
    name: s.exp.name,
    agg: aggregate(s.exp, s.plans, s.records),
  }));
  const out = new FolderWriter(outDir);

  const summary = combinedSummary(aggs);
  out.write("summary.csv", toCsv(summary.rows, summary.columns));
  const claims: StudyClaim[] = aggs.flatMap(({ study, name }) =>
    (study.claims ?? []).map((c) => ({ study: name, ...c }))
  );
  out.write("claims.json", claimsToJson(claims));

  const wanted = options.metrics ?? CHARTED_METRICS;
  const withFinal = (m: string) =>
    aggs.every(({ agg }) => agg.configs.some((c) => (c.stats[m]?.n ?? 0) > 0));
  const metrics = wanted.filter(withFinal);
  const curveMetrics = wanted.filter((m) => aggs.every(({ agg }) => agg.curveMetrics.includes(m)));
  const charts: Chart[] = [];
  for (const m of metrics) {
    const panels = aggs.map(({ study, agg }) => ({ study, chart: finalChart(agg, m, options) }));
    if (panels.some((p) => p.chart === null)) continue;
    charts.push(sideBySide(
      `final-${m}`,
      m,
      `${metricTitle(m)}: final value, study by study`,
      "mean ± 95% CI across seeds (runs that finished done); y scale shared",
      panels as { study: Study; chart: Chart }[],
    ));
  }
  for (const m of curveMetrics) {
    const panels = aggs.map(({ study, agg }) => ({ study, chart: curveChart(agg, m, options) }));
    if (panels.some((p) => p.chart === null)) continue;
    charts.push(sideBySide(
      `curve-${m}`,
      m,
      `${metricTitle(m)} during training, study by study`,
      "mean ± 95% CI across seeds per configuration; y scale shared",
      panels as { study: Study; chart: Chart }[],
    ));
  }

  const svg = options.svg ?? true;
  const rendered = await renderCharts(charts, out, options);
  const png = rendered.png;

  out.write("report.md", compareMarkdown(aggs, claims, metrics, charts, { svg, png }));
  out.write("report.html", compareHtml(aggs, claims, metrics, rendered.charts));
  return { files: out.files, metrics, charts };
}

interface StudyAgg {
  study: Study;
  name: string;
  agg: Aggregate;
}

function studyRows(aggs: readonly StudyAgg[]): string[][] {
  return aggs.map(({ study, name, agg }) => [
    name,
    study.exp.title ?? "",
    agg.axes.join(", ") || "–",
    String(agg.configs.length),
    `${agg.counts.done}/${agg.runs.length}`,
    verdictCounts(study.claims ?? []),
  ]);
}

const STUDY_HEADER = ["study", "title", "swept", "configs", "done/planned", "verdicts"];
const CLAIM_HEADER = ["study", "claim", "verdict", "effect [95% CI]", "n", "evidence"];

function title(aggs: readonly StudyAgg[]): string {
  return `Comparison: ${aggs.map((a) => a.name).join(" vs ")}`;
}

function compareMarkdown(
  aggs: readonly StudyAgg[],
  claims: readonly StudyClaim[],
  metrics: readonly string[],
  charts: readonly Chart[],
  formats: { svg: boolean; png: boolean },
): string {
  const out = [`# ${title(aggs)}`, "", "## Studies", ""];
  out.push(markdownTable(STUDY_HEADER, studyRows(aggs)), "");
  out.push("## Claims", "");
  if (claims.length === 0) {
    out.push("No study has checked claims (run `deno task report` on each study first).", "");
  } else {
    const rows = claimRows(claims).map((r, i) => [
      claims[i].study,
      `\`${r.id}\`: ${r.title}`,
      `**${r.verdict}**`,
      r.effect,
      String(r.n),
      r.evidence,
    ]);
    out.push(markdownTable(CLAIM_HEADER, rows), "");
  }
  out.push("## Summary", "");
  if (metrics.length === 0) {
    out.push("The studies share no metric of interest with final values.", "");
  }
  for (const { name, agg } of aggs) {
    if (metrics.length === 0) break;
    const s = summaryText(agg, metrics);
    out.push(`### ${name}`, "", markdownTable(s.header, s.rows), "");
  }
  if (metrics.length) {
    out.push(SUMMARY_NOTE.replace("`summary.csv`", "`summary.csv` (column `study`)"), "");
  }
  out.push("## Charts", "");
  if (charts.length === 0) out.push("No charts: the studies share no metric to plot.", "");
  for (const c of charts) {
    out.push(`### ${c.title}`, "");
    if (formats.svg) out.push(`![${c.name}](charts/${c.name}.svg)`, "");
    const links = [`Vega-Lite spec: [charts/${c.name}.vl.json](charts/${c.name}.vl.json)`];
    if (formats.png) links.push(`PNG: [charts/${c.name}.png](charts/${c.name}.png)`);
    out.push(links.join(" · "), "");
  }
  return out.join("\n");
}

function compareHtml(
  aggs: readonly StudyAgg[],
  claims: readonly StudyClaim[],
  metrics: readonly string[],
  charts: readonly RenderedChart[],
): string {
  const t = title(aggs);
  const out = [
    `<header><h1>${escapeHtml(t)}</h1></header>`,
    '<section id="studies">',
    "<h2>Studies</h2>",
    htmlTable(STUDY_HEADER, studyRows(aggs).map((r) => r.map(escapeHtml)), "studies"),
    "</section>",
    '<section id="claims">',
    "<h2>Claims</h2>",
  ];
  if (claims.length === 0) {
    out.push('<p class="note">No study has checked claims.</p>');
  } else {
    const rows = claimRows(claims).map((r, i) => [
      escapeHtml(claims[i].study),
      `<code>${escapeHtml(r.id)}</code><br>${inlineHtml(r.title)}`,
      { html: escapeHtml(r.verdict), cls: `verdict verdict-${r.verdict}` },
      { html: escapeHtml(r.effect), cls: "effect" },
      { html: String(r.n), cls: "num" },
      inlineHtml(r.evidence),
    ]);
    out.push(htmlTable(CLAIM_HEADER, rows, "claims"));
  }
  out.push("</section>", '<section id="summary">', "<h2>Summary</h2>");
  for (const { name, agg } of aggs) {
    if (metrics.length === 0) break;
    const s = summaryText(agg, metrics);
    out.push(
      `<h3>${escapeHtml(name)}</h3>`,
      htmlTable(s.header, s.rows.map((r) => r.map(escapeHtml)), "summary"),
    );
  }
  if (metrics.length === 0) {
    out.push('<p class="note">The studies share no metric of interest with final values.</p>');
  }
  out.push("</section>", '<section id="charts">', "<h2>Charts</h2>");
  charts.forEach((c, i) => out.push(chartFigure(c, i)));
  out.push("</section>");
  return htmlPage(t, out.join("\n"));
}
