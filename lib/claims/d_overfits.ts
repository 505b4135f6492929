/**
 * Claim `d-overfits`: the more D is optimised in the inner loop (Algorithm
 * 1's k), the more it overfits its finite training set.
 *
 * Decision rule: at every level of the other swept axes, pair the done runs
 * by seed across the values of `axis`; per seed, the least-squares slope of
 * the final `metric` on log(axis value) (a seed needs done runs at two or
 * more values); 95% t-interval of the slopes across seeds. A level PASSes
 * when its interval is entirely above 0, FAILs when entirely below 0, and
 * is INCONCLUSIVE with fewer than `minSeeds` slopes or an interval that
 * does not exclude 0. The claim PASSes when every level passes, FAILs when
 * every level fails, and is INCONCLUSIVE otherwise. When `r_t` is logged,
 * the evidence also says which way its per-seed slope points.
 *
 * @module
 */
import { decideSamples, defineClaim, direction, groupedResult, interval } from "./common.ts";
import { slopeSamples } from "./select.ts";
import { summarise } from "./stats.ts";

/** Parameters of `d-overfits`. */
export interface DOverfitsParams extends Record<string, unknown> {
  /** The swept axis (positive numbers): D's inner-loop optimisation. */
  axis: string;
  /** The final metric that grows with overfitting. */
  metric: string;
  /** The fewest seeds that can decide. */
  minSeeds: number;
}

/** The `d-overfits` claim. */
export const D_OVERFITS = defineClaim<DOverfitsParams>({
  id: "d-overfits",
  title: "D overfits its finite training set more as it is optimised more in the inner loop",
  defaults: { axis: "k", metric: "d_gap", minSeeds: 3 },
  test: (p) =>
    `per-seed least-squares slope of final ${p.metric} on log(${p.axis}), 95% t-interval ` +
    `across seeds, per level of the other swept axes; PASS if every interval is above 0`,
  run(joined, ctx) {
    const { axis, metric, minSeeds } = ctx.params;
    const effectName = `slope of ${metric} on log ${axis}`;
    const slopes = slopeSamples(joined, axis, metric);
    if (slopes.missing !== undefined) return ctx.missing(slopes.missing, effectName);
    const groups = decideSamples(slopes.samples, 0, "above", minSeeds);
    const rt = metric === "r_t" ? undefined : slopeSamples(joined, axis, "r_t");
    return groupedResult(ctx, groups, {
      effectName,
      measured: `Per-seed slope of final ${metric} on log ${axis}`,
      details: [`${axis} = ${slopes.axisValues.join(", ")}`],
      groupNoun: "level",
      remark(deciding) {
        if (!rt || rt.missing !== undefined) return "";
        const same = rt.samples.find((s) => s.label === deciding.label);
        if (!same || same.values.length < 2) return "";
        const s = summarise(same.values);
        return `r_t ${direction(s)} with ${axis} (per-seed slope ${interval(s)})`;
      },
    });
  },
});
