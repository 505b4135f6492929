/**
 * Planted-truth run stores for claim tests: an experiment validated and
 * expanded as the harness does, with hand-made records whose final metrics
 * and curves the test chooses run by run.
 *
 * @module
 */
import assert from "node:assert/strict";
import { CLAIMS } from "../../lib/claims/mod.ts";
import type { ClaimResult } from "../../lib/claims/types.ts";
import { type Joined, joinRuns } from "../../lib/analysis/join.ts";
import {
  expandRuns,
  type Experiment,
  type RunPlan,
  validateExperiment,
} from "../../lib/spec/mod.ts";
import type { RunRecord, RunState } from "../../lib/sweep/store.ts";

/** What one planned run left: its state (null: no record at all), final metrics and curves. */
export interface PlantedRun {
  /** Default `done`; null leaves the run without a record (`missing`). */
  state?: RunState | null;
  /** Final metrics (undefined values left out); null for none (e.g. a failed run). */
  final?: Record<string, number | undefined> | null;
  /** Rows of metrics.csv, each with `step`. */
  curves?: Record<string, number>[];
}

/** What {@link plant} takes. */
export interface PlantOptions {
  /** Sweep axes (cartesian product); none for a single config. */
  sweep?: Record<string, unknown[]>;
  /** Seeds. */
  seeds: number[];
  /** Base config; default a short ring-8 run. */
  base?: Record<string, unknown>;
  /** The study's claims. */
  claims?: unknown[];
  /** The run each planned (point, seed) left. */
  run(point: Record<string, unknown>, seed: number): PlantedRun;
}

/** A planted study. */
export interface Planted {
  exp: Experiment;
  plans: RunPlan[];
  records: RunRecord[];
  joined: Joined;
  /** Run id by "axis=value,...|seed", e.g. "k=5|s3" (no sweep: "|s3"). */
  id(point: Record<string, unknown>, seed: number): string;
}

function defined(metrics: Record<string, number | undefined>): Record<string, number> {
  const out: Record<string, number> = {};
  for (const [k, v] of Object.entries(metrics)) if (v !== undefined) out[k] = v;
  return out;
}

function key(point: Record<string, unknown>, seed: number): string {
  const parts = Object.keys(point).sort().map((k) => `${k}=${String(point[k])}`);
  return `${parts.join(",")}|s${seed}`;
}

/**
 * Builds a study and its run store through `validateExperiment`,
 * `expandRuns` and `joinRuns`.
 *
 * @param o The study and the runs to plant.
 * @returns The experiment, plans, records and joined runs.
 */
export function plant(o: PlantOptions): Planted {
  const exp = validateExperiment({
    name: "planted",
    base: o.base ?? { data: { name: "ring-8" }, steps: 200, evalEvery: 10 },
    ...(o.sweep ? { sweep: o.sweep } : {}),
    seeds: o.seeds,
    claims: o.claims ?? [],
  });
  const plans = expandRuns(exp);
  const records: RunRecord[] = [];
  const ids = new Map<string, string>();
  for (const plan of plans) {
    ids.set(key(plan.point, plan.seed), plan.id);
    const r = o.run(plan.point, plan.seed);
    const state = r.state === undefined ? "done" : r.state;
    if (state === null) continue;
    records.push({
      id: plan.id,
      dir: `/nowhere/${plan.id}`,
      config: plan.config,
      status: { state, attempts: 1, error: state === "failed" ? "boom" : undefined },
      final: r.final ? { step: plan.config.steps, metrics: defined(r.final) } : null,
      curves: r.curves ?? [],
    });
  }
  return {
    exp,
    plans,
    records,
    joined: joinRuns(exp, plans, records),
    id(point, seed) {
      const id = ids.get(key(point, seed));
      if (!id) throw new Error(`no planned run ${key(point, seed)}`);
      return id;
    },
  };
}

/**
 * Checks one claim on a planted study.
 *
 * @param p The study.
 * @param id The claim id.
 * @param params Parameter overrides.
 * @returns The claim's result.
 */
export function check(p: Planted, id: string, params: Record<string, unknown> = {}): ClaimResult {
  return CLAIMS[id].evaluate(p.joined, params, p.exp);
}

/** Student t quantiles t(0.975, df) from a t table, for intervals computed by hand. */
export const T975: Record<number, number> = {
  1: 12.706204736,
  2: 4.302652730,
  3: 3.182446305,
  4: 2.776445105,
  5: 2.570581836,
  6: 2.446911851,
  7: 2.364624252,
};

/**
 * Mean and 95% t-interval of a sample, by hand (table t, two-pass sd).
 *
 * @param values The sample (n >= 2, n - 1 in {@link T975}).
 * @returns Mean, interval ends and n.
 */
export function byHand(values: number[]): { mean: number; lo: number; hi: number; n: number } {
  const n = values.length;
  const m = values.reduce((a, b) => a + b, 0) / n;
  const sd = Math.sqrt(values.reduce((a, v) => a + (v - m) ** 2, 0) / (n - 1));
  const half = T975[n - 1] * sd / Math.sqrt(n);
  return { mean: m, lo: m - half, hi: m + half, n };
}

/**
 * Asserts a number is within `tol` of the expected value.
 *
 * @param actual The value.
 * @param expected The expected value.
 * @param what What it is, for the message.
 * @param tol Absolute tolerance (default 1e-8).
 */
export function near(actual: number, expected: number, what: string, tol = 1e-8): void {
  assert.ok(Math.abs(actual - expected) <= tol, `${what}: got ${actual}, expected ${expected}`);
}

/**
 * Asserts a claim's effect equals an interval computed by hand, and n.
 *
 * @param r The claim's result.
 * @param expected The hand-computed interval.
 */
export function assertEffect(r: ClaimResult, expected: ReturnType<typeof byHand>): void {
  near(r.effect.estimate, expected.mean, "effect.estimate");
  near(r.effect.ci95Low, expected.lo, "effect.ci95Low");
  near(r.effect.ci95High, expected.hi, "effect.ci95High");
  assert.equal(r.n, expected.n, "n");
}

/**
 * Asserts the evidence contains every fragment, naming the missing one.
 *
 * @param r The claim's result.
 * @param fragments Texts the evidence must contain.
 */
export function assertEvidence(r: ClaimResult, ...fragments: string[]): void {
  for (const f of fragments) {
    assert.ok(r.evidence.includes(f), `evidence lacks ${JSON.stringify(f)}:\n${r.evidence}`);
  }
}
