/**
 * `report.html`: the whole report as one self-contained HTML5 page. The CSS
 * is inlined, every chart's SVG is embedded and the sample figures of image
 * runs are `data:image/png` URIs, so the page shows everything from a
 * file:// URL with no network and no other file; links to the Vega-Lite
 * specs, PNGs and copied figures beside it are extras.
 *
 * @module
 */
import type { Experiment } from "../spec/experiment.ts";
import type { Aggregate } from "./aggregate.ts";
import { metricTitle } from "../analysis/labels.ts";
import { escapeHtml, htmlPage, htmlTable, inlineHtml } from "./html_page.ts";
import {
  chartFigure,
  claimsHtml,
  figuresHtml,
  notesHtml,
  parzenHtml,
  qualityHtml,
  type RenderedChart,
} from "./html_sections.ts";
import { PAPER_PARZEN_TABLE } from "./parzen_table.ts";
import {
  configHealth,
  healthThresholds,
  healthWarning,
  invalidRuns,
  problemRuns,
  type RunLine,
  type SectionOptions,
  stateCounts,
  SUMMARY_NOTE,
  summaryMetrics,
  summaryText,
  trainingText,
  unfinishedRuns,
} from "./sections.ts";
import type { ClaimResult } from "../claims/types.ts";
import { HEALTH_TITLES, type HealthCheckId } from "../metrics/health.ts";
import type { SampleFigures } from "./figures.ts";
import type { ContrastResult } from "../claims/contrasts.ts";
import { REPORT_SECTIONS, type ReportSection } from "../spec/mod.ts";
import { contrastNames, contrastText } from "./contrasts_table.ts";
import type { ReportView } from "./options.ts";

/** Options for {@link reportHtml}. */
export interface HtmlOptions extends SectionOptions {
  /** Evaluated contrasts (default none). */
  contrasts?: readonly ContrastResult[];
  /** The resolved report options: names, digits, section order. */
  view?: ReportView;
  /** At most this many runs are listed per section (default 200). */
  listLimit?: number;
  /** Sample figures, embedded as data: URIs (default none). */
  figures?: SampleFigures | null;
}

function runList(lines: RunLine[], limit: number): string {
  const items = lines.slice(0, limit).map((r) =>
    `<li><code>${escapeHtml(r.id)}</code> (${escapeHtml(r.label)}, seed ${r.seed}): ${
      escapeHtml(r.detail)
    }</li>`
  );
  if (lines.length > limit) {
    items.push(`<li>… and ${lines.length - limit} more (see <code>runs.csv</code>)</li>`);
  }
  return `<ul class="runs">\n${items.join("\n")}\n</ul>`;
}

/** "Runs that cannot be evidence": per configuration, then the runs with what was measured. */
function validityHtml(agg: Aggregate, limit: number): string {
  const health = configHealth(agg);
  const head = '<h3 id="invalid">Runs that cannot be evidence</h3>';
  if (health.every((h) => h.invalid === 0)) {
    return `${head}<p>Every done run passed the health checks (D alive, G not collapsed, ` +
      "progress).</p>";
  }
  return head + htmlTable(
    ["configuration", "done", "valid", "failed checks"],
    health.map((h) => [
      escapeHtml(h.label),
      { html: String(h.done), cls: "num" },
      { html: String(h.done - h.invalid), cls: "num" },
      escapeHtml(
        Object.entries(h.checks).map(([k, n]) => `${HEALTH_TITLES[k as HealthCheckId]}: ${n}`)
          .join(", "),
      ),
    ]),
  ) + runList(invalidRuns(agg), limit);
}

/** The "Runs" section: counts by state, missing, failed, ignored and invalid runs. */
function runsHtml(agg: Aggregate, limit: number): string[] {
  const planned = agg.runs.length;
  const out = ['<section id="runs">', "<h2>Runs</h2>"];
  out.push(
    agg.missing.length === 0
      ? "<p>Every planned run has finished.</p>"
      : `<p class="warn"><strong>Incomplete:</strong> ${agg.missing.length} of ${planned} ` +
        "planned run(s) have not finished (queued, running or never started); statistics " +
        "use the runs that are done.</p>",
  );
  out.push(htmlTable(["state", "runs"], [
    ...stateCounts(agg).map(([s, n]) => [escapeHtml(s), { html: String(n), cls: "num" }]),
    ["total", { html: String(planned), cls: "num" }],
  ], "counts"));
  const missing = unfinishedRuns(agg);
  if (missing.length) out.push('<h3 id="missing">Missing</h3>', runList(missing, limit));
  const bad = problemRuns(agg);
  if (bad.length) {
    out.push('<h3 id="failed">Failed, timed out or diverged</h3>', runList(bad, limit));
  }
  if (agg.ignored.length) {
    out.push(
      `<p class="note">${agg.ignored.length} run director${
        agg.ignored.length === 1 ? "y" : "ies"
      } in the store match no planned run (an edited experiment?) and are left out.</p>`,
    );
  }
  out.push(validityHtml(agg, limit), "</section>");
  return out;
}

/** The nav link of each section. */
const NAV_TITLES: Record<ReportSection, string> = {
  contrasts: "Contrasts",
  claims: "Claims",
  parzen: "Parzen table",
  quality: "Sample quality",
  runs: "Runs",
  training: "Training",
  summary: "Summary",
  charts: "Charts",
  samples: "Samples",
};

/**
 * The contrasts: per contrast its question with the verdict, the evidence,
 * the difference averaged over the levels, per level and metric, and the
 * interaction tests, then the rule.
 *
 * @param results The evaluated contrasts.
 * @param view Names and digits.
 * @returns HTML.
 */
export function contrastsHtml(results: readonly ContrastResult[], view: ReportView): string {
  const out: string[] = [];
  const table = (t: { header: string[]; rows: string[][] }, cls: string, numeric: number[]) =>
    htmlTable(
      t.header,
      t.rows.map((r) =>
        r.map((c, i) =>
          numeric.includes(i) ? { html: escapeHtml(c), cls: "num" } : i === r.length - 1
            ? {
              html: escapeHtml(c),
              cls: `outcome outcome-${c.split(":")[0].replaceAll(" ", "-")}`,
            }
            : escapeHtml(c)
        )
      ),
      cls,
    );
  results.forEach((r, k) => {
    const n = contrastNames(r, view);
    const t = contrastText(r, view);
    out.push(
      `<h3 id="contrast-${k}">${
        escapeHtml(r.title)
      } <span class="verdict verdict-big verdict-${r.verdict}">${r.verdict}</span></h3>`,
      `<p><code>${escapeHtml(r.id)}</code> (${escapeHtml(n.a)} = ${escapeHtml(n.axis)} ${
        escapeHtml(String(r.a))
      }, ${escapeHtml(n.b)} = ${escapeHtml(String(r.b))}). ${inlineHtml(r.evidence)}</p>`,
      `<p>Averaged over the levels (${escapeHtml(n.diff)}):</p>`,
      table(t.overall, "contrast-overall", [2, 3, 4]),
      "<p>By level:</p>",
      table(t.cells, "contrast-cells", [2, 3, 4, 5, 6, 7, 8, 9]),
    );
    if (t.interactions.rows.length) {
      out.push(
        "<p>Does the difference depend on another axis? (Welch's heterogeneity test)</p>",
        table(t.interactions, "contrast-interactions", [3, 4, 5]),
      );
    }
    out.push(`<p class="note">Rule (${escapeHtml(r.rule)}): ${escapeHtml(r.ruleText)}.</p>`);
  });
  out.push(
    '<p class="note">g: Hedges\' g (difference over the pooled sd); P(A better): the probability ' +
      "that a run of A beats a run of B (ties count half); p (Holm): adjusted over the " +
      'contrast\'s cells. Every number is in <a href="contrasts.csv">contrasts.csv</a>.</p>',
  );
  return out.join("\n");
}

/** "How the runs trained": per configuration, then the health and claim thresholds. */
function trainingHtml(agg: Aggregate, claims: readonly ClaimResult[]): string {
  const health = configHealth(agg);
  const rows = agg.configs.map((c, i) => {
    const config = c.runs[0]?.plan.config;
    return [
      escapeHtml(c.label),
      escapeHtml(config ? trainingText(config) : ""),
      { html: `${health[i].done - health[i].invalid} of ${c.runs.length}`, cls: "num" },
    ];
  });
  const items = (xs: string[]) => `<ul>${xs.map((x) => `<li>${x}</li>`).join("")}</ul>`;
  return "<h2>How the runs trained</h2>" +
    htmlTable(["configuration", "training", "valid runs"], rows) +
    "<p>Health checks (a done run that fails one cannot be evidence):</p>" +
    items(healthThresholds().map(escapeHtml)) +
    (claims.length
      ? "<p>Claims and their thresholds:</p>" +
        items(claims.map((c) => `<code>${escapeHtml(c.id)}</code>: ${escapeHtml(c.test)}`))
      : "");
}

/**
 * Writes `report.html`.
 *
 * @param exp The experiment.
 * @param agg The aggregated sweep.
 * @param charts The charts with their SVG.
 * @param options Claims, metrics, list length.
 * @returns The HTML document.
 */
export function reportHtml(
  exp: Experiment,
  agg: Aggregate,
  charts: readonly RenderedChart[],
  options: HtmlOptions = {},
): string {
  const limit = options.listLimit ?? 200;
  const planned = agg.runs.length;
  const title = exp.title ?? exp.name;
  const figures = options.figures?.figures.length ? options.figures : null;
  const out: string[] = [`<header><h1>${escapeHtml(title)}</h1>`];
  const warning = healthWarning(agg);
  const notes = [...(warning ? [warning] : []), ...(options.notes ?? [])];
  if (notes.length) out.push(notesHtml(notes));
  if (exp.description) out.push(`<p>${inlineHtml(exp.description)}</p>`);
  out.push(
    `<p>Experiment <code>${escapeHtml(exp.name)}</code>: ${agg.configs.length} ` +
      `configuration(s) × ${
        new Set(agg.runs.map((r) => r.plan.seed)).size
      } seed(s) = ${planned} planned run(s).` +
      (agg.axes.length
        ? ` Swept: ${agg.axes.map((a) => `<code>${escapeHtml(a)}</code>`).join(", ")}.`
        : "") +
      "</p>",
  );

  const declared = exp.claims.map((c) => typeof c === "string" ? c : c.id);
  const view = options.view;
  const contrasts = options.contrasts ?? [];
  const sections: Record<ReportSection, () => string[]> = {
    contrasts: () =>
      contrasts.length && view
        ? [
          '<section id="contrasts">',
          "<h2>Contrasts</h2>",
          contrastsHtml(contrasts, view),
          "</section>",
        ]
        : [],
    claims: () =>
      declared.length || !contrasts.length
        ? [
          '<section id="claims">',
          "<h2>Claims</h2>",
          claimsHtml(options.claims ?? [], declared),
          "</section>",
        ]
        : [],
    parzen: () =>
      options.parzen
        ? [
          '<section id="parzen">',
          `<h2>Parzen-window log-likelihood (${escapeHtml(PAPER_PARZEN_TABLE.source)})</h2>`,
          parzenHtml(options.parzen),
          "</section>",
        ]
        : [],
    quality: () =>
      options.quality
        ? [
          '<section id="quality">',
          "<h2>Sample quality and memorisation</h2>",
          qualityHtml(options.quality),
          "</section>",
        ]
        : [],
    runs: () => runsHtml(agg, limit),
    training:
      () => ['<section id="training">', trainingHtml(agg, options.claims ?? []), "</section>"],
    summary: () => {
      const metrics = summaryMetrics(agg, options.metrics);
      const summary = summaryText(agg, metrics, view);
      const nAxes = summary.header.length - metrics.length - 1;
      const lines = ['<section id="summary">', "<h2>Summary</h2>"];
      lines.push(htmlTable(
        summary.header,
        summary.rows.map((r) =>
          r.map((c, i) => (i < nAxes ? escapeHtml(c) : { html: escapeHtml(c), cls: "num" }))
        ),
        "summary",
      ));
      lines.push(`<p class="note">${inlineHtml(SUMMARY_NOTE)}</p>`);
      if (metrics.length) {
        lines.push(
          `<ul class="note">${
            metrics.map((m) =>
              `<li><code>${escapeHtml(m)}</code>: ${escapeHtml(metricTitle(m))}</li>`
            ).join("")
          }</ul>`,
        );
      } else lines.push('<p class="note">No run has finished <code>done</code> yet.</p>');
      lines.push("</section>");
      return lines;
    },
    charts: () => {
      const lines = ['<section id="charts">', "<h2>Charts</h2>"];
      if (charts.length === 0) {
        lines.push('<p class="note">No charts: no finished run has metrics to plot yet.</p>');
      }
      charts.forEach((c, i) => lines.push(chartFigure(c, i)));
      lines.push("</section>");
      return lines;
    },
    samples: () =>
      figures
        ? [
          '<section id="samples">',
          "<h2>Samples (Figure 2)</h2>",
          figuresHtml(figures),
          "</section>",
        ]
        : [],
  };
  const order = view?.sections ?? REPORT_SECTIONS;
  const bodies = order.map((name) => [name, sections[name]()] as const);
  const nav = bodies.filter(([, lines]) => lines.length > 0).map(([name]) =>
    `<a href="#${name}">${NAV_TITLES[name]}</a>`
  );
  out.push(`<nav>${nav.join("")}</nav></header>`);
  for (const [, lines] of bodies) out.push(...lines);
  out.push(
    '<footer class="note"><p>Tables: <a href="runs.csv">runs.csv</a>, ' +
      '<a href="summary.csv">summary.csv</a>, <a href="curves.csv">curves.csv</a>, ' +
      '<a href="claims.json">claims.json</a>, ' +
      (options.contrasts?.length ? '<a href="contrasts.csv">contrasts.csv</a>, ' : "") +
      (options.parzen ? '<a href="parzen_table.csv">parzen_table.csv</a>, ' : "") +
      (options.quality ? '<a href="quality_table.csv">quality_table.csv</a>, ' : "") +
      '<a href="tables.tex">tables.tex</a>.</p></footer>',
  );
  return htmlPage(title, out.join("\n"));
}
