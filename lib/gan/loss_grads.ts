/**
 * The gradients of the GAN losses of `losses.ts` with respect to D's
 * logits, written out: what the hand-written training steps of
 * `fast_steps.ts` start their backward pass from. Each is the derivative of
 * the mean over the batch, so entry i carries a factor 1 / m; values are
 * computed in float64 and rounded to float32 once.
 *
 * For a logit a, with sigma the logistic function:
 *
 * | loss | D, real | D, generated | G |
 * | --- | --- | --- | --- |
 * | minimax | -sigma(-a) | sigma(a) | -sigma(a) |
 * | non-saturating | -sigma(-a) | sigma(a) | -sigma(-a) |
 * | least-squares | a - 1 | a | a - 1 |
 * | hinge | -[a < 1] | [a > -1] | -1 |
 *
 * (hinge's indicator is 0 at the kink, as tfjs's relu gradient.)
 * `wasserstein-gp` needs second-order gradients and has none here.
 *
 * @module
 */
import type { LossName } from "../spec/config.ts";

/** The losses {@link discriminatorLogitGrads} and {@link generatorLogitGrads} handle. */
export const FIRST_ORDER_LOSSES: readonly LossName[] = [
  "minimax",
  "non-saturating",
  "least-squares",
  "hinge",
];

function sigmoid(x: number): number {
  return 1 / (1 + Math.exp(-x));
}

function unsupported(loss: LossName): Error {
  return new Error(
    `loss "${loss}" has no hand-written gradient (accepted: ${FIRST_ORDER_LOSSES.join(", ")})`,
  );
}

/**
 * dL_D / da for D's loss times `scale`, over `logits`: the first `real`
 * entries are logits on real rows, the next `fake` on generated ones; each
 * mean is over its own rows. Written into `out` (the same length).
 */
export function discriminatorLogitGrads(
  loss: LossName,
  logits: Float32Array,
  real: number,
  fake: number,
  scale: number,
  out: Float32Array,
): void {
  const r = scale / real;
  const f = scale / fake;
  switch (loss) {
    case "minimax":
    case "non-saturating":
      for (let i = 0; i < real; i++) out[i] = -sigmoid(-logits[i]) * r;
      for (let i = real; i < real + fake; i++) out[i] = sigmoid(logits[i]) * f;
      return;
    case "least-squares":
      for (let i = 0; i < real; i++) out[i] = (logits[i] - 1) * r;
      for (let i = real; i < real + fake; i++) out[i] = logits[i] * f;
      return;
    case "hinge":
      for (let i = 0; i < real; i++) out[i] = 1 - logits[i] > 0 ? -r : 0;
      for (let i = real; i < real + fake; i++) out[i] = 1 + logits[i] > 0 ? f : 0;
      return;
    default:
      throw unsupported(loss);
  }
}

/** dL_G / da for G's loss over the logits of `n` generated rows, into `out`. */
export function generatorLogitGrads(
  loss: LossName,
  logits: Float32Array,
  n: number,
  out: Float32Array,
): void {
  const inv = 1 / n;
  switch (loss) {
    case "minimax":
      for (let i = 0; i < n; i++) out[i] = -sigmoid(logits[i]) * inv;
      return;
    case "non-saturating":
      for (let i = 0; i < n; i++) out[i] = -sigmoid(-logits[i]) * inv;
      return;
    case "least-squares":
      for (let i = 0; i < n; i++) out[i] = (logits[i] - 1) * inv;
      return;
    case "hinge":
      for (let i = 0; i < n; i++) out[i] = -inv;
      return;
    default:
      throw unsupported(loss);
  }
}
