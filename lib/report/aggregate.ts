/**
 * Aggregation of a sweep into the report's three tables: `runs` (one row per
 * planned run, with whether it passed the health checks), `summary` (one
 * row per configuration, statistics over the seeds that finished `done`,
 * and how many of them failed a health check) and `curves` (one row per
 * run and logged step).
 *
 * @module
 */
import type { Experiment, RunPlan } from "../spec/mod.ts";
import type { RunRecord } from "../sweep/store.ts";
import { formatValue, orderMetrics } from "../analysis/labels.ts";
import {
  type ConfigGroup,
  type JoinedRun,
  joinRuns,
  REPORT_STATES,
  type ReportState,
  UNFINISHED_STATES,
} from "../analysis/join.ts";
import { clipToRange, summarise, type Summary } from "../analysis/stats.ts";
import { metricInfo } from "../metrics/registry.ts";

/** One table cell: numbers stay numbers (NaN means empty); null/undefined are empty. */
export type Cell = string | number | boolean | null | undefined;

/** One table row: column -> cell. */
export type Row = Record<string, Cell>;

/** A table: its columns in order and its rows. */
export interface Table {
  /** Column names, in order. */
  columns: string[];
  /** The rows; a missing key is an empty cell. */
  rows: Row[];
}

/** A configuration with its final-metric statistics. */
export interface ConfigSummary extends ConfigGroup {
  /**
   * Metric -> summary over the final values of the `done` runs, the
   * interval clipped to the metric's range (the registry's `range`).
   */
  stats: Record<string, Summary>;
}

/** Everything a report is built from. */
export interface Aggregate {
  /** Swept paths, in order. */
  axes: string[];
  /** Final-metric columns (union over every run with final metrics, `step` left out), ordered. */
  metrics: string[];
  /** Metric columns of the curves (union over every run's metrics.csv), ordered. */
  curveMetrics: string[];
  /** One per planned run, in plan order. */
  runs: JoinedRun[];
  /** One per configuration, in plan order. */
  configs: ConfigSummary[];
  /** Planned runs by state (`missing` = no record). */
  counts: Record<ReportState, number>;
  /** Ids of planned runs that are queued, running or have no record. */
  missing: string[];
  /** Ids of records that no plan names; left out of every table. */
  ignored: string[];
  /**
   * Ids of planned runs whose status says running while their worker is
   * gone (a sweep killed outright); set by the caller, which can tell.
   */
  interrupted?: ReadonlySet<string>;
  /** `runs.csv`: run_id, seed, state, swept paths, final metrics. */
  runsTable: Table;
  /** `summary.csv`: config_id, swept paths, counts, per-metric statistics. */
  summaryTable: Table;
  /** `curves.csv`: run_id, seed, swept paths, step, metrics. */
  curvesTable: Table;
}

/** Statistic suffixes of the summary table, in column order. */
export const SUMMARY_STATS = ["mean", "sd", "ci95_low", "ci95_high", "n"] as const;

/**
 * The value of a summary for one suffix of {@link SUMMARY_STATS}.
 *
 * @param s The summary.
 * @param stat The suffix.
 * @returns The number.
 */
export function summaryValue(s: Summary, stat: typeof SUMMARY_STATS[number]): number {
  switch (stat) {
    case "mean":
      return s.mean;
    case "sd":
      return s.sd;
    case "ci95_low":
      return s.ci95Low;
    case "ci95_high":
      return s.ci95High;
    case "n":
      return s.n;
  }
}

/** A swept value as a cell: primitives as they are, arrays and objects as JSON. */
function axisCell(value: unknown): Cell {
  if (typeof value === "number" || typeof value === "string" || typeof value === "boolean") {
    return value;
  }
  return value === undefined || value === null ? null : formatValue(value);
}

function axisCells(axes: readonly string[], point: Record<string, unknown>): Row {
  const row: Row = {};
  for (const a of axes) row[a] = axisCell(point[a]);
  return row;
}

function countStates(runs: readonly JoinedRun[]): Record<ReportState, number> {
  const counts = Object.fromEntries(REPORT_STATES.map((s) => [s, 0])) as Record<
    ReportState,
    number
  >;
  for (const r of runs) counts[r.state] = (counts[r.state] ?? 0) + 1;
  return counts;
}

/**
 * Aggregates a sweep, finished or not: runs without a record appear as
 * `missing`, and statistics use only the runs that finished `done`.
 *
 * @param exp The validated experiment.
 * @param plans Every planned run (e.g. `expandRuns(exp)`).
 * @param records The runs read back from the store.
 * @returns Tables and the structured data behind them.
 */
export function aggregate(exp: Experiment, plans: RunPlan[], records: RunRecord[]): Aggregate {
  const joined = joinRuns(exp, plans, records);
  const { axes, runs } = joined;
  const metrics = orderMetrics(
    runs.flatMap((r) => Object.keys(r.record?.final?.metrics ?? {})).filter((k) => k !== "step"),
  );
  // A tight loop: a large sweep has 100,000s of curve rows.
  const curveKeys = new Set<string>();
  for (const r of runs) {
    for (const row of r.record?.curves ?? []) for (const k in row) curveKeys.add(k);
  }
  curveKeys.delete("step");
  const curveMetrics = orderMetrics(curveKeys);

  const configs: ConfigSummary[] = joined.configs.map((g) => {
    const done = g.runs.filter((r) => r.state === "done");
    const stats: Record<string, Summary> = {};
    for (const m of metrics) {
      stats[m] = clipToRange(
        summarise(done.map((r) => r.record?.final?.metrics[m] ?? NaN)),
        metricInfo(m)?.range,
      );
    }
    return { ...g, stats };
  });

  const points = new Map(configs.map((c) => [c.configId, c.point]));
  const pointOf = (r: JoinedRun) => points.get(r.plan.configId) ?? {};

  const runsTable: Table = {
    columns: ["run_id", "seed", "state", "valid", "health", ...axes, ...metrics],
    rows: runs.map((r) => {
      const row: Row = {
        run_id: r.plan.id,
        seed: r.plan.seed,
        state: r.state,
        valid: r.health ? r.health.valid : null,
        health: r.health
          ? r.health.failures.map((f) => `${f.check}: ${f.detail}`).join("; ")
          : null,
      };
      Object.assign(row, axisCells(axes, pointOf(r)));
      for (const m of metrics) row[m] = r.record?.final?.metrics[m] ?? null;
      return row;
    }),
  };

  const countColumns = ["runs", "done", "invalid", "failed", "diverged", "missing"];
  const summaryTable: Table = {
    columns: [
      "config_id",
      ...axes,
      ...countColumns,
      ...metrics.flatMap((m) => SUMMARY_STATS.map((s) => `${m}_${s}`)),
    ],
    rows: configs.map((c) => {
      const states = c.runs.map((r) => r.state);
      const count = (ss: readonly ReportState[]) => states.filter((s) => ss.includes(s)).length;
      const row: Row = { config_id: c.configId, ...axisCells(axes, c.point) };
      row.runs = c.runs.length;
      row.done = count(["done"]);
      row.invalid = c.runs.filter((r) => r.health && !r.health.valid).length;
      row.failed = count(["failed", "timeout"]);
      row.diverged = count(["diverged"]);
      row.missing = count(UNFINISHED_STATES);
      for (const m of metrics) {
        for (const s of SUMMARY_STATS) row[`${m}_${s}`] = summaryValue(c.stats[m], s);
      }
      return row;
    }),
  };

  const curveRows: Row[] = [];
  for (const r of runs) {
    const curves = r.record?.curves ?? [];
    if (curves.length === 0) continue;
    const base: Row = { run_id: r.plan.id, seed: r.plan.seed, ...axisCells(axes, pointOf(r)) };
    for (const c of curves) {
      const row: Row = Object.assign({}, base);
      row.step = c.step ?? null;
      for (const m of curveMetrics) row[m] = c[m] ?? null;
      curveRows.push(row);
    }
  }
  const curvesTable: Table = {
    columns: ["run_id", "seed", ...axes, "step", ...curveMetrics],
    rows: curveRows,
  };

  return {
    axes,
    metrics,
    curveMetrics,
    runs,
    configs,
    counts: countStates(runs),
    missing: runs.filter((r) => UNFINISHED_STATES.includes(r.state)).map((r) => r.plan.id),
    ignored: joined.ignored,
    runsTable,
    summaryTable,
    curvesTable,
  };
}
