/**
 * A rough estimate of how long runs take on one core, from each config's
 * shape (`lib/spec/cost.ts`): a worker's start, every D and G update (a
 * fixed cost per update plus its multiply-adds at the rate of the matrix
 * products in use), and every evaluation. The constants were set from the
 * CPU time of the quick start's k-steps runs on the 2-core build machine
 * (k = 1, 2, 5, 10 on 64 points: 28-36 CPU-seconds for the four with
 * OpenBLAS, 104-121 without; the model gives 40 and 101); the estimate
 * says what a dry run of a large study would cost, to within a factor of
 * about 2 on a machine like it, never how long one run takes exactly.
 *
 * @module
 */
import { configCost, type ResolvedConfig } from "../spec/mod.ts";

/** The constants of the model (see the module doc for how they were set). */
export const ESTIMATE = {
  /** Seconds to start a worker: Deno, tfjs, the data set. */
  startSec: 1.5,
  /** Seconds of framework overhead per D or G update (small nets are dominated by it). */
  updateSec: 1.2e-3,
  /** Multiply-adds per second of the matrix products with a native BLAS. */
  macsPerSecBlas: 8e9,
  /** The same on the shipped wasm kernels. */
  macsPerSecWasm: 1.5e9,
  /** Seconds per evaluation besides its forward passes (metrics over samples). */
  evalSec: 0.05,
  /** Seconds per evaluation sample and data dimension (the metrics' own work). */
  evalSampleSec: 4e-6,
};

/**
 * Estimated seconds of one run on one core.
 *
 * @param config A resolved config.
 * @param nativeBlas Whether matrix products run on a native BLAS.
 * @returns Seconds.
 */
export function estimateRunSeconds(config: ResolvedConfig, nativeBlas: boolean): number {
  const { g, d, dim } = configCost(config);
  const rate = nativeBlas ? ESTIMATE.macsPerSecBlas : ESTIMATE.macsPerSecWasm;
  const b = config.batchSize;
  // Forward and backward: about 3x the forward multiply-adds.
  const dUpdate = b * (g.macs + 2 * 3 * d.macs);
  const gUpdate = b * 3 * (g.macs + d.macs);
  const perIteration = config.k * (ESTIMATE.updateSec + dUpdate / rate) +
    config.gSteps * (ESTIMATE.updateSec + gUpdate / rate);
  const evals = Math.floor(config.steps / config.evalEvery) + 2;
  const perEval = ESTIMATE.evalSec + config.evalSamples * dim * ESTIMATE.evalSampleSec +
    config.evalSamples * 2 * (g.macs + 2 * d.macs) / rate;
  return ESTIMATE.startSec + config.steps * perIteration + evals * perEval;
}

/**
 * A duration as a person reads it: "45s", "12m30s", "3h05m", "2.5 days".
 *
 * @param seconds The duration.
 * @returns The text.
 */
export function formatDuration(seconds: number): string {
  if (!Number.isFinite(seconds)) return "?";
  const s = Math.round(seconds);
  if (s < 60) return `${s}s`;
  if (s < 3600) return `${Math.floor(s / 60)}m${String(s % 60).padStart(2, "0")}s`;
  if (s < 48 * 3600) {
    return `${Math.floor(s / 3600)}h${String(Math.floor((s % 3600) / 60)).padStart(2, "0")}m`;
  }
  const days = s / 86400;
  return days < 1000 ? `${days.toPrecision(3)} days` : `${(days / 365).toPrecision(3)} years`;
}

/**
 * The wall time of runs on `workers` cores: their summed estimates spread
 * evenly, never less than the longest run.
 *
 * @param seconds Each run's estimate.
 * @param workers Runs at once.
 * @returns Seconds.
 */
export function wallSeconds(seconds: readonly number[], workers: number): number {
  let sum = 0;
  let longest = 0;
  for (const s of seconds) {
    sum += s;
    if (s > longest) longest = s;
  }
  return Math.max(sum / Math.max(1, workers), longest);
}
