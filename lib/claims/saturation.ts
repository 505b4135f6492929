/**
 * Claim `saturation`: early in training D rejects G's samples with high
 * confidence, log(1 - D(G(z))) saturates and the minimax G's gradient
 * vanishes, so it learns slower than with the non-saturating loss.
 *
 * By algebra the non-saturating G gradient is (1 - D) / D times the
 * minimax one per sample, so a ratio above 1 alone says nothing. The rule
 * tests the two things that are not algebra: that training reaches states
 * where D is confident, there comparing both losses' gradients at the same
 * (D, G) state (every evaluation logs `g_grad_mm` and `g_grad_ns` whatever
 * loss trains the run), and the consequence for learning.
 *
 * Decision rule: per level of the other swept axes, over valid done runs
 * paired by seed (a run that made no progress stays evidence: stalling is
 * the effect), two conditions on 95% t-intervals across seeds: (1) at the
 * evaluations with D(G(z)) below `confident` (runs of either loss), the
 * per-seed mean of log(g_grad_mm / g_grad_ns) lies below log
 * `gradientRatio` (the minimax gradient at most that share of the
 * non-saturating one); (2) the per-seed difference between the minimax and
 * the non-saturating run of `metric` averaged over the early evaluations
 * (0 < step <= `early` × steps: saturation is about early training; both
 * losses may reach p_data later) is on the side where the minimax run
 * learned less (higher for a metric where lower is better, such as js;
 * lower for modes). A level PASSes when both hold, FAILs when
 * the second lies entirely on the other side (minimax learned more), and
 * is INCONCLUSIVE otherwise, with fewer than `minSeeds` seeds, or when no
 * evaluation saw a confident D (the premise did not occur). Levels combine
 * as for every claim.
 *
 * @module
 */
import { formatValue } from "../analysis/labels.ts";
import {
  curveOf,
  type DoneRun,
  isDone,
  levelsExcept,
  missingAxis,
  missingMetric,
  type Sample,
} from "../analysis/mod.ts";
import { metricInfo } from "../metrics/registry.ts";
import { defineClaim, num } from "./common.ts";
import { type ConditionGroup, conditionsResult, decideConditions } from "./conditions.ts";
import { axisProblem, metricProblem } from "./requirements.ts";

/** Parameters of `saturation`. */
export interface SaturationParams extends Record<string, unknown> {
  /** The swept axis that holds the loss variant. */
  axis: string;
  /** D(G(z)) below this counts as D rejecting the samples confidently. */
  confident: number;
  /** The minimax gradient must be at most this share of the non-saturating one there. */
  gradientRatio: number;
  /** The metric of learning progress (js, modes, ...), logged at every evaluation. */
  metric: string;
  /** The early window, as a share of each run's steps (0 < early <= 1). */
  early: number;
  /** The fewest seeds that can decide. */
  minSeeds: number;
  /** The axis value of the loss that should keep the gradient alive. */
  nonSaturating: string;
  /** The axis value of the loss whose gradient should vanish. */
  minimax: string;
}

/**
 * A run's mean of log(g_grad_mm / g_grad_ns) over its evaluations with
 * d_fake below `confident`, and how many there were.
 *
 * @param run A done run.
 * @param confident The threshold on d_fake.
 * @returns The mean log ratio (NaN without such evaluations) and the count.
 */
export function confidentLogRatio(
  run: DoneRun,
  confident: number,
): { value: number; count: number } {
  const mm = new Map(curveOf(run, "g_grad_mm").map((r) => [r.step, r.value]));
  const ns = new Map(curveOf(run, "g_grad_ns").map((r) => [r.step, r.value]));
  const logs: number[] = [];
  for (const r of curveOf(run, "d_fake")) {
    if (r.step === 0 || !(r.value < confident)) continue;
    const a = mm.get(r.step);
    const b = ns.get(r.step);
    if (a !== undefined && b !== undefined && a > 0 && b > 0) logs.push(Math.log(a / b));
  }
  const value = logs.length ? logs.reduce((s, v) => s + v, 0) / logs.length : NaN;
  return { value, count: logs.length };
}

/**
 * Mean of a curve metric over the rows with 0 < step <= early × steps.
 *
 * @param run A done run.
 * @param metric The curve metric.
 * @param early The share of the run's steps.
 * @returns The mean, or NaN when no row falls in the window.
 */
export function earlyMean(run: DoneRun, metric: string, early: number): number {
  const limit = early * run.plan.config.steps;
  const rows = curveOf(run, metric).filter((r) => r.step > 0 && r.step <= limit);
  return rows.length ? rows.reduce((a, r) => a + r.value, 0) / rows.length : NaN;
}

/** The `saturation` claim. */
export const SATURATION = defineClaim<SaturationParams>({
  id: "saturation",
  title: "With the minimax loss G's gradient vanishes where D is confident, and G learns slower",
  tolerates: ["no_progress"],
  defaults: {
    axis: "loss",
    confident: 0.1,
    gradientRatio: 0.5,
    metric: "js",
    early: 0.1,
    minSeeds: 3,
    nonSaturating: "non-saturating",
    minimax: "minimax",
  },
  test: (p) =>
    `per level of the other swept axes, paired by seed: the mean log(g_grad_mm / g_grad_ns) ` +
    `at evaluations with D(G(z)) < ${p.confident}, and the difference in ${p.metric} averaged ` +
    `over 0 < step <= ${p.early} × steps between the ${p.minimax} and ${p.nonSaturating} runs, ` +
    `95% t-intervals; PASS if the first ` +
    `is below log ${p.gradientRatio} and the second shows ${p.minimax} learning less, FAIL if ` +
    `the second shows it learning more`,
  check: (p) => [
    ...(p.confident > 0 && p.confident < 0.5
      ? []
      : [`param "confident" is ${p.confident}, expected 0 < confident < 0.5`]),
    ...(p.gradientRatio > 0 && p.gradientRatio <= 1
      ? []
      : [`param "gradientRatio" is ${p.gradientRatio}, expected 0 < gradientRatio <= 1`]),
    ...(p.early > 0 && p.early <= 1
      ? []
      : [`param "early" is ${p.early}, expected 0 < early <= 1`]),
  ],
  requires(study, p) {
    const axis = axisProblem(study, p.axis, {
      role: "the G loss, whose two variants the rule compares seed by seed",
      values: [p.minimax, p.nonSaturating],
      param: "axis",
      example: `${p.axis}: ["${p.minimax}", "${p.nonSaturating}"]`,
    });
    if (axis) return [axis];
    // The rule reads only the runs of the two losses.
    const compared = (c: { point: Record<string, unknown> }) =>
      [p.minimax, p.nonSaturating].includes(formatValue(c.point[p.axis]));
    return [
      metricProblem(study, "g_grad_mm", undefined, compared),
      metricProblem(study, p.metric, "metric", compared),
    ].filter((x): x is string => x !== null);
  },
  run(joined, ctx) {
    const { axis, confident, gradientRatio, metric, early, minSeeds, nonSaturating, minimax } =
      ctx.params;
    const effectName = `early ${metric}, ${minimax} minus ${nonSaturating}`;
    const axisProblem = missingAxis(joined, axis);
    if (axisProblem) return ctx.missing(axisProblem, effectName);
    const values = [...new Set(joined.configs.map((c) => formatValue(c.point[axis])))];
    const absent = [nonSaturating, minimax].filter((v) => !values.includes(v));
    if (absent.length) {
      return ctx.missing(
        `The study's "${axis}" values are ${values.join(", ")}; the test needs ` +
          `${absent.map((v) => `"${v}"`).join(" and ")} too.`,
        effectName,
      );
    }
    for (const m of ["g_grad_mm", "g_grad_ns", "d_fake", metric]) {
      const problem = missingMetric(joined, m, "curves");
      if (problem) return ctx.missing(problem, effectName);
    }
    // Lower is better for js: minimax learning less means a higher final value.
    const sign = metricInfo(metric)?.direction === "higher" ? -1 : 1;
    const is = (v: string) => (c: { point: Record<string, unknown> }) =>
      formatValue(c.point[axis]) === v;
    let confidentStates = 0;
    const groups: ConditionGroup[] = levelsExcept(joined, axis).map((level) => {
      const ns = level.configs.filter(is(nonSaturating)).flatMap((c) => c.runs);
      const mm = level.configs.filter(is(minimax)).flatMap((c) => c.runs);
      const sample: Sample = {
        label: level.label,
        values: [],
        seeds: [],
        runs: [],
        all: [...ns, ...mm],
      };
      const ratios: number[] = [];
      for (const a of mm) {
        const b = ns.find((r) => r.plan.seed === a.plan.seed);
        if (!b || !isDone(a) || !isDone(b)) continue;
        const diff = sign * (earlyMean(a, metric, early) - earlyMean(b, metric, early));
        if (!Number.isFinite(diff)) continue;
        sample.values.push(diff);
        sample.seeds.push(a.plan.seed);
        sample.runs.push(a.plan.id, b.plan.id);
        const ra = confidentLogRatio(a, confident);
        const rb = confidentLogRatio(b, confident);
        confidentStates += ra.count + rb.count;
        const both = [ra, rb].filter((r) => r.count > 0);
        if (both.length) {
          ratios.push(
            both.reduce((s, r) => s + r.value * r.count, 0) / both.reduce((s, r) => s + r.count, 0),
          );
        }
      }
      return decideConditions(sample, [
        {
          name: sign > 0
            ? `early ${metric} of ${minimax} minus ${nonSaturating}`
            : `early ${metric} of ${nonSaturating} minus ${minimax}`,
          values: sample.values,
          threshold: 0,
          side: "above",
        },
        {
          name: `log(g_grad_mm / g_grad_ns) where D(G(z)) < ${confident}`,
          values: ratios,
          threshold: Math.log(gradientRatio),
          side: "below",
          canFail: false,
        },
      ], minSeeds);
    });
    if (confidentStates === 0) {
      for (const g of groups) {
        // A level without a usable pair looked at no evaluation: it keeps "too few seeds".
        if (g.decision.verdict !== "FAIL" && g.values.length > 0) {
          g.decision = {
            verdict: "INCONCLUSIVE",
            margin: NaN,
            reason:
              `no evaluation saw D reject the samples confidently (D(G(z)) < ${confident}), ` +
              `so the premise of saturation did not occur`,
          };
        }
      }
    }
    return conditionsResult(ctx, groups, {
      groupNoun: "level",
      details: [`early: 0 < step <= ${early} × steps`, `${confidentStates} confident evaluations`],
      remark: (d) => {
        const r = d.conditions[1]?.summary;
        return r && r.n > 0
          ? `Where D was confident the minimax gradient was ${num(Math.exp(r.mean))} times the ` +
            `non-saturating one (geometric mean over seeds).`
          : "";
      },
    });
  },
});
