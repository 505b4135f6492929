/**
 * The content every report format shows, as plain data: run counts, the
 * runs that are missing, went wrong or cannot be evidence (failed health
 * checks), how the runs trained, and the summary of the metrics of
 * interest. `report.md`, `report.html` and `tables.tex` render these.
 *
 * @module
 */
import type { ClaimResult } from "../claims/types.ts";
import type { Aggregate } from "./aggregate.ts";
import type { ParzenTable } from "./parzen_table.ts";
import { decimalsFor, fixed, formatNumber4 } from "../analysis/format.ts";
import type { Summary } from "../analysis/stats.ts";
import { pathName, type ReportView, valueName } from "./options.ts";
import type { QualityTable } from "./quality.ts";
import type { JoinedRun, ReportState } from "../analysis/join.ts";
import { formatValue } from "../analysis/labels.ts";
import { CHARTED_METRICS } from "../metrics/registry.ts";
import {
  D_FLAT,
  G_COLLAPSED,
  GRAD_VANISHED,
  HEALTH_TITLES,
  type HealthCheckId,
  JS_FAR,
  NO_PROGRESS_RATIO,
} from "../metrics/health.ts";
import { type OptimizerConfig, optimizerFor, type RunConfig } from "../spec/config.ts";

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
  /** The sample-quality table, when runs logged quality metrics (default none). */
  quality?: QualityTable | null;
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
    detail: r.state === "missing"
      ? "no run directory"
      : agg.interrupted?.has(r.plan.id)
      ? "interrupted: its status says running, but its worker is gone (the next sweep resumes it)"
      : r.state,
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
export function summaryText(
  agg: Aggregate,
  metrics: readonly string[],
  view?: Pick<ReportView, "names" | "values" | "digits">,
): SummaryText {
  const configHeader = agg.axes.length
    ? agg.axes.map((a) => (view ? pathName(view, a, true) : a))
    : ["configuration"];
  const rows = agg.configs.map((c) => {
    const done = c.runs.filter((r) => r.state === "done").length;
    const cells = agg.axes.length
      ? agg.axes.map((a) => (view ? valueName(view, a, c.point[a]) : formatValue(c.point[a])))
      : [c.label];
    cells.push(`${done}/${c.runs.length}`);
    for (const m of metrics) {
      const s = c.stats[m];
      if (!s || s.n === 0) cells.push("–");
      else if (s.n === 1) cells.push(`${formatNumber4(s.mean)} (n=1)`);
      else if (view) cells.push(meanPm(s, view.digits));
      else cells.push(`${formatNumber4(s.mean)} ± ${formatNumber4(s.ci95High - s.mean)}`);
    }
    return cells;
  });
  return { header: [...configHeader, "done", ...metrics], rows };
}

/**
 * "mean ± half-width" rounded to the precision the interval supports (the
 * half-width to 2 significant digits), with at most `digits` significant
 * digits in the mean; "mean [low, high]" when the interval was clipped to
 * the metric's range (so it is not symmetric).
 *
 * @param s The summary.
 * @param digits The most significant digits of the mean.
 * @returns The text.
 */
export function meanPm(s: Summary, digits = 4): string {
  const up = s.ci95High - s.mean;
  const down = s.mean - s.ci95Low;
  const half = Math.max(up, down);
  const d = meanDecimals(s.mean, half, digits);
  if (Math.abs(up - down) > 1e-9 * Math.max(1, Math.abs(s.mean))) {
    return `${fixed(s.mean, d)} [${fixed(s.ci95Low, d)}, ${fixed(s.ci95High, d)}]`;
  }
  return `${fixed(s.mean, d)} ± ${fixed(half, d)}`;
}

/** Decimal places of a mean shown with its half-width: the half-width's, at most `digits` significant. */
export function meanDecimals(mean: number, half: number, digits = 4): number {
  const byHalf = decimalsFor(half);
  const mag = mean === 0 || !Number.isFinite(mean) ? 0 : Math.floor(Math.log10(Math.abs(mean)));
  return Math.max(0, Math.min(byHalf, digits - 1 - mag));
}

/** The sentence under every summary table. */
export const SUMMARY_NOTE = "Each cell is the mean of the final values over the runs that " +
  "finished `done`, ± the half-width of the 95% t-interval t(0.975, n−1)·sd/√n (clipped to " +
  "the metric's range, e.g. shares to [0, 1]); all columns are in `summary.csv`.";

/** Health of the done runs of one configuration, for "runs that cannot be evidence". */
export interface ConfigHealth {
  /** The configuration's label. */
  label: string;
  /** Its done runs. */
  done: number;
  /** Its done runs that failed a health check. */
  invalid: number;
  /** Failed checks by id, e.g. { d_dead: 3 }. */
  checks: Record<string, number>;
}

/**
 * Done runs that failed a health check (`lib/metrics/health.ts`), with
 * what was measured: they cannot be evidence (claims that measure that
 * very failure, e.g. mode collapse, still use them and say so).
 *
 * @param agg The aggregated sweep.
 * @returns One line per run, in plan order.
 */
export function invalidRuns(agg: Aggregate): RunLine[] {
  const label = labeller(agg);
  return agg.runs.filter((r) => r.state === "done" && r.health && !r.health.valid).map((r) => ({
    id: r.plan.id,
    label: label(r),
    seed: r.plan.seed,
    state: r.state,
    detail: r.health!.failures.map((f) => `${HEALTH_TITLES[f.check]}: ${f.detail}`).join("; "),
  }));
}

/**
 * Per configuration: done runs, how many of them failed a health check, and which checks.
 *
 * @param agg The aggregated sweep.
 * @returns One entry per configuration, in plan order.
 */
export function configHealth(agg: Aggregate): ConfigHealth[] {
  return agg.configs.map((c) => {
    const done = c.runs.filter((r) => r.state === "done");
    const checks: Record<string, number> = {};
    let invalid = 0;
    for (const r of done) {
      if (!r.health || r.health.valid) continue;
      invalid++;
      for (const f of r.health.failures) checks[f.check] = (checks[f.check] ?? 0) + 1;
    }
    return { label: c.label, done: done.length, invalid, checks };
  });
}

/**
 * A warning for the top of a report when most done runs cannot be
 * evidence, e.g. "8 of 8 done runs fail a health check (D dead: 8) ...";
 * null when at most half fail.
 *
 * @param agg The aggregated sweep.
 * @returns The warning, or null.
 */
export function healthWarning(agg: Aggregate): string | null {
  const all = configHealth(agg);
  const done = all.reduce((a, c) => a + c.done, 0);
  const invalid = all.reduce((a, c) => a + c.invalid, 0);
  if (done === 0 || invalid * 2 <= done) return null;
  const checks: Record<string, number> = {};
  for (const c of all) {
    for (const [k, n] of Object.entries(c.checks)) checks[k] = (checks[k] ?? 0) + n;
  }
  const which = Object.entries(checks)
    .map(([k, n]) => `${HEALTH_TITLES[k as HealthCheckId]}: ${n}`)
    .join(", ");
  return `${invalid} of ${done} done runs of this study fail a health check (${which}): they did ` +
    'not train properly and cannot be evidence, so no claim uses them (see "Runs that cannot ' +
    "be evidence\"). Fix the setting before reading anything into this study's numbers.";
}

/** How the runs of one configuration were trained, in words. */
export function trainingText(config: RunConfig): string {
  const rule = config.update === "simultaneous"
    ? "simultaneous update (the public code's: D's and G's gradients from one minibatch and " +
      "the parameters before the update)"
    : `alternating update (Algorithm 1: ${config.k} D step${config.k === 1 ? "" : "s"}, then ` +
      `${config.gSteps} G step${config.gSteps === 1 ? "" : "s"}, per iteration)`;
  const words = (o: OptimizerConfig) =>
    o.name === "adam"
      ? `Adam (lr ${o.lr}, beta1 ${o.beta1})`
      : `SGD (lr ${o.lr}${o.lrDecay ? ` / ${o.lrDecay} per update` : ""}, momentum ${o.momentum}${
        o.momentumEnd !== undefined ? ` rising to ${o.momentumEnd}` : ""
      })`;
  // dOptimizer / gOptimizer: D's and G's when they differ.
  const [d, g] = [words(optimizerFor(config, "d")), words(optimizerFor(config, "g"))];
  const opt = d === g ? d : `D: ${d}, G: ${g}`;
  return `${rule}; ${config.loss} loss; ${opt}; ${config.steps} iterations of batch ` +
    `${config.batchSize}`;
}

/**
 * The health checks' thresholds, one sentence each, for reports.
 *
 * @returns The sentences.
 */
export function healthThresholds(): string[] {
  return [
    `D dead: D's output spread over held-out reals and samples below ${D_FLAT} while an ` +
    `independent measure says p_g is far from p_data (JS above ${JS_FAR}; fewer than half the ` +
    `modes or classes covered; fewer than half the samples of high quality), or a hidden layer ` +
    `of D entirely inactive, or D's gradient norm below ${GRAD_VANISHED.toExponential()}`,
    `G collapsed: G's samples spread less than ${G_COLLAPSED} of the data's narrowest structure`,
    `no progress: with G training, the final JS above ${NO_PROGRESS_RATIO} of its start and above ` +
    `${JS_FAR} (1-D), or neither modes nor the share of high-quality samples rose (mixtures)`,
  ];
}
