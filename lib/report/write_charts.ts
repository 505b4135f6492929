/**
 * Writing charts to a report's `charts/` folder: the Vega-Lite spec, the SVG
 * and the PNG of each, and removing the chart files of an earlier build
 * whose chart is gone.
 *
 * @module
 */
import { readdirSync, rmSync } from "node:fs";
import { join } from "node:path";
import type { FolderWriter } from "../io/mod.ts";
import type { Chart } from "./charts.ts";
import type { RenderedChart } from "./html_sections.ts";
import { PngRenderer } from "./png.ts";
import { renderSvg } from "./render.ts";
import { svgToPdf } from "./pdf.ts";

/** Chart files this module writes; those of an earlier build whose chart is gone are removed. */
const OWN_CHART = /^(final|curve|samples)-.+\.(vl\.json|svg|png|pdf)$/;

/** SVGs longer than this (characters) are candidates for a PNG in report.html. */
const LARGE_SVG = 300_000;

/** Options for {@link renderCharts}. */
export interface RenderChartsOptions {
  /** Render each chart to SVG (default true). */
  svg?: boolean;
  /** Render each chart to PNG through resvg (default true; needs `svg`). */
  png?: boolean;
  /** PNG pixels per SVG pixel (default 2). */
  pngScale?: number;
  /** Convert each chart's SVG to PDF with rsvg-convert (default true; needs `svg`). */
  pdf?: boolean;
}

/** What {@link renderCharts} wrote. */
export interface RenderChartsResult {
  /** The charts with their SVG (null when off) and whether a PNG was written. */
  charts: RenderedChart[];
  /** Whether PNGs were written (false when off or when resvg could not load). */
  png: boolean;
  /** Whether PDFs were written (false when off or when rsvg-convert is unavailable). */
  pdf: boolean;
}

/**
 * Writes each chart under `charts/` of the report folder as `<name>.vl.json`,
 * `.svg`, `.png` and `.pdf` (through rsvg-convert, skipped with a warning
 * where it is missing), and removes chart files of earlier builds whose chart is gone.
 * PNGs rasterise in a worker while the next SVG renders; a PNG that fails
 * is left out with a warning and never fails the report.
 *
 * @param charts The charts.
 * @param out The report folder's writer (it lists the files written).
 * @param options Which formats (SVG, PNG) and the PNG scale.
 * @returns The charts with their SVG, and whether PNGs were written.
 */
export async function renderCharts(
  charts: readonly Chart[],
  out: FolderWriter,
  options: RenderChartsOptions = {},
): Promise<RenderChartsResult> {
  const svg = options.svg ?? true;
  const kept = new Set<string>();
  const write = (name: string, data: string | Uint8Array) => {
    out.write(join("charts", name), data);
    kept.add(name);
  };
  const rendered: RenderedChart[] = [];
  const pngs: (Promise<Uint8Array | null> | null)[] = [];
  const pdfs: (Promise<Uint8Array | null> | null)[] = [];
  const wantPdf = (options.pdf ?? true) && svg && charts.length > 0;
  // PNGs rasterise in a worker while this thread renders the next SVG.
  const raster = (options.png ?? true) && svg && charts.length ? new PngRenderer() : null;
  let png = raster !== null;
  let pdf = wantPdf;
  try {
    for (const chart of charts) {
      write(`${chart.name}.vl.json`, JSON.stringify(chart.spec, null, 2) + "\n");
      const r: RenderedChart = { chart, svg: null, png: false };
      if (svg) {
        r.svg = await renderSvg(chart.spec);
        write(`${chart.name}.svg`, r.svg);
      }
      pngs.push(
        raster && r.svg ? raster.render(r.svg, { scale: options.pngScale }, chart.name) : null,
      );
      pdfs.push(wantPdf && r.svg ? svgToPdf(r.svg) : null);
      // A chart of thousands of points is smaller as a picture: report.html
      // embeds this PNG instead of the SVG when its data URI is shorter.
      if (raster && r.svg && r.svg.length > LARGE_SVG) {
        const bytes = await raster.render(r.svg, { scale: 1.25 }, chart.name);
        if (bytes && Math.ceil(bytes.length / 3) * 4 < r.svg.length) r.embedPng = bytes;
      }
      rendered.push(r);
    }
    for (const [i, pending] of pngs.entries()) {
      const bytes = pending ? await pending : null;
      if (bytes) {
        write(`${charts[i].name}.png`, bytes);
        rendered[i].png = true;
      } else png = false;
    }
    for (const [i, pending] of pdfs.entries()) {
      const bytes = pending ? await pending : null;
      if (bytes) {
        write(`${charts[i].name}.pdf`, bytes);
        rendered[i].pdf = true;
      } else pdf = false;
    }
  } finally {
    raster?.close();
  }
  removeStaleCharts(join(out.dir, "charts"), kept);
  return { charts: rendered, png, pdf };
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
