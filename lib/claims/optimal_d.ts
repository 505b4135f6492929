/**
 * Claim `optimal-d`: for a fixed G, D approaches the optimal
 * D* = p_data / (p_data + p_g) (Proposition 1).
 *
 * Decision rule: per config, the 95% t-interval of the final `metric` (max
 * abs error of D against D* on a grid) across the seeds' done runs. A
 * config PASSes when the interval lies entirely below `threshold`, FAILs
 * when it lies entirely above, and is INCONCLUSIVE with fewer than
 * `minSeeds` runs or an interval that contains the threshold. The claim
 * PASSes when every config passes, FAILs when every config fails, and is
 * INCONCLUSIVE otherwise (a config without enough done runs included).
 *
 * @module
 */
import { decideSamples, defineClaim, groupedResult } from "./common.ts";
import { finalMetric, missingMetric, perConfig } from "../analysis/select.ts";
import { metricProblem } from "./requirements.ts";

/** Parameters of `optimal-d`. */
export interface OptimalDParams extends Record<string, unknown> {
  /** The final metric: the error of D against D*. */
  metric: string;
  /** The largest error that counts as "D approaches D*". */
  threshold: number;
  /** The fewest seeds that can decide. */
  minSeeds: number;
}

/** The `optimal-d` claim. */
export const OPTIMAL_D = defineClaim<OptimalDParams>({
  id: "optimal-d",
  title: "For a fixed G, D approaches D* = p_data / (p_data + p_g)",
  defaults: { metric: "dstar_err", threshold: 0.1, minSeeds: 3 },
  test: (p) =>
    `95% t-interval of final ${p.metric} across seeds, per config; PASS if every interval ` +
    `is below ${p.threshold}, FAIL if every one is above`,
  requires: (study, p) => [metricProblem(study, p.metric, "metric")].filter((x) => x !== null),
  run(joined, ctx) {
    const { metric, threshold, minSeeds } = ctx.params;
    const effectName = `final ${metric}`;
    const problem = missingMetric(joined, metric, "final");
    if (problem) return ctx.missing(problem, effectName);
    const samples = perConfig(joined, (run) => finalMetric(run, metric));
    const groups = decideSamples(samples, threshold, "below", minSeeds);
    return groupedResult(ctx, groups, {
      effectName,
      measured: `Final ${metric}`,
      details: [`threshold ${threshold}`],
      groupNoun: "config",
    });
  },
});
