/**
 * `report.html`: the whole report as one self-contained HTML5 page. The CSS
 * is inlined, every chart's SVG is embedded and the sample figures of image
 * runs are `data:image/png` URIs, so the page shows everything from a
 * file:// URL with no network and no other file; links to the Vega-Lite
 * specs, PNGs and copied figures beside it are extras.
 *
 * @module
 */
import type { ClaimResult } from "../claims/types.ts";
import type { Experiment } from "../spec/experiment.ts";
import type { Aggregate } from "./aggregate.ts";
import type { Chart } from "./charts.ts";
import { claimRows } from "./claims_table.ts";
import { figuresNote, type SampleFigures } from "./figures.ts";
import { formatNumber4 } from "../analysis/format.ts";
import { metricTitle } from "../analysis/labels.ts";
import { PAPER_PARZEN_TABLE, PARZEN_NOTE, type ParzenTable } from "./parzen_table.ts";
import {
  problemRuns,
  type RunLine,
  stateCounts,
  SUMMARY_NOTE,
  summaryMetrics,
  summaryText,
  unfinishedRuns,
} from "./sections.ts";

/** A chart with its rendered SVG (null when SVG was not rendered). */
export interface RenderedChart {
  chart: Chart;
  svg: string | null;
  /** Whether `charts/<name>.png` was written beside the report. */
  png?: boolean;
}

/** Options for {@link reportHtml}. */
export interface HtmlOptions {
  /** Checked claims (default none). */
  claims?: readonly ClaimResult[];
  /** Metrics in the summary table, when present (default the metrics of interest). */
  metrics?: readonly string[];
  /** At most this many runs are listed per section (default 200). */
  listLimit?: number;
  /** Notes shown at the top, e.g. that the runs used a shortened budget (default none). */
  notes?: readonly string[];
  /** The Parzen table, when runs logged `parzen_ll` (default none). */
  parzen?: ParzenTable | null;
  /** Sample figures, embedded as data: URIs (default none). */
  figures?: SampleFigures | null;
}

/**
 * Escapes text for HTML element content and attribute values.
 *
 * @param text Any text.
 * @returns The text with `& < > " '` escaped.
 */
export function escapeHtml(text: string): string {
  return text.replaceAll("&", "&amp;").replaceAll("<", "&lt;").replaceAll(">", "&gt;")
    .replaceAll('"', "&quot;").replaceAll("'", "&#39;");
}

/**
 * Escapes text for HTML and turns markdown `code` spans into <code>.
 *
 * @param text Any text.
 * @returns HTML.
 */
export function inlineHtml(text: string): string {
  return escapeHtml(text).replace(/`([^`]+)`/g, "<code>$1</code>");
}

/**
 * Makes the ids inside an SVG unique within a page (several charts inlined
 * in one document must not share clip-path or gradient ids).
 *
 * @param svg The SVG markup.
 * @param prefix A prefix unique to this chart.
 * @returns The markup with `id`, `url(#…)` and `href="#…"` references prefixed.
 */
export function prefixSvgIds(svg: string, prefix: string): string {
  return svg
    .replace(/\bid="([^"]+)"/g, `id="${prefix}$1"`)
    .replace(/url\(#([^)]+)\)/g, `url(#${prefix}$1)`)
    .replace(/(\b(?:xlink:)?href)="#([^"]+)"/g, `$1="#${prefix}$2"`);
}

/** The page's CSS: readable tables, coloured verdicts, charts that fit the page. */
export const REPORT_CSS = `
:root { color-scheme: light; }
body { font-family: "DejaVu Sans", system-ui, -apple-system, "Segoe UI", sans-serif;
  margin: 0 auto; max-width: 1100px; padding: 1.5rem; color: #1f2328; line-height: 1.45; }
h1 { font-size: 1.7rem; margin: 0 0 .5rem; }
h2 { font-size: 1.3rem; margin-top: 2rem; border-bottom: 1px solid #d0d7de; padding-bottom: .2rem; }
h3 { font-size: 1.05rem; }
nav a { margin-right: 1rem; }
code { font-family: "DejaVu Sans Mono", ui-monospace, monospace; font-size: .9em;
  background: #f4f6f8; padding: 0 .2em; border-radius: 3px; }
table { border-collapse: collapse; margin: .6rem 0; font-size: .92rem; }
th, td { border: 1px solid #d0d7de; padding: .3rem .55rem; text-align: left; vertical-align: top; }
th { background: #f4f6f8; }
td.num { text-align: right; font-variant-numeric: tabular-nums; white-space: nowrap; }
td.effect { font-variant-numeric: tabular-nums; }
.verdict { font-weight: bold; text-align: center; white-space: nowrap; }
.verdict-PASS { background: #dafbe1; color: #116329; }
.verdict-FAIL { background: #ffebe9; color: #a40e26; }
.verdict-INCONCLUSIVE { background: #fff8c5; color: #7d4e00; }
.note { color: #57606a; font-size: .9rem; }
.warn { background: #fff8c5; border: 1px solid #d4a72c; padding: .4rem .7rem; border-radius: 4px; }
figure.chart { margin: 1rem 0 2rem; overflow-x: auto; }
figure.chart svg { max-width: 100%; height: auto; display: block; }
figcaption { font-weight: bold; margin-bottom: .4rem; }
figure.samples { margin: 1rem 0 1.5rem; overflow-x: auto; }
figure.samples img { max-width: 100%; height: auto; image-rendering: pixelated; display: block; }
figure.samples figcaption { font-weight: normal; }
tr.ours td { background: #f0f6ff; }
ul.runs { font-size: .9rem; }
`;

/**
 * A whole HTML5 document with the report's CSS inlined.
 *
 * @param title The page title.
 * @param body The body's HTML.
 * @returns The document (trailing newline).
 */
export function htmlPage(title: string, body: string): string {
  return [
    "<!DOCTYPE html>",
    '<html lang="en">',
    "<head>",
    '<meta charset="utf-8">',
    '<meta name="viewport" content="width=device-width, initial-scale=1">',
    `<title>${escapeHtml(title)}</title>`,
    `<style>${REPORT_CSS}</style>`,
    "</head>",
    "<body>",
    body,
    "</body>",
    "</html>",
    "",
  ].join("\n");
}

/**
 * An HTML table; cells are HTML already (escape text with {@link escapeHtml}).
 *
 * @param header Header cells (text).
 * @param rows Body rows: HTML per cell, or `{ html, cls }` for a cell with a class.
 * @param cls A class for the table.
 * @returns The table's HTML.
 */
export function htmlTable(
  header: string[],
  rows: (string | { html: string; cls: string })[][],
  cls = "",
): string {
  const cell = (c: string | { html: string; cls: string }) =>
    typeof c === "string" ? `<td>${c}</td>` : `<td class="${c.cls}">${c.html}</td>`;
  return [
    `<table${cls ? ` class="${cls}"` : ""}>`,
    `<thead><tr>${header.map((h) => `<th>${escapeHtml(h)}</th>`).join("")}</tr></thead>`,
    "<tbody>",
    ...rows.map((r) => `<tr>${r.map(cell).join("")}</tr>`),
    "</tbody>",
    "</table>",
  ].join("\n");
}

/**
 * The claims table: claim, verdict (coloured, class `verdict-<VERDICT>`),
 * effect with its 95% interval, n, evidence.
 *
 * @param claims The checked claims.
 * @param declared Claim ids the study names (for the empty case).
 * @returns HTML.
 */
export function claimsHtml(
  claims: readonly ClaimResult[],
  declared: readonly string[] = [],
): string {
  if (claims.length === 0) {
    return `<p class="note">${
      declared.length
        ? `No verdicts in this report for the claims the study names (${
          declared.map((c) => `<code>${escapeHtml(c)}</code>`).join(", ")
        }).`
        : "This study names no claims."
    }</p>`;
  }
  const rows = claimRows(claims).map((r) => [
    `<code>${escapeHtml(r.id)}</code><br>${inlineHtml(r.title)}`,
    { html: escapeHtml(r.verdict), cls: `verdict verdict-${r.verdict}` },
    { html: escapeHtml(r.effect), cls: "effect" },
    { html: String(r.n), cls: "num" },
    inlineHtml(r.evidence),
  ]);
  return htmlTable(["claim", "verdict", "effect [95% CI]", "n", "evidence"], rows, "claims");
}

/**
 * The notes at the top of the page, one highlighted paragraph each.
 *
 * @param notes The notes (markdown `code` spans allowed).
 * @returns HTML (empty without notes).
 */
export function notesHtml(notes: readonly string[]): string {
  return notes.map((n) => `<p class="warn report-note"><strong>Note:</strong> ${inlineHtml(n)}</p>`)
    .join("\n");
}

/**
 * The Parzen-window table: own rows (class `ours`), then the paper's Table 1
 * rows, each as mean ± SE with n, source and what the SE is.
 *
 * @param table The Parzen table.
 * @returns HTML: the table and the notes under it.
 */
export function parzenHtml(table: ParzenTable): string {
  const rows = table.rows.map((r) => {
    const value = Number.isFinite(r.se)
      ? `${formatNumber4(r.mean)} ± ${formatNumber4(r.se)}`
      : formatNumber4(r.mean);
    const cells = [
      r.ours ? `<strong>${escapeHtml(r.model)}</strong>` : escapeHtml(r.model),
      `<td class="num">${escapeHtml(value)}</td>`,
      `<td class="num">${Number.isFinite(r.n) ? r.n : ""}</td>`,
      escapeHtml(r.source),
      escapeHtml(r.note),
    ].map((c) => c.startsWith("<td") ? c : `<td>${c}</td>`);
    return `<tr${r.ours ? ' class="ours"' : ""}>${cells.join("")}</tr>`;
  });
  const header = ["model", "log-likelihood (mean ± SE)", "n", "source", "note"];
  const out = [
    '<table class="parzen">',
    `<thead><tr>${header.map((h) => `<th>${escapeHtml(h)}</th>`).join("")}</tr></thead>`,
    "<tbody>",
    ...rows,
    "</tbody>",
    "</table>",
  ];
  if (!table.rows.some((r) => r.ours)) {
    out.push(
      `<p class="note">No run that finished <code>done</code> has a final ` +
        `<code>${escapeHtml(table.metric)}</code> yet.</p>`,
    );
  } else if (table.without) {
    out.push(
      `<p class="note">${table.without} configuration(s) have <code>${
        escapeHtml(table.metric)
      }</code> only from runs that did not finish <code>done</code> and are left out.</p>`,
    );
  }
  out.push(
    `<p class="note">${inlineHtml(PARZEN_NOTE)} All rows are in ` +
      '<a href="parzen_table.csv">parzen_table.csv</a>.</p>',
  );
  return out.join("\n");
}

/**
 * Base64 of bytes (for data: URIs).
 *
 * @param bytes Any bytes.
 * @returns Their standard base64 text.
 */
export function base64(bytes: Uint8Array): string {
  let binary = "";
  const chunk = 0x8000;
  for (let i = 0; i < bytes.length; i += chunk) {
    binary += String.fromCharCode(...bytes.subarray(i, i + chunk));
  }
  return btoa(binary);
}

/**
 * The sample figures, each image embedded as a `data:image/png` URI (so
 * the page needs no other file) and drawn at twice its pixel size, with a
 * caption naming the configuration and the seed and a link to the copy
 * under `figures/`.
 *
 * @param figs The figures.
 * @returns HTML (empty without figures).
 */
export function figuresHtml(figs: SampleFigures): string {
  if (figs.figures.length === 0) return "";
  const out = [`<p class="note">${inlineHtml(figuresNote(figs))}</p>`];
  for (const f of figs.figures) {
    out.push(`<h3>${escapeHtml(f.label)}</h3>`);
    for (const image of f.images) {
      const size = image.width > 0
        ? ` width="${image.width * 2}" height="${image.height * 2}"`
        : "";
      out.push(
        `<figure class="samples" id="figure-${escapeHtml(f.configId)}-${image.kind}" ` +
          `data-figure="${escapeHtml(image.file)}">`,
        `<img src="data:image/png;base64,${base64(image.bytes)}"${size} alt="${
          escapeHtml(`${f.label}, seed ${f.seed}: ${image.kind}`)
        }">`,
        `<figcaption>${inlineHtml(image.caption)} · <a href="${
          escapeHtml(image.file)
        }">PNG</a></figcaption>`,
        "</figure>",
      );
    }
  }
  return out.join("\n");
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

/**
 * One chart as a figure: its SVG inlined (ids made unique), and links to the
 * spec and PNG beside the report.
 *
 * @param r The chart and its SVG.
 * @param index Position on the page (makes ids unique).
 * @param base Path of the charts folder relative to the page (default `charts`).
 * @returns HTML.
 */
export function chartFigure(r: RenderedChart, index: number, base = "charts"): string {
  const { name, title } = r.chart;
  const links = [`<a href="${base}/${escapeHtml(name)}.vl.json">Vega-Lite spec</a>`];
  if (r.png) links.push(`<a href="${base}/${escapeHtml(name)}.png">PNG</a>`);
  const body = r.svg
    ? prefixSvgIds(r.svg.trim(), `c${index}-`)
    : `<p class="note">Not rendered (SVG off); open the spec.</p>`;
  return [
    `<figure class="chart" id="chart-${escapeHtml(name)}" data-chart="${escapeHtml(name)}">`,
    `<figcaption>${escapeHtml(title)}</figcaption>`,
    body,
    `<p class="note">${links.join(" · ")}</p>`,
    "</figure>",
  ].join("\n");
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
  if (options.notes?.length) out.push(notesHtml(options.notes));
  if (exp.description) out.push(`<p>${inlineHtml(exp.description)}</p>`);
  out.push(
    `<p>Experiment <code>${escapeHtml(exp.name)}</code>: ${agg.configs.length} ` +
      `configuration(s) × ${exp.seeds.length} seed(s) = ${planned} planned run(s).` +
      (agg.axes.length
        ? ` Swept: ${agg.axes.map((a) => `<code>${escapeHtml(a)}</code>`).join(", ")}.`
        : "") +
      "</p>",
    '<nav><a href="#claims">Claims</a>' +
      (options.parzen ? '<a href="#parzen">Parzen table</a>' : "") +
      '<a href="#runs">Runs</a><a href="#summary">Summary</a><a href="#charts">Charts</a>' +
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
  out.push("</section>");

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
      '<a href="tables.tex">tables.tex</a>.</p></footer>',
  );
  return htmlPage(title, out.join("\n"));
}
