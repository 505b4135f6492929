/**
 * The sample-quality section of a report (runs with `quality`): one row per
 * configuration and metric with the mean and 95% interval across the seeds
 * that finished `done`, beside the held-out reference (held-out real data
 * against the training data at the same sample count: the value a
 * generator that samples the data itself would reach) and the sample
 * counts the values were computed from; and the memorisation figure: per
 * configuration, the distribution of each sample's distance to its nearest
 * training image against the same for held-out images (pooled over seeds,
 * from each run's `nn_distances.csv`). `quality_table.csv`, `report.md`
 * and `report.html` show them.
 *
 * @module
 */
import { existsSync, readFileSync } from "node:fs";
import type { TopLevelSpec } from "../deps.ts";
import type { Aggregate, Table } from "./aggregate.ts";
import type { Chart } from "./charts.ts";
import { VEGA_LITE_SCHEMA } from "./charts.ts";
import { runPaths } from "../sweep/store.ts";
import { parseCsv } from "../io/csv.ts";
import { formatNumber4 } from "../analysis/format.ts";
import { metricInfo } from "../metrics/registry.ts";

/** The metrics of the quality table, in order, and whether each has a held-out reference. */
export const QUALITY_TABLE_METRICS: readonly { metric: string; reference: boolean }[] = [
  { metric: "fid", reference: true },
  { metric: "kid", reference: true },
  { metric: "precision", reference: true },
  { metric: "recall", reference: true },
  { metric: "density", reference: true },
  { metric: "coverage", reference: true },
  { metric: "inception_score", reference: true },
  { metric: "mem_copy_share", reference: false },
  { metric: "mem_ratio", reference: false },
];

/** One configuration and metric. */
export interface QualityRow {
  /** The configuration's label. */
  config: string;
  metric: string;
  /** Mean over the done runs' final values. */
  mean: number;
  ci95Low: number;
  ci95High: number;
  /** Seeds behind the mean. */
  n: number;
  /** Mean of the final `<metric>_heldout` (NaN when the metric has none). */
  heldout: number;
  /** The counts the values came from (the first done run's; "" when absent). */
  counts: string;
}

/** The quality table. */
export interface QualityTable {
  rows: QualityRow[];
}

/** Columns of `quality_table.csv`. */
export const QUALITY_COLUMNS: readonly string[] = [
  "config",
  "metric",
  "mean",
  "ci95_low",
  "ci95_high",
  "n",
  "heldout",
  "counts",
];

/** The sentence under the table. */
export const QUALITY_NOTE = "Mean [95% CI] across the seeds that finished `done`, final " +
  "evaluation. `held-out` is the same metric for held-out real data against the training " +
  "data at the same sample count: what a generator that samples the data itself would get. " +
  "FID, KID, precision/recall, density/coverage and the Inception Score of image data use the " +
  "data set's own classifier (`deno task features`), not Inception-v3: they compare runs of " +
  "this harness, not published numbers. FID is biased upward at small sample counts, so " +
  "compare values at equal counts. `mem_copy_share` is the share of samples nearer their " +
  "nearest training image than 95% of held-out images are (fresh data: 0.05); `mem_ratio` the " +
  "median distance of samples over that of held-out images.";

function countsOf(metrics: Record<string, number>, metric: string): string {
  const parts: string[] = [];
  if (metric.startsWith("mem_")) {
    if (Number.isFinite(metrics.mem_n)) parts.push(`${metrics.mem_n} samples and held-out`);
  } else {
    if (Number.isFinite(metrics.n_real)) parts.push(`n_real ${metrics.n_real}`);
    if (Number.isFinite(metrics.n_fake)) parts.push(`n_fake ${metrics.n_fake}`);
    if (Number.isFinite(metrics.n_heldout)) parts.push(`n_heldout ${metrics.n_heldout}`);
  }
  return parts.join(", ");
}

/**
 * The quality table, when any run logged a quality metric.
 *
 * @param agg The aggregated sweep.
 * @returns The table, or null.
 */
export function qualityTable(agg: Aggregate): QualityTable | null {
  const present = QUALITY_TABLE_METRICS.filter((m) => agg.metrics.includes(m.metric));
  if (present.length === 0) return null;
  const rows: QualityRow[] = [];
  for (const config of agg.configs) {
    const done = config.runs.filter((r) => r.state === "done" && r.record?.final);
    for (const { metric, reference } of present) {
      const s = config.stats[metric];
      if (!s || s.n === 0) continue;
      const ref = reference ? config.stats[`${metric}_heldout`] : undefined;
      const first = done.find((r) => Number.isFinite(r.record!.final!.metrics[metric] ?? NaN));
      rows.push({
        config: config.label,
        metric,
        mean: s.mean,
        ci95Low: s.ci95Low,
        ci95High: s.ci95High,
        n: s.n,
        heldout: ref && ref.n > 0 ? ref.mean : NaN,
        counts: first ? countsOf(first.record!.final!.metrics, metric) : "",
      });
    }
  }
  return { rows };
}

/** The table as CSV rows (`quality_table.csv`). */
export function qualityCsvTable(t: QualityTable): Table {
  return {
    columns: [...QUALITY_COLUMNS],
    rows: t.rows.map((r) => ({
      config: r.config,
      metric: r.metric,
      mean: r.mean,
      ci95_low: r.ci95Low,
      ci95_high: r.ci95High,
      n: r.n,
      heldout: r.heldout,
      counts: r.counts,
    })),
  };
}

/** "mean [lo, hi]", or the mean alone without an interval. */
export function qualityCell(r: QualityRow): string {
  const m = formatNumber4(r.mean);
  return Number.isFinite(r.ci95Low) && Number.isFinite(r.ci95High)
    ? `${m} [${formatNumber4(r.ci95Low)}, ${formatNumber4(r.ci95High)}]`
    : m;
}

/** The table's rows as text cells: config, metric, value, n, held-out, counts. */
export function qualityCells(t: QualityTable): string[][] {
  return t.rows.map((r) => [
    r.config,
    metricInfo(r.metric)?.title ?? r.metric,
    qualityCell(r),
    String(r.n),
    Number.isFinite(r.heldout) ? formatNumber4(r.heldout) : "",
    r.counts,
  ]);
}

/** Header of {@link qualityCells}. */
export const QUALITY_HEADER = ["config", "metric", "mean [95% CI]", "n", "held-out", "counts"];

/** Bins of the memorisation figure. */
const BINS = 40;

/** Each done run's nearest-training distances, by config label and set. */
function distances(agg: Aggregate): Map<string, { sample: number[]; heldout: number[] }> {
  const out = new Map<string, { sample: number[]; heldout: number[] }>();
  for (const config of agg.configs) {
    for (const r of config.runs) {
      if (r.state !== "done" || !r.record) continue;
      const path = runPaths(r.record.dir).nnDistances;
      if (!existsSync(path)) continue;
      let entry = out.get(config.label);
      if (!entry) out.set(config.label, entry = { sample: [], heldout: [] });
      for (const row of parseCsv(readFileSync(path, "utf8"))) {
        const d = Number(row.distance);
        if (!Number.isFinite(d)) continue;
        if (row.set === "sample") entry.sample.push(d);
        else if (row.set === "heldout") entry.heldout.push(d);
      }
    }
  }
  return out;
}

/**
 * The memorisation figure: per configuration, histograms (share of values
 * per bin) of the samples' and the held-out images' distances to their
 * nearest training image, pooled over the done runs.
 *
 * @param agg The aggregated sweep.
 * @returns The chart, or null when no run left `nn_distances.csv`.
 */
export function memorisationChart(agg: Aggregate): Chart | null {
  const all = distances(agg);
  if (all.size === 0) return null;
  let lo = Infinity;
  let hi = -Infinity;
  for (const { sample, heldout } of all.values()) {
    for (const d of [...sample, ...heldout]) {
      if (d < lo) lo = d;
      if (d > hi) hi = d;
    }
  }
  const width = (hi - lo) / BINS || 1;
  const values: Record<string, unknown>[] = [];
  for (const [config, sets] of all) {
    for (
      const [set, ds] of [["samples", sets.sample], ["held-out images", sets.heldout]] as const
    ) {
      if (ds.length === 0) continue;
      const counts = new Array(BINS).fill(0);
      for (const d of ds) counts[Math.min(BINS - 1, Math.floor((d - lo) / width))]++;
      counts.forEach((c, b) =>
        values.push({ config, set, distance: lo + (b + 0.5) * width, share: c / ds.length })
      );
    }
  }
  const spec = {
    $schema: VEGA_LITE_SCHEMA,
    title: {
      text: "Distance of each sample to its nearest training image",
      subtitle: "against the same for held-out images (pixels; pooled over seeds)",
    },
    data: { values },
    facet: {
      row: {
        field: "config",
        type: "nominal",
        title: null,
        header: { labelAngle: 0, labelAlign: "left" },
      },
    },
    spec: {
      width: 360,
      height: 90,
      mark: { type: "line", interpolate: "step" },
      encoding: {
        x: {
          field: "distance",
          type: "quantitative",
          title: "Euclidean distance to the nearest training image",
        },
        y: { field: "share", type: "quantitative", title: "share per bin" },
        color: { field: "set", type: "nominal", title: null },
      },
    },
    resolve: { scale: { y: "independent" } },
  } as unknown as TopLevelSpec;
  return {
    name: "memorisation",
    metric: "mem_copy_share",
    title: "Nearest-training-image distances of samples and held-out images",
    spec,
  };
}
