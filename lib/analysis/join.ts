/**
 * Joins planned runs with the records a sweep left, run by run, and groups
 * them by configuration (the seeds of one sweep point).
 *
 * @module
 */
import { type Experiment, getPath, type RunPlan } from "../spec/mod.ts";
import type { RunRecord, RunState } from "../sweep/store.ts";
import { configLabel } from "./labels.ts";
import {
  assessHealth,
  healthContextOf,
  type HealthFailure,
  type RunHealth,
} from "../metrics/health.ts";

/**
 * A run's state in a report: a store state, or `missing` when no record
 * exists; claims see a done run that failed a health check they do not
 * tolerate as `invalid` (see `evidenceView`).
 */
export type ReportState = RunState | "missing" | "invalid";

/** Every state a report counts, in display order. */
export const REPORT_STATES: readonly ReportState[] = [
  "done",
  "diverged",
  "failed",
  "timeout",
  "running",
  "queued",
  "missing",
];

/** The states a claim counts runs in: {@link REPORT_STATES} with `invalid` after `done`. */
export const EVIDENCE_STATES: readonly ReportState[] = [
  "done",
  "invalid",
  ...REPORT_STATES.filter((s) => s !== "done"),
];

/** States that count as not (yet) run in summaries: queued, running, or no record. */
export const UNFINISHED_STATES: readonly ReportState[] = ["queued", "running", "missing"];

/** One planned run and its record, if any. */
export interface JoinedRun {
  /** The planned run. */
  plan: RunPlan;
  /** The record with the plan's id, or null. */
  record: RunRecord | null;
  /** The record's state, or `missing` without a record. */
  state: ReportState;
  /** The health checks of a done run with final metrics (null otherwise). */
  health: RunHealth | null;
  /** In a claim's view: the failed checks that make a done run `invalid`. */
  invalid?: HealthFailure[];
}

/** The seeds of one configuration. */
export interface ConfigGroup {
  /** The plans' shared `configId`. */
  configId: string;
  /** 0-based position in plan order. */
  index: number;
  /** "k=5, optimizer.lr=0.001", or "base" when nothing is swept. */
  label: string;
  /** Swept path -> value (from the plan's point, else its resolved config). */
  point: Record<string, unknown>;
  /** The configuration's runs, in plan order. */
  runs: JoinedRun[];
}

/** Planned runs joined with records. */
export interface Joined {
  /** Swept paths, in order. */
  axes: string[];
  /** One per plan, in plan order. */
  runs: JoinedRun[];
  /** One per configuration, in plan order. */
  configs: ConfigGroup[];
  /** Ids of records that no plan names (left over from an edited experiment). */
  ignored: string[];
}

/**
 * The value of a swept path for a plan: the point's value, or the resolved
 * config's value when the point does not set that path.
 *
 * @param plan The planned run.
 * @param axis A dotted config path.
 * @returns The value.
 */
export function axisValue(plan: RunPlan, axis: string): unknown {
  return Object.hasOwn(plan.point, axis) ? plan.point[axis] : getPath(plan.config, axis);
}

/**
 * The health checks of a done run (`lib/metrics/health.ts`), from its final
 * metrics and its metrics at step 0; null without final metrics.
 *
 * @param plan The planned run (its config).
 * @param record Its record.
 * @returns The run's health.
 */
export function healthOf(plan: RunPlan, record: RunRecord): RunHealth | null {
  const final = record.final?.metrics;
  if (!final) return null;
  const start = record.curves.find((r) => r.step === 0);
  return assessHealth(final, start, healthContextOf(plan.config));
}

/**
 * Joins plans with records by run id and groups them by configuration.
 *
 * @param exp The validated experiment (for its swept paths).
 * @param plans Every planned run, e.g. from `expandRuns(exp)`.
 * @param records The runs read back from the store (any subset, any order).
 * @returns Runs and configurations in plan order, and the ids of unplanned records.
 */
export function joinRuns(exp: Experiment, plans: RunPlan[], records: RunRecord[]): Joined {
  const byId = new Map(records.map((r) => [r.id, r]));
  const planned = new Set(plans.map((p) => p.id));
  const runs: JoinedRun[] = plans.map((plan) => {
    const record = byId.get(plan.id) ?? null;
    const state = record ? record.status.state : "missing";
    return { plan, record, state, health: state === "done" ? healthOf(plan, record!) : null };
  });
  const configs: ConfigGroup[] = [];
  const byConfig = new Map<string, ConfigGroup>();
  for (const run of runs) {
    let group = byConfig.get(run.plan.configId);
    if (!group) {
      const point: Record<string, unknown> = {};
      for (const a of exp.axes) point[a] = axisValue(run.plan, a);
      group = {
        configId: run.plan.configId,
        index: configs.length,
        label: configLabel(point, exp.axes),
        point,
        runs: [],
      };
      byConfig.set(group.configId, group);
      configs.push(group);
    }
    group.runs.push(run);
  }
  const ignored = [...new Set(records.map((r) => r.id))].filter((id) => !planned.has(id)).sort();
  return { axes: [...exp.axes], runs, configs, ignored };
}
