/**
 * The Parzen-window estimate during training (`parzen.every`), so one run
 * shows how the number grows with its length: at every evaluation whose
 * step is a multiple of `parzen.every` (step 0 included) and at the last,
 * the paper's protocol (`parzen.samples` samples from the fixed noise of the
 * run's `parzen` stream, sigma chosen on the first `parzen.validPoints`
 * validation images) reported on the first `parzen.trainingPoints` test
 * images instead of all `parzen.testPoints`: `parzen_curve_ll`,
 * `parzen_curve_se`, `parzen_curve_sigma`. The full protocol at the end stays
 * `parzen_ll` (`evaluate.ts`).
 *
 * @module
 */
import type { RunConfig } from "../spec/config.ts";
import type { Dataset } from "../data/types.ts";
import { Rng } from "../runtime/rng.ts";
import { parzenEstimate } from "../metrics/parzen.ts";
import { type Gan, noise, outputsOf } from "./gan.ts";

/** Rows per call when G draws the samples (as `evaluate.ts`'s image chunk). */
const CHUNK = 500;

/**
 * Whether the evaluation at `step` logs the estimate during training.
 *
 * @param config The run's config.
 * @param step The evaluation's step.
 * @returns True for image runs with `parzen.every` > 0 at a multiple of it or the last step.
 */
export function parzenCurveDue(config: RunConfig, step: number): boolean {
  const every = config.parzen?.every ?? 0;
  return every > 0 && (step % every === 0 || step === config.steps);
}

/**
 * The estimate during training at `step`, when due (else no metrics).
 *
 * @param gan The GAN (its variables current).
 * @param data The run's data set (image data with a test part).
 * @param step The evaluation's step.
 * @returns `parzen_curve_ll`, `parzen_curve_se`, `parzen_curve_sigma`, or nothing.
 */
export function parzenCurveMetrics(
  gan: Gan,
  data: Dataset,
  step: number,
): Record<string, number> {
  const { config, dim } = gan;
  const p = config.parzen;
  if (!p || !data.test || !parzenCurveDue(config, step)) return {};
  const testPoints = Math.min(p.trainingPoints, p.testPoints, data.test.length / dim);
  const z = noise(config, new Rng(config.seed, "parzen"), p.samples);
  const fakes = outputsOf(gan.g, z, config.arch.noiseDim, CHUNK);
  const est = parzenEstimate(
    { data: fakes, rows: p.samples, cols: dim },
    { data: data.valid.subarray(0, p.validPoints * dim), rows: p.validPoints, cols: dim },
    { data: data.test.subarray(0, testPoints * dim), rows: testPoints, cols: dim },
    { testEverySigma: false },
  );
  return {
    parzen_curve_ll: est.mean,
    parzen_curve_se: est.se,
    parzen_curve_sigma: est.sigma,
  };
}
