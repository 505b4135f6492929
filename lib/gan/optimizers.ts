/**
 * Adam and SGD with momentum, written out so their whole state (moments and
 * step count) is explicit and can be checkpointed.
 *
 * @module
 */
import { tf } from "../deps.ts";
import type { OptimizerConfig, SgdConfig } from "../spec/config.ts";
import { variableFrom } from "../nets/mlp.ts";
import { adamUpdate } from "../runtime/fused_adam.ts";

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

/**
 * The learning rate and momentum of SGD's update number `t` (0-based), with
 * the paper's schedules (pylearn2's ExponentialDecay and MomentumAdjustor):
 * lr / lrDecay^t, not below lrMin; momentum moving linearly from `momentum`
 * at epoch 0 to `momentumEnd` at epoch `momentumRampEpochs`, then constant.
 * An epoch is `updatesPerEpoch` updates (whole epochs count).
 */
export function sgdSchedule(
  config: SgdConfig,
  t: number,
  updatesPerEpoch: number,
): { lr: number; momentum: number } {
  let lr = config.lr;
  if (config.lrDecay !== undefined) {
    lr = Math.max(config.lr / Math.pow(config.lrDecay, t), config.lrMin ?? 0);
  }
  let momentum = config.momentum;
  if (config.momentumEnd !== undefined && config.momentumRampEpochs !== undefined) {
    const epoch = Math.floor(t / Math.max(1, updatesPerEpoch));
    const a = Math.min(1, epoch / config.momentumRampEpochs);
    momentum = config.momentum * (1 - a) + config.momentumEnd * a;
  }
  return { lr, momentum };
}

/** Options of {@link createOptimizer}. */
export interface OptimizerOptions {
  /** Updates per pass over the training set (the momentum ramp counts epochs); default 1. */
  updatesPerEpoch?: number;
}

/** Creates the optimiser of a config for `vars`. */
export function createOptimizer(
  config: OptimizerConfig,
  vars: tf.Variable[],
  options: OptimizerOptions = {},
): Optimizer {
  const zeros = () => vars.map((v) => variableFrom(tf.zerosLike(v), undefined, false));
  if (config.name === "sgd") {
    const velocity = zeros();
    const perEpoch = options.updatesPerEpoch ?? 1;
    let t = 0;
    return {
      apply(grads) {
        const { lr, momentum } = sgdSchedule(config, t, perEpoch);
        tf.tidy(() => {
          vars.forEach((v, i) => {
            // v <- momentum * v - lr * g; w <- w + v
            const next = tf.sub(tf.mul(momentum, velocity[i]), tf.mul(lr, grads[i]));
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
          // One fused kernel on wasm, the written-out ops elsewhere (bit-identical).
          const [nv, nm, ns] = adamUpdate(v, m[i], s[i], grads[i], {
            lr,
            beta1,
            beta2,
            eps,
            c1,
            c2,
          });
          m[i].assign(nm);
          s[i].assign(ns);
          v.assign(nv);
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
