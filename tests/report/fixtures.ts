/**
 * A small sweep for report tests: k in {1, 2, 3} x seeds {0, 1, 2}, with
 * hand-made records in every state.
 *
 * @module
 */
import {
  expandRuns,
  type Experiment,
  type RunPlan,
  validateExperiment,
} from "../../lib/spec/mod.ts";
import type { RunRecord, RunState } from "../../lib/sweep/store.ts";

/** The fixture sweep. */
export interface Fixture {
  exp: Experiment;
  plans: RunPlan[];
  records: RunRecord[];
}

/** Final `modes` per run, by k then seed (undefined: no final metrics). */
export const MODES: Record<number, (number | undefined)[]> = {
  1: [8, 7, 6],
  2: [5, NaN, undefined],
  3: [undefined, undefined, undefined],
};

/** States per run, by k then seed (null: no record at all). */
export const STATES: Record<number, (RunState | null)[]> = {
  1: ["done", "done", "done"],
  2: ["done", "diverged", null],
  3: ["failed", "timeout", "running"],
};

/** Makes one record for a plan. */
export function record(
  plan: RunPlan,
  state: RunState,
  metrics: Record<string, number> | null,
  curves: Record<string, number>[] = [],
): RunRecord {
  return {
    id: plan.id,
    dir: `/nowhere/${plan.id}`,
    config: plan.config,
    status: { state, attempts: 1, error: state === "failed" ? "boom\nstack" : undefined },
    final: metrics ? { step: 100, metrics } : null,
    curves,
  };
}

/** Builds the fixture; curves for done runs are modes = final - 2 at step 0 and final at 100. */
export function fixture(): Fixture {
  const exp = validateExperiment({
    name: "t",
    base: { data: { name: "ring-8" } },
    sweep: { k: [1, 2, 3] },
    seeds: [0, 1, 2],
  });
  const plans = expandRuns(exp);
  const records: RunRecord[] = [];
  for (const plan of plans) {
    const k = plan.point.k as number;
    const i = exp.seeds.indexOf(plan.seed);
    const state = STATES[k][i];
    if (state === null) continue;
    const modes = MODES[k][i];
    const metrics = modes === undefined ? null : { modes, hq_share: modes / 10, d_gap: 0.1 * k };
    const curves = state === "done" && modes !== undefined
      ? [{ step: 0, modes: modes - 2, hq_share: 0.1 }, { step: 100, modes, hq_share: modes / 10 }]
      : [];
    records.push(record(plan, state, metrics, curves));
  }
  // A run directory left over from an earlier version of the experiment.
  records.push({ ...records[0], id: "0000000000-s9" });
  return { exp, plans, records };
}
