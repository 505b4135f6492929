/**
 * Charts of what the generators produced, from the `samples.csv` a finished
 * run leaves: for 1-D Gaussian data a density chart (histogram of the
 * generator's samples against the true N(mean, std²) curve) and for 2-D
 * mixtures a scatter of the samples over the mode centres. One seed per
 * configuration (the first `done` run that has samples), one panel per
 * configuration.
 *
 * @module
 */
import type { TopLevelSpec } from "../deps.ts";
import type { Aggregate } from "./aggregate.ts";
import type { Chart, ChartOptions } from "./charts.ts";
import { VEGA_LITE_SCHEMA } from "./charts.ts";
import { normalPdf } from "../metrics/gaussian_1d.ts";
import {
  facet,
  type Panel,
  panels,
  readDiscriminator,
  sameTruth,
  seedNote,
} from "./sample_panels.ts";

/** Options for {@link sampleCharts}. */
export interface SampleChartOptions extends Pick<ChartOptions, "width"> {
  /** At most this many configurations get a panel (default 16; the first ones in plan order). */
  maxPanels?: number;
  /** At most this many points per scatter panel (default 500, evenly thinned). */
  maxPoints?: number;
  /** Histogram bins of a density panel (default 40). */
  bins?: number;
}

function quantile(sorted: number[], p: number): number {
  const i = Math.min(sorted.length - 1, Math.max(0, Math.round(p * (sorted.length - 1))));
  return sorted[i];
}

/**
 * Density chart for 1-D Gaussian configurations: per panel, a histogram of
 * one run's generator samples (as a density) and the true normal density.
 * The x range covers mean ± 4 std and the central 99% of the samples.
 *
 * @param agg The aggregated sweep (run records carry their directories).
 * @param options Panels, bins, width.
 * @returns The chart, or null without 1-D configurations that have samples.
 */
export function densityChart(agg: Aggregate, options: SampleChartOptions = {}): Chart | null {
  const [ps, eligible] = panels(agg, "gaussian-1d", options.maxPanels ?? 16);
  if (ps.length === 0) return null;
  const bins = options.bins ?? 40;
  const values: Record<string, unknown>[] = [];
  let outside = 0;
  for (const p of ps) {
    if (p.truth.kind !== "gaussian-1d") continue;
    const { mean, std } = p.truth;
    const sorted = [...p.samples.x].sort((a, b) => a - b);
    const lo = Math.min(mean - 4 * std, quantile(sorted, 0.005));
    const hi = Math.max(mean + 4 * std, quantile(sorted, 0.995));
    const width = (hi - lo) / bins;
    const counts = new Array<number>(bins).fill(0);
    for (const x of sorted) {
      const b = Math.floor((x - lo) / width);
      if (b >= 0 && b < bins) counts[b]++;
      else if (x === hi) counts[bins - 1]++;
      else outside++;
    }
    const n = sorted.length;
    const label = p.config.label;
    counts.forEach((c, b) => {
      values.push({
        label,
        series: "generator samples",
        x: lo + b * width,
        x2: lo + (b + 1) * width,
        density: c / (n * width),
      });
    });
    const points = 120;
    for (let i = 0; i <= points; i++) {
      const x = lo + ((hi - lo) * i) / points;
      values.push({
        label,
        series: `p_data = N(${mean}, ${std}²)`,
        x,
        density: normalPdf(x, mean, std),
      });
    }
  }
  const shared = sameTruth(ps);
  const width = options.width ?? 240;
  const subtitle = [
    "histogram of generator samples (bars) against the true density (line)",
    seedNote(ps.length, eligible) +
    (outside ? `; ${outside} samples outside the plotted range left out` : ""),
  ];
  return {
    name: "samples-density",
    metric: "samples",
    title: "Generator samples against p_data",
    spec: {
      $schema: VEGA_LITE_SCHEMA,
      title: { text: "Generator samples against p_data", subtitle, subtitlePadding: 4 },
      data: { values },
      facet: facet(ps),
      columns: Math.min(4, ps.length),
      spec: {
        width,
        height: Math.round(width * 0.6),
        layer: [
          {
            transform: [{ filter: "datum.series === 'generator samples'" }],
            mark: { type: "rect", opacity: 0.55, color: "#4c78a8" },
            encoding: {
              x: { field: "x", type: "quantitative", title: "x", scale: { zero: false } },
              x2: { field: "x2" },
              y: { field: "density", type: "quantitative", title: "density" },
            },
          },
          {
            transform: [{ filter: "datum.series !== 'generator samples'" }],
            mark: { type: "line", color: "#e45756", strokeWidth: 2 },
            encoding: {
              x: { field: "x", type: "quantitative", title: "x" },
              y: { field: "density", type: "quantitative", title: "density" },
            },
          },
        ],
      },
      resolve: { scale: { x: shared ? "shared" : "independent", y: "independent" } },
    } as unknown as TopLevelSpec,
  };
}

/**
 * Scatter chart for 2-D mixture configurations: per panel, one run's
 * generator samples (thinned evenly to `maxPoints`) with the mode centres
 * drawn on top.
 *
 * @param agg The aggregated sweep (run records carry their directories).
 * @param options Panels, points per panel, width.
 * @returns The chart, or null without mixture configurations that have samples.
 */
export function scatterChart(agg: Aggregate, options: SampleChartOptions = {}): Chart | null {
  const [ps, eligible] = panels(agg, "mixture", options.maxPanels ?? 16);
  if (ps.length === 0) return null;
  const maxPoints = options.maxPoints ?? 500;
  const values: Record<string, unknown>[] = [];
  for (const p of ps) {
    if (p.truth.kind !== "mixture") continue;
    const label = p.config.label;
    const n = p.samples.x.length;
    const stride = Math.max(1, n / maxPoints);
    for (let i = 0; i < n; i += stride) {
      const j = Math.floor(i);
      values.push({ label, series: "generator samples", x: p.samples.x[j], y: p.samples.y[j] });
    }
    for (const [x, y] of p.truth.centres) values.push({ label, series: "mode centres", x, y });
  }
  const shared = sameTruth(ps);
  const width = options.width ?? 220;
  const axis = (field: string) => ({
    field,
    type: "quantitative",
    title: field,
    scale: { zero: false, nice: true },
  });
  return {
    name: "samples-scatter",
    metric: "samples",
    title: "Generator samples over the mode centres",
    spec: {
      $schema: VEGA_LITE_SCHEMA,
      title: {
        subtitlePadding: 4,
        text: "Generator samples over the mode centres",
        subtitle: [
          "generator samples (dots) over the centres of the true modes (crosses)",
          `${seedNote(ps.length, eligible)}; up to ${maxPoints} samples per panel`,
        ],
      },
      data: { values },
      facet: facet(ps),
      columns: Math.min(4, ps.length),
      spec: {
        width,
        height: width,
        encoding: {
          x: axis("x"),
          y: axis("y"),
          color: {
            field: "series",
            type: "nominal",
            title: null,
            scale: {
              domain: ["generator samples", "mode centres"],
              range: ["#4c78a8", "#e45756"],
            },
          },
        },
        // Centres first (underneath), so samples sitting on a centre stay visible.
        layer: [
          {
            transform: [{ filter: "datum.series === 'mode centres'" }],
            mark: { type: "point", shape: "cross", size: 160, filled: false, strokeWidth: 1.5 },
          },
          {
            transform: [{ filter: "datum.series === 'generator samples'" }],
            // No per-point aria label: thousands of them would make the SVG huge.
            mark: { type: "circle", size: 10, opacity: 0.5, aria: false },
          },
        ],
      },
      resolve: {
        scale: { x: shared ? "shared" : "independent", y: shared ? "shared" : "independent" },
      },
    } as unknown as TopLevelSpec,
  };
}

/**
 * D against D* for 1-D Gaussian configurations (Figure 1 and Proposition 1
 * of the paper): per panel, one run's final D(x) and the optimal
 * D*(x) = p_data / (p_data + p_g) on the grid over p_data's mean +- 3 sd.
 *
 * @param agg The aggregated sweep (run records carry their directories).
 * @param options Panels and width.
 * @returns The chart, or null without 1-D runs that left `discriminator.csv`.
 */
export function discriminatorChart(agg: Aggregate, options: SampleChartOptions = {}): Chart | null {
  const [ps, eligible] = panels(agg, "gaussian-1d", options.maxPanels ?? 16);
  const values: Record<string, unknown>[] = [];
  const shown: Panel[] = [];
  for (const p of ps) {
    const rows = readDiscriminator(p.run.record!.dir);
    if (!rows) continue;
    shown.push(p);
    for (const r of rows) {
      values.push({ label: p.config.label, series: "D(x)", x: r.x, value: r.d });
      values.push({ label: p.config.label, series: "D*(x)", x: r.x, value: r.dStar });
    }
  }
  if (shown.length === 0) return null;
  const width = options.width ?? 240;
  const title = "The discriminator against the optimal D*";
  return {
    name: "discriminator",
    metric: "dstar_err",
    title,
    spec: {
      $schema: VEGA_LITE_SCHEMA,
      title: {
        subtitlePadding: 4,
        text: title,
        subtitle: [
          "D(x) at the end of training and D*(x) = p_data / (p_data + p_g); both are 1/2 where p_g = p_data",
          seedNote(shown.length, eligible),
        ],
      },
      data: { values },
      facet: facet(shown),
      columns: Math.min(4, shown.length),
      spec: {
        width,
        height: Math.round(width * 0.6),
        mark: { type: "line", strokeWidth: 2 },
        encoding: {
          x: { field: "x", type: "quantitative", title: "x", scale: { zero: false } },
          y: {
            field: "value",
            type: "quantitative",
            title: "probability x is real",
            scale: { domain: [0, 1] },
          },
          color: { field: "series", type: "nominal", title: null },
          strokeDash: { field: "series", type: "nominal", title: null },
        },
      },
      resolve: { scale: { x: sameTruth(shown) ? "shared" : "independent" } },
    } as unknown as TopLevelSpec,
  };
}

/**
 * The sample charts of a report: density and D against D* for 1-D Gaussian
 * configurations, scatter for 2-D mixtures, each only where runs left their
 * files.
 *
 * @param agg The aggregated sweep.
 * @param options Panels, points, bins, width.
 * @returns Zero to three charts.
 */
export function sampleCharts(agg: Aggregate, options: SampleChartOptions = {}): Chart[] {
  return [
    densityChart(agg, options),
    discriminatorChart(agg, options),
    scatterChart(agg, options),
  ].filter((c): c is Chart => c !== null);
}
