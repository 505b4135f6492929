/**
 * Which runs a claim may use, and how they are grouped into independent
 * units. Only runs in state `done` are evidence: diverged, failed, timed-out,
 * unfinished and missing runs are counted (so evidence can say so) but
 * never averaged. Runs are paired by seed within a group: a config (for
 * claims about a state) or a level of the swept axes other than the one
 * under test (for claims about an effect of that axis).
 *
 * @module
 */
import { type ConfigGroup, EVIDENCE_STATES, type Joined, type JoinedRun } from "./join.ts";
import { HEALTH_CHECKS, HEALTH_TITLES, type HealthCheckId } from "../metrics/health.ts";
import { configLabel, formatValue } from "./labels.ts";
import { canonicalJson } from "../spec/mod.ts";
import type { RunRecord } from "../sweep/store.ts";
import { leastSquaresSlope } from "./stats.ts";

/** A run in state `done`, with its record. */
export type DoneRun = JoinedRun & { record: RunRecord };

/**
 * Whether a run counts as evidence: state `done` with a record.
 *
 * @param run A joined run.
 * @returns True for done runs.
 */
export function isDone(run: JoinedRun): run is DoneRun {
  return run.state === "done" && run.record !== null;
}

/**
 * A done run's final value of a metric.
 *
 * @param run The run.
 * @param metric The metric column.
 * @returns The value, or NaN when the run has no final metrics or not that one.
 */
export function finalMetric(run: DoneRun, metric: string): number {
  const v = run.record.final?.metrics[metric];
  return typeof v === "number" ? v : NaN;
}

/**
 * A done run's curve of one metric: the rows where both `step` and the
 * metric are finite, in file order.
 *
 * @param run The run.
 * @param metric The metric column.
 * @returns Step and value per row.
 */
export function curveOf(run: DoneRun, metric: string): { step: number; value: number }[] {
  const out: { step: number; value: number }[] = [];
  for (const row of run.record.curves) {
    const step = row.step;
    const value = row[metric];
    if (Number.isFinite(step) && Number.isFinite(value)) out.push({ step, value });
  }
  return out;
}

/**
 * The mean of a metric over a run's last `count` evaluations (rows with a
 * finite value), so that one final snapshot does not decide.
 *
 * @param run A done run.
 * @param metric The curve metric.
 * @param count How many of the last evaluations.
 * @returns The mean, or NaN when the run logged no value.
 */
export function lastMean(run: DoneRun, metric: string, count: number): number {
  const rows = curveOf(run, metric).slice(-count);
  if (rows.length === 0) return NaN;
  return rows.reduce((a, r) => a + r.value, 0) / rows.length;
}

/**
 * Counts runs by state, e.g. "2 diverged, 1 failed" (states in report order).
 *
 * @param runs The runs.
 * @param skip States left out of the text (e.g. `done`).
 * @returns The non-zero counts, or "" when none.
 */
export function stateCounts(runs: readonly JoinedRun[], skip: readonly string[] = []): string {
  return EVIDENCE_STATES.filter((s) => !skip.includes(s))
    .map((s) => [s, runs.filter((r) => r.state === s)] as const)
    .filter(([, rs]) => rs.length > 0)
    .map(([s, rs]) => `${rs.length} ${s}${s === "invalid" ? ` (${invalidReasons(rs)})` : ""}`)
    .join(", ");
}

/**
 * Which health checks the invalid runs failed, e.g. "D dead: 7, G collapsed: 1".
 *
 * @param runs Runs in state `invalid` (from {@link evidenceView}).
 * @returns The counts per check.
 */
export function invalidReasons(runs: readonly JoinedRun[]): string {
  const counts = new Map<HealthCheckId, number>();
  for (const r of runs) {
    for (const f of r.invalid ?? []) counts.set(f.check, (counts.get(f.check) ?? 0) + 1);
  }
  return HEALTH_CHECKS.filter((c) => counts.has(c))
    .map((c) => `${HEALTH_TITLES[c]}: ${counts.get(c)}`)
    .join(", ");
}

/**
 * The study as a claim sees it: a done run that failed a health check the
 * claim does not tolerate becomes `invalid` (with the failures in
 * `invalid`), so it is counted but never evidence.
 *
 * @param joined The study's joined runs.
 * @param tolerated Checks whose failure the claim measures itself (e.g.
 *   `g_collapsed` for mode collapse), so they do not invalidate a run.
 * @returns The same study with invalid runs marked.
 */
export function evidenceView(joined: Joined, tolerated: readonly HealthCheckId[] = []): Joined {
  const mapped = new Map<JoinedRun, JoinedRun>();
  for (const r of joined.runs) {
    const failing = r.state === "done"
      ? (r.health?.failures ?? []).filter((f) => !tolerated.includes(f.check))
      : [];
    mapped.set(r, failing.length ? { ...r, state: "invalid", invalid: failing } : r);
  }
  return {
    ...joined,
    runs: joined.runs.map((r) => mapped.get(r)!),
    configs: joined.configs.map((c) => ({ ...c, runs: c.runs.map((r) => mapped.get(r)!) })),
  };
}

/**
 * The runs that are not evidence, as a clause for evidence text, e.g.
 * " (not used: 2 diverged, 1 failed)".
 *
 * @param runs The runs the claim looked at.
 * @returns The clause with a leading space, or "" when every run is done.
 */
export function notUsedClause(runs: readonly JoinedRun[]): string {
  const text = stateCounts(runs, ["done"]);
  return text ? ` (not used: ${text} runs)` : "";
}

/**
 * Why a metric cannot be used: no done run, or no done run that logged a
 * finite value of it (in `final.json`, or in `metrics.csv` for curves).
 *
 * @param joined The study's joined runs.
 * @param metric The metric column.
 * @param where Final metrics or curves.
 * @returns The problem as a sentence, or null when some done run logged it.
 */
export function missingMetric(
  joined: Joined,
  metric: string,
  where: "final" | "curves",
): string | null {
  const done = joined.runs.filter(isDone);
  if (done.length === 0) {
    const counts = stateCounts(joined.runs);
    const what = joined.runs.some((r) => r.state === "invalid")
      ? "No run is done and valid"
      : "No run is done";
    return `${what}${counts ? ` (${counts})` : ""}, so there is no evidence.`;
  }
  const logged = where === "final"
    ? done.some((r) => Number.isFinite(finalMetric(r, metric)))
    : done.some((r) => curveOf(r, metric).length > 0);
  if (logged) return null;
  const names = new Set<string>();
  for (const r of done) {
    const cols = where === "final"
      ? Object.keys(r.record.final?.metrics ?? {})
      : r.record.curves.flatMap((row) => Object.keys(row));
    for (const c of cols) if (c !== "step") names.add(c);
  }
  const what = where === "final" ? "a finite final" : "a curve of";
  return `No done run logged ${what} "${metric}" (of ${done.length} done runs; ` +
    `they logged: ${names.size ? [...names].join(", ") : "nothing"}).`;
}

/**
 * Why an axis cannot be used: the study does not sweep it.
 *
 * @param joined The study's joined runs.
 * @param axis A dotted config path.
 * @returns The problem as a sentence, or null when the study sweeps it.
 */
export function missingAxis(joined: Joined, axis: string): string | null {
  if (joined.axes.includes(axis)) return null;
  const swept = joined.axes.length ? joined.axes.map((a) => `"${a}"`).join(", ") : "nothing";
  return `The study does not sweep "${axis}" (it sweeps ${swept}), so there is nothing to compare across ${axis}.`;
}

/** Per-seed evidence of one group: one value per independent unit. */
export interface Sample {
  /** The group's label, e.g. "data.name=ring-8" or "k=5"; "" for the whole study. */
  label: string;
  /** One value per seed, in order of first appearance. */
  values: number[];
  /** The seed behind each value. */
  seeds: number[];
  /** Ids of the done runs behind the values. */
  runs: string[];
  /** Every planned run of the group, whatever its state. */
  all: JoinedRun[];
}

/** The configs that share the values of every swept axis but one. */
export interface Level {
  /** canonical JSON of the other axes' values. */
  key: string;
  /** "data.name=ring-8", or "" when no other axis is swept. */
  label: string;
  /** Its configs, in plan order. */
  configs: ConfigGroup[];
}

/**
 * The swept axes whose value is set by `axis` (zipped with it, e.g.
 * `steps` shrinking as `gSteps` grows so that G's updates stay fixed): in
 * every config, the same value of `axis` comes with the same value of
 * theirs, and they take more than one value. They vary with the axis
 * rather than define levels of their own.
 *
 * @param joined The study's joined runs.
 * @param axis The axis under test.
 * @returns The coupled axes, in sweep order.
 */
export function coupledAxes(joined: Joined, axis: string): string[] {
  return joined.axes.filter((b) => {
    if (b === axis) return false;
    const seen = new Map<string, string>();
    const values = new Set<string>();
    for (const c of joined.configs) {
      const a = canonicalJson(c.point[axis] ?? null);
      const v = canonicalJson(c.point[b] ?? null);
      values.add(v);
      if (seen.has(a) && seen.get(a) !== v) return false;
      seen.set(a, v);
    }
    return values.size > 1;
  });
}

/**
 * Groups a study's configs by the values of every swept axis except `axis`
 * and the axes coupled to it ({@link coupledAxes}).
 *
 * @param joined The study's joined runs.
 * @param axis The axis under test.
 * @returns The levels in plan order (one, labelled "", when no other axis is swept).
 */
export function levelsExcept(joined: Joined, axis: string): Level[] {
  const coupled = coupledAxes(joined, axis);
  const other = joined.axes.filter((a) => a !== axis && !coupled.includes(a));
  const levels: Level[] = [];
  const byKey = new Map<string, Level>();
  for (const config of joined.configs) {
    const key = canonicalJson(other.map((a) => config.point[a] ?? null));
    let level = byKey.get(key);
    if (!level) {
      level = { key, label: other.length ? configLabel(config.point, other) : "", configs: [] };
      byKey.set(key, level);
      levels.push(level);
    }
    level.configs.push(config);
  }
  return levels;
}

/**
 * One sample per config: a value per done run (one per seed) from `valueOf`;
 * runs whose value is not finite are left out.
 *
 * @param joined The study's joined runs.
 * @param valueOf A done run's value.
 * @returns One sample per config, in plan order, labelled by the config.
 */
export function perConfig(joined: Joined, valueOf: (run: DoneRun) => number): Sample[] {
  return joined.configs.map((config) => {
    const sample: Sample = {
      label: config.label,
      values: [],
      seeds: [],
      runs: [],
      all: config.runs,
    };
    for (const run of config.runs) {
      if (!isDone(run)) continue;
      const v = valueOf(run);
      if (!Number.isFinite(v)) continue;
      sample.values.push(v);
      sample.seeds.push(run.plan.seed);
      sample.runs.push(run.plan.id);
    }
    return sample;
  });
}

/** Per-seed slopes on a log axis, or why there are none. */
export type SlopeSamples =
  | {
    samples: Sample[];
    /** The level behind each sample, in the same order. */
    levels: Level[];
    axisValues: number[];
    missing?: undefined;
  }
  | { missing: string };

/**
 * Per-seed least-squares slopes of a final metric on log(axis value),
 * separately at every level of the other swept axes. Within a level, a
 * seed's slope uses its done runs with a finite final metric; a seed needs
 * runs at two or more distinct axis values, otherwise it gives no slope.
 *
 * @param joined The study's joined runs.
 * @param axis The swept axis (its values must be positive numbers).
 * @param metric The final metric (it must be logged).
 * @param valueOf A run's value (default: its final `metric`), e.g. a mean
 *   over its last evaluations.
 * @returns One sample per level, or the reason there can be none (axis not
 *   swept, values not positive numbers, one value only, metric not logged).
 */
export function slopeSamples(
  joined: Joined,
  axis: string,
  metric: string,
  valueOf: (run: DoneRun) => number = (run) => finalMetric(run, metric),
): SlopeSamples {
  const problem = missingAxis(joined, axis) ?? missingMetric(joined, metric, "final");
  if (problem) return { missing: problem };
  const raw = joined.configs.map((c) => c.point[axis]);
  const bad = raw.filter((v) => !(typeof v === "number" && Number.isFinite(v) && v > 0));
  if (bad.length) {
    return {
      missing: `The swept axis "${axis}" has values that are not positive numbers (${
        [...new Set(bad.map(formatValue))].join(", ")
      }), so there is no slope on log(${axis}).`,
    };
  }
  const axisValues = [...new Set(raw as number[])].sort((a, b) => a - b);
  if (axisValues.length < 2) {
    return {
      missing: `The axis "${axis}" takes one value only (${axisValues[0]}); a slope needs two.`,
    };
  }
  const levels = levelsExcept(joined, axis);
  const samples = levels.map((level) => {
    const bySeed = new Map<number, { x: number[]; y: number[]; runs: string[] }>();
    const all: JoinedRun[] = [];
    for (const config of level.configs) {
      const x = Math.log(config.point[axis] as number);
      for (const run of config.runs) {
        all.push(run);
        if (!isDone(run)) continue;
        const y = valueOf(run);
        if (!Number.isFinite(y)) continue;
        let s = bySeed.get(run.plan.seed);
        if (!s) bySeed.set(run.plan.seed, s = { x: [], y: [], runs: [] });
        s.x.push(x);
        s.y.push(y);
        s.runs.push(run.plan.id);
      }
    }
    const sample: Sample = { label: level.label, values: [], seeds: [], runs: [], all };
    for (const [seed, s] of bySeed) {
      const slope = leastSquaresSlope(s.x, s.y);
      if (!Number.isFinite(slope)) continue;
      sample.values.push(slope);
      sample.seeds.push(seed);
      sample.runs.push(...s.runs);
    }
    return sample;
  });
  return { samples, levels, axisValues };
}
