/**
 * The building blocks of the report's HTML pages (`report.html` of one
 * study and of a comparison): escaping, the inlined CSS, the page shell,
 * tables, SVG ids made unique per chart, and base64 for `data:` URIs.
 *
 * @module
 */

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
  margin: 0 auto; max-width: 1200px; padding: 1.5rem; color: #1f2328; line-height: 1.45; }
.table-wrap { max-width: 100%; overflow-x: auto; margin: .6rem 0; }
.table-wrap > table { margin: 0; }
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
td.effect { font-variant-numeric: tabular-nums; white-space: nowrap; }
td.text { min-width: 16rem; }
.verdict-big { font-size: 1.05rem; padding: .1rem .5rem; border-radius: 4px; }
.verdict { font-weight: bold; text-align: center; white-space: nowrap; }
.verdict-PASS { background: #dafbe1; color: #116329; }
.verdict-FAIL { background: #ffebe9; color: #a40e26; }
.verdict-INCONCLUSIVE { background: #fff8c5; color: #7d4e00; }
.note { color: #57606a; font-size: .9rem; }
.warn { background: #fff8c5; border: 1px solid #d4a72c; padding: .4rem .7rem; border-radius: 4px; }
figure.chart { margin: 1rem 0 2rem; overflow-x: auto; }
figure.chart svg, figure.chart img.chart { max-width: 100%; height: auto; display: block; }
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
 * An HTML table in a `div.table-wrap` that scrolls sideways when the table
 * is wider than the page (never cut off); cells are HTML already (escape
 * text with {@link escapeHtml}).
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
    '<div class="table-wrap">',
    `<table${cls ? ` class="${cls}"` : ""}>`,
    `<thead><tr>${header.map((h) => `<th>${escapeHtml(h)}</th>`).join("")}</tr></thead>`,
    "<tbody>",
    ...rows.map((r) => `<tr>${r.map(cell).join("")}</tr>`),
    "</tbody>",
    "</table>",
    "</div>",
  ].join("\n");
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
