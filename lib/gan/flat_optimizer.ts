/**
 * SGD with momentum and Adam over the flat parameter buffer of a
 * {@link FlatNet}, the same updates as `optimizers.ts` (the same schedules,
 * the same state), for the hand-written training steps of `fast_steps.ts`.
 *
 * - SGD: the velocity update v <- momentum v - lr g is folded into the
 *   products that compute g (a {@link ParamSink} with alpha -lr and beta
 *   momentum writing into v); the update w <- w + v is a `saxpy` per layer.
 * - Adam: g goes into a buffer of its own, then a pass per layer updates w,
 *   m and s with the float32 operations of `fused_adam.ts`.
 *
 * Each layer is updated as soon as the backward pass is past it (the
 * sink's `done`), while its gradient is still in cache; `apply` updates
 * whatever is left and counts the update.
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
  /**
   * Where the gradient of the next update goes (compute it, then
   * {@link FlatOptimizer.apply}). Its `done` applies the update to one
   * range of the parameters as soon as the gradient pass is past it.
   */
  sink(): ParamSink;
  /** Finishes the update whose gradient went to the sink (the ranges not yet done), and counts it. */
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
  // The ranges this update has changed already (from `done`), as [start, end) pairs.
  let updated: [number, number][] = [];
  let pending = false;
  /** Runs `update` on [start, end) unless it overlaps a range done this update. */
  const once = (start: number, end: number, update: (start: number, end: number) => void) => {
    if (!pending || updated.some(([a, b]) => start < b && a < end)) return;
    updated.push([start, end]);
    update(start, end);
  };
  const finish = (update: (start: number, end: number) => void) => {
    if (!pending) throw new Error("FlatOptimizer.apply: no gradient was taken (call sink() first)");
    // The ranges no `done` covered.
    let at = 0;
    for (const [a, b] of updated.sort((x, y) => x[0] - y[0])) {
      if (a > at) update(at, a);
      at = Math.max(at, b);
    }
    if (at < n) update(at, n);
    updated = [];
    pending = false;
    counter.setIterations(counter.iterations + 1);
  };
  if (config.name === "sgd") {
    const velocity = new Float32Array(n);
    // w <- w + v over a range.
    const step = (start: number, end: number) =>
      blas.saxpy(end - start, 1, velocity.subarray(start, end), 1, params.subarray(start, end), 1);
    const sink: ParamSink = {
      alpha: 0,
      beta: 0,
      target: velocity,
      done: (start, end) => once(start, end, step),
    };
    return {
      state: [velocity],
      sink() {
        const { lr, momentum } = sgdSchedule(config, counter.iterations, updatesPerEpoch);
        sink.alpha = -lr;
        sink.beta = momentum;
        pending = true;
        return sink;
      },
      apply: () => finish(step),
    };
  }
  const m = new Float32Array(n);
  const s = new Float32Array(n);
  const grad = new Float32Array(n);
  const { lr, beta1, beta2, eps } = config;
  let hyper = { lr, beta1, beta2, eps, c1: 1, c2: 1 };
  const step = (start: number, end: number) => {
    const [p, mm, ss] = [params, m, s].map((a) => a.subarray(start, end));
    adamInto(p, mm, ss, grad.subarray(start, end), hyper, p, mm, ss);
  };
  const sink: ParamSink = {
    alpha: 1,
    beta: 0,
    target: grad,
    done: (start, end) => once(start, end, step),
  };
  return {
    state: [m, s],
    sink() {
      const t = counter.iterations + 1;
      hyper = { lr, beta1, beta2, eps, c1: 1 - Math.pow(beta1, t), c2: 1 - Math.pow(beta2, t) };
      pending = true;
      return sink;
    },
    apply: () => finish(step),
  };
}
