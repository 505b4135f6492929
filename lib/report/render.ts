/**
 * Renders Vega-Lite specs to SVG text, headless (no canvas, no browser).
 *
 * @module
 */
import { compileVegaLite as compile, type TopLevelSpec, vega } from "../deps.ts";

/**
 * Compiles a Vega-Lite spec to Vega and renders it to an SVG document, with
 * the coordinates of its geometry rounded to 1/100 px (vega writes 14
 * digits; a chart of thousands of points is then several times larger than
 * it needs to be, and no one can see the difference).
 *
 * @param vlSpec A Vega-Lite spec with its data inlined.
 * @returns The SVG markup, starting with `<svg`.
 */
export async function renderSvg(vlSpec: TopLevelSpec): Promise<string> {
  const { spec } = compile(vlSpec);
  const view = new vega.View(vega.parse(spec), { renderer: "none" });
  try {
    return compactSvg(await view.toSVG());
  } finally {
    view.finalize();
  }
}

/** Geometry attributes whose numbers are rounded; text is never touched. */
const GEOMETRY = /\b(transform|d|x|y|x1|x2|y1|y2|width|height|cx|cy|r)="([^"]*)"/g;

/**
 * Rounds the numbers in an SVG's geometry attributes to 2 decimals
 * (`transform`, `d`, positions and sizes), leaving text and labels as they are.
 *
 * @param svg SVG markup.
 * @returns The same drawing, smaller.
 */
export function compactSvg(svg: string): string {
  return svg.replace(
    GEOMETRY,
    (_m, name: string, value: string) =>
      `${name}="${
        value.replace(/-?\d+\.\d{3,}(?:e-?\d+)?/g, (n) => {
          const r = Number(Number(n).toFixed(2));
          return String(Object.is(r, -0) ? 0 : r);
        })
      }"`,
  );
}
