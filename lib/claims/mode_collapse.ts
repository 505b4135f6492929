/**
 * Claim `mode-collapse`: training G more per D step (the "Helvetica
 * scenario") collapses modes.
 *
 * Decision rule: at every level of the other swept axes (e.g. each data
 * set), pair the done runs by seed across the values of `axis`; per seed,
 * the least-squares slope of the final `metric` on log(axis value) (a seed
 * needs done runs at two or more values); 95% t-interval of the slopes
 * across seeds. With `direction: "decreasing"` a level PASSes when its
 * interval is entirely below 0 and FAILs when entirely above 0 (the other
 * way round for "increasing"); it is INCONCLUSIVE with fewer than
 * `minSeeds` slopes or an interval that does not exclude 0. The claim
 * PASSes when every level passes, FAILs when every level fails, and is
 * INCONCLUSIVE otherwise. The evidence also says which way `hq_share`'s
 * per-seed slope points, when it is logged.
 *
 * @module
 */
import { defineClaim, slopeClaim, type SlopeParams } from "./common.ts";

/** Parameters of `mode-collapse`. */
export interface ModeCollapseParams extends SlopeParams {
  /** The swept axis (positive numbers): how much G is trained per D step. */
  axis: string;
  /** The final metric of mode coverage. */
  metric: string;
  /** "decreasing" (coverage drops as the axis grows) or "increasing". */
  direction: string;
  /** The fewest seeds that can decide. */
  minSeeds: number;
}

const DIRECTIONS = ["decreasing", "increasing"];

/** The `mode-collapse` claim. */
export const MODE_COLLAPSE = defineClaim<ModeCollapseParams>({
  id: "mode-collapse",
  title: "Training G too much per D step collapses modes (the Helvetica scenario)",
  tolerates: ["g_collapsed"],
  defaults: { axis: "gSteps", metric: "modes", direction: "decreasing", minSeeds: 3 },
  test: (p) =>
    `per-seed least-squares slope of final ${p.metric} on log(${p.axis}), 95% t-interval ` +
    `across seeds, per level of the other swept axes; PASS if every interval is ` +
    `${p.direction === "increasing" ? "above" : "below"} 0`,
  check: (p) =>
    DIRECTIONS.includes(p.direction) ? [] : [
      `param "direction" is ${JSON.stringify(p.direction)}, expected "decreasing" or "increasing"`,
    ],
  run: (joined, ctx) =>
    slopeClaim(joined, ctx, ctx.params.direction === "increasing" ? "above" : "below", "hq_share"),
});
