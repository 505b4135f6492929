/**
 * Adam and SGD with momentum, written out so their whole state (moments and
 * step count) is explicit and can be checkpointed.
 *
 * @module
 */
import * as tf from "@tensorflow/tfjs";
import type { OptimizerConfig } from "../spec/config.ts";
import { variableFrom } from "../nets/mlp.ts";

/** An optimiser bound to a fixed list of variables. */
export interface Optimizer {
  /** Applies one update from gradients in the order of the variables. */
  apply(grads: tf.Tensor[]): void;
  /** Updates applied so far. */
  readonly iterations: number;
  /** Sets the update count (when restoring a checkpoint; slots are restored separately). */
  setIterations(t: number): void;
  /** State tensors (for checkpoints), in a fixed order. */
  slots(): tf.Variable[];
  /** Frees the state. */
  dispose(): void;
}

/** Creates the optimiser of a config for `vars`. */
export function createOptimizer(config: OptimizerConfig, vars: tf.Variable[]): Optimizer {
  const zeros = () => vars.map((v) => variableFrom(tf.zerosLike(v), undefined, false));
  if (config.name === "sgd") {
    const velocity = zeros();
    let t = 0;
    return {
      apply(grads) {
        tf.tidy(() => {
          vars.forEach((v, i) => {
            // v <- momentum * v - lr * g; w <- w + v
            const next = tf.sub(tf.mul(config.momentum, velocity[i]), tf.mul(config.lr, grads[i]));
            velocity[i].assign(next);
            v.assign(tf.add(v, next));
          });
        });
        t++;
      },
      get iterations() {
        return t;
      },
      setIterations(n) {
        t = n;
      },
      slots: () => velocity,
      dispose: () => velocity.forEach((s) => s.dispose()),
    };
  }
  const { lr, beta1, beta2, eps } = config;
  const m = zeros();
  const s = zeros();
  let t = 0;
  return {
    apply(grads) {
      t++;
      const c1 = 1 - Math.pow(beta1, t);
      const c2 = 1 - Math.pow(beta2, t);
      tf.tidy(() => {
        vars.forEach((v, i) => {
          const g = grads[i];
          const mi = tf.add(tf.mul(beta1, m[i]), tf.mul(1 - beta1, g));
          const si = tf.add(tf.mul(beta2, s[i]), tf.mul(1 - beta2, tf.square(g)));
          m[i].assign(mi);
          s[i].assign(si);
          const step = tf.div(tf.mul(lr / c1, mi), tf.add(tf.sqrt(tf.div(si, c2)), eps));
          v.assign(tf.sub(v, step));
        });
      });
    },
    get iterations() {
      return t;
    },
    setIterations(n) {
      t = n;
    },
    slots: () => [...m, ...s],
    dispose: () => [...m, ...s].forEach((x) => x.dispose()),
  };
}
