/**
 * GAN losses as small pure functions of D's logits, in the numerically
 * stable softplus form: log D(x) = -softplus(-a), log(1 - D(x)) = -softplus(a)
 * for a logit a.
 *
 * - minimax (Goodfellow et al. 2014, eq. 1): D maximises
 *   E log D(x) + E log(1 - D(G(z))); G minimises E log(1 - D(G(z))).
 * - non-saturating: the same D loss; G maximises E log D(G(z)).
 * - least-squares (Mao et al. 2017): D: (a_r - 1)^2/2 + a_f^2/2; G: (a_f - 1)^2/2.
 * - hinge (Lim & Ye 2017): D: relu(1 - a_r) + relu(1 + a_f); G: -a_f.
 * - wasserstein-gp (Gulrajani et al. 2017): the critic's loss a_f - a_r plus
 *   {@link gradientPenalty} times its weight; G: -a_f.
 *
 * @module
 */
import { tf } from "../deps.ts";
import type { LossName } from "../spec/config.ts";

/** D's loss (to minimise) from logits on real and on generated samples. */
export function discriminatorLoss(
  loss: LossName,
  realLogits: tf.Tensor,
  fakeLogits: tf.Tensor,
): tf.Scalar {
  return tf.tidy(() => {
    switch (loss) {
      case "minimax":
      case "non-saturating":
        return tf.add(tf.mean(tf.softplus(tf.neg(realLogits))), tf.mean(tf.softplus(fakeLogits)));
      case "least-squares":
        return tf.mul(
          0.5,
          tf.add(tf.mean(tf.square(tf.sub(realLogits, 1))), tf.mean(tf.square(fakeLogits))),
        );
      case "hinge":
        return tf.add(
          tf.mean(tf.relu(tf.sub(1, realLogits))),
          tf.mean(tf.relu(tf.add(1, fakeLogits))),
        );
      case "wasserstein-gp":
        // The penalty term needs D itself: see gradientPenalty.
        return tf.sub(tf.mean(fakeLogits), tf.mean(realLogits));
    }
  }) as tf.Scalar;
}

/** G's loss (to minimise) from D's logits on generated samples. */
export function generatorLoss(loss: LossName, fakeLogits: tf.Tensor): tf.Scalar {
  return tf.tidy(() => {
    switch (loss) {
      case "minimax":
        // E log(1 - D(G(z))) = -E softplus(a)
        return tf.neg(tf.mean(tf.softplus(fakeLogits)));
      case "non-saturating":
        // -E log D(G(z)) = E softplus(-a)
        return tf.mean(tf.softplus(tf.neg(fakeLogits)));
      case "least-squares":
        return tf.mul(0.5, tf.mean(tf.square(tf.sub(fakeLogits, 1))));
      case "hinge":
      case "wasserstein-gp":
        return tf.neg(tf.mean(fakeLogits));
    }
  }) as tf.Scalar;
}

/**
 * The gradient penalty of WGAN-GP: E[(||grad_x D(x_hat)||_2 - 1)^2] at
 * x_hat = eps * real + (1 - eps) * fake, one eps in [0, 1) per row. Taking
 * gradients of it needs second-order gradients (see
 * `registerComparisonGradients` in lib/runtime).
 *
 * @param critic D as a function of a [batch, dim] tensor, returning logits
 * @param real real rows [batch, dim]
 * @param fake generated rows [batch, dim] (treated as constants)
 * @param eps one interpolation weight per row [batch, 1]
 */
export function gradientPenalty(
  critic: (x: tf.Tensor2D) => tf.Tensor,
  real: tf.Tensor2D,
  fake: tf.Tensor2D,
  eps: tf.Tensor2D,
): tf.Scalar {
  return tf.tidy(() => {
    const xHat = tf.add(tf.mul(eps, real), tf.mul(tf.sub(1, eps), fake)) as tf.Tensor2D;
    const grad = tf.grad((x: tf.Tensor) => tf.sum(critic(x as tf.Tensor2D)))(xHat);
    const norms = tf.sqrt(tf.add(tf.sum(tf.square(grad), 1), 1e-12));
    return tf.mean(tf.square(tf.sub(norms, 1)));
  }) as tf.Scalar;
}
