/**
 * How claims decide: the one-sided rule on a 95% t-interval, and the rule
 * that combines the verdicts of several groups (configs, or levels of the
 * other swept axes) into one. The intervals come from
 * `lib/analysis/stats.ts`, so a claim's interval is the report's interval.
 *
 * @module
 */
import type { Summary } from "../analysis/stats.ts";
import type { Verdict } from "./types.ts";

/** The side of a threshold a claim says its effect lies on. */
export type Side = "above" | "below";

/** A verdict on one group, with how clearly it was reached. */
export interface Decision {
  /** The group's verdict. */
  verdict: Verdict;
  /**
   * Distance from the interval's nearer end to the threshold, on the side
   * of the verdict (> 0 for PASS and FAIL); NaN for INCONCLUSIVE.
   */
  margin: number;
  /** Why, as a clause: "entirely above 0", "which does not exclude 0", ... */
  reason: string;
}

/**
 * The honesty rule for one group: INCONCLUSIVE with fewer than `minSeeds`
 * units or an interval that touches or straddles the threshold; PASS when
 * the 95% interval lies strictly on the claimed side; FAIL when it lies
 * strictly on the other side.
 *
 * @param s The group's summary across seeds.
 * @param threshold The decision threshold (e.g. 0 for a slope).
 * @param side The side the claim says the effect is on.
 * @param minSeeds The fewest independent units that can give PASS or FAIL.
 * @returns The decision.
 */
export function decideOneSided(
  s: Summary,
  threshold: number,
  side: Side,
  minSeeds: number,
): Decision {
  const t = formatThreshold(threshold);
  if (s.n < minSeeds) {
    return {
      verdict: "INCONCLUSIVE",
      margin: NaN,
      reason: `too few seeds (n = ${s.n}, at least ${minSeeds} required)`,
    };
  }
  const lo = s.ci95Low;
  const hi = s.ci95High;
  if (!Number.isFinite(lo) || !Number.isFinite(hi)) {
    return { verdict: "INCONCLUSIVE", margin: NaN, reason: "no finite interval" };
  }
  if (lo > threshold) {
    return {
      verdict: side === "above" ? "PASS" : "FAIL",
      margin: lo - threshold,
      reason: `entirely above ${t}`,
    };
  }
  if (hi < threshold) {
    return {
      verdict: side === "below" ? "PASS" : "FAIL",
      margin: threshold - hi,
      reason: `entirely below ${t}`,
    };
  }
  return { verdict: "INCONCLUSIVE", margin: NaN, reason: `which does not exclude ${t}` };
}

function formatThreshold(x: number): string {
  return String(Number(x.toPrecision(4)));
}

/**
 * Combines the decisions of several groups (configs, or levels of the other
 * swept axes) into one verdict: PASS if every group passes, FAIL if every
 * group fails, otherwise INCONCLUSIVE (a group without enough evidence, or
 * groups that disagree).
 *
 * The group reported as the claim's effect is the one that decides the
 * verdict: for PASS the weakest pass, for FAIL the weakest fail (smallest
 * margin), for INCONCLUSIVE the first inconclusive group in plan order, or,
 * when the groups disagree, the first failing one.
 *
 * @param groups The groups, in plan order (at least one).
 * @returns The verdict and the deciding group.
 */
export function combineDecisions<T extends { decision: Decision }>(
  groups: readonly T[],
): { verdict: Verdict; deciding: T } {
  if (groups.length === 0) throw new Error("combineDecisions: no groups");
  const weakest = () => groups.reduce((a, b) => (b.decision.margin < a.decision.margin ? b : a));
  if (groups.every((g) => g.decision.verdict === "PASS")) {
    return { verdict: "PASS", deciding: weakest() };
  }
  if (groups.every((g) => g.decision.verdict === "FAIL")) {
    return { verdict: "FAIL", deciding: weakest() };
  }
  const deciding = groups.find((g) => g.decision.verdict === "INCONCLUSIVE") ??
    groups.find((g) => g.decision.verdict === "FAIL")!;
  return { verdict: "INCONCLUSIVE", deciding };
}
