/**
 * The sections of the report's HTML pages: the claims table, the notes, the
 * Parzen table, the sample figures (embedded as `data:` URIs) and one chart
 * as a figure with its SVG inlined.
 *
 * @module
 */
import type { ClaimResult } from "../claims/types.ts";
import type { Chart } from "./charts.ts";
import { claimRows } from "./claims_table.ts";
import { figuresNote, type SampleFigures } from "./figures.ts";
import { formatNumber4 } from "../analysis/format.ts";
import { base64, escapeHtml, htmlTable, inlineHtml, prefixSvgIds } from "./html_page.ts";
import { PARZEN_NOTE, type ParzenTable } from "./parzen_table.ts";
import { QUALITY_HEADER, QUALITY_NOTE, qualityCells, type QualityTable } from "./quality.ts";

/** A chart with its rendered SVG (null when SVG was not rendered). */
export interface RenderedChart {
  chart: Chart;
  svg: string | null;
  /** Whether `charts/<name>.png` was written beside the report. */
  png?: boolean;
  /** Whether `charts/<name>.pdf` was written beside the report. */
  pdf?: boolean;
  /** A PNG to embed instead of the SVG, when that is much smaller (charts of many points). */
  embedPng?: Uint8Array;
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
 * The sample-quality table: per configuration and metric, mean [95% CI]
 * beside the held-out reference and the sample counts.
 *
 * @param table The quality table.
 * @returns HTML: the table and the note under it.
 */
export function qualityHtml(table: QualityTable): string {
  const num = (c: string) => ({ html: escapeHtml(c), cls: "num" });
  const rows = qualityCells(table).map((r) => [
    escapeHtml(r[0]),
    escapeHtml(r[1]),
    num(r[2]),
    num(r[3]),
    num(r[4]),
    escapeHtml(r[5]),
  ]);
  return [
    htmlTable(QUALITY_HEADER.map(escapeHtml), rows, "quality"),
    `<p class="note">${inlineHtml(QUALITY_NOTE)} All rows are in ` +
    '<a href="quality_table.csv">quality_table.csv</a>.</p>',
  ].join("\n");
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
    '<div class="table-wrap"><table class="parzen">',
    `<thead><tr>${header.map((h) => `<th>${escapeHtml(h)}</th>`).join("")}</tr></thead>`,
    "<tbody>",
    ...rows,
    "</tbody>",
    "</table></div>",
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
  if (r.pdf) links.push(`<a href="${base}/${escapeHtml(name)}.pdf">PDF</a>`);
  if (r.embedPng && r.svg) links.unshift(`<a href="${base}/${escapeHtml(name)}.svg">SVG</a>`);
  const body = r.embedPng
    ? `<img class="chart" src="data:image/png;base64,${base64(r.embedPng)}" alt="${
      escapeHtml(title)
    }">`
    : r.svg
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
