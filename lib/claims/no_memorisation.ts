/**
 * Claim `no-memorisation` (Figure 2's question, with numbers): G's samples
 * are not copies of its training images; they lie no closer to the
 * training set than fresh images of the same distribution do.
 *
 * The metric is `mem_copy_share` (`lib/metrics/memorisation.ts`): at the
 * final evaluation, the share of samples whose nearest training image
 * (Euclidean, pixels, among all training images) is nearer than the 5%
 * quantile of the same distance for held-out images. A generator that
 * samples the data distribution without copying gets about 0.05; one that
 * returns training images gets up to 1.
 *
 * Decision rule: only configs whose runs run the memorisation test count,
 * and only valid done runs (runs failing a health check are not evidence).
 * Per config, the 95% t-interval across seeds of the final
 * `mem_copy_share`. Premise: G has learnt the data at all: the mean final
 * `mem_ratio` (median sample distance over median held-out distance) is at
 * most `maxRatio`; a G whose samples lie far from every training image
 * cannot tell us whether it would copy, so that config is INCONCLUSIVE. A
 * config PASSes when the interval lies entirely below `threshold` (default
 * 0.1, twice the share of fresh data: at most about 5% of the samples are
 * near-copies beyond chance), FAILs (memorisation) when it lies entirely
 * above, and is INCONCLUSIVE when it straddles it or with fewer than
 * `minSeeds` runs. The claim PASSes when every config passes and FAILs
 * when every config fails.
 *
 * @module
 */
import type { Joined } from "../analysis/join.ts";
import { finalMetric, isDone, missingMetric, perConfig, summarise } from "../analysis/mod.ts";
import { qualityMetrics, type RunConfig } from "../spec/config.ts";
import { metricProblem, plannedConfigs } from "./requirements.ts";
import { decideOneSided } from "./decision.ts";
import { defineClaim, groupedResult, num } from "./common.ts";
import type { Decided } from "./common.ts";

/** Parameters of `no-memorisation`. */
export interface NoMemorisationParams extends Record<string, unknown> {
  /** The final metric: share of samples nearer a training image than 95% of held-out images. */
  metric: string;
  /** The share below which the interval must lie (fresh data: 0.05). */
  threshold: number;
  /** The largest mean `mem_ratio` at which G counts as having learnt the data. */
  maxRatio: number;
  /** The fewest seeds that can decide. */
  minSeeds: number;
}

/** The configs of a study that run the memorisation test. */
function memorisationConfigs(joined: Joined): Joined {
  const configs = joined.configs.filter((c) =>
    c.runs.length > 0 && qualityMetrics(c.runs[0].plan.config).includes("memorisation")
  );
  return { ...joined, configs };
}

/** The `no-memorisation` claim. */
export const NO_MEMORISATION = defineClaim<NoMemorisationParams>({
  id: "no-memorisation",
  title: "G does not memorise: its samples lie no closer to training images than fresh images do",
  defaults: { metric: "mem_copy_share", threshold: 0.1, maxRatio: 1.5, minSeeds: 3 },
  test: (p) =>
    `95% t-interval across seeds of final ${p.metric} per config (premise: mean mem_ratio at ` +
    `most ${p.maxRatio}); PASS if every interval lies below ${p.threshold}, FAIL if every one ` +
    `lies above`,
  check: (p) => [
    ...(p.threshold > 0 && p.threshold < 1
      ? []
      : [`param "threshold" is ${p.threshold}, expected a share in (0, 1)`]),
    ...(p.maxRatio > 0 ? [] : [`param "maxRatio" is ${p.maxRatio}, expected > 0`]),
  ],
  requires(study, p) {
    // Only the configs that run the memorisation test count; at least one must.
    const tested = (c: { config: RunConfig }) => qualityMetrics(c.config).includes("memorisation");
    const some = plannedConfigs(study).some(tested);
    const problem = metricProblem(study, p.metric, "metric", some ? tested : undefined);
    return problem ? [problem] : [];
  },
  run(joined, ctx) {
    const { metric, threshold, maxRatio, minSeeds } = ctx.params;
    const study = memorisationConfigs(joined);
    if (study.configs.length === 0) {
      return ctx.missing(
        "Not checked: no config of this study runs the memorisation test (image data with " +
          '`quality` including "memorisation").',
        metric,
      );
    }
    const problem = missingMetric(study, metric, "final");
    if (problem) return ctx.missing(`no ${metric} metric in these runs: ${problem}`, metric);
    const samples = perConfig(study, (run) => (isDone(run) ? finalMetric(run, metric) : NaN));
    const ratios = perConfig(study, (run) => (isDone(run) ? finalMetric(run, "mem_ratio") : NaN));
    const groups: Decided[] = samples.map((sample, i) => {
      const summary = summarise(sample.values);
      const ratio = summarise(ratios[i].values);
      let decision = decideOneSided(summary, threshold, "below", minSeeds);
      if (decision.verdict !== "INCONCLUSIVE" && !(ratio.mean <= maxRatio)) {
        decision = {
          verdict: "INCONCLUSIVE",
          margin: NaN,
          reason:
            `but G has not learnt the data: its samples lie ${num(ratio.mean)} times as far ` +
            `from the training images as held-out images do (mem_ratio above ${maxRatio}), so ` +
            `the test cannot tell whether it would copy them`,
        };
      }
      return { ...sample, summary, decision };
    });
    return groupedResult(ctx, groups, {
      effectName: metric,
      measured: `Final ${metric} (share of samples nearer a training image than 95% of ` +
        `held-out images; fresh data: 0.05)`,
      details: [`threshold ${threshold}`],
      groupNoun: "config",
      remark(deciding) {
        const i = groups.indexOf(deciding);
        const r = summarise(ratios[i].values);
        return r.n
          ? `mean mem_ratio ${num(r.mean)} (median distance of samples over held-out images)`
          : "";
      },
    });
  },
});
