/**
 * Claim `global-optimum` (Theorem 1): at the global optimum the value of
 * the game is -log 4 and D = 1/2 everywhere.
 *
 * Decision rule: per config, over the done runs that logged all three final
 * metrics, the 95% t-interval across seeds of each of `value + log 4`,
 * `d_real_valid - 1/2` and `d_fake - 1/2`. A config PASSes when every
 * interval lies strictly inside (-tolerance, +tolerance), FAILs when any
 * interval lies strictly outside it (entirely above +tolerance or entirely
 * below -tolerance), and is INCONCLUSIVE with fewer than `minSeeds` runs or
 * otherwise. Every config is checked: the claim PASSes when every config
 * passes, FAILs when every config fails, INCONCLUSIVE otherwise. The
 * effect is the deciding config's quantity whose interval reaches furthest
 * from 0.
 *
 * @module
 */
import {
  type ClaimContext,
  defineClaim,
  interval,
  notUsedItem,
  seeds,
  usedRuns,
} from "./common.ts";
import { finalMetric, isDone, missingMetric, type Sample } from "../analysis/select.ts";
import { summarise, type Summary } from "../analysis/stats.ts";
import { combineDecisions, type Decision } from "./decision.ts";
import type { ClaimResult } from "./types.ts";
import type { Joined } from "../analysis/join.ts";

/** Parameters of `global-optimum`. */
export interface GlobalOptimumParams extends Record<string, unknown> {
  /** How far from the optimum each interval may reach. */
  tolerance: number;
  /** The fewest seeds that can decide. */
  minSeeds: number;
}

/** The three quantities that are 0 at the optimum, from a run's final metrics. */
export const OPTIMUM_QUANTITIES: readonly {
  name: string;
  metric: string;
  offset: number;
}[] = [
  { name: "value + log 4", metric: "value", offset: -Math.log(4) },
  { name: "d_real_valid - 1/2", metric: "d_real_valid", offset: 0.5 },
  { name: "d_fake - 1/2", metric: "d_fake", offset: 0.5 },
];

interface ConfigCheck {
  label: string;
  sample: Sample;
  summaries: Summary[];
  decision: Decision;
  /** Index of the quantity whose interval reaches furthest from 0. */
  worst: number;
}

function reach(s: Summary): number {
  return Number.isFinite(s.ci95Low)
    ? Math.max(Math.abs(s.ci95Low), Math.abs(s.ci95High))
    : Math.abs(s.mean);
}

function decide(summaries: Summary[], n: number, tol: number, minSeeds: number): Decision {
  if (n < minSeeds) {
    return {
      verdict: "INCONCLUSIVE",
      margin: NaN,
      reason: `too few seeds (n = ${n}, at least ${minSeeds} required)`,
    };
  }
  const t = String(tol);
  const outside = summaries.map((s) => Math.max(s.ci95Low - tol, -tol - s.ci95High));
  const failing = OPTIMUM_QUANTITIES.filter((_, i) => outside[i] > 0).map((q) => q.name);
  if (failing.length) {
    return {
      verdict: "FAIL",
      margin: Math.max(...outside),
      reason: `${failing.join(" and ")} lie${
        failing.length === 1 ? "s" : ""
      } entirely outside ±${t}`,
    };
  }
  const inside = summaries.map((s) => tol - Math.max(-s.ci95Low, s.ci95High));
  if (inside.every((m) => m > 0)) {
    return {
      verdict: "PASS",
      margin: Math.min(...inside),
      reason: `every interval lies within ±${t}`,
    };
  }
  const crossing = OPTIMUM_QUANTITIES.filter((_, i) => !(inside[i] > 0)).map((q) => q.name);
  return {
    verdict: "INCONCLUSIVE",
    margin: NaN,
    reason: `the interval of ${crossing.join(" and ")} reaches past ±${t}`,
  };
}

function evaluateOptimum(
  joined: Joined,
  ctx: ClaimContext<GlobalOptimumParams>,
): ClaimResult {
  const { tolerance, minSeeds } = ctx.params;
  const effectName = "largest deviation from the optimum";
  const missing = OPTIMUM_QUANTITIES.map((q) => missingMetric(joined, q.metric, "final"));
  const first = missing.find((m) => m !== null);
  if (first) {
    const names = OPTIMUM_QUANTITIES.filter((_, i) => missing[i]).map((q) => `"${q.metric}"`);
    const noneDone = first.startsWith("No run is done");
    return ctx.missing(
      noneDone ? first : `No done run logged a finite final ${names.join(", ")}; the test needs ` +
        `value, d_real_valid and d_fake.`,
      effectName,
    );
  }
  const checks: ConfigCheck[] = joined.configs.map((config) => {
    const done = config.runs.filter(isDone).filter((r) =>
      OPTIMUM_QUANTITIES.every((q) => Number.isFinite(finalMetric(r, q.metric)))
    );
    const sample: Sample = {
      label: config.label,
      values: [],
      seeds: done.map((r) => r.plan.seed),
      runs: done.map((r) => r.plan.id),
      all: config.runs,
    };
    const summaries = OPTIMUM_QUANTITIES.map((q) =>
      summarise(done.map((r) => finalMetric(r, q.metric) - q.offset))
    );
    const reaches = summaries.map(reach);
    return {
      label: config.label,
      sample,
      summaries,
      decision: decide(summaries, done.length, tolerance, minSeeds),
      worst: reaches.indexOf(Math.max(...reaches)),
    };
  });
  const samples = checks.map((c) => c.sample);
  const { verdict, deciding } = combineDecisions(checks);
  const quantities = OPTIMUM_QUANTITIES.map((q, i) =>
    `${q.name} = ${interval(deciding.summaries[i])}`
  );
  const items = ["mean [95% CI]", `n = ${seeds(deciding.sample.runs.length)}`];
  const unused = notUsedItem(samples);
  if (unused) items.push(unused);
  const where = checks.length > 1
    ? ` at ${deciding.label} (the deciding config of ${checks.length})`
    : "";
  let evidence = `Final ${quantities.join(", ")}${where} (${
    items.join("; ")
  }): ${deciding.decision.reason}.`;
  if (checks.length > 1) {
    evidence += ` By config: ${checks.map((c) => `${c.label} ${c.decision.verdict}`).join(", ")}.`;
  }
  const w = deciding.summaries[deciding.worst];
  return ctx.result({
    verdict,
    evidence,
    effect: {
      name: OPTIMUM_QUANTITIES[deciding.worst].name,
      estimate: w.mean,
      ci95Low: w.ci95Low,
      ci95High: w.ci95High,
    },
    n: deciding.sample.runs.length,
    runs: usedRuns(samples),
  });
}

/** The `global-optimum` claim. */
export const GLOBAL_OPTIMUM = defineClaim<GlobalOptimumParams>({
  id: "global-optimum",
  title: "At the global optimum V = -log 4 and D = 1/2",
  tolerates: ["no_progress"],
  defaults: { tolerance: 0.1, minSeeds: 3 },
  test: (p) =>
    `95% t-intervals across seeds of final value + log 4, d_real_valid - 1/2 and d_fake - 1/2, ` +
    `per config; PASS if every interval lies within ±${p.tolerance}, FAIL if any lies ` +
    `entirely outside`,
  check: (p) => p.tolerance > 0 ? [] : [`param "tolerance" is ${p.tolerance}, expected > 0`],
  run: (joined, ctx) => evaluateOptimum(joined, ctx),
});
