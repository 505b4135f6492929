/**
 * Numerically stable logistic helpers for raw discriminator logits.
 *
 * @module
 */

/**
 * The logistic sigmoid 1 / (1 + e^-x), evaluated without overflow for
 * large |x|.
 *
 * @param x A logit.
 * @returns A value in [0, 1].
 */
export function sigmoid(x: number): number {
  if (x >= 0) return 1 / (1 + Math.exp(-x));
  const e = Math.exp(x);
  return e / (1 + e);
}

/**
 * softplus(x) = log(1 + e^x), computed as max(x, 0) + log1p(e^-|x|) so that
 * it neither overflows for large x nor loses precision for very negative x.
 * Note -softplus(-x) = log sigmoid(x) and -softplus(x) = log(1 - sigmoid(x)).
 *
 * @param x A logit.
 * @returns A value in [0, inf).
 */
export function softplus(x: number): number {
  return Math.max(x, 0) + Math.log1p(Math.exp(-Math.abs(x)));
}
