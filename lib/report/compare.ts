/**
 * Several studies side by side: one folder (`reports/compare-<a>-<b>/`) with
 * a combined `summary.csv` (a `study` column first), what differs between
 * the studies (the resolved config fields whose values differ), their
 * shared contrasts side by side with the difference between the studies,
 * their shared metrics per matching configuration with the difference
 * (`differences.csv`), charts of the metrics of interest that every study
 * logged (one panel per study, shared y scale, within a page's width),
 * `claims.json` (every study's claims, each with its `study`), and
 * `report.md`, `report.html` and `tables.tex`.
 *
 * A difference between two studies is Welch's: estimate_a − estimate_b
 * with standard error sqrt(se_a² + se_b²), Welch-Satterthwaite degrees of
 * freedom and its 95% t-interval (the studies' runs are independent).
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
import { evaluateContrasts } from "../claims/contrasts.ts";
import { joinRuns } from "../analysis/join.ts";
import { tQuantile, tTwoSidedP } from "../analysis/stats.ts";
import { canonicalJson } from "../spec/run_id.ts";
import { resolveReportView } from "./options.ts";
import { A4_TEXT_WIDTH } from "./latex.ts";
import {
  type Between,
  type CompareExtra,
  compareExtraHtml,
  compareExtraMarkdown,
  compareLatex,
  type ConfigDifference,
  differencesTable,
  type MetricDifference,
  type SharedContrast,
} from "./compare_tables.ts";

export type { Between, ConfigDifference, MetricDifference, SharedContrast };

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
export interface CompareOptions extends ChartOptions, RenderChartsOptions {
  /** The text width in points `tables.tex` must fit (default A4 with 2.5 cm margins). */
  textWidth?: number;
}

/** What {@link compareStudies} wrote. */
export interface CompareResult {
  /** Paths of the files written. */
  files: string[];
  /** Metrics of interest every study has final values for. */
  metrics: string[];
  /** The charts. */
  charts: Chart[];
  /** Resolved config fields whose values differ between the studies. */
  configDifferences: ConfigDifference[];
  /** Shared contrasts side by side. */
  contrasts: SharedContrast[];
  /** Shared metrics per matching configuration, with the difference. */
  differences: MetricDifference[];
}

/** A study's difference estimate with its error, for a between-study difference. */
interface Est {
  estimate: number;
  se: number;
  df: number;
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

/**
 * Panels from per-study charts, y shared so values compare directly: side
 * by side when each is a single plot, stacked when they have panels of
 * their own (so the chart stays within a page's width).
 */
function sideBySide(
  name: string,
  metric: string,
  title: string,
  subtitle: string,
  panels: { study: Study; chart: Chart }[],
): Chart {
  const parts = panels.map(({ study, chart }) => {
    const { $schema: _s, title: _t, ...rest } = chart.spec as unknown as Record<string, unknown>;
    return {
      ...rest,
      title: { text: study.exp.name, subtitle: study.exp.title ?? "", subtitlePadding: 4 },
    };
  });
  const faceted = parts.some((p) => "facet" in p);
  const stacked = faceted || parts.length > 3;
  return {
    name,
    metric,
    title,
    spec: {
      $schema: VEGA_LITE_SCHEMA,
      title: { text: title, subtitle, subtitlePadding: 4 },
      ...(stacked ? { vconcat: parts } : { hconcat: parts }),
      resolve: {
        scale: { y: faceted ? "independent" : "shared", color: "independent" },
        legend: { color: "independent" },
      },
    } as unknown as TopLevelSpec,
  };
}

/** Every leaf of a resolved config as dotted path -> canonical JSON. */
function flatten(
  value: unknown,
  prefix = "",
  out = new Map<string, string>(),
): Map<string, string> {
  if (value !== null && typeof value === "object" && !Array.isArray(value)) {
    for (const [k, v] of Object.entries(value)) flatten(v, prefix ? `${prefix}.${k}` : k, out);
  } else out.set(prefix, canonicalJson(value ?? null));
  return out;
}

/**
 * The resolved config fields whose values differ between the studies (the
 * set of values each study's planned runs take), in path order.
 *
 * @param studies The studies.
 * @returns One entry per differing field.
 */
export function configDifferences(studies: readonly Study[]): ConfigDifference[] {
  const sets = studies.map((s) => {
    const m = new Map<string, Set<string>>();
    for (const p of s.plans) {
      for (const [k, v] of flatten(p.config)) {
        if (!m.has(k)) m.set(k, new Set());
        m.get(k)!.add(v);
      }
    }
    return m;
  });
  const paths = [...new Set(sets.flatMap((m) => [...m.keys()]))].sort();
  const out: ConfigDifference[] = [];
  for (const path of paths) {
    const vals = sets.map((m) => [...(m.get(path) ?? new Set(["(absent)"]))].sort());
    const keys = vals.map((v) => v.join("|"));
    if (keys.every((k) => k === keys[0])) continue;
    out.push({
      path,
      values: vals.map((v) => v.map((x) => (x.startsWith('"') ? JSON.parse(x) : x))),
    });
  }
  return out;
}

/** Welch's difference of two independent estimates. */
export function between(a: Est, b: Est): Between {
  const estimate = a.estimate - b.estimate;
  const v = a.se * a.se + b.se * b.se;
  if (!(v > 0) || !Number.isFinite(v)) {
    return { estimate, ci95Low: NaN, ci95High: NaN, p: NaN };
  }
  const df = v * v / (a.se ** 4 / a.df + b.se ** 4 / b.df);
  const half = tQuantile(0.975, df) * Math.sqrt(v);
  return {
    estimate,
    ci95Low: estimate - half,
    ci95High: estimate + half,
    p: tTwoSidedP(estimate / Math.sqrt(v), df),
  };
}

const NONE: Between = { estimate: NaN, ci95Low: NaN, ci95High: NaN, p: NaN };

/** The contrasts every study declares (same id), side by side per metric. */
function sharedContrasts(aggs: readonly StudyAgg[]): SharedContrast[] {
  const evaluated = aggs.map((a) =>
    evaluateContrasts(a.study.exp, joinRuns(a.study.exp, a.study.plans, a.study.records))
  );
  const out: SharedContrast[] = [];
  for (const c of evaluated[0] ?? []) {
    const others = evaluated.map((e) => e.find((x) => x.id === c.id));
    if (others.some((o) => !o)) continue;
    for (const metric of c.metrics) {
      const tests = others.map((o) => o!.overall.find((t) => t.metric === metric));
      if (tests.some((t) => !t)) continue;
      out.push({
        id: c.id,
        metric,
        studies: tests.map((t, i) => ({
          study: aggs[i].name,
          verdict: others[i]!.verdict,
          estimate: t!.estimate,
          ci95Low: t!.ci95Low,
          ci95High: t!.ci95High,
          n: t!.n,
        })),
        between: tests.length === 2 ? between(tests[0]!, tests[1]!) : NONE,
      });
    }
  }
  return out;
}

/** A summary as an estimate with its standard error. */
function est(s: { mean: number; sd: number; n: number }): Est {
  return { estimate: s.mean, se: s.sd / Math.sqrt(s.n), df: s.n - 1 };
}

/** Shared metrics at configurations every study ran (same swept values). */
function metricDifferences(
  aggs: readonly StudyAgg[],
  metrics: readonly string[],
): MetricDifference[] {
  const out: MetricDifference[] = [];
  const keyed = aggs.map((a) => new Map(a.agg.configs.map((c) => [canonicalJson(c.point), c])));
  for (const c of aggs[0]?.agg.configs ?? []) {
    const k = canonicalJson(c.point);
    const matches = keyed.map((m) => m.get(k));
    if (matches.some((m) => !m)) continue;
    for (const metric of metrics) {
      const stats = matches.map((m) => m!.stats[metric]);
      if (stats.some((s) => !s || s.n === 0)) continue;
      out.push({
        config: c.label,
        metric,
        studies: stats.map((s, i) => ({
          study: aggs[i].name,
          mean: s.mean,
          ci95Low: s.ci95Low,
          ci95High: s.ci95High,
          n: s.n,
        })),
        between: stats.length === 2 && stats.every((s) => s.n >= 2)
          ? between(est(stats[0]), est(stats[1]))
          : NONE,
      });
    }
  }
  return out;
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
  // Each study's panels share the page: narrower plots side by side.
  const perStudy = {
    ...options,
    width: Math.min(
      options.width ?? 360,
      Math.floor((options.maxWidth ?? 1000) / aggs.length) - 110,
    ),
  };
  const viewOf = (a: StudyAgg) => resolveReportView(a.study.exp, a.agg.configs.map((c) => c.point));
  for (const m of metrics) {
    const panels = aggs.map((a) => ({
      study: a.study,
      chart: finalChart(a.agg, m, { ...perStudy, view: viewOf(a) }),
    }));
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
    const panels = aggs.map((a) => ({
      study: a.study,
      chart: curveChart(a.agg, m, { ...perStudy, view: viewOf(a) }),
    }));
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

  const diffs = configDifferences(studies);
  const shared = sharedContrasts(aggs);
  const metricDiffs = metricDifferences(aggs, metrics);
  const diffTable = differencesTable(metricDiffs, shared);
  out.write("differences.csv", toCsv(diffTable.rows, diffTable.columns));
  const extra = { diffs, shared, metricDiffs };
  out.write("report.md", compareMarkdown(aggs, claims, metrics, charts, { svg, png }, extra));
  out.write("report.html", compareHtml(aggs, claims, metrics, rendered.charts, extra));
  out.write("tables.tex", compareLatex(aggs, extra, options.textWidth ?? A4_TEXT_WIDTH));
  return {
    files: out.files,
    metrics,
    charts,
    configDifferences: diffs,
    contrasts: shared,
    differences: metricDiffs,
  };
}

/** A study with its aggregate. */
export interface StudyAgg {
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

/** Why there are no claims to show: none declared, or declared but not yet checked. */
function claimsNote(aggs: readonly StudyAgg[]): string {
  const declaring = aggs.filter((a) => a.study.exp.claims.length > 0).map((a) => a.name);
  if (declaring.length === 0) return "No study declares claims.";
  return `No checked claims found for ${declaring.join(", ")} (their reports/<name>/claims.json ` +
    "is missing: run `deno task report` on them first).";
}

function compareMarkdown(
  aggs: readonly StudyAgg[],
  claims: readonly StudyClaim[],
  metrics: readonly string[],
  charts: readonly Chart[],
  formats: { svg: boolean; png: boolean },
  extra: CompareExtra,
): string {
  const out = [`# ${title(aggs)}`, "", "## Studies", ""];
  out.push(markdownTable(STUDY_HEADER, studyRows(aggs)), "");
  out.push(...compareExtraMarkdown(aggs.map((a) => a.name), extra));
  out.push("## Claims", "");
  if (claims.length === 0) {
    out.push(claimsNote(aggs), "");
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
  extra: CompareExtra,
): string {
  const t = title(aggs);
  const out = [
    `<header><h1>${escapeHtml(t)}</h1></header>`,
    '<section id="studies">',
    "<h2>Studies</h2>",
    htmlTable(STUDY_HEADER, studyRows(aggs).map((r) => r.map(escapeHtml)), "studies"),
    "</section>",
    compareExtraHtml(aggs.map((a) => a.name), extra),
    '<section id="claims">',
    "<h2>Claims</h2>",
  ];
  if (claims.length === 0) {
    out.push(`<p class="note">${inlineHtml(claimsNote(aggs))}</p>`);
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
      htmlTable(
        s.header,
        s.rows.map((r) =>
          r.map((c, i) =>
            i < s.header.length - metrics.length
              ? escapeHtml(c)
              : { html: escapeHtml(c), cls: "num" }
          )
        ),
        "summary",
      ),
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
