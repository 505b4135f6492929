/**
 * Expanding an experiment into its runs: every sweep point (over the base
 * config, and the full protocol's overrides with `--full`) times every
 * seed, each resolved and given its id.
 *
 * @module
 */
import { type Issue } from "./schema.ts";
import { resolveConfig, type ResolvedConfig, type RunConfig } from "./config.ts";
import { type Experiment, SpecError } from "./experiment.ts";
import { setPath, type SweepPoint } from "./sweep_points.ts";
import { configId } from "./run_id.ts";

/** One planned run: resolved config, seed and id. */
export interface RunPlan {
  /** Stable id: hash of the resolved config, then the seed. */
  id: string;
  /** Hash of the resolved config without the seed (shared by its seeds). */
  configId: string;
  seed: number;
  /** Values of the swept paths for this run. */
  point: SweepPoint;
  config: RunConfig;
}

/** Options for {@link expandRuns}. */
export interface ExpandOptions {
  /** Overrides `steps` in every run (smoke runs). */
  steps?: number;
  /** Uses seeds 0..n-1 of the experiment's list (or 0..n-1 if longer). */
  seeds?: number;
  /** Runs the experiment's full-length protocol (its `full` overrides and seeds). */
  full?: boolean;
}

/**
 * The seeds a sweep expanded with `options` runs: the experiment's (or its
 * full protocol's), the first N of them with `seeds: N`, or 0..N-1 when N
 * is more than it lists. Throws {@link SpecError} for `full` without a full
 * protocol.
 */
export function planSeeds(exp: Experiment, options: ExpandOptions = {}): number[] {
  if (options.full && !exp.full) {
    throw new SpecError([{
      path: "full",
      message: `--full: experiment "${exp.name}" has no full protocol (no "full" field)`,
    }]);
  }
  const seeds = (options.full ? exp.full?.seeds : undefined) ?? exp.seeds;
  if (options.seeds === undefined) return seeds;
  return options.seeds <= seeds.length
    ? seeds.slice(0, options.seeds)
    : Array.from({ length: options.seeds }, (_, i) => i);
}

/**
 * How many runs expanding with `options` gives (points x seeds), without
 * expanding: what a command checks against its maximum before any work.
 *
 * @returns The sweep's points, the seeds per point and their product.
 */
export function countRuns(
  exp: Experiment,
  options: ExpandOptions = {},
): { points: number; seeds: number; runs: number } {
  const points = exp.oversized?.points ?? exp.sweep.length;
  if (options.full && !exp.full) planSeeds(exp, options);
  const seeds = options.seeds ??
    ((options.full ? exp.full?.seeds : undefined) ?? exp.seeds).length;
  return { points, seeds, runs: points * seeds };
}

/**
 * The resolved config of one sweep point: the base, the full protocol's
 * overrides with `full`, the point, and `steps` (with `evalEvery` shrunk to
 * fit) when given. Throws {@link SpecError} when it is invalid.
 */
export function resolvePoint(
  exp: Experiment,
  point: SweepPoint,
  options: ExpandOptions = {},
): ResolvedConfig {
  const full = options.full ? exp.full : undefined;
  const partial = structuredClone(exp.base) as Record<string, unknown>;
  for (const [k, v] of Object.entries(full?.set ?? {})) setPath(partial, k, v);
  for (const [k, v] of Object.entries(point)) setPath(partial, k, v);
  if (options.steps !== undefined) {
    partial.steps = options.steps;
    const every = (partial.evalEvery as number | undefined) ?? 100;
    if (every > options.steps) partial.evalEvery = Math.max(1, Math.floor(options.steps / 4));
  }
  const issues: Issue[] = [];
  const resolved = resolveConfig(partial, "config", issues);
  if (issues.length) throw new SpecError(issues);
  return resolved;
}

/**
 * Expands an experiment into its runs: every sweep point x every seed.
 * Throws {@link SpecError} for a sweep too large to have been checked
 * (`exp.oversized`) and, with `maxRuns`, before allocating anything when
 * the expansion would give more runs.
 */
export function expandRuns(
  exp: Experiment,
  options: ExpandOptions & { maxRuns?: number } = {},
): RunPlan[] {
  const count = countRuns(exp, options);
  if (exp.oversized || (options.maxRuns !== undefined && count.runs > options.maxRuns)) {
    throw new SpecError([{
      path: "sweep",
      message: `${count.points} points x ${count.seeds} seeds = ${count.runs} runs, more than ` +
        `the maximum of ${options.maxRuns ?? exp.oversized?.checkedUpTo} runs; raise it with ` +
        `--max-runs ${count.runs}`,
    }]);
  }
  const seeds = planSeeds(exp, options);
  const plans: RunPlan[] = [];
  for (const point of exp.sweep) {
    const resolved = resolvePoint(exp, point, options);
    const id = configId(resolved);
    for (const seed of seeds) {
      const config: RunConfig = { ...structuredClone(resolved), seed };
      plans.push({ id: `${id}-s${seed}`, configId: id, seed, point, config });
    }
  }
  return plans;
}
