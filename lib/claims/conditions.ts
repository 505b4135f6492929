/**
 * Claims that hold only when several things hold at once ("JS fell *and*
 * ended near the floor", "C(G) near -log 4 *and* JSD near 0 *and* D*
 * flat"): each condition is a one-sided test of a 95% t-interval across
 * seeds against a threshold; a group (config or level) PASSes when every
 * condition passes, FAILs when any condition lies entirely on the other
 * side of its threshold, and is INCONCLUSIVE otherwise. Groups combine as
 * for every claim (`combineDecisions`).
 *
 * @module
 */
import { summarise, type Summary } from "../analysis/stats.ts";
import type { Sample } from "../analysis/select.ts";
import {
  type ClaimContext,
  interval,
  notUsedItem,
  num,
  type Params,
  seeds,
  usedRuns,
} from "./common.ts";
import { combineDecisions, decideOneSided, type Decision, type Side } from "./decision.ts";
import type { ClaimResult } from "./types.ts";

/** One condition of a group: a sample of per-seed values and the side it must lie on. */
export interface ConditionInput {
  /** What the values are, e.g. "final js" or "C(G) + log 4". */
  name: string;
  /** One value per seed. */
  values: number[];
  /** The threshold the interval is compared with (the lower end with `upper`). */
  threshold: number;
  /** The side the claim says the interval lies on (ignored with `upper`). */
  side: Side;
  /** With it, the claim says the interval lies within (threshold, upper). */
  upper?: number;
  /**
   * Whether lying entirely on the other side refutes the claim (FAIL);
   * false for conditions that can only fail to confirm (default true).
   */
  canFail?: boolean;
}

/** A decided condition. */
export interface Condition extends ConditionInput {
  summary: Summary;
  decision: Decision;
}

/** A group (config or level) with its conditions and the decision on them. */
export interface ConditionGroup extends Sample {
  conditions: Condition[];
  decision: Decision;
}

function sideText(c: ConditionInput): string {
  if (c.upper !== undefined) return `within (${num(c.threshold)}, ${num(c.upper)})`;
  return `${c.side === "below" ? "<" : ">"} ${num(c.threshold)}`;
}

/** The one-sided rule, or for a `within` condition both sides of it. */
function decideCondition(c: ConditionInput, summary: Summary, minSeeds: number): Decision {
  if (c.upper === undefined) return decideOneSided(summary, c.threshold, c.side, minSeeds);
  const low = decideOneSided(summary, c.threshold, "above", minSeeds);
  const high = decideOneSided(summary, c.upper, "below", minSeeds);
  if (low.verdict === "FAIL" || high.verdict === "FAIL") {
    return { ...(low.verdict === "FAIL" ? low : high), verdict: "FAIL" };
  }
  if (low.verdict === "PASS" && high.verdict === "PASS") {
    return {
      verdict: "PASS",
      margin: Math.min(low.margin, high.margin),
      reason: `within (${num(c.threshold)}, ${num(c.upper)})`,
    };
  }
  return low.verdict === "INCONCLUSIVE" ? low : high;
}

/**
 * Decides a group's conditions: PASS when every condition's interval lies
 * on its claimed side, FAIL when one that can fail lies entirely on the
 * other side, INCONCLUSIVE otherwise (too few seeds in any condition
 * included).
 *
 * @param sample The group: its label, seeds, runs used and every planned run.
 * @param inputs The conditions.
 * @param minSeeds The fewest seeds a condition needs.
 * @returns The decided group.
 */
export function decideConditions(
  sample: Sample,
  inputs: readonly ConditionInput[],
  minSeeds: number,
): ConditionGroup {
  const conditions: Condition[] = inputs.map((c) => {
    const summary = summarise(c.values);
    return { ...c, summary, decision: decideCondition(c, summary, minSeeds) };
  });
  const failing = conditions.filter((c) => c.decision.verdict === "FAIL" && c.canFail !== false);
  let decision: Decision;
  if (failing.length) {
    decision = {
      verdict: "FAIL",
      margin: Math.max(...failing.map((c) => c.decision.margin)),
      reason: `${failing.map((c) => c.name).join(" and ")} ${
        failing.length === 1 ? "lies" : "lie"
      } entirely on the other side (claimed ${failing.map(sideText).join(", ")})`,
    };
  } else if (conditions.every((c) => c.decision.verdict === "PASS")) {
    decision = {
      verdict: "PASS",
      margin: Math.min(...conditions.map((c) => c.decision.margin)),
      reason: "every interval lies on its claimed side",
    };
  } else {
    const few = conditions.filter((c) => c.summary.n < minSeeds);
    const open = conditions.filter((c) => c.decision.verdict !== "PASS");
    decision = {
      verdict: "INCONCLUSIVE",
      margin: NaN,
      reason: few.length
        ? `too few seeds (n = ${Math.min(...few.map((c) => c.summary.n))}, at least ${minSeeds} ` +
          `required)`
        : `the interval of ${open.map((c) => c.name).join(" and ")} does not lie on its ` +
          `claimed side (${open.map(sideText).join(", ")})`,
    };
  }
  return { ...sample, conditions, decision };
}

/** How {@link conditionsResult} words a claim's evidence. */
export interface ConditionWording {
  /** What a group is: "config" or "level". */
  groupNoun: string;
  /** The condition reported as the claim's effect (its index), by default the first. */
  effect?: number;
  /** Extra items for the parenthesis after n, e.g. "tolerance 0.05". */
  details?: string[];
  /** A closing sentence for the deciding group, or "". */
  remark?: (deciding: ConditionGroup) => string;
}

/**
 * The claim's result from decided groups: the combined verdict, the
 * deciding group's conditions with their intervals, its n, the runs used,
 * and the effect (one condition's mean and interval).
 *
 * @param ctx The claim's context.
 * @param groups The decided groups (at least one).
 * @param w The wording.
 * @returns The result.
 */
export function conditionsResult<P extends Params>(
  ctx: ClaimContext<P>,
  groups: readonly ConditionGroup[],
  w: ConditionWording,
): ClaimResult {
  const { verdict, deciding } = combineDecisions(groups);
  const parts = deciding.conditions.map((c) =>
    `${c.name} ${interval(c.summary)} (claimed ${sideText(c)})`
  );
  const n = Math.max(0, ...deciding.conditions.map((c) => c.summary.n));
  const items = ["mean [95% CI]", `n = ${seeds(n)}`, ...(w.details ?? [])];
  const unused = notUsedItem(groups);
  if (unused) items.push(unused);
  const where = groups.length > 1
    ? ` At ${deciding.label} (the deciding ${w.groupNoun} of ${groups.length}): `
    : "";
  let evidence = `${where}${parts.join("; ")} (${items.join("; ")}): ${deciding.decision.reason}.`;
  evidence = evidence.trim();
  evidence = evidence.charAt(0).toUpperCase() + evidence.slice(1);
  if (groups.length > 1) {
    evidence += ` By ${w.groupNoun}: ${
      groups.map((g) => `${g.label} ${g.decision.verdict}`).join(", ")
    }.`;
  }
  const remark = w.remark?.(deciding) ?? "";
  if (remark) evidence += ` ${remark}`;
  const e = deciding.conditions[w.effect ?? 0];
  return ctx.result({
    verdict,
    evidence,
    effect: {
      name: e.name,
      estimate: e.summary.mean,
      ci95Low: e.summary.ci95Low,
      ci95High: e.summary.ci95High,
    },
    n,
    runs: usedRuns(groups),
  });
}
