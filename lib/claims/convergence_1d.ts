/**
 * Claim `convergence-1d` (Figure 1): over training p_g moves toward p_data
 * and reaches it.
 *
 * Decision rule: per config, over the valid done runs (a run whose D died
 * is not evidence; a run that made no progress is, since progress is what
 * the claim measures), two conditions on 95% t-intervals across seeds:
 * (1) the per-run log(final `metric` / `metric` at step 0) lies entirely
 * below 0 (the divergence fell), and (2) the final `metric` lies entirely
 * below `bound` (it ended near the estimator's floor, about 0.001 for the
 * histogram JS of 4,000 samples: a run stuck at JS 0.2 has not converged).
 * A config PASSes when both hold, FAILs when either interval lies entirely
 * on the other side (the divergence rose, or it ended above the bound), and
 * is INCONCLUSIVE with fewer than `minSeeds` runs or otherwise. The claim
 * PASSes when every config passes, FAILs when every config fails,
 * INCONCLUSIVE otherwise. The effect is the final metric.
 *
 * @module
 */
import { median } from "../analysis/stats.ts";
import { curveOf, type DoneRun, finalMetric, isDone, missingMetric } from "../analysis/select.ts";
import { defineClaim, num } from "./common.ts";
import { conditionsResult, decideConditions } from "./conditions.ts";
import { metricProblem } from "./requirements.ts";

/** Parameters of `convergence-1d`. */
export interface Convergence1dParams extends Record<string, unknown> {
  /** A divergence between p_g and p_data, logged at step 0 and at the end. */
  metric: string;
  /** The final divergence must lie below this (near the estimator's floor). */
  bound: number;
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
  title: "p_g moves toward p_data over training and reaches it (Figure 1)",
  tolerates: ["no_progress"],
  defaults: { metric: "js", bound: 0.02, minSeeds: 3 },
  test: (p) =>
    `per config, 95% t-intervals across valid runs of log(final ${p.metric} / ${p.metric} at ` +
    `step 0) and of final ${p.metric}; PASS if the first is below 0 and the second below ` +
    `${p.bound}, FAIL if either lies entirely on the other side`,
  check: (p) => p.bound > 0 ? [] : [`param "bound" is ${p.bound}, expected > 0`],
  requires: (study, p) => [metricProblem(study, p.metric, "metric")].filter((x) => x !== null),
  run(joined, ctx) {
    const { metric, bound, minSeeds } = ctx.params;
    const effectName = `final ${metric}`;
    const problem = missingMetric(joined, metric, "final") ??
      missingMetric(joined, metric, "curves");
    if (problem) return ctx.missing(problem, effectName);
    if (!joined.runs.filter(isDone).some((r) => Number.isFinite(atStepZero(r, metric)))) {
      return ctx.missing(
        `No done run logged "${metric}" at step 0, so there is no start to compare with.`,
        effectName,
      );
    }
    const groups = joined.configs.map((config) => {
      const runs = config.runs.filter(isDone).filter((r) =>
        finalMetric(r, metric) > 0 && atStepZero(r, metric) > 0
      );
      const finals = runs.map((r) => finalMetric(r, metric));
      const logRatios = runs.map((r) => Math.log(finalMetric(r, metric) / atStepZero(r, metric)));
      return decideConditions(
        {
          label: config.label,
          values: finals,
          seeds: runs.map((r) => r.plan.seed),
          runs: runs.map((r) => r.plan.id),
          all: config.runs,
        },
        [
          { name: `final ${metric}`, values: finals, threshold: bound, side: "below" },
          {
            name: `log(final ${metric} / ${metric} at step 0)`,
            values: logRatios,
            threshold: 0,
            side: "below",
          },
        ],
        minSeeds,
      );
    });
    return conditionsResult(ctx, groups, {
      groupNoun: "config",
      details: [`bound ${bound}`],
      remark: (d) =>
        d.values.length
          ? `The median final ${metric} is ${num(median(d.values))}, the median ratio final / ` +
            `start ${num(median(d.conditions[1].values.map(Math.exp)))}.`
          : "",
    });
  },
});
