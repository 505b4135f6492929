/**
 * Summaries of discriminator outputs: mean D on train reals, held-out reals
 * and fakes, accuracies, the ADA overfitting heuristic r_t, and an estimate
 * of the GAN value V(D, G).
 *
 * @module
 */

import { sigmoid, softplus } from "./logistic.ts";

/** What {@link discriminatorStats} returns. All fields are NaN for empty inputs. */
export interface DiscriminatorStats {
  /** Mean sigmoid(D) on training reals. */
  dRealTrain: number;
  /** Mean sigmoid(D) on held-out reals. */
  dRealValid: number;
  /** Mean sigmoid(D) on generated samples. */
  dFake: number;
  /** dRealTrain - dRealValid: how much more D believes reals it trained on. */
  dGap: number;
  /** Share of training reals with logit > 0. */
  accRealTrain: number;
  /** Share of held-out reals with logit > 0. */
  accRealValid: number;
  /** Share of fakes with logit < 0. */
  accFake: number;
  /**
   * r_t = mean(sign(logit)) on training reals (Karras et al. 2020, ADA);
   * sign(0) = 0. 0 means no overfitting, 1 complete overfitting.
   */
  rT: number;
}

function mean(values: ArrayLike<number>, f: (x: number) => number): number {
  let sum = 0;
  for (let i = 0; i < values.length; i++) sum += f(values[i]);
  return sum / values.length;
}

/**
 * Summarises raw discriminator logits on training reals, held-out reals and
 * fakes.
 *
 * @param logitsTrain D's logits on reals from the training set.
 * @param logitsValid D's logits on held-out reals.
 * @param logitsFake D's logits on generated samples.
 * @returns Mean outputs, accuracies, the train/valid gap and r_t.
 */
export function discriminatorStats(
  logitsTrain: ArrayLike<number>,
  logitsValid: ArrayLike<number>,
  logitsFake: ArrayLike<number>,
): DiscriminatorStats {
  const dRealTrain = mean(logitsTrain, sigmoid);
  const dRealValid = mean(logitsValid, sigmoid);
  return {
    dRealTrain,
    dRealValid,
    dFake: mean(logitsFake, sigmoid),
    dGap: dRealTrain - dRealValid,
    accRealTrain: mean(logitsTrain, (x) => (x > 0 ? 1 : 0)),
    accRealValid: mean(logitsValid, (x) => (x > 0 ? 1 : 0)),
    accFake: mean(logitsFake, (x) => (x < 0 ? 1 : 0)),
    rT: mean(logitsTrain, (x) => (x > 0 ? 1 : x < 0 ? -1 : 0)),
  };
}

/**
 * Monte Carlo estimate of the GAN value
 * V(D, G) = E_real[log D(x)] + E_fake[log(1 - D(G(z)))], computed from
 * logits as -mean softplus(-real) - mean softplus(fake) so that saturated
 * logits give large finite values instead of -Infinity. It is -log 4 when
 * D = 1/2 everywhere, the value at the global optimum of Goodfellow et al.
 *
 * @param logitsReal D's logits on reals.
 * @param logitsFake D's logits on generated samples.
 * @returns The estimate of V(D, G) (NaN if either input is empty).
 */
export function valueEstimate(
  logitsReal: ArrayLike<number>,
  logitsFake: ArrayLike<number>,
): number {
  return -mean(logitsReal, (x) => softplus(-x)) - mean(logitsFake, softplus);
}
