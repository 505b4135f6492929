/**
 * Expanding an experiment into its runs: every sweep point (over the base
 * config, and the full protocol's overrides with `--full`) times every
 * seed, each resolved and given its id.
 *
 * @module
 */
import { type Issue } from "./schema.ts";
import { resolveConfig, type RunConfig } from "./config.ts";
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

/** Expands an experiment into its runs: every sweep point x every seed. */
export function expandRuns(exp: Experiment, options: ExpandOptions = {}): RunPlan[] {
  if (options.full && !exp.full) {
    throw new SpecError([{
      path: "full",
      message: `--full: experiment "${exp.name}" has no full protocol (no "full" field)`,
    }]);
  }
  const full = options.full ? exp.full : undefined;
  let seeds = full?.seeds ?? exp.seeds;
  if (options.seeds !== undefined) {
    seeds = options.seeds <= seeds.length
      ? seeds.slice(0, options.seeds)
      : Array.from({ length: options.seeds }, (_, i) => i);
  }
  const plans: RunPlan[] = [];
  for (const point of exp.sweep) {
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
    const id = configId(resolved);
    for (const seed of seeds) {
      const config: RunConfig = { ...structuredClone(resolved), seed };
      plans.push({ id: `${id}-s${seed}`, configId: id, seed, point, config });
    }
  }
  return plans;
}
