/**
 * Claim `saturation`: with the minimax loss G's gradient vanishes early in
 * training; the non-saturating loss keeps it alive.
 *
 * Decision rule: for every done run, the mean of `metric` (G's gradient
 * norm) over its curve rows with 0 < step <= early × steps (its own
 * `steps`). At every level of the other swept axes, pair the run with
 * `axis` = `nonSaturating` and the run with `axis` = `minimax` by seed;
 * per seed, log(mean non-saturating / mean minimax) (pairs where either
 * mean is not positive are left out); 95% t-interval of the log ratios
 * across seeds. A level PASSes when the interval is entirely above 0, FAILs
 * when entirely below 0, and is INCONCLUSIVE with fewer than `minSeeds`
 * pairs or an interval that does not exclude 0. The claim PASSes when every
 * level passes, FAILs when every level fails, INCONCLUSIVE otherwise. The
 * evidence also gives the geometric-mean ratio exp(mean) with its interval.
 *
 * @module
 */
import { formatValue } from "../analysis/labels.ts";
import { type Decided, decideSamples, defineClaim, groupedResult, num } from "./common.ts";
import {
  curveOf,
  type DoneRun,
  isDone,
  levelsExcept,
  missingAxis,
  missingMetric,
  type Sample,
} from "../analysis/select.ts";
import { mean } from "../analysis/stats.ts";

/** Parameters of `saturation`. */
export interface SaturationParams extends Record<string, unknown> {
  /** The swept axis that holds the loss variant. */
  axis: string;
  /** The early window, as a share of each run's training steps (0 < early <= 1). */
  early: number;
  /** The curve metric: G's gradient norm. */
  metric: string;
  /** The fewest seeds that can decide. */
  minSeeds: number;
  /** The axis value of the loss that should keep the gradient alive. */
  nonSaturating: string;
  /** The axis value of the loss whose gradient should vanish. */
  minimax: string;
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
  return rows.length ? mean(rows.map((r) => r.value)) : NaN;
}

/** The `saturation` claim. */
export const SATURATION = defineClaim<SaturationParams>({
  id: "saturation",
  title:
    "With the minimax loss G's gradient vanishes early; the non-saturating loss keeps it alive",
  tolerates: ["no_progress"],
  defaults: {
    axis: "loss",
    early: 0.1,
    metric: "g_grad_norm",
    minSeeds: 3,
    nonSaturating: "non-saturating",
    minimax: "minimax",
  },
  test: (p) =>
    `per-seed log(mean ${p.metric} over 0 < step <= ${p.early} × steps, ${p.nonSaturating} / ` +
    `${p.minimax}), paired by seed per level of the other swept axes, 95% t-interval across ` +
    `seeds; PASS if every interval is above 0`,
  check: (p) =>
    p.early > 0 && p.early <= 1 ? [] : [`param "early" is ${p.early}, expected 0 < early <= 1`],
  run(joined, ctx) {
    const { axis, early, metric, minSeeds, nonSaturating, minimax } = ctx.params;
    const effectName = `log(${metric} ${nonSaturating} / ${minimax}), early`;
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
    const metricProblem = missingMetric(joined, metric, "curves");
    if (metricProblem) return ctx.missing(metricProblem, effectName);
    const is = (v: string) => (c: { point: Record<string, unknown> }) =>
      formatValue(c.point[axis]) === v;
    const relevant = joined.configs.filter((c) => is(nonSaturating)(c) || is(minimax)(c));
    const stepsSet = [...new Set(relevant.flatMap((c) => c.runs.map((r) => r.plan.config.steps)))];
    const window = stepsSet.length === 1
      ? `0 < step <= ${num(early * stepsSet[0])}, the first ${num(early * 100)}% of ` +
        `${stepsSet[0]} steps`
      : `0 < step <= ${early} × each run's steps`;
    const done = relevant.flatMap((c) => c.runs.filter(isDone));
    if (!done.some((r) => Number.isFinite(earlyMean(r, metric, early)))) {
      return ctx.missing(
        `No done run logged "${metric}" at ${window}; evaluate more often (evalEvery) or ` +
          `raise "early".`,
        effectName,
      );
    }
    const samples: Sample[] = levelsExcept(joined, axis).map((level) => {
      const ns = level.configs.filter(is(nonSaturating)).flatMap((c) => c.runs);
      const mm = level.configs.filter(is(minimax)).flatMap((c) => c.runs);
      const sample: Sample = {
        label: level.label,
        values: [],
        seeds: [],
        runs: [],
        all: [...ns, ...mm],
      };
      for (const a of ns) {
        const b = mm.find((r) => r.plan.seed === a.plan.seed);
        if (!b || !isDone(a) || !isDone(b)) continue;
        const ratio = earlyMean(a, metric, early) / earlyMean(b, metric, early);
        if (!(ratio > 0 && Number.isFinite(ratio))) continue;
        sample.values.push(Math.log(ratio));
        sample.seeds.push(a.plan.seed);
        sample.runs.push(a.plan.id, b.plan.id);
      }
      return sample;
    });
    const groups = decideSamples(samples, 0, "above", minSeeds);
    return groupedResult(ctx, groups, {
      effectName,
      measured: `Per-seed log(mean early ${metric} of ${nonSaturating} / of ${minimax})`,
      details: [window],
      groupNoun: "level",
      remark: (d: Decided) => {
        const s = d.summary;
        if (s.n === 0) return "";
        const ratio = Number.isFinite(s.ci95Low)
          ? `${num(Math.exp(s.mean))} [${num(Math.exp(s.ci95Low))}, ${num(Math.exp(s.ci95High))}]`
          : num(Math.exp(s.mean));
        return `the geometric-mean ratio is ${ratio}`;
      },
    });
  },
});
