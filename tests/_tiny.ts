/**
 * Test helper: the tiny ring-8 studies that the sweep and CLI tests train
 * for real in seconds: 32 training points, 64 validation points, an MLP G
 * and D, batches of 16, 100 samples per evaluation.
 */
import type { ExperimentSpec, PartialConfig } from "../lib/spec/mod.ts";

/** What sets one tiny study apart. */
export interface TinyStudy {
  name: string;
  steps: number;
  evalEvery: number;
  /** Hidden layer sizes of G and D (default [8]). */
  hidden?: number[];
  /** Further base fields, over the tiny ones. */
  base?: PartialConfig;
  sweep?: Record<string, unknown[]>;
  seeds: number[];
}

/**
 * A tiny ring-8 study as an experiment spec.
 *
 * @param t Name, budget, net size, sweep and seeds.
 * @param extra Further top-level fields (title, claims, full, ...).
 * @returns The spec; `JSON.stringify` it for an experiment file.
 */
export function tinyStudy(t: TinyStudy, extra: Partial<ExperimentSpec> = {}): ExperimentSpec {
  return {
    name: t.name,
    base: {
      data: { name: "ring-8", trainSize: 32, validSize: 64 },
      arch: { name: "mlp", noiseDim: 2, hidden: t.hidden ?? [8] },
      batchSize: 16,
      steps: t.steps,
      evalEvery: t.evalEvery,
      evalSamples: 100,
      ...t.base,
    } as PartialConfig,
    ...(t.sweep ? { sweep: t.sweep } : {}),
    seeds: t.seeds,
    ...extra,
  };
}
