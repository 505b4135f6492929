/**
 * SGD with momentum and Adam over the flat parameter buffer of a
 * {@link FlatNet}, the same updates as `optimizers.ts` (the same schedules,
 * the same state), for the hand-written training steps of `fast_steps.ts`.
 *
 * - SGD: the velocity update v <- momentum v - lr g is folded into the
 *   products that compute g (a {@link ParamSink} with alpha -lr and beta
 *   momentum writing into v); the update w <- w + v is one `saxpy`.
 * - Adam: g goes into a buffer of its own, then one pass updates w, m and s
 *   with the float32 operations of `fused_adam.ts`.
 *
 * The update count lives in the run's tfjs {@link Optimizer} (the one
 * checkpoints save), which this reads and advances, so both kinds of step
 * share one schedule.
 *
 * @module
 */
import type { OptimizerConfig } from "../spec/config.ts";
import type { Blas } from "../runtime/blas.ts";
import type { ParamSink } from "../nets/flat_net.ts";
import { adamInto } from "../runtime/fused_adam.ts";
import { type Optimizer, sgdSchedule } from "./optimizers.ts";

/** An optimiser over one flat parameter buffer. */
export interface FlatOptimizer {
  /** Where the gradient of the next update goes (compute it, then {@link FlatOptimizer.apply}). */
  sink(): ParamSink;
  /** Applies the update whose gradient went to the sink, and counts it. */
  apply(): void;
  /**
   * The state buffers, laid out as the parameters: SGD its velocity; Adam
   * its first, then second moments (the order of the tfjs optimiser's slots).
   */
  readonly state: Float32Array[];
}

/**
 * The optimiser of `config` over `params`.
 *
 * @param config The net's optimiser config.
 * @param params The flat parameters it updates.
 * @param counter The run's tfjs optimiser of the same net: its update count.
 * @param updatesPerEpoch Updates per pass over the training set (SGD's momentum ramp).
 * @param blas The BLAS for SGD's `saxpy`.
 */
export function createFlatOptimizer(
  config: OptimizerConfig,
  params: Float32Array,
  counter: Pick<Optimizer, "iterations" | "setIterations">,
  updatesPerEpoch: number,
  blas: Blas,
): FlatOptimizer {
  const n = params.length;
  if (config.name === "sgd") {
    const velocity = new Float32Array(n);
    const sink: ParamSink = { alpha: 0, beta: 0, target: velocity };
    return {
      state: [velocity],
      sink() {
        const { lr, momentum } = sgdSchedule(config, counter.iterations, updatesPerEpoch);
        sink.alpha = -lr;
        sink.beta = momentum;
        return sink;
      },
      apply() {
        blas.saxpy(n, 1, velocity, 1, params, 1);
        counter.setIterations(counter.iterations + 1);
      },
    };
  }
  const m = new Float32Array(n);
  const s = new Float32Array(n);
  const grad = new Float32Array(n);
  const sink: ParamSink = { alpha: 1, beta: 0, target: grad };
  const { lr, beta1, beta2, eps } = config;
  return {
    state: [m, s],
    sink: () => sink,
    apply() {
      const t = counter.iterations + 1;
      const c1 = 1 - Math.pow(beta1, t);
      const c2 = 1 - Math.pow(beta2, t);
      adamInto(params, m, s, grad, { lr, beta1, beta2, eps, c1, c2 }, params, m, s);
      counter.setIterations(t);
    },
  };
}
