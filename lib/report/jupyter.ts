/**
 * Showing a report's charts in a Deno Jupyter notebook (`deno jupyter`):
 * the Vega-Lite spec for JupyterLab's renderer, with the SVG as fallback.
 *
 * @module
 */
import { VEGA_LITE_SCHEMA } from "./charts.ts";

/** The Vega-Lite version JupyterLab renders (its MIME type names v5). */
export const VEGA_LITE_V5_SCHEMA = "https://vega.github.io/schema/vega-lite/v5.json";

/** The MIME type of a Vega-Lite v5 spec in a notebook. */
export const VEGA_LITE_V5_MIME = "application/vnd.vegalite.v5+json";

/** A chart to show: a spec and, optionally, its SVG. */
export interface DisplayableChart {
  /** The Vega-Lite spec (v6, as the report writes it). */
  spec: unknown;
  /** The rendered SVG, shown where Vega-Lite is not (e.g. a static notebook view). */
  svg?: string | null;
}

/** The part of `Deno.jupyter` used here. */
export interface JupyterLike {
  display(bundle: Record<string, unknown>, options?: { raw?: boolean }): unknown;
}

/**
 * `Deno.jupyter` inside a kernel; null outside (there, accessing it throws).
 *
 * @returns The Jupyter namespace, or null.
 */
export function jupyterKernel(): JupyterLike | null {
  try {
    const j = (Deno as unknown as { jupyter?: JupyterLike }).jupyter;
    return j && typeof j.display === "function" ? j : null;
  } catch {
    return null;
  }
}

/**
 * The MIME bundle of a chart: a copy of its spec marked Vega-Lite v5 (the
 * original is left as it is) and its SVG when there is one.
 *
 * @param chart The chart.
 * @returns MIME type -> content.
 */
export function chartBundle(chart: DisplayableChart): Record<string, unknown> {
  const spec = structuredClone(chart.spec) as Record<string, unknown>;
  if (spec.$schema === undefined || spec.$schema === VEGA_LITE_SCHEMA) {
    spec.$schema = VEGA_LITE_V5_SCHEMA;
  }
  const bundle: Record<string, unknown> = { [VEGA_LITE_V5_MIME]: spec };
  if (chart.svg) bundle["image/svg+xml"] = chart.svg;
  return bundle;
}

/**
 * Shows a chart in the notebook when running inside a Jupyter kernel.
 *
 * @param chart A chart from `loadReport(dir).charts` (or any spec + SVG).
 * @param kernel The kernel to display in (default `Deno.jupyter` when available; for tests).
 * @returns True when the chart was displayed, false outside a kernel.
 */
export function displayChart(
  chart: DisplayableChart,
  kernel: JupyterLike | null = jupyterKernel(),
): boolean {
  if (!kernel) return false;
  kernel.display(chartBundle(chart), { raw: true });
  return true;
}
