/**
 * Renders Vega-Lite specs to SVG text, headless (no canvas, no browser).
 *
 * @module
 */
import { compileVegaLite as compile, type TopLevelSpec, vega } from "../deps.ts";

/**
 * Compiles a Vega-Lite spec to Vega and renders it to an SVG document.
 *
 * @param vlSpec A Vega-Lite spec with its data inlined.
 * @returns The SVG markup, starting with `<svg`.
 */
export async function renderSvg(vlSpec: TopLevelSpec): Promise<string> {
  const { spec } = compile(vlSpec);
  const view = new vega.View(vega.parse(spec), { renderer: "none" });
  try {
    return await view.toSVG();
  } finally {
    view.finalize();
  }
}
