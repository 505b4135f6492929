/**
 * Learning curves summarised across seeds: for one configuration and one
 * metric, the mean and 95% t-interval at every logged step.
 *
 * @module
 */
import type { ConfigGroup, ReportState } from "./join.ts";
import { summarise, type Summary } from "./stats.ts";

/** The summary of one metric at one step over a configuration's seeds. */
export interface StepSummary extends Summary {
  /** The training iteration. */
  step: number;
}

/** Options for {@link curveSummary}. */
export interface CurveSummaryOptions {
  /** Runs in these states contribute (default: only `done`, as in the summary table). */
  states?: readonly ReportState[];
}

/**
 * Summarises one metric of one configuration step by step. Runs contribute
 * at the steps they logged; non-finite values are left out of each step.
 *
 * @param group The configuration and its runs.
 * @param metric The metric column.
 * @param options Which run states contribute.
 * @returns One summary per step with at least one finite value, by step.
 */
export function curveSummary(
  group: ConfigGroup,
  metric: string,
  options: CurveSummaryOptions = {},
): StepSummary[] {
  const states = options.states ?? ["done"];
  const byStep = new Map<number, number[]>();
  for (const run of group.runs) {
    if (!states.includes(run.state) || !run.record) continue;
    for (const row of run.record.curves) {
      const step = row.step;
      const v = row[metric];
      if (!Number.isFinite(step) || v === undefined) continue;
      const values = byStep.get(step) ?? [];
      values.push(v);
      byStep.set(step, values);
    }
  }
  return [...byStep.entries()]
    .sort((a, b) => a[0] - b[0])
    .map(([step, values]) => ({ step, ...summarise(values) }))
    .filter((s) => s.n > 0);
}
