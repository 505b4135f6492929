/**
 * Planted-truth run stores for claim tests: an experiment validated and
 * expanded as the harness does, with hand-made records whose final metrics
 * and curves the test chooses run by run.
 *
 * @module
 */
import assert from "node:assert/strict";
import { CLAIMS } from "../../lib/claims/mod.ts";
import type { ClaimResult, Protocol } from "../../lib/claims/types.ts";
import type { HealthCheckId } from "../../lib/metrics/health.ts";
import {
  planStudy,
  type Planted,
  type PlantedRun,
  plantRuns,
  type StudyShape,
} from "../../lib/claims/simulate.ts";

export type { Planted, PlantedRun };

/** What {@link plant} takes. */
export interface PlantOptions extends StudyShape {
  /** The run each planned (point, seed) left. */
  run(point: Record<string, unknown>, seed: number): PlantedRun;
}

/**
 * Builds a study and its run store through `validateExperiment`,
 * `expandRuns` and `joinRuns`.
 *
 * @param o The study and the runs to plant.
 * @returns The experiment, plans, records and joined runs.
 */
export function plant(o: PlantOptions): Planted {
  return plantRuns(planStudy(o), o.run);
}

/**
 * Checks one claim on a planted study.
 *
 * @param p The study.
 * @param id The claim id.
 * @param params Parameter overrides.
 * @param protocol The full protocol or the shortened default (parzen-table).
 * @returns The claim's result.
 */
export function check(
  p: Planted,
  id: string,
  params: Record<string, unknown> = {},
  protocol: Protocol = {},
): ClaimResult {
  return CLAIMS[id].evaluate(p.joined, params, p.exp, protocol);
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

/**
 * Least-squares slope of y on x, by hand (two-pass, no library code).
 *
 * @param xs The x values.
 * @param ys The y values.
 * @returns The slope.
 */
export function slopeByHand(xs: number[], ys: number[]): number {
  const n = xs.length;
  const mx = xs.reduce((a, b) => a + b, 0) / n;
  const my = ys.reduce((a, b) => a + b, 0) / n;
  let sxy = 0;
  let sxx = 0;
  for (let i = 0; i < n; i++) {
    sxy += (xs[i] - mx) * (ys[i] - my);
    sxx += (xs[i] - mx) ** 2;
  }
  return sxy / sxx;
}

/**
 * The same planted study under an experiment that has a full-length protocol
 * (`full`), so that a sweep without `--full` ran its shortened budget.
 *
 * @param p The study.
 * @returns The study with `exp.full` set.
 */
export function withFullProtocol(p: Planted): Planted {
  return { ...p, exp: { ...p.exp, full: { set: { steps: 10_000 } } } };
}

/**
 * Asserts which health checks each planted run failed (so that a test of
 * invalid or tolerated runs really plants what it says).
 *
 * @param p The study.
 * @param expected The failed checks of the run at (point, seed), in report order.
 */
export function assertHealth(
  p: Planted,
  expected: (point: Record<string, unknown>, seed: number) => HealthCheckId[],
): void {
  for (const r of p.joined.runs) {
    const got = (r.health?.failures ?? []).map((f) => f.check);
    assert.deepEqual(got, expected(r.plan.point, r.plan.seed), `health of ${r.plan.id}`);
  }
}
