/**
 * Simulated studies for testing and calibrating claims: a study planned as
 * the harness plans it (`validateExperiment`, `expandRuns`), with run
 * records whose final metrics and curves the caller chooses run by run,
 * joined as a report joins them. Nothing trains: this is how the rules are
 * checked on planted truths and how their false-PASS rates are measured.
 *
 * @module
 */
import { type Joined, joinRuns } from "../analysis/join.ts";
import { expandRuns, type Experiment, type RunPlan, validateExperiment } from "../spec/mod.ts";
import type { RunRecord, RunState } from "../sweep/store.ts";

/** What one planned run left: its state (null: no record at all), final metrics and curves. */
export interface PlantedRun {
  /** Default `done`; null leaves the run without a record (`missing`). */
  state?: RunState | null;
  /** Final metrics (undefined values left out); null for none (e.g. a failed run). */
  final?: Record<string, number | undefined> | null;
  /** Rows of metrics.csv, each with `step`. */
  curves?: Record<string, number>[];
}

/** The shape of a simulated study: its base config, sweep, seeds and claims. */
export interface StudyShape {
  /** Sweep axes (cartesian product) or explicit points; none for a single config. */
  sweep?: Record<string, unknown[]> | Record<string, unknown>[];
  /** Seeds. */
  seeds: number[];
  /** Base config; default a short ring-8 run. */
  base?: Record<string, unknown>;
  /** The study's claims. */
  claims?: unknown[];
  /** The study's contrasts. */
  contrasts?: unknown[];
}

/** A planned study without records. */
export interface PlannedStudy {
  exp: Experiment;
  plans: RunPlan[];
}

/** A study with its records and joined runs. */
export interface Planted extends PlannedStudy {
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
 * Plans a study as the harness does.
 *
 * @param shape The study.
 * @returns The validated experiment and its plans.
 */
export function planStudy(shape: StudyShape): PlannedStudy {
  const exp = validateExperiment({
    name: "planted",
    base: shape.base ?? { data: { name: "ring-8" }, steps: 200, evalEvery: 10 },
    ...(shape.sweep ? { sweep: shape.sweep } : {}),
    seeds: shape.seeds,
    claims: shape.claims ?? [],
    ...(shape.contrasts ? { contrasts: shape.contrasts } : {}),
  });
  return { exp, plans: expandRuns(exp) };
}

/**
 * Gives every planned run of a study the record `run` chooses, and joins them.
 *
 * @param study The planned study.
 * @param run The run each planned (point, seed) left.
 * @returns The study with records and joined runs.
 */
export function plantRuns(
  study: PlannedStudy,
  run: (point: Record<string, unknown>, seed: number) => PlantedRun,
): Planted {
  const { exp, plans } = study;
  const records: RunRecord[] = [];
  const ids = new Map<string, string>();
  for (const plan of plans) {
    ids.set(key(plan.point, plan.seed), plan.id);
    const r = run(plan.point, plan.seed);
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
