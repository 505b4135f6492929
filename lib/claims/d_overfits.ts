/**
 * Claim `d-overfits`: optimising D more in the inner loop (Algorithm 1's k)
 * makes it overfit its finite training set, and a large training set,
 * where D cannot overfit, shows the effect less or not at all.
 *
 * The metric is `d_gap`, D's mean output on training reals minus on
 * held-out reals. `r_t` = E[sign(D logit)] on training reals (Karras et al.
 * 2020) is D's confidence on its training reals, which also rises when D
 * simply wins against G: the evidence shows which way it moves, never as
 * the evidence itself.
 *
 * Decision rule: the study sweeps `axis` (k) and a `control` axis (the
 * training set size) with at least two values; the smallest is the
 * treatment, the largest the control. Per level of any other swept axes,
 * over valid done runs paired by seed: the per-seed least-squares slope of
 * the final `metric` on log(axis) at the treatment (a seed needs runs at
 * two or more axis values), and the per-seed difference of that slope and
 * the control's. A level PASSes when the 95% t-interval of the treatment
 * slopes lies entirely above 0 and that of the differences entirely above
 * 0 (the control's slope is smaller); FAILs when either lies entirely
 * below 0; INCONCLUSIVE otherwise or with fewer than `minSeeds` seeds. A
 * study without the control axis is INCONCLUSIVE: a slope alone cannot
 * tell overfitting from D winning. Levels combine as for every claim.
 *
 * @module
 */
import { canonicalJson } from "../spec/mod.ts";
import { formatValue } from "../analysis/labels.ts";
import { coupledAxes, missingAxis, type Sample, slopeSamples, summarise } from "../analysis/mod.ts";
import { defineClaim, direction, interval } from "./common.ts";
import { type ConditionGroup, conditionsResult, decideConditions } from "./conditions.ts";
import { axisProblem, type ClaimStudy, metricProblem, plannedConfigs } from "./requirements.ts";

/** Parameters of `d-overfits`. */
export interface DOverfitsParams extends Record<string, unknown> {
  /** The swept axis (positive numbers): D's inner-loop optimisation. */
  axis: string;
  /** The final metric that grows with overfitting. */
  metric: string;
  /** The swept axis whose largest value is the control (a large training set). */
  control: string;
  /** The fewest seeds that can decide. */
  minSeeds: number;
}

/**
 * The slope is measured at the smallest value of the control axis: the
 * axis must take two values or more there (a zipped sweep may not).
 */
function treatmentProblem(study: ClaimStudy, axis: string, control: string): string | null {
  const configs = plannedConfigs(study);
  const controls = configs.map((c) => Number(c.point[control])).filter(Number.isFinite);
  if (controls.length === 0 || !study.exp.axes.includes(axis)) return null;
  const smallest = Math.min(...controls);
  const values = new Set(
    configs.filter((c) => Number(c.point[control]) === smallest).map((c) =>
      formatValue(c.point[axis])
    ),
  );
  if (values.size >= 2) return null;
  return `measures the slope on "${axis}" at the smallest "${control}" (${
    formatValue(smallest)
  }), ` +
    `where the study has ${values.size} value of "${axis}"; sweep both axes as a product ` +
    `(sweep: { ${axis}: [...], "${control}": [...] })`;
}

/** The `d-overfits` claim. */
export const D_OVERFITS = defineClaim<DOverfitsParams>({
  id: "d-overfits",
  title: "D overfits its finite training set more as it is optimised more in the inner loop",
  defaults: { axis: "k", metric: "d_gap", control: "data.trainSize", minSeeds: 3 },
  test: (p) =>
    `per-seed least-squares slope of final ${p.metric} on log(${p.axis}) at the smallest ` +
    `${p.control}, and its difference from the slope at the largest ${p.control} (paired by ` +
    `seed), 95% t-intervals; PASS if both are above 0, FAIL if either is below 0`,
  requires(study, p) {
    const axes = [
      axisProblem(study, p.axis, {
        role: "the inner-loop optimisation of D whose slope the rule measures",
        positive: true,
        param: "axis",
        example: `${p.axis}: [1, 2, 5, 10]`,
      }),
      axisProblem(study, p.control, {
        role: "the control: its largest value is a training set large enough that D cannot " +
          "overfit, without which a rising gap cannot be told from D winning",
        param: "control",
        example: `"${p.control}": [64, 4096]`,
      }),
    ].filter((x): x is string => x !== null);
    const rest = [
      metricProblem(study, p.metric, "metric"),
      axes.length ? null : treatmentProblem(study, p.axis, p.control),
    ];
    return [...axes, ...rest.filter((x): x is string => x !== null)];
  },
  run(joined, ctx) {
    const { axis, metric, control, minSeeds } = ctx.params;
    const effectName = `slope of ${metric} on log ${axis}`;
    const noControl = missingAxis(joined, control);
    if (noControl) {
      return ctx.missing(
        `${noControl} Without a control level (a large training set, where D cannot overfit) ` +
          `a rising ${metric} cannot be told from D simply winning against G.`,
        effectName,
      );
    }
    const slopes = slopeSamples(joined, axis, metric);
    if (slopes.missing !== undefined) return ctx.missing(slopes.missing, effectName);
    // Group the levels (values of every axis but `axis`) by everything but the control.
    const coupled = coupledAxes(joined, axis);
    const rest = joined.axes.filter((a) => a !== axis && a !== control && !coupled.includes(a));
    const byRest = new Map<string, { value: number; sample: Sample }[]>();
    slopes.levels.forEach((level, i) => {
      const point = level.configs[0].point;
      const key = canonicalJson(rest.map((a) => point[a] ?? null));
      const list = byRest.get(key) ?? [];
      list.push({ value: Number(point[control]), sample: slopes.samples[i] });
      byRest.set(key, list);
    });
    const groups: ConditionGroup[] = [];
    for (const list of byRest.values()) {
      list.sort((a, b) => a.value - b.value);
      const treat = list[0];
      const ctrl = list[list.length - 1];
      const ctrlBySeed = new Map(ctrl.sample.seeds.map((s, i) => [s, ctrl.sample.values[i]]));
      const diffs: number[] = [];
      treat.sample.seeds.forEach((s, i) => {
        const c = ctrlBySeed.get(s);
        if (c !== undefined) diffs.push(treat.sample.values[i] - c);
      });
      const label = [
        `${control}=${formatValue(treat.value)} vs ${formatValue(ctrl.value)}`,
        ...(rest.length
          ? [treat.sample.label.split(", ").filter((p) => !p.startsWith(`${control}=`)).join(", ")]
          : []),
      ].filter((x) => x).join(", ");
      const sample: Sample = {
        label,
        values: treat.sample.values,
        seeds: treat.sample.seeds,
        runs: [...treat.sample.runs, ...ctrl.sample.runs],
        all: [...treat.sample.all, ...ctrl.sample.all],
      };
      const group = decideConditions(sample, [
        {
          name: `slope of ${metric} on log ${axis} at ${control}=${formatValue(treat.value)}`,
          values: treat.sample.values,
          threshold: 0,
          side: "above",
        },
        {
          name: `its excess over the slope at ${control}=${formatValue(ctrl.value)}`,
          values: diffs,
          threshold: 0,
          side: "above",
        },
      ], minSeeds);
      if (treat === ctrl) {
        group.decision = {
          verdict: "INCONCLUSIVE",
          margin: NaN,
          reason: `${control} takes one value here, so there is no control level`,
        };
      }
      groups.push(group);
    }
    const rt = slopeSamples(joined, axis, "r_t");
    return conditionsResult(ctx, groups, {
      groupNoun: "level",
      details: [`${axis} = ${slopes.axisValues.join(", ")}`],
      remark() {
        if (rt.missing !== undefined || metric === "r_t") return "";
        const first = rt.samples.find((s) => s.values.length >= 2);
        if (!first) return "";
        const s = summarise(first.values);
        return `r_t (D's confidence on its training reals, which also rises when D simply wins; ` +
          `not evidence of overfitting by itself) ${direction(s)} with ${axis} at ${
            first.label || "the study"
          } (per-seed slope ${interval(s)}).`;
      },
    });
  },
});
