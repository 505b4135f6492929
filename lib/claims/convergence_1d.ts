/**
 * Claim `convergence-1d` (Figure 1): over training p_g moves toward p_data.
 *
 * Decision rule: per done run, log(final `metric` / `metric` at step 0)
 * (the final value from `final.json`, the start from the curve row with
 * step 0; runs where either is missing or not positive are left out); per
 * config, the 95% t-interval of these log ratios across seeds. A config
 * PASSes when the interval is entirely below 0, FAILs when entirely above
 * 0, and is INCONCLUSIVE with fewer than `minSeeds` runs or an interval
 * that does not exclude 0. The claim PASSes when every config passes, FAILs
 * when every config fails, INCONCLUSIVE otherwise. The evidence also gives
 * the median ratio final / start of the deciding config.
 *
 * @module
 */
import { decideSamples, defineClaim, groupedResult, num } from "./common.ts";
import {
  curveOf,
  type DoneRun,
  finalMetric,
  isDone,
  missingMetric,
  perConfig,
} from "../analysis/select.ts";
import { median } from "../analysis/stats.ts";

/** Parameters of `convergence-1d`. */
export interface Convergence1dParams extends Record<string, unknown> {
  /** A divergence between p_g and p_data, logged at step 0 and at the end. */
  metric: string;
  /** The fewest seeds that can decide. */
  minSeeds: number;
}

/**
 * A run's value of a curve metric at step 0.
 *
 * @param run A done run.
 * @param metric The metric.
 * @returns The value, or NaN when the run has no finite value at step 0.
 */
export function atStepZero(run: DoneRun, metric: string): number {
  return curveOf(run, metric).find((r) => r.step === 0)?.value ?? NaN;
}

/** The `convergence-1d` claim. */
export const CONVERGENCE_1D = defineClaim<Convergence1dParams>({
  id: "convergence-1d",
  title: "p_g moves toward p_data over training (Figure 1)",
  tolerates: ["no_progress"],
  defaults: { metric: "js", minSeeds: 3 },
  test: (p) =>
    `per-run log(final ${p.metric} / ${p.metric} at step 0), 95% t-interval across seeds, ` +
    `per config; PASS if every interval is below 0`,
  run(joined, ctx) {
    const { metric, minSeeds } = ctx.params;
    const effectName = `log(final ${metric} / ${metric} at step 0)`;
    const problem = missingMetric(joined, metric, "final") ??
      missingMetric(joined, metric, "curves");
    if (problem) return ctx.missing(problem, effectName);
    if (!joined.runs.filter(isDone).some((r) => Number.isFinite(atStepZero(r, metric)))) {
      return ctx.missing(
        `No done run logged "${metric}" at step 0, so there is no start to compare with.`,
        effectName,
      );
    }
    const samples = perConfig(joined, (run) => {
      const ratio = finalMetric(run, metric) / atStepZero(run, metric);
      return ratio > 0 ? Math.log(ratio) : NaN;
    });
    const groups = decideSamples(samples, 0, "below", minSeeds);
    return groupedResult(ctx, groups, {
      effectName,
      measured: `Per-run log(final ${metric} / ${metric} at step 0)`,
      groupNoun: "config",
      remark: (d) =>
        d.values.length
          ? `the median ratio final / start is ${num(median(d.values.map(Math.exp)))}`
          : "",
    });
  },
});
