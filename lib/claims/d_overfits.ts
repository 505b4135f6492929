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
import { defineClaim, slopeClaim, type SlopeParams } from "./common.ts";

/** Parameters of `d-overfits`. */
export interface DOverfitsParams extends SlopeParams {
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
  run: (joined, ctx) => slopeClaim(joined, ctx, "above", "r_t"),
});
