/**
 * Claim `global-optimum` (Theorem 1): the global minimum of the virtual
 * training criterion C(G) = max_D V(D, G) is -log 4, reached iff p_g =
 * p_data, where D* = 1/2 everywhere.
 *
 * C(G) needs the optimal D for the final G, never the D training left: a
 * dead, constant D = 1/2 gives V = -log 4 for any G. So the rule reads the
 * metrics a 1-D run logs from the analytic D*_G = p_data / (p_data + p_g)
 * (p_g a kernel density of G's samples): `cg` (C(G), a Monte Carlo mean
 * with standard error `cg_se`) and `dstar_spread` (D*'s standard deviation
 * over x); and the histogram `js`, an estimate of JSD(p_data || p_g) that
 * does not use D*.
 *
 * Decision rule: per config, over the valid done runs (a dead D makes a run
 * invalid; a run that made no progress is evidence), 95% t-intervals
 * across seeds of (1) C(G) + log 4, which must lie within (-tolerance,
 * +tolerance); (2) js, below `tolerance`; (3) dstar_spread, below
 * `spreadTolerance` (D = 1/2 is judged by D*'s spread over x, not by a
 * mean); and the identity C(G) = -log 4 + 2 JSD checked run by run: the
 * gap C(G) + log 4 - 2 js must lie within 3 cg_se + 0.01 + 0.25 × 2 js
 * (the Monte Carlo error, and the bias of a kernel density against a
 * histogram, which grows with the divergence) in every run, otherwise the
 * two estimates disagree (as they do when C(G) is read off a D that is not
 * optimal) and the config is INCONCLUSIVE. A config PASSes when all hold; FAILs when
 * C(G) + log 4 or js lies entirely above `tolerance` (not at the optimum);
 * is INCONCLUSIVE otherwise, or with fewer than `minSeeds` runs. The claim
 * PASSes when every config passes, FAILs when every config fails. The
 * effect is C(G) + log 4.
 *
 * @module
 */
import { type DoneRun, finalMetric, isDone, missingMetric } from "../analysis/select.ts";
import { defineClaim, num } from "./common.ts";
import { conditionsResult, decideConditions } from "./conditions.ts";
import { metricProblem } from "./requirements.ts";

/** Parameters of `global-optimum`. */
export interface GlobalOptimumParams extends Record<string, unknown> {
  /** How far C(G) + log 4, and the JSD, may be from 0. */
  tolerance: number;
  /** The largest standard deviation of D* over x that counts as D* = 1/2 everywhere. */
  spreadTolerance: number;
  /** The fewest seeds that can decide. */
  minSeeds: number;
}

const LOG4 = Math.log(4);
const NEEDED = ["cg", "cg_se", "dstar_spread", "js"];

/**
 * The largest |C(G) + log 4 - 2 JSD| a run may show: three Monte Carlo
 * standard errors, 0.01, and a quarter of 2 JSD for the density estimates'
 * bias.
 */
export function identitySlack(cgSe: number, js: number): number {
  return 3 * cgSe + 0.01 + 0.25 * 2 * js;
}

/** The `global-optimum` claim. */
export const GLOBAL_OPTIMUM = defineClaim<GlobalOptimumParams>({
  id: "global-optimum",
  title: "The minimum of C(G) is -log 4, reached at p_g = p_data where D* = 1/2",
  tolerates: ["no_progress"],
  defaults: { tolerance: 0.02, spreadTolerance: 0.05, minSeeds: 3 },
  test: (p) =>
    `per config, 95% t-intervals across valid runs of C(G) + log 4 (optimal D for the final G), ` +
    `of the JS divergence and of D*'s spread over x; PASS if the first lies within ±` +
    `${p.tolerance}, the JS below ${p.tolerance}, the spread below ${p.spreadTolerance} and ` +
    `C(G) = -log 4 + 2 JSD holds in every run within its Monte Carlo error; FAIL if C(G) + ` +
    `log 4 or the JS lies entirely above ${p.tolerance}`,
  check: (p) =>
    p.tolerance > 0 && p.spreadTolerance > 0
      ? []
      : [`params "tolerance" and "spreadTolerance" must be > 0`],
  // C(G) needs the optimal D, which the harness computes on 1-D data.
  requires(study) {
    const first = NEEDED.map((m) => metricProblem(study, m)).find((x) => x !== null);
    return first ? [first] : [];
  },
  run(joined, ctx) {
    const { tolerance, spreadTolerance, minSeeds } = ctx.params;
    const effectName = "C(G) + log 4";
    for (const m of NEEDED) {
      const problem = missingMetric(joined, m, "final");
      if (problem) {
        return ctx.missing(
          problem.startsWith("No run is done") ? problem : `${problem} The test needs C(G) ` +
            `with the optimal D, which the harness computes on 1-D data (gaussian-1d).`,
          effectName,
        );
      }
    }
    const broke = new Map<string, string>();
    const groups = joined.configs.map((config) => {
      const runs = config.runs.filter(isDone).filter((r) =>
        NEEDED.every((m) => Number.isFinite(finalMetric(r, m)))
      );
      const get = (m: string) => runs.map((r) => finalMetric(r, m));
      const cg = get("cg").map((v) => v + LOG4);
      const slack = (r: DoneRun) => identitySlack(finalMetric(r, "cg_se"), finalMetric(r, "js"));
      const gaps = runs.map((r) => finalMetric(r, "cg") + LOG4 - 2 * finalMetric(r, "js"));
      const broken = runs.filter((r, i) => !(Math.abs(gaps[i]) <= slack(r)));
      const group = decideConditions(
        {
          label: config.label,
          values: cg,
          seeds: runs.map((r) => r.plan.seed),
          runs: runs.map((r) => r.plan.id),
          all: config.runs,
        },
        [
          {
            name: "C(G) + log 4",
            values: cg,
            threshold: -tolerance,
            upper: tolerance,
            side: "below",
          },
          { name: "js", values: get("js"), threshold: tolerance, side: "below" },
          {
            name: "dstar_spread",
            values: get("dstar_spread"),
            threshold: spreadTolerance,
            side: "below",
            canFail: false,
          },
        ],
        minSeeds,
      );
      // FAIL only from above: C(G) >= -log 4, so C(G) + log 4 entirely below -tolerance says
      // the estimate is wrong, not that G is far from p_data.
      const [cgCondition, jsCondition] = group.conditions;
      if (
        group.decision.verdict === "FAIL" && cgCondition.summary.ci95High < -tolerance &&
        jsCondition.decision.verdict !== "FAIL"
      ) {
        group.decision = {
          verdict: "INCONCLUSIVE",
          margin: NaN,
          reason: `C(G) + log 4 lies entirely below -${tolerance}, under its minimum 0, so the ` +
            `estimate of C(G) cannot be right`,
        };
      }
      if (broken.length) {
        const i = runs.indexOf(broken[0]);
        const text = `C(G) + log 4 - 2 JSD is ${num(gaps[i])} in run ${broken[0].plan.id} ` +
          `(allowed ±${num(slack(broken[0]))})`;
        broke.set(config.label, text);
        if (group.decision.verdict === "PASS") {
          group.decision = {
            verdict: "INCONCLUSIVE",
            margin: NaN,
            reason: `the estimators disagree: ${text}`,
          };
        }
      }
      return group;
    });
    return conditionsResult(ctx, groups, {
      groupNoun: "config",
      details: [`tolerance ${tolerance}`, `spread tolerance ${spreadTolerance}`],
      remark: (d) =>
        d.runs.length === 0
          ? ""
          : broke.has(d.label)
          ? `The identity C(G) = -log 4 + 2 JSD does not hold: ${broke.get(d.label)}.`
          : "C(G) = -log 4 + 2 JSD holds in every run within its Monte Carlo error.",
    });
  },
});
