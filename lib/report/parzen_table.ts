/**
 * The Parzen-window table: the study's own Parzen log-likelihoods of the
 * test set (one row per configuration, mean over the seeds that finished
 * `done`) above the rows of Table 1 of Goodfellow et al. (2014) on MNIST,
 * as plain data. `parzen_table.csv`, `report.md`, `report.html` and
 * `tables.tex` render it.
 *
 * @module
 */
import type { Aggregate } from "./aggregate.ts";
import type { Table } from "./aggregate.ts";
import { mean, sd } from "../analysis/stats.ts";
import { HEALTH_TITLES } from "../metrics/health.ts";
import type { ParzenBaselines } from "../baselines/parzen_baselines.ts";

/** One row of Table 1 of the paper. */
export interface PaperParzenRow {
  /** The model as the paper names it. */
  model: string;
  /** Mean Parzen log-likelihood of the MNIST test set. */
  mean: number;
  /** Its standard error, across test images. */
  se: number;
}

/**
 * Table 1 of Goodfellow et al. (2014), MNIST column: the adversarial nets'
 * Parzen-window log-likelihood of the test set and the paper's baselines,
 * each mean ± standard error across test images. The claim
 * `parzen-table` takes its default `paperMean`/`paperSe` (225 ± 2) from the
 * first row's numbers.
 */
export const PAPER_PARZEN_TABLE: {
  readonly source: string;
  readonly dataset: string;
  readonly rows: readonly PaperParzenRow[];
} = {
  source: "Goodfellow et al. 2014, Table 1",
  dataset: "MNIST",
  rows: [
    { model: "Adversarial nets", mean: 225, se: 2 },
    { model: "DBN", mean: 138, se: 2 },
    { model: "Stacked CAE", mean: 121, se: 1.6 },
    { model: "Deep GSN", mean: 214, se: 1.1 },
  ],
};

/** One row of the Parzen table: ours (one per configuration) or the paper's. */
export interface ParzenRow {
  /** "ours: <config label>" or the paper's model name. */
  model: string;
  /** Mean test log-likelihood (ours: over the seeds that finished `done`). */
  mean: number;
  /** Standard error; {@link ParzenRow.note} says which kind. */
  se: number;
  /** Seeds behind an own row; NaN for the paper's rows. */
  n: number;
  /** "this study" or {@link PAPER_PARZEN_TABLE}'s source. */
  source: string;
  /** What the standard error is, and the chosen bandwidth of own rows. */
  note: string;
  /** Whether the row is the study's own. */
  ours: boolean;
}

/** The Parzen table's rows and what they were built from. */
export interface ParzenTable {
  /** Own rows first (plan order), then the paper's. */
  rows: ParzenRow[];
  /** The metric read (`parzen_ll`). */
  metric: string;
  /** Configurations with the metric but no `done` run that logged it. */
  without: number;
}

/** Columns of `parzen_table.csv`, in order. */
export const PARZEN_COLUMNS: readonly string[] = ["model", "mean", "se", "n", "source", "note"];

/** Text of the `source` cell of own rows. */
export const OWN_SOURCE = "this study";

/** Text of the `source` cell of the harness's baseline rows. */
export const BASELINE_SOURCE = "this harness, same protocol (Theis et al. 2016)";

/**
 * The rows of the Parzen baselines (`lib/baselines`): training images used
 * as samples, and k-means centres, each computed with the study's sizes and
 * the same bandwidth search; what the number can and cannot mean.
 *
 * @param b The baselines.
 * @returns Two rows.
 */
export function baselineRows(b: ParzenBaselines): ParzenRow[] {
  const c = b.config;
  const f = (x: number) => x.toLocaleString("en-US");
  const sigma = (x: number) => `σ = ${Number(x.toPrecision(3))}`;
  return [
    {
      model: `baseline: ${f(c.samples)} training images as samples`,
      mean: b.training.mean,
      se: b.training.se,
      n: NaN,
      source: BASELINE_SOURCE,
      note: `a model that memorised its training set; SE across test images; ${
        sigma(b.training.sigma)
      }`,
      ours: false,
    },
    {
      model: `baseline: k-means, ${f(c.samples)} centres`,
      mean: b.kmeans.mean,
      se: b.kmeans.se,
      n: NaN,
      source: BASELINE_SOURCE,
      note: `centres of k-means on ${f(c.trainSize)} training images (${b.kmeans.iterations} ` +
        `iterations${
          b.kmeans.converged ? ", converged" : ""
        }), not a generative model; SE across ` +
        `test images; ${sigma(b.kmeans.sigma)}; cached (${Math.round(b.kmeans.cpuSeconds)} CPU s)`,
      ours: false,
    },
  ];
}

/** The sentence under every rendering of the table. */
export const PARZEN_NOTE = "Own rows: mean of the final `parzen_ll` over the seeds that " +
  "finished `done`; ± the standard error across seeds (sd/√n) when n > 1, else the one run's " +
  "`parzen_se` (the standard error across test images, as in the paper). The paper's ± is " +
  "the standard error across test images, so with several seeds the two measure different " +
  "spreads. Parzen estimates depend on the number of samples and the bandwidth search and " +
  "are high-variance in high dimensions (the paper says so).";

function formatSigma(values: number[]): string {
  const finite = values.filter(Number.isFinite);
  if (finite.length === 0) return "";
  const lo = Math.min(...finite);
  const hi = Math.max(...finite);
  const f = (x: number) => String(Number(x.toPrecision(3)));
  return lo === hi ? `σ = ${f(lo)}` : `σ ${f(lo)}–${f(hi)}`;
}

/**
 * Builds the Parzen table when any run logged the metric: one own row per
 * configuration that has a `done` run with a finite value, then the
 * harness's baselines (when given), then the paper's rows.
 *
 * @param agg The aggregated sweep.
 * @param metric The final metric (default `parzen_ll`); its standard error
 *   and bandwidth are read from `<prefix>_se` and `<prefix>_sigma`.
 * @param baselines The Parzen estimates of training images and k-means centres (optional).
 * @returns The table, or null when no run has the metric.
 */
export function parzenTable(
  agg: Aggregate,
  metric = "parzen_ll",
  baselines: ParzenBaselines | null = null,
): ParzenTable | null {
  if (!agg.metrics.includes(metric)) return null;
  const prefix = metric.endsWith("_ll") ? metric.slice(0, -3) : metric;
  const rows: ParzenRow[] = [];
  let without = 0;
  for (const config of agg.configs) {
    const runs = config.runs.filter((r) =>
      r.state === "done" && Number.isFinite(r.record?.final?.metrics[metric] ?? NaN)
    );
    if (runs.length === 0) {
      if (config.runs.some((r) => r.record?.final?.metrics[metric] !== undefined)) without++;
      continue;
    }
    // Invalid runs (a failed health check) are not evidence: the row averages the valid ones
    // and names the others; a config with no valid run shows its runs, marked.
    const isInvalid = (r: (typeof runs)[number]) => r.record!.final!.health?.valid === false;
    const invalid = runs.filter(isInvalid);
    const valid = runs.filter((r) => !isInvalid(r));
    const used = valid.length ? valid : runs;
    const values = used.map((r) => r.record!.final!.metrics[metric]);
    const n = values.length;
    const sigma = formatSigma(used.map((r) => r.record!.final!.metrics[`${prefix}_sigma`] ?? NaN));
    let se: number;
    let note: string;
    if (n > 1) {
      se = sd(values) / Math.sqrt(n);
      note = `SE across ${n} seeds (sd/√n)`;
    } else {
      se = used[0].record!.final!.metrics[`${prefix}_se`] ?? NaN;
      note = `one seed (${used[0].plan.seed}): SE across test images (the run's ${prefix}_se)`;
    }
    if (invalid.length) {
      const why = [
        ...new Set(
          invalid.flatMap((r) =>
            r.record!.final!.health!.failures.map((f) => HEALTH_TITLES[f.check])
          ),
        ),
      ].join(", ");
      note += valid.length
        ? `; ${invalid.length} invalid run(s) left out (${why}; seed ${
          invalid.map((r) => r.plan.seed).join(", ")
        }: ${invalid.map((r) => r.record!.final!.metrics[metric].toFixed(1)).join(", ")})`
        : `; every run invalid (${why}): not evidence`;
    }
    rows.push({
      model: `ours: ${config.label}`,
      mean: mean(values),
      se,
      n,
      source: OWN_SOURCE,
      note: sigma ? `${note}; ${sigma}` : note,
      ours: true,
    });
  }
  if (baselines) rows.push(...baselineRows(baselines));
  for (const p of PAPER_PARZEN_TABLE.rows) {
    rows.push({
      model: p.model,
      mean: p.mean,
      se: p.se,
      n: NaN,
      source: PAPER_PARZEN_TABLE.source,
      note: `${PAPER_PARZEN_TABLE.dataset}; SE across test images`,
      ours: false,
    });
  }
  return { rows, metric, without };
}

/**
 * The table as CSV rows for `parzen_table.csv` (columns
 * {@link PARZEN_COLUMNS}; the paper's `n` is empty).
 *
 * @param table The Parzen table.
 * @returns A table for `toCsv`.
 */
export function parzenCsvTable(table: ParzenTable): Table {
  return {
    columns: [...PARZEN_COLUMNS],
    rows: table.rows.map((r) => ({
      model: r.model,
      mean: r.mean,
      se: r.se,
      n: r.n,
      source: r.source,
      note: r.note,
    })),
  };
}
