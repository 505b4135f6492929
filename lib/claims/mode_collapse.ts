/**
 * Claim `mode-collapse` (the "Helvetica scenario"): training G too much
 * per D step collapses too many z onto the same x.
 *
 * The coverage metric is `modes_hq` by default: modes that received at
 * least 0.8% of the samples (20 of 2,500) as high-quality samples, not one
 * stray sample, averaged over each run's last `lastEvals` evaluations so
 * that one snapshot does not decide. A collapsed G is the effect this claim
 * measures, so a run whose G collapsed stays evidence; a run whose D died
 * or that never moved from its start does not.
 *
 * Decision rule: per level of the other swept axes, per seed the
 * least-squares slope of that average on log(`axis`) over the valid done
 * runs (a seed needs runs at two or more axis values); 95% t-interval of
 * the slopes across seeds. A level PASSes when the interval lies entirely
 * on the claimed side of 0 (below for "decreasing"), FAILs when entirely on
 * the other side, and is INCONCLUSIVE with fewer than `minSeeds` slopes or
 * otherwise. The claim PASSes when every level passes, FAILs when every
 * level fails. The evidence gives `hq_share`'s slope beside it, so blur is
 * not read as collapse, and says whether the study held the number of G
 * updates fixed (steps x gSteps) or what it varied.
 *
 * @module
 */
import { type ConfigGroup, lastMean, slopeSamples, summarise } from "../analysis/mod.ts";
import { decideSamples, defineClaim, direction, groupedResult, interval } from "./common.ts";
import { axisProblem, metricProblem } from "./requirements.ts";

/** Parameters of `mode-collapse`. */
export interface ModeCollapseParams extends Record<string, unknown> {
  /** The swept axis (positive numbers): how much G is trained per D step. */
  axis: string;
  /** The coverage metric, logged at every evaluation. */
  metric: string;
  /** "decreasing" (coverage drops as the axis grows) or "increasing". */
  direction: string;
  /** Evaluations at the end of each run that are averaged. */
  lastEvals: number;
  /** The fewest seeds that can decide. */
  minSeeds: number;
}

const DIRECTIONS = ["decreasing", "increasing"];

/** Says what the study holds fixed: G's updates per run, or how they vary with the axis. */
function updatesNote(configs: readonly ConfigGroup[], axis: string): string {
  const rows = configs.filter((c) => c.runs.length).map((c) => {
    const cfg = c.runs[0].plan.config;
    return { value: c.point[axis], g: cfg.steps * cfg.gSteps, d: cfg.steps * cfg.k };
  });
  const gs = [...new Set(rows.map((r) => r.g))];
  const ds = [...new Set(rows.map((r) => r.d))];
  if (gs.length === 1) {
    return `the study holds G's updates at ${gs[0]} per run; D's updates per run: ${
      ds.join(", ")
    }.`;
  }
  return `the study varies G's updates per run with ${axis} (${
    [...new Set(rows.map((r) => `${r.value}: ${r.g}`))].join(", ")
  }; D's updates: ${ds.join(", ")}), so more G updates and more G updates per D update go ` +
    `together here.`;
}

/** The `mode-collapse` claim. */
export const MODE_COLLAPSE = defineClaim<ModeCollapseParams>({
  id: "mode-collapse",
  title: "Training G too much per D step collapses modes (the Helvetica scenario)",
  tolerates: ["g_collapsed"],
  defaults: {
    axis: "gSteps",
    metric: "modes_hq",
    direction: "decreasing",
    lastEvals: 3,
    minSeeds: 3,
  },
  test: (p) =>
    `per-seed least-squares slope on log(${p.axis}) of ${p.metric} averaged over each run's ` +
    `last ${p.lastEvals} evaluations, 95% t-interval across seeds, per level of the other swept ` +
    `axes; PASS if every interval is ${p.direction === "increasing" ? "above" : "below"} 0`,
  check: (p) => [
    ...(DIRECTIONS.includes(p.direction) ? [] : [
      `param "direction" is ${JSON.stringify(p.direction)}, expected "decreasing" or "increasing"`,
    ]),
    ...(Number.isInteger(p.lastEvals) && p.lastEvals >= 1
      ? []
      : [`param "lastEvals" is ${p.lastEvals}, expected an integer >= 1`]),
  ],
  requires: (study, p) =>
    [
      axisProblem(study, p.axis, {
        role: "how much G is trained per D step, whose slope the rule measures",
        positive: true,
        param: "axis",
        example: `${p.axis}: [1, 2, 5]`,
      }),
      metricProblem(study, p.metric, "metric"),
    ].filter((x): x is string => x !== null),
  run(joined, ctx) {
    const { axis, metric, lastEvals, minSeeds } = ctx.params;
    const effectName = `slope of ${metric} on log ${axis}`;
    const slopes = slopeSamples(joined, axis, metric, (r) => lastMean(r, metric, lastEvals));
    if (slopes.missing !== undefined) return ctx.missing(slopes.missing, effectName);
    const side = ctx.params.direction === "increasing" ? "above" : "below";
    const groups = decideSamples(slopes.samples, 0, side, minSeeds);
    const hq = metric === "hq_share"
      ? undefined
      : slopeSamples(joined, axis, "hq_share", (r) => lastMean(r, "hq_share", lastEvals));
    return groupedResult(ctx, groups, {
      effectName,
      measured: `Per-seed slope of ${metric} (mean of the last ${lastEvals} evaluations) on ` +
        `log ${axis}`,
      details: [`${axis} = ${slopes.axisValues.join(", ")}`],
      groupNoun: "level",
      remark(deciding) {
        const parts: string[] = [];
        if (hq && hq.missing === undefined) {
          const same = hq.samples.find((s) => s.label === deciding.label);
          if (same && same.values.length >= 2) {
            const s = summarise(same.values);
            parts.push(`hq_share ${direction(s)} with ${axis} (per-seed slope ${interval(s)})`);
          }
        }
        const level = slopes.levels[slopes.samples.findIndex((s) => s.label === deciding.label)];
        if (level) parts.push(updatesNote(level.configs, axis).replace(/\.$/, ""));
        return parts.join("; ");
      },
    });
  },
});
