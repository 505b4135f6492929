/**
 * The content every report format shows, as plain data: run counts, the
 * runs that are missing or went wrong, and the summary of the metrics of
 * interest. `report.md`, `report.html` and `tables.tex` render these.
 *
 * @module
 */
import type { ClaimResult } from "../claims/types.ts";
import type { Aggregate } from "./aggregate.ts";
import type { ParzenTable } from "./parzen_table.ts";
import { formatNumber4 } from "../analysis/format.ts";
import type { JoinedRun, ReportState } from "../analysis/join.ts";
import { formatValue } from "../analysis/labels.ts";
import { CHARTED_METRICS } from "../metrics/registry.ts";

/**
 * What the report formats show besides the aggregate; `buildReport` gives
 * `report.md`, `report.html` and `tables.tex` the same values.
 */
export interface SectionOptions {
  /** Checked claims (default none). */
  claims?: readonly ClaimResult[];
  /** Metrics in the summary table, when present (default the metrics of interest). */
  metrics?: readonly string[];
  /** Notes shown at the top, e.g. that the runs used a shortened budget (default none). */
  notes?: readonly string[];
  /** The Parzen table, when runs logged `parzen_ll` (default none). */
  parzen?: ParzenTable | null;
}

/** One run named in a list of missing or failed runs. */
export interface RunLine {
  /** Run id. */
  id: string;
  /** Its configuration's label, e.g. "k=5". */
  label: string;
  seed: number;
  state: ReportState;
  /** What to say: "no run directory", "running", "failed: <first error line>". */
  detail: string;
}

/** States that count as gone wrong: listed with their error. */
export const PROBLEM_STATES: readonly ReportState[] = ["failed", "timeout", "diverged"];

function firstLine(text: string | undefined, max = 200): string {
  const line = (text ?? "").split("\n").find((l) => l.trim() !== "")?.trim() ?? "";
  return line.length > max ? `${line.slice(0, max - 1)}…` : line;
}

function labeller(agg: Aggregate): (r: JoinedRun) => string {
  const labelOf = new Map(agg.configs.map((c) => [c.configId, c.label]));
  return (r) => labelOf.get(r.plan.configId) ?? r.plan.configId;
}

/**
 * Planned runs that have not finished: queued, running or without a directory.
 *
 * @param agg The aggregated sweep.
 * @returns One line per run, in plan order.
 */
export function unfinishedRuns(agg: Aggregate): RunLine[] {
  const label = labeller(agg);
  const missing = new Set(agg.missing);
  return agg.runs.filter((r) => missing.has(r.plan.id)).map((r) => ({
    id: r.plan.id,
    label: label(r),
    seed: r.plan.seed,
    state: r.state,
    detail: r.state === "missing" ? "no run directory" : r.state,
  }));
}

/**
 * Runs that failed, timed out or diverged, with the first line of their error.
 *
 * @param agg The aggregated sweep.
 * @returns One line per run, in plan order.
 */
export function problemRuns(agg: Aggregate): RunLine[] {
  const label = labeller(agg);
  return agg.runs.filter((r) => PROBLEM_STATES.includes(r.state)).map((r) => {
    const why = firstLine(r.record?.status.error);
    return {
      id: r.plan.id,
      label: label(r),
      seed: r.plan.seed,
      state: r.state,
      detail: why ? `${r.state}: ${why}` : r.state,
    };
  });
}

/**
 * Run counts by state, leaving out states with no runs.
 *
 * @param agg The aggregated sweep.
 * @returns [state, count] pairs in display order.
 */
export function stateCounts(agg: Aggregate): [ReportState, number][] {
  return (Object.entries(agg.counts) as [ReportState, number][]).filter(([, n]) => n > 0);
}

/**
 * The metrics of interest that at least one configuration has a value for.
 *
 * @param agg The aggregated sweep.
 * @param wanted Candidate metrics, in order (default: the registry's `CHARTED_METRICS`).
 * @returns The metrics, in the order of `wanted`.
 */
export function summaryMetrics(agg: Aggregate, wanted?: readonly string[]): string[] {
  return (wanted ?? CHARTED_METRICS).filter((m) =>
    agg.configs.some((c) => (c.stats[m]?.n ?? 0) > 0)
  );
}

/** The summary table as text cells. */
export interface SummaryText {
  /** Swept paths (or "configuration"), "done", then the metrics. */
  header: string[];
  /** One row per configuration. */
  rows: string[][];
}

/**
 * The summary table as text: per configuration its swept values, done/planned,
 * and per metric "mean ± half-width of the 95% interval" (4 significant
 * digits), "mean (n=1)" for one seed, "–" for none.
 *
 * @param agg The aggregated sweep.
 * @param metrics The metric columns.
 * @returns Header and rows.
 */
export function summaryText(agg: Aggregate, metrics: readonly string[]): SummaryText {
  const configHeader = agg.axes.length ? agg.axes : ["configuration"];
  const rows = agg.configs.map((c) => {
    const done = c.runs.filter((r) => r.state === "done").length;
    const cells = agg.axes.length ? agg.axes.map((a) => formatValue(c.point[a])) : [c.label];
    cells.push(`${done}/${c.runs.length}`);
    for (const m of metrics) {
      const s = c.stats[m];
      if (!s || s.n === 0) cells.push("–");
      else if (s.n === 1) cells.push(`${formatNumber4(s.mean)} (n=1)`);
      else cells.push(`${formatNumber4(s.mean)} ± ${formatNumber4(s.ci95High - s.mean)}`);
    }
    return cells;
  });
  return { header: [...configHeader, "done", ...metrics], rows };
}

/** The sentence under every summary table. */
export const SUMMARY_NOTE = "Each cell is the mean of the final values over the runs that " +
  "finished `done`, ± the half-width of the 95% t-interval t(0.975, n−1)·sd/√n; " +
  "all columns are in `summary.csv`.";
