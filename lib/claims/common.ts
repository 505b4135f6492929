/**
 * What every claim shares: merging and checking parameters, turning
 * decided groups into a {@link ClaimResult} with its evidence sentence, and
 * the number formatting evidence uses.
 *
 * @module
 */
import { formatNumber4 } from "../analysis/format.ts";
import type { Joined, JoinedRun } from "../analysis/join.ts";
import type { Experiment } from "../spec/experiment.ts";
import { didYouMean } from "../spec/mod.ts";
import type { ClaimStudy } from "./requirements.ts";
import {
  evidenceView,
  invalidReasons,
  isDone,
  type Sample,
  slopeSamples,
} from "../analysis/select.ts";
import type { HealthCheckId } from "../metrics/health.ts";
import { summarise, type Summary } from "../analysis/stats.ts";
import { combineDecisions, decideOneSided, type Decision, type Side } from "./decision.ts";
import type { ClaimDefinition, ClaimResult, ParamProblem, Protocol } from "./types.ts";

/** A claim's parameters: name -> value. */
export type Params = Record<string, unknown>;

/**
 * A number as evidence prints it: 4 significant digits, "–" when not finite.
 *
 * @param x The number.
 * @returns Its text.
 */
export function num(x: number): string {
  return formatNumber4(x);
}

/**
 * A mean with its 95% interval, e.g. "0.04 [0.03018, 0.04982]"; the mean
 * alone when there is no interval, "no value" for an empty sample.
 *
 * @param s The summary.
 * @returns The text.
 */
export function interval(s: Summary): string {
  if (s.n === 0) return "no value";
  if (!Number.isFinite(s.ci95Low) || !Number.isFinite(s.ci95High)) return num(s.mean);
  return `${num(s.mean)} [${num(s.ci95Low)}, ${num(s.ci95High)}]`;
}

/**
 * "1 seed" or "5 seeds".
 *
 * @param n The count.
 * @returns The text.
 */
export function seeds(n: number): string {
  return `${n} seed${n === 1 ? "" : "s"}`;
}

function show(v: unknown): string {
  if (typeof v === "string" || (typeof v === "object" && v !== null)) return JSON.stringify(v);
  return String(v);
}

/**
 * Merges parameter overrides into a claim's defaults and checks them: every
 * name must be one of the defaults' and every value of the default's type
 * (numbers finite); `minSeeds`, where accepted, an integer >= 2.
 *
 * @param defaults The claim's parameters with their defaults.
 * @param given The overrides (from the experiment file): an object, or undefined.
 * @returns The parameters in force (bad overrides left out) and one
 *   sentence fragment per problem.
 */
export function resolveParams(
  defaults: Readonly<Params>,
  given: unknown,
): { params: Params; problems: string[] } {
  const params: Params = { ...defaults };
  const problems: string[] = [];
  const accepted = Object.keys(defaults);
  if (
    given !== undefined && (typeof given !== "object" || given === null || Array.isArray(given))
  ) {
    problems.push(`params is ${show(given)}, expected an object of name -> value`);
    given = {};
  }
  for (const [key, value] of Object.entries(given ?? {})) {
    if (!Object.hasOwn(defaults, key)) {
      problems.push(`unknown param "${key}" (accepted: ${accepted.join(", ")})`);
      continue;
    }
    const want = typeof defaults[key];
    if (typeof value !== want || (want === "number" && !Number.isFinite(value))) {
      problems.push(
        `param "${key}" is ${show(value)}, expected a ${
          want === "number" ? "finite number" : want
        }`,
      );
      continue;
    }
    params[key] = value;
  }
  if (Object.hasOwn(defaults, "minSeeds")) {
    const m = params.minSeeds;
    if (!(typeof m === "number" && Number.isInteger(m) && m >= 2)) {
      problems.push(`param "minSeeds" is ${show(m)}, expected an integer >= 2`);
      params.minSeeds = defaults.minSeeds;
    }
  }
  return { params, problems };
}

/**
 * The problems of a claim's parameter overrides, one per parameter, for a
 * check before any run: an unknown name (with the closest accepted one), a
 * value of the wrong type, then the claim's own checks of the merged values.
 *
 * @param defaults The claim's parameters with their defaults.
 * @param given The overrides (from the experiment file): an object, or undefined.
 * @param check The claim's own checks of the merged parameters, when it has them.
 * @returns One problem per bad parameter (`param` null for the whole object).
 */
export function paramProblems(
  defaults: Readonly<Params>,
  given: unknown,
  check?: (params: Params) => string[],
): ParamProblem[] {
  const accepted = Object.keys(defaults);
  if (
    given !== undefined && (typeof given !== "object" || given === null || Array.isArray(given))
  ) {
    return [{ param: null, message: `got ${show(given)}, expected an object of name -> value` }];
  }
  const out: ParamProblem[] = [];
  for (const [key, value] of Object.entries(given ?? {})) {
    if (!Object.hasOwn(defaults, key)) {
      const guess = didYouMean(key, accepted);
      out.push({
        param: key,
        message: `unknown param${guess ? `; did you mean "${guess}"?` : ""} Accepted: ${
          accepted.join(", ")
        }`,
      });
      continue;
    }
    const want = typeof defaults[key];
    if (typeof value !== want || (want === "number" && !Number.isFinite(value))) {
      out.push({
        param: key,
        message: `got ${show(value)}, expected a ${want === "number" ? "finite number" : want}`,
      });
    }
  }
  if (out.length) return out;
  const { params, problems } = resolveParams(defaults, given);
  for (const p of [...problems, ...(check?.(params) ?? [])]) {
    out.push({ param: /^param "([^"]+)"/.exec(p)?.[1] ?? null, message: p });
  }
  return out;
}

/** A sample with its summary and the decision on it. */
export interface Decided extends Sample {
  /** Mean, sd and 95% t-interval of the values. */
  summary: Summary;
  /** The group's verdict. */
  decision: Decision;
}

/**
 * Summarises every sample and applies the one-sided rule to it.
 *
 * @param samples One sample per group.
 * @param threshold The decision threshold.
 * @param side The side the claim says the effect is on.
 * @param minSeeds The fewest units that can decide.
 * @returns The decided groups, in the same order.
 */
export function decideSamples(
  samples: readonly Sample[],
  threshold: number,
  side: Side,
  minSeeds: number,
): Decided[] {
  return samples.map((s) => {
    const summary = summarise(s.values);
    return { ...s, summary, decision: decideOneSided(summary, threshold, side, minSeeds) };
  });
}

/** Everything a claim's check needs to build its result. */
export interface ClaimContext<P extends Params> {
  /** Claim id. */
  id: string;
  /** One-line statement. */
  title: string;
  /** The parameters in force. */
  params: P;
  /** The statistical test, as text. */
  test: string;
  /**
   * An INCONCLUSIVE result for a claim that could not be tested at all
   * (no effect, no units, no runs).
   */
  missing(evidence: string, effectName: string): ClaimResult;
  /** A result with every field but id, title, test and params given. */
  result(fields: Omit<ClaimResult, "id" | "title" | "test" | "params">): ClaimResult;
}

/** What {@link defineClaim} takes. */
export interface ClaimSpec<P extends Params> {
  /** Claim id. */
  id: string;
  /** One-line statement. */
  title: string;
  /** Every parameter with its default. */
  defaults: P;
  /** The statistical test for these parameters, as text. */
  test(params: P): string;
  /** Claim-specific checks of the parameters, one fragment per problem. */
  check?(params: P): string[];
  /**
   * What the claim needs of a study before any run (the axes it compares
   * across, the metrics it reads; see `requirements.ts`), with parameters
   * already merged and valid: one sentence per unmet need, e.g. `needs
   * "data.trainSize" swept (...)`.
   */
  requires?(study: ClaimStudy, params: P): string[];
  /**
   * Health checks whose failure the claim measures itself, so a run that
   * fails only those is still evidence (e.g. `g_collapsed` for mode
   * collapse). Every other failed check makes a run `invalid` for the claim.
   */
  tolerates?: readonly HealthCheckId[];
  /**
   * The check itself, with parameters already merged and valid, on the
   * study as {@link evidenceView} shows it (invalid runs marked).
   */
  run(joined: Joined, ctx: ClaimContext<P>, exp: Experiment, protocol: Protocol): ClaimResult;
}

/**
 * Builds a {@link ClaimDefinition} whose `evaluate` merges and checks the
 * parameters first: an unknown, ill-typed or invalid parameter gives
 * INCONCLUSIVE with evidence that names it.
 *
 * @param spec The claim.
 * @returns The definition for the registry.
 */
export function defineClaim<P extends Params>(spec: ClaimSpec<P>): ClaimDefinition {
  return {
    id: spec.id,
    title: spec.title,
    defaults: Object.freeze({ ...spec.defaults }),
    checkParams(given) {
      return paramProblems(spec.defaults, given, spec.check as (p: Params) => string[]);
    },
    requirements(study, given) {
      const { params, problems } = resolveParams(spec.defaults, given);
      if (problems.length || spec.check?.(params as P).length) return [];
      return spec.requires?.(study, params as P) ?? [];
    },
    evaluate(joined, given, exp, protocol = {}) {
      const resolved = resolveParams(spec.defaults, given);
      const params = resolved.params as P;
      const problems = resolved.problems.length ? resolved.problems : spec.check?.(params) ?? [];
      const test = spec.test(params);
      // Fields in the order of ClaimResult, so that claims.json reads top-down.
      const result = (fields: Omit<ClaimResult, "id" | "title" | "test" | "params">) => ({
        id: spec.id,
        title: spec.title,
        verdict: fields.verdict,
        evidence: fields.evidence,
        effect: fields.effect,
        test,
        n: fields.n,
        runs: fields.runs,
        params: { ...params },
      });
      const ctx: ClaimContext<P> = {
        id: spec.id,
        title: spec.title,
        params,
        test,
        missing: (evidence, effectName) =>
          result({
            verdict: "INCONCLUSIVE",
            evidence,
            effect: { name: effectName, estimate: NaN, ci95Low: NaN, ci95High: NaN },
            n: 0,
            runs: [],
          }),
        result,
      };
      if (problems.length) {
        return ctx.missing(`Not checked: ${problems.join("; ")}.`, "none");
      }
      return spec.run(evidenceView(joined, spec.tolerates ?? []), ctx, exp, protocol);
    },
  };
}

/**
 * Done runs of the groups that gave no usable value, and the runs that are
 * not done, as a list item for evidence, e.g. "not used: 2 diverged, 1 done
 * without a usable value".
 *
 * @param groups The groups looked at.
 * @returns The item, or "" when every planned run was used.
 */
export function notUsedItem(groups: readonly Sample[]): string {
  const all = new Map<string, JoinedRun>();
  for (const g of groups) for (const r of g.all) all.set(r.plan.id, r);
  const used = new Set(groups.flatMap((g) => g.runs));
  const counts = new Map<string, JoinedRun[]>();
  let unusable = 0;
  for (const r of all.values()) {
    if (isDone(r)) {
      if (!used.has(r.plan.id)) unusable++;
    } else counts.set(r.state, [...(counts.get(r.state) ?? []), r]);
  }
  const parts = [...counts].map(([s, rs]) =>
    `${rs.length} ${s}${s === "invalid" ? ` (${invalidReasons(rs)})` : ""}`
  );
  if (unusable) parts.push(`${unusable} done without a usable value`);
  return parts.length ? `not used: ${parts.join(", ")}` : "";
}

/** How {@link groupedResult} words a claim's evidence. */
export interface Wording {
  /** The effect's name in the result, e.g. "slope of d_gap on log k". */
  effectName: string;
  /** What was measured, capitalised, e.g. "Per-seed slope of final d_gap on log k". */
  measured: string;
  /** Extra items for the parenthesis after n, e.g. "k = 1, 2, 5, 10". */
  details?: string[];
  /** What a group is, for several groups: "level" or "config". */
  groupNoun: string;
  /** A closing remark for the deciding group (second sentence), or "". */
  remark?: (deciding: Decided) => string;
}

/**
 * Turns decided groups into the claim's result: the combined verdict
 * ({@link combineDecisions}), the deciding group's mean and interval as the
 * effect, its n, and evidence of one or two sentences: the measurement with
 * its interval, n and why it decided; then, with several groups, each
 * group's verdict, and the remark.
 *
 * @param ctx The claim's context.
 * @param groups The decided groups (at least one).
 * @param w The wording.
 * @returns The result.
 */
export function groupedResult<P extends Params>(
  ctx: ClaimContext<P>,
  groups: readonly Decided[],
  w: Wording,
): ClaimResult {
  const { verdict, deciding } = combineDecisions(groups);
  const s = deciding.summary;
  const items = ["mean [95% CI]", `n = ${seeds(s.n)}`, ...(w.details ?? [])];
  const unused = notUsedItem(groups);
  if (unused) items.push(unused);
  const where = groups.length > 1
    ? ` at ${deciding.label} (the deciding ${w.groupNoun} of ${groups.length})`
    : "";
  const first = `${w.measured}${where}: ${interval(s)} (${
    items.join("; ")
  }), ${deciding.decision.reason}.`;
  const remark = w.remark?.(deciding) ?? "";
  let second = "";
  if (groups.length > 1) {
    const each = groups.map((g) => `${g.label} ${g.decision.verdict}`).join(", ");
    second = ` By ${w.groupNoun}: ${each}${remark ? `; ${remark}` : ""}.`;
  } else if (remark) second = ` Also, ${remark}.`;
  return ctx.result({
    verdict,
    evidence: first + second,
    effect: { name: w.effectName, estimate: s.mean, ci95Low: s.ci95Low, ci95High: s.ci95High },
    n: s.n,
    runs: usedRuns(groups),
  });
}

/**
 * The ids of the runs behind the groups' values, once each, in plan order.
 *
 * @param groups The groups.
 * @returns The run ids.
 */
export function usedRuns(groups: readonly Sample[]): string[] {
  const used = new Set(groups.flatMap((g) => g.runs));
  const ordered = new Set(groups.flatMap((g) => g.all.map((r) => r.plan.id)));
  return [...ordered].filter((id) => used.has(id));
}

/**
 * Which way an interval points, for remarks: "rises" (entirely above 0),
 * "falls" (entirely below 0) or "shows no clear direction".
 *
 * @param s The summary of per-seed slopes.
 * @returns The verb phrase.
 */
export function direction(s: Summary): string {
  if (s.ci95Low > 0) return "rises";
  if (s.ci95High < 0) return "falls";
  return "shows no clear direction";
}

/** Parameters every slope claim has. */
export interface SlopeParams extends Params {
  axis: string;
  metric: string;
  minSeeds: number;
}

/**
 * The body of a trend claim: per level of the other axes, per-seed slopes
 * of the final `metric` on log(`axis`), decided against 0 on `side`; the
 * evidence also says which way the per-seed slope of `companion` points
 * (skipped when it is the metric itself or not logged).
 */
export function slopeClaim<P extends SlopeParams>(
  joined: Joined,
  ctx: ClaimContext<P>,
  side: "above" | "below",
  companion: string,
): ClaimResult {
  const { axis, metric, minSeeds } = ctx.params;
  const effectName = `slope of ${metric} on log ${axis}`;
  const slopes = slopeSamples(joined, axis, metric);
  if (slopes.missing !== undefined) return ctx.missing(slopes.missing, effectName);
  const groups = decideSamples(slopes.samples, 0, side, minSeeds);
  const other = metric === companion ? undefined : slopeSamples(joined, axis, companion);
  return groupedResult(ctx, groups, {
    effectName,
    measured: `Per-seed slope of final ${metric} on log ${axis}`,
    details: [`${axis} = ${slopes.axisValues.join(", ")}`],
    groupNoun: "level",
    remark(deciding) {
      if (!other || other.missing !== undefined) return "";
      const same = other.samples.find((s) => s.label === deciding.label);
      if (!same || same.values.length < 2) return "";
      const s = summarise(same.values);
      return `${companion} ${direction(s)} with ${axis} (per-seed slope ${interval(s)})`;
    },
  });
}
