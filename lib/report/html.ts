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

/** Options for {@link reportHtml}. */
export interface HtmlOptions extends SectionOptions {
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
    '<nav><a href="#claims">Claims</a>' +
      (options.parzen ? '<a href="#parzen">Parzen table</a>' : "") +
      (options.quality ? '<a href="#quality">Sample quality</a>' : "") +
      '<a href="#runs">Runs</a><a href="#training">Training</a><a href="#summary">Summary</a>' +
      '<a href="#charts">Charts</a>' +
      (figures ? '<a href="#samples">Samples</a>' : "") + "</nav></header>",
  );

  const declared = exp.claims.map((c) => typeof c === "string" ? c : c.id);
  out.push(
    '<section id="claims">',
    "<h2>Claims</h2>",
    claimsHtml(options.claims ?? [], declared),
    "</section>",
  );
  if (options.parzen) {
    out.push(
      '<section id="parzen">',
      `<h2>Parzen-window log-likelihood (${escapeHtml(PAPER_PARZEN_TABLE.source)})</h2>`,
      parzenHtml(options.parzen),
      "</section>",
    );
  }
  if (options.quality) {
    out.push(
      '<section id="quality">',
      "<h2>Sample quality and memorisation</h2>",
      qualityHtml(options.quality),
      "</section>",
    );
  }

  out.push('<section id="runs">', "<h2>Runs</h2>");
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
  if (missing.length) {
    out.push('<h3 id="missing">Missing</h3>', runList(missing, limit));
  }
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
  out.push('<section id="training">', trainingHtml(agg, options.claims ?? []), "</section>");

  const metrics = summaryMetrics(agg, options.metrics);
  const summary = summaryText(agg, metrics);
  const nAxes = summary.header.length - metrics.length - 1;
  out.push('<section id="summary">', "<h2>Summary</h2>");
  out.push(htmlTable(
    summary.header,
    summary.rows.map((r) =>
      r.map((c, i) => (i < nAxes ? escapeHtml(c) : { html: escapeHtml(c), cls: "num" }))
    ),
    "summary",
  ));
  out.push(`<p class="note">${inlineHtml(SUMMARY_NOTE)}</p>`);
  if (metrics.length) {
    out.push(
      `<ul class="note">${
        metrics.map((m) => `<li><code>${escapeHtml(m)}</code>: ${escapeHtml(metricTitle(m))}</li>`)
          .join("")
      }</ul>`,
    );
  } else out.push('<p class="note">No run has finished <code>done</code> yet.</p>');
  out.push("</section>");

  out.push('<section id="charts">', "<h2>Charts</h2>");
  if (charts.length === 0) {
    out.push('<p class="note">No charts: no finished run has metrics to plot yet.</p>');
  }
  charts.forEach((c, i) => out.push(chartFigure(c, i)));
  out.push("</section>");
  if (figures) {
    out.push('<section id="samples">', "<h2>Samples (Figure 2)</h2>", figuresHtml(figures));
    out.push("</section>");
  }
  out.push(
    '<footer class="note"><p>Tables: <a href="runs.csv">runs.csv</a>, ' +
      '<a href="summary.csv">summary.csv</a>, <a href="curves.csv">curves.csv</a>, ' +
      '<a href="claims.json">claims.json</a>, ' +
      (options.parzen ? '<a href="parzen_table.csv">parzen_table.csv</a>, ' : "") +
      (options.quality ? '<a href="quality_table.csv">quality_table.csv</a>, ' : "") +
      '<a href="tables.tex">tables.tex</a>.</p></footer>',
  );
  return htmlPage(title, out.join("\n"));
}
