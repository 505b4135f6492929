/**
 * Contrasts: the questions a study declares itself, "is A better than B?"
 * about one swept axis (`contrasts` in the experiment file, validated by
 * `lib/spec/contrasts.ts`), answered PASS, FAIL or INCONCLUSIVE like the
 * paper's claims, with every number behind the answer.
 *
 * Evidence: only valid runs (`evidenceView`: state `done` and passing the
 * health checks, except those the contrast `tolerate`s); the others are
 * counted per arm and named. A run's value is its final metric, or the mean
 * of its last `lastEvals` evaluations.
 *
 * Cells: one per level of the other swept axes (axes zipped with the
 * contrast's axis are not levels) and metric. In each cell, the difference
 * A - B (`lib/analysis/contrast_stats.ts`): paired by seed when both arms
 * have the same seeds, Welch's unpaired test otherwise; its 95% t-interval,
 * two-sided p-value, 95% stratified bootstrap interval, Hedges' g and the
 * probability of improvement. The p-values of all the contrast's cells are
 * Holm-adjusted together (family-wise error rate `alpha`, default 0.05). A
 * cell with at least `minSeeds` (default 3) values in each arm is tested;
 * it is "better" when the difference lies on the metric's better side with
 * Holm-adjusted p < alpha, "worse" on the other side, "no clear
 * difference" otherwise.
 *
 * Overall, per metric: the difference averaged over the levels. When every
 * tested level has the same seeds in both arms, each seed's differences
 * are averaged over the levels and the per-seed averages get a one-sample
 * t-test (seed effects shared across levels cancel); otherwise the mean of
 * the levels' differences with standard error sqrt(sum se^2) / L and
 * Welch-Satterthwaite degrees of freedom. Holm-adjusted over the metrics;
 * "better", "worse" or "no clear difference" as for a cell. Every level
 * must be tested for the overall test to be.
 *
 * Decision rule (`rule`):
 * - "overall" (default): PASS when the overall difference is better in
 *   every metric and no cell is worse; FAIL when no metric is better
 *   overall and at least one is worse.
 * - "all": PASS when every cell is better; FAIL when no cell is better and
 *   at least one is worse.
 * - "any": PASS when at least one cell is better and none is worse; FAIL
 *   when at least one is worse and none is better.
 * Everything else is INCONCLUSIVE (nothing decided, results that disagree,
 * levels without enough seeds). A FAIL says A is not better than B; "no
 * clear difference" alone never FAILs (it is not evidence of equality). The
 * bootstrap intervals are reported beside the t-intervals, not used by the
 * rule (with 5 seeds a percentile bootstrap is too narrow to decide on).
 *
 * Interaction ("does the difference depend on lr?"): for every other swept
 * axis X (or those in `interactions`), within each combination of the
 * remaining axes and each metric, Welch's heterogeneity test of the cells'
 * differences across X's values; p-values Holm-adjusted over the
 * contrast's interaction tests. It is reported beside the verdict, not
 * part of it.
 *
 * The rule is null-calibrated by `deno task calibrate`
 * (`contrast_calibrations.ts`): its false-PASS rate with no difference,
 * with a difference in one metric but none in the other, and with one
 * arm's runs dead; its power at planted differences; and the interaction
 * test's rate of "depends" with and without a dependence.
 *
 * @module
 */
import { type Joined, type JoinedRun } from "../analysis/join.ts";
import {
  coupledAxes,
  evidenceView,
  finalMetric,
  invalidReasons,
  isDone,
  lastMean,
  type Level,
  levelsExcept,
  missingMetric,
} from "../analysis/select.ts";
import {
  type Difference,
  difference,
  holm,
  sameSeeds,
  welchHeterogeneity,
} from "../analysis/contrast_stats.ts";
import { tQuantile, tTwoSidedP } from "../analysis/stats.ts";
import { configLabel, formatValue } from "../analysis/labels.ts";
import { decimalsFor, fixed, formatNumber4, formatP } from "../analysis/format.ts";
import { metricInfo } from "../metrics/registry.ts";
import { canonicalJson, type Experiment } from "../spec/mod.ts";
import { type Better, contrastId, type ContrastSpec } from "../spec/contrasts.ts";
import type { HealthCheckId } from "../metrics/health.ts";
import type { Verdict } from "./types.ts";

/** A tested cell's outcome. */
export type CellOutcome = "better" | "worse" | "no clear difference" | "not tested";

/** One level and metric of a contrast. */
export interface ContrastCell extends Difference {
  /** The level's label, e.g. "optimizer.lr=0.001, data.name=ring-8" ("" with no other axis). */
  level: string;
  /** The other axes' values at this level. */
  point: Record<string, unknown>;
  /** The metric. */
  metric: string;
  /** Which way is better. */
  better: Better;
  /** Holm-adjusted p-value (NaN when not tested). */
  pHolm: number;
  /** The outcome. */
  outcome: CellOutcome;
  /** Why a cell was not tested, or "". */
  why: string;
  /** Seeds of A and B behind the values, and the values. */
  seedsA: number[];
  seedsB: number[];
  valuesA: number[];
  valuesB: number[];
  /** Run ids behind the values. */
  runs: string[];
}

/** One interaction test: does the difference in `metric` depend on `axis`? */
export interface InteractionTest {
  /** The axis whose values are compared. */
  axis: string;
  /** The remaining axes' values ("" when there are none). */
  stratum: string;
  /** The remaining axes' values as path -> value. */
  point: Record<string, unknown>;
  /** The metric. */
  metric: string;
  /** Cells compared. */
  k: number;
  /** Welch's F and its degrees of freedom. */
  f: number;
  df1: number;
  df2: number;
  /** p-value and Holm-adjusted p-value. */
  p: number;
  pHolm: number;
  /** Whether the difference depends on the axis (Holm-adjusted p below alpha). */
  depends: boolean;
}

/** The difference of one metric averaged over the levels. */
export interface OverallTest {
  /** The metric. */
  metric: string;
  /** Which way is better. */
  better: Better;
  /** Levels averaged. */
  levels: number;
  /** Whether each seed's differences were averaged over the levels (paired design). */
  perSeed: boolean;
  /** Seeds (per-seed) or the smallest arm's seeds. */
  n: number;
  /** The mean difference A - B over the levels, its standard error and df. */
  estimate: number;
  se: number;
  df: number;
  /** 95% t-interval. */
  ci95Low: number;
  ci95High: number;
  /** 95% bootstrap interval over seeds (per-seed design only; NaN otherwise). */
  bootLow: number;
  bootHigh: number;
  /** Two-sided p-value, and Holm-adjusted over the metrics. */
  p: number;
  pHolm: number;
  /** The outcome. */
  outcome: CellOutcome;
  /** Why it was not tested, or "". */
  why: string;
}

/** Runs of one arm that were not evidence. */
export interface LeftOut {
  /** Runs planned in the arm (over every level). */
  planned: number;
  /** Valid done runs with a value of every metric. */
  used: number;
  /** "3 invalid (D dead: 3), 1 diverged", or "" when every run was used. */
  text: string;
  /** Runs that failed a health check the contrast does not tolerate. */
  invalid: number;
}

/** A contrast's verdict with every cell and interaction test. */
export interface ContrastResult {
  /** The contrast's id, e.g. "loss: least-squares vs non-saturating". */
  id: string;
  /** The question in words. */
  title: string;
  /** The axis and the two arms. */
  axis: string;
  a: unknown;
  b: unknown;
  /** The metrics and which way each is better. */
  metrics: string[];
  better: Record<string, Better>;
  /** The decision rule: "overall", "all" or "any". */
  rule: "overall" | "all" | "any";
  /** Family-wise error rate. */
  alpha: number;
  /** PASS, FAIL or INCONCLUSIVE. */
  verdict: Verdict;
  /** One or two sentences a reader can check. */
  evidence: string;
  /** The rule, as text. */
  ruleText: string;
  /** Every level and metric. */
  cells: ContrastCell[];
  /** Per metric, the difference averaged over the levels. */
  overall: OverallTest[];
  /** Every interaction test. */
  interactions: InteractionTest[];
  /** Runs left out, per arm. */
  leftOut: { a: LeftOut; b: LeftOut };
  /** Run ids used. */
  runs: string[];
}

const num = formatNumber4;

function show(v: unknown): string {
  return formatValue(v);
}

/** The direction of a metric in a contrast: declared, else the registry's. */
function directionOf(spec: ContrastSpec, metric: string): Better | null {
  if (typeof spec.better === "string") return spec.better;
  const declared = spec.better?.[metric];
  if (declared) return declared;
  const d = metricInfo(metric)?.direction;
  return d === "higher" || d === "lower" ? d : null;
}

/** The rule in words, for reports and `contrasts.csv`. */
export function contrastRule(spec: ContrastSpec): string {
  const alpha = spec.alpha ?? 0.05;
  const min = spec.minSeeds ?? 3;
  const value = spec.lastEvals ? `mean of the last ${spec.lastEvals} evaluations` : "final value";
  const rule = spec.rule ?? "overall";
  const pass = rule === "overall"
    ? "PASS when A is better averaged over the levels in every metric and worse in no cell, " +
      "FAIL when it is better overall in no metric and worse in at least one"
    : rule === "all"
    ? "PASS when A is better in every cell, FAIL when it is better in none and worse in at " +
      "least one"
    : "PASS when A is better in at least one cell and worse in none, FAIL when it is worse " +
      "in at least one and better in none";
  return `per level of the other swept axes and metric (a cell), the ${value} of A - B over ` +
    `valid runs, paired by seed (Welch's t where the seeds differ), at least ${min} seeds per ` +
    `arm; better (worse) when the difference is on that side with Holm-adjusted p < ${alpha} ` +
    `(over the cells; over the metrics for the average over the levels); ${pass}; otherwise ` +
    `INCONCLUSIVE`;
}

/** The value of a run for a metric: its final value, or the mean of its last evaluations. */
function valueOf(run: JoinedRun, metric: string, lastEvals: number | undefined): number {
  if (!isDone(run)) return NaN;
  return lastEvals ? lastMean(run, metric, lastEvals) : finalMetric(run, metric);
}

function leftOutOf(runs: readonly JoinedRun[], used: Set<string>): LeftOut {
  const counts = new Map<string, JoinedRun[]>();
  let unusable = 0;
  for (const r of runs) {
    if (isDone(r)) {
      if (!used.has(r.plan.id)) unusable++;
    } else counts.set(r.state, [...(counts.get(r.state) ?? []), r]);
  }
  const parts = [...counts].map(([s, rs]) =>
    `${rs.length} ${s}${s === "invalid" ? ` (${invalidReasons(rs)})` : ""}`
  );
  if (unusable) parts.push(`${unusable} done without a value`);
  return {
    planned: runs.length,
    used: runs.filter((r) => used.has(r.plan.id)).length,
    text: parts.join(", "),
    invalid: counts.get("invalid")?.length ?? 0,
  };
}

function otherPoint(level: Level, axes: readonly string[]): Record<string, unknown> {
  const p: Record<string, unknown> = {};
  const first = level.configs[0];
  for (const a of axes) if (first && Object.hasOwn(first.point, a)) p[a] = first.point[a];
  return p;
}

function signed(x: number): string {
  return x > 0 ? `+${num(x)}` : num(x);
}

/** "+1.2 [0.4, 2.0]": an estimate and its interval at the precision the interval supports. */
function ci(estimate: number, lo: number, hi: number): string {
  if (!Number.isFinite(lo) || !Number.isFinite(hi)) return signed(estimate);
  const d = decimalsFor((hi - lo) / 2);
  return `${estimate > 0 ? "+" : ""}${fixed(estimate, d)} [${fixed(lo, d)}, ${fixed(hi, d)}]`;
}

/**
 * Evaluates one contrast on a study's runs.
 *
 * @param spec The validated contrast.
 * @param joined The study's joined runs (`joinRuns`).
 * @param options Whether to compute bootstrap intervals.
 * @returns The verdict with its cells, interaction tests and left-out runs.
 */
export function evaluateContrast(
  spec: ContrastSpec,
  joined: Joined,
  options: EvaluateContrastOptions = {},
): ContrastResult {
  const id = contrastId(spec);
  const alpha = spec.alpha ?? 0.05;
  const minSeeds = spec.minSeeds ?? 3;
  const rule = spec.rule ?? "overall";
  const resamples = options.bootstrap === false ? 0 : spec.resamples ?? 2000;
  const view = evidenceView(joined, (spec.tolerate ?? []) as HealthCheckId[]);
  const keyA = canonicalJson(spec.a ?? null);
  const keyB = canonicalJson(spec.b ?? null);
  const levels = levelsExcept(view, spec.axis);
  const coupled = coupledAxes(view, spec.axis);
  const otherAxes = view.axes.filter((x) => x !== spec.axis && !coupled.includes(x));
  const better: Record<string, Better> = {};
  const problems: string[] = [];
  for (const m of spec.metrics) {
    const d = directionOf(spec, m);
    if (d) better[m] = d;
    else {
      const info = metricInfo(m);
      problems.push(
        info
          ? `the metric "${m}" has no better direction (registry: ${info.direction}); set ` +
            `better: { ${m}: "higher" | "lower" }`
          : `the metric "${m}" is not in the metric registry; set better: { ${m}: "higher" | ` +
            `"lower" } if a run logs it`,
      );
    }
  }
  const armRuns = { a: [] as JoinedRun[], b: [] as JoinedRun[] };
  const cells: ContrastCell[] = [];
  for (const level of levels) {
    const runsA: JoinedRun[] = [];
    const runsB: JoinedRun[] = [];
    for (const c of level.configs) {
      const k = canonicalJson(c.point[spec.axis] ?? null);
      if (k === keyA) runsA.push(...c.runs);
      else if (k === keyB) runsB.push(...c.runs);
    }
    armRuns.a.push(...runsA);
    armRuns.b.push(...runsB);
    for (const metric of spec.metrics) {
      const arm = (runs: JoinedRun[]) => {
        const seeds: number[] = [];
        const values: number[] = [];
        const ids: string[] = [];
        for (const r of runs) {
          const v = valueOf(r, metric, spec.lastEvals);
          if (!Number.isFinite(v)) continue;
          seeds.push(r.plan.seed);
          values.push(v);
          ids.push(r.plan.id);
        }
        return { seeds, values, ids };
      };
      const A = arm(runsA);
      const B = arm(runsB);
      const dir = better[metric] ?? "higher";
      const d = difference(A, B, {
        better: dir,
        resamples,
        seedKey: `${id}|${level.key}|${metric}`,
      });
      let why = "";
      if (!better[metric]) why = "no better direction";
      else if (runsA.length === 0 || runsB.length === 0) {
        why = `this level has no ${runsA.length === 0 ? "A" : "B"} configuration`;
      } else if (A.values.length < minSeeds || B.values.length < minSeeds) {
        why = `too few valid seeds (A ${A.values.length}, B ${B.values.length}; at least ` +
          `${minSeeds} each)`;
      } else if (Number.isNaN(d.p)) why = "no p-value";
      cells.push({
        ...d,
        level: level.label,
        point: otherPoint(level, otherAxes),
        metric,
        better: dir,
        pHolm: NaN,
        outcome: "not tested",
        why,
        seedsA: A.seeds,
        seedsB: B.seeds,
        valuesA: A.values,
        valuesB: B.values,
        runs: [...A.ids, ...B.ids],
      });
    }
  }
  const tested = cells.map((c) => c.why === "");
  const adjusted = holm(cells.map((c, i) => (tested[i] ? c.p : NaN)));
  cells.forEach((c, i) => {
    if (!tested[i]) return;
    c.pHolm = adjusted[i];
    c.outcome = outcomeOf(c.estimate, c.pHolm, c.better, alpha);
  });
  const overall = overallTests(spec, cells, better, alpha, resamples);
  const interactions = interactionTests(spec, cells, otherAxes, alpha);
  const used = new Set(cells.flatMap((c) => c.runs));
  const leftOut = { a: leftOutOf(armRuns.a, used), b: leftOutOf(armRuns.b, used) };
  const count = (o: CellOutcome) => cells.filter((c) => c.outcome === o).length;
  const nBetter = count("better");
  const nWorse = count("worse");
  const nUntested = count("not tested");
  let verdict: Verdict = "INCONCLUSIVE";
  if (problems.length === 0 && cells.length > 0) {
    if (rule === "overall") {
      const better = overall.filter((o) => o.outcome === "better").length;
      const worse = overall.filter((o) => o.outcome === "worse").length;
      if (better === overall.length && nWorse === 0) verdict = "PASS";
      else if (better === 0 && worse > 0) verdict = "FAIL";
    } else if (rule === "all") {
      if (nBetter === cells.length) verdict = "PASS";
      else if (nBetter === 0 && nWorse > 0) verdict = "FAIL";
    } else {
      if (nBetter > 0 && nWorse === 0) verdict = "PASS";
      else if (nWorse > 0 && nBetter === 0) verdict = "FAIL";
    }
  }
  const evidence = contrastEvidence(spec, view, cells, overall, interactions, leftOut, problems, {
    verdict,
    nBetter,
    nWorse,
    nUntested,
  });
  const ordered = new Set(view.runs.map((r) => r.plan.id));
  return {
    id,
    title: spec.title ?? `Is ${show(spec.a)} better than ${show(spec.b)} (${spec.axis})?`,
    axis: spec.axis,
    a: spec.a,
    b: spec.b,
    metrics: [...spec.metrics],
    better,
    rule,
    alpha,
    verdict,
    evidence,
    ruleText: contrastRule(spec),
    cells,
    overall,
    interactions,
    leftOut,
    runs: [...ordered].filter((r) => used.has(r)),
  };
}

/** Options for {@link evaluateContrast}. */
export interface EvaluateContrastOptions {
  /**
   * Compute the bootstrap intervals (default true); the calibration turns
   * them off, as the rule does not use them.
   */
  bootstrap?: boolean;
}

function outcomeOf(estimate: number, pHolm: number, better: Better, alpha: number): CellOutcome {
  const est = better === "higher" ? estimate : -estimate;
  if (pHolm < alpha && est > 0) return "better";
  if (pHolm < alpha && est < 0) return "worse";
  return "no clear difference";
}

/** Per metric, the difference averaged over the levels (see the module's doc). */
function overallTests(
  spec: ContrastSpec,
  cells: readonly ContrastCell[],
  better: Record<string, Better>,
  alpha: number,
  resamples: number,
): OverallTest[] {
  const tests = spec.metrics.map((metric): OverallTest => {
    const mc = cells.filter((c) => c.metric === metric);
    const base: OverallTest = {
      metric,
      better: better[metric] ?? "higher",
      levels: mc.length,
      perSeed: false,
      n: 0,
      estimate: NaN,
      se: NaN,
      df: NaN,
      ci95Low: NaN,
      ci95High: NaN,
      bootLow: NaN,
      bootHigh: NaN,
      p: NaN,
      pHolm: NaN,
      outcome: "not tested",
      why: "",
    };
    const untested = mc.find((c) => c.why !== "");
    if (mc.length === 0 || untested) {
      return {
        ...base,
        why: untested
          ? `${untested.level || "the study"} is not tested (${untested.why})`
          : "no level",
      };
    }
    const seeds = mc[0].seedsA;
    const perSeed = mc.every((c) => c.paired && sameSeeds(c.seedsA, seeds));
    const L = mc.length;
    if (perSeed) {
      const avg = seeds.map((s) => {
        let sum = 0;
        for (const c of mc) {
          const i = c.seedsA.indexOf(s);
          const j = c.seedsB.indexOf(s);
          sum += c.valuesA[i] - c.valuesB[j];
        }
        return sum / L;
      });
      const zeros = avg.map(() => 0);
      const d = difference(
        { seeds, values: avg },
        { seeds, values: zeros },
        { resamples, seedKey: `${contrastId(spec)}|overall|${metric}` },
      );
      return {
        ...base,
        perSeed: true,
        n: d.n,
        estimate: d.estimate,
        se: d.se,
        df: d.df,
        ci95Low: d.ci95Low,
        ci95High: d.ci95High,
        bootLow: d.bootLow,
        bootHigh: d.bootHigh,
        p: d.p,
      };
    }
    const estimate = mc.reduce((a, c) => a + c.estimate, 0) / L;
    const v = mc.reduce((a, c) => a + c.se * c.se, 0);
    const se = Math.sqrt(v) / L;
    const df = v > 0 ? v * v / mc.reduce((a, c) => a + c.se ** 4 / c.df, 0) : L;
    const half = se > 0 ? tQuantile(0.975, df) * se : 0;
    return {
      ...base,
      n: Math.min(...mc.map((c) => c.n)),
      estimate,
      se,
      df,
      ci95Low: estimate - half,
      ci95High: estimate + half,
      p: se > 0 ? tTwoSidedP(estimate / se, df) : estimate === 0 ? 1 : 0,
    };
  });
  const adjusted = holm(tests.map((t) => (t.why === "" ? t.p : NaN)));
  tests.forEach((t, i) => {
    if (t.why !== "") return;
    t.pHolm = adjusted[i];
    t.outcome = outcomeOf(t.estimate, t.pHolm, t.better, alpha);
  });
  return tests;
}

function interactionTests(
  spec: ContrastSpec,
  cells: readonly ContrastCell[],
  otherAxes: readonly string[],
  alpha: number,
): InteractionTest[] {
  const axes = (spec.interactions ?? otherAxes).filter((x) => otherAxes.includes(x));
  const tests: InteractionTest[] = [];
  for (const x of axes) {
    const rest = otherAxes.filter((o) => o !== x);
    for (const metric of spec.metrics) {
      const strata = new Map<string, ContrastCell[]>();
      for (const c of cells) {
        if (c.metric !== metric || c.why !== "") continue;
        const key = canonicalJson(rest.map((r) => c.point[r] ?? null));
        strata.set(key, [...(strata.get(key) ?? []), c]);
      }
      for (const group of strata.values()) {
        if (new Set(group.map((c) => canonicalJson(c.point[x] ?? null))).size < 2) continue;
        const h = welchHeterogeneity(group);
        if (Number.isNaN(h.p)) continue;
        tests.push({
          axis: x,
          stratum: rest.length ? configLabel(group[0].point, rest) : "",
          point: Object.fromEntries(rest.map((r) => [r, group[0].point[r]])),
          metric,
          k: h.k,
          f: h.f,
          df1: h.df1,
          df2: h.df2,
          p: h.p,
          pHolm: NaN,
          depends: false,
        });
      }
    }
  }
  const adjusted = holm(tests.map((t) => t.p));
  tests.forEach((t, i) => {
    t.pHolm = adjusted[i];
    t.depends = t.pHolm < alpha;
  });
  return tests;
}

function cellText(c: ContrastCell): string {
  const where = c.level ? `${c.level}, ` : "";
  if (c.outcome === "not tested") return `${where}${c.metric}: not tested (${c.why})`;
  return `${where}${c.metric}: ${ci(c.estimate, c.ci95Low, c.ci95High)}, p_Holm ${
    formatP(c.pHolm)
  }`;
}

function contrastEvidence(
  spec: ContrastSpec,
  view: Joined,
  cells: readonly ContrastCell[],
  overall: readonly OverallTest[],
  interactions: readonly InteractionTest[],
  leftOut: { a: LeftOut; b: LeftOut },
  problems: readonly string[],
  o: { verdict: Verdict; nBetter: number; nWorse: number; nUntested: number },
): string {
  const A = show(spec.a);
  const B = show(spec.b);
  const alpha = spec.alpha ?? 0.05;
  const rule = spec.rule ?? "overall";
  if (problems.length) return `Not decided: ${problems.join("; ")}.`;
  if (cells.length === 0) return `Not decided: the study has no level with both ${A} and ${B}.`;
  const noData = spec.metrics.map((m) =>
    missingMetric(view, m, spec.lastEvals ? "curves" : "final")
  )
    .find((x) => x !== null);
  const total = cells.length;
  const nNone = total - o.nBetter - o.nWorse - o.nUntested;
  const tested = cells.filter((c) => c.outcome !== "not tested");
  const pairing = tested.length === 0
    ? ""
    : tested.every((c) => c.paired)
    ? "paired by seed"
    : tested.every((c) => !c.paired)
    ? "unpaired: the seeds differ"
    : `${tested.filter((c) => c.paired).length} of ${tested.length} cells paired by seed, ` +
      "the others unpaired";
  const parts: string[] = [];
  const levels = overall[0]?.levels ?? 0;
  if (rule === "overall") {
    parts.push(
      `Averaged over ${levels === 1 ? "the study" : `the ${levels} levels`}, ${A} − ${B}: ${
        overall.map((t) =>
          t.outcome === "not tested"
            ? `${t.metric} not tested (${t.why})`
            : `${t.metric} ${ci(t.estimate, t.ci95Low, t.ci95High)} ` +
              `(p_Holm ${formatP(t.pHolm)}: ${t.outcome})`
        ).join("; ")
      }.`,
    );
  }
  parts.push(
    `By cell (level × metric, ${total} in all): ` +
      [
        o.nBetter ? `${A} better in ${o.nBetter}` : "",
        o.nWorse ? `worse in ${o.nWorse}` : "",
        nNone ? `no clear difference in ${nNone}` : "",
        o.nUntested ? `not tested in ${o.nUntested}` : "",
      ].filter(Boolean).join(", ") +
      ` (Holm-adjusted p < ${alpha}${pairing ? `; ${pairing}` : ""}).`,
  );
  if (rule !== "overall") {
    const decisive = o.verdict === "PASS"
      ? cells.reduce((w, c) => (c.pHolm > w.pHolm ? c : w))
      : cells.find((c) => c.outcome === "not tested") ??
        cells.find((c) => c.outcome === "no clear difference") ??
        cells.find((c) => c.outcome === "worse") ?? cells[0];
    parts.push(
      o.verdict === "PASS" ? `Weakest cell: ${cellText(decisive)}.` : `E.g. ${cellText(decisive)}.`,
    );
  } else if (o.nWorse) {
    parts.push(`Worse: ${cells.filter((c) => c.outcome === "worse").map(cellText).join("; ")}.`);
  }
  if (noData && o.nUntested === total) parts.push(noData);
  const dep = interactions.filter((t) => t.depends);
  if (dep.length) {
    const axes = [...new Set(dep.map((t) => t.axis))];
    parts.push(
      `The difference depends on ${axes.join(" and ")} (${
        dep.map((t) =>
          `${t.metric}${t.stratum ? ` at ${t.stratum}` : ""}: Welch F ${num(t.f)}, p_Holm ` +
          formatP(t.pHolm)
        ).join("; ")
      }).`,
    );
  } else if (interactions.length) {
    parts.push(
      `No evidence that the difference depends on ${
        [...new Set(interactions.map((t) => t.axis))].join(" or ")
      } (every Holm-adjusted interaction p >= ${alpha}).`,
    );
  }
  const lo = (arm: string, l: LeftOut) => (l.text ? `${arm}: ${l.text}` : "");
  const left = [lo(A, leftOut.a), lo(B, leftOut.b)].filter(Boolean);
  if (left.length) {
    let s = `Not evidence: ${left.join("; ")} (of ${leftOut.a.planned} and ` +
      `${leftOut.b.planned} planned runs).`;
    if (Math.abs(leftOut.a.invalid - leftOut.b.invalid) >= 2) {
      s += " The arms lost different numbers of runs to health checks, so the comparison is " +
        "among runs that trained, which flatters the arm that lost more.";
    }
    parts.push(s);
  }
  return parts.join(" ");
}

/**
 * Evaluates every contrast an experiment declares.
 *
 * @param exp The validated experiment.
 * @param joined `joinRuns(exp, plans, records)`.
 * @param options Whether to compute bootstrap intervals.
 * @returns One result per contrast, in order.
 */
export function evaluateContrasts(
  exp: Experiment,
  joined: Joined,
  options: EvaluateContrastOptions = {},
): ContrastResult[] {
  return (exp.contrasts ?? []).map((c) => evaluateContrast(c, joined, options));
}
