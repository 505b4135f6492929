/**
 * The GAN of one run: its two nets, their optimisers, the losses and the
 * gradient steps of D and of G. The training loop (`train.ts`) decides
 * which steps run in which order; this module only knows how to take one.
 *
 * @module
 */
import { tf } from "../deps.ts";
import {
  generatorOutput,
  gHidden,
  type LossName,
  optimizerFor,
  type RunConfig,
} from "../spec/config.ts";
import { Rng } from "../runtime/rng.ts";
import { type Blas, nativeBlas } from "../runtime/blas.ts";
import type { Dataset } from "../data/types.ts";
import type { ApplyOptions, Net } from "../nets/mlp.ts";
import { discriminatorLoss, generatorLoss, gradientPenalty } from "./losses.ts";
import { createOptimizer, type Optimizer } from "./optimizers.ts";
import { buildNets } from "./nets.ts";
import { FastSteps, fastStepsUnsupported } from "./fast_steps.ts";

/** A loss value and its gradients, as `tf.variableGrads` returns them (caller disposes). */
export interface Grads {
  value: tf.Scalar;
  grads: tf.NamedTensorMap;
}

/**
 * `n` noise vectors of the config's p_z (Gaussian, or uniform in [-1, 1]),
 * drawn from `rng`.
 *
 * @param config The run's config (noise dimension and distribution).
 * @param rng The stream to draw from.
 * @param n How many vectors.
 * @returns n x noiseDim floats, row-major.
 */
export function noise(config: RunConfig, rng: Rng, n: number): Float32Array {
  const size = n * config.arch.noiseDim;
  return config.arch.noise === "uniform" ? rng.uniforms(size, -1, 1) : rng.normals(size);
}

/**
 * `net` applied to the rows of `x` in inference mode; in chunks of `chunk`
 * rows when given (images: bounded memory, and batch norm sees batches).
 *
 * @param net The net.
 * @param x Rows of `dim` floats.
 * @param dim The row width.
 * @param chunk Rows per call (all at once when absent).
 * @returns The outputs, row after row.
 */
export function outputsOf(net: Net, x: Float32Array, dim: number, chunk?: number): Float32Array {
  const n = x.length / dim;
  const size = chunk ?? n;
  const parts: Float32Array[] = [];
  for (let i = 0; i < n; i += size) {
    const rows = Math.min(size, n - i);
    const part = x.subarray(i * dim, (i + rows) * dim);
    parts.push(
      tf.tidy(() => net.apply(tf.tensor2d(part, [rows, dim])).dataSync() as Float32Array),
    );
  }
  if (parts.length === 1) return parts[0];
  const out = new Float32Array(parts.reduce((a, p) => a + p.length, 0));
  let offset = 0;
  for (const p of parts) {
    out.set(p, offset);
    offset += p.length;
  }
  return out;
}

/**
 * The global norm of a set of gradients: sqrt of the sum of every squared entry.
 *
 * @param grads The gradients.
 * @returns The norm.
 */
export function globalNorm(grads: tf.NamedTensorMap): number {
  return tf.tidy(() => {
    const squares = Object.values(grads).map((g) => tf.sum(tf.square(g)));
    return Math.sqrt(tf.addN(squares).dataSync()[0]);
  });
}

/** Options of the {@link Gan} constructor. */
export interface GanOptions {
  /**
   * Train with the hand-written steps of `fast_steps.ts` where they exist
   * (default true): arch `maxout` with a first-order loss, on the wasm
   * backend with a native BLAS. False keeps the tfjs steps (for comparisons).
   */
  fast?: boolean;
  /** The BLAS of the fast steps (default: `nativeBlas()`; benchmarks pass a recording one). */
  blas?: Blas;
}

/**
 * Whether a run of `config` trains with the hand-written steps of
 * `fast_steps.ts`: null when it does, else why not.
 *
 * @param config The run's config.
 * @returns Null, or the reason in words.
 */
export function fastStepsUnavailable(config: RunConfig): string | null {
  const why = fastStepsUnsupported(config);
  if (why) return why;
  if (tf.getBackend() !== "wasm") return `the ${tf.getBackend()} backend (fast steps need wasm)`;
  if (!nativeBlas()) return "no native BLAS";
  return null;
}

/** The GAN of a config: nets, optimisers and the two gradient computations. */
export class Gan {
  readonly g: Net;
  readonly d: Net;
  readonly gOpt: Optimizer;
  readonly dOpt: Optimizer;
  readonly config: RunConfig;
  readonly dim: number;
  /** Draws D's dropout masks in training updates (unused by nets without dropout). */
  readonly dropout: Rng;
  /** Updates per pass over the training set (SGD's momentum ramp counts epochs). */
  readonly updatesPerEpoch: number;
  /**
   * The hand-written training steps, when this run has them (see
   * {@link GanOptions.fast}); null: the tfjs steps below. While they train,
   * the tfjs variables are current only after {@link Gan.syncVariables}.
   */
  readonly fast: FastSteps | null;

  constructor(config: RunConfig, data: Dataset, options: GanOptions = {}) {
    this.config = config;
    this.dim = data.dim;
    const nets = buildNets(config, data, new Rng(config.seed, "init"));
    this.g = nets.g;
    this.d = nets.d;
    this.dropout = new Rng(config.seed, "dropout");
    // Each of D's and G's optimisers counts epochs in its own updates.
    const updatesPerEpoch = data.trainSize / config.batchSize;
    this.updatesPerEpoch = updatesPerEpoch;
    this.gOpt = createOptimizer(optimizerFor(config, "g"), this.g.variables, { updatesPerEpoch });
    this.dOpt = createOptimizer(optimizerFor(config, "d"), this.d.variables, { updatesPerEpoch });
    const blas = options.blas ?? nativeBlas();
    this.fast = (options.fast ?? true) && blas && fastStepsUnavailable(config) === null
      ? new FastSteps(this, blas)
      : null;
  }

  /** Makes the tfjs variables (nets and optimiser slots) current after fast steps. */
  syncVariables(): void {
    this.fast?.sync();
  }

  /** Tells the fast steps that the tfjs variables were assigned (a restored checkpoint). */
  variablesAssigned(): void {
    this.fast?.invalidate();
  }

  /** G(z) as a tensor (caller disposes). */
  generate(z: Float32Array): tf.Tensor2D {
    const m = z.length / this.config.arch.noiseDim;
    return tf.tidy(() => this.g.apply(tf.tensor2d(z, [m, this.config.arch.noiseDim])));
  }

  /** D's apply options: dropout from the run's stream in training updates, none in evaluation. */
  mode(training: boolean): ApplyOptions {
    return training ? { dropout: this.dropout } : {};
  }

  /**
   * D's loss and its gradients for D's variables; G's output is a constant.
   * For `wasserstein-gp`, `eps` (one interpolation weight per row) adds the
   * gradient penalty times `gpWeight`. `beforeFake` runs between D's pass
   * on the reals and on the fakes (the simultaneous update reads the
   * dropout stream there).
   */
  dGrads(
    x: Float32Array,
    z: Float32Array,
    eps: Float32Array | undefined,
    training: boolean,
    beforeFake?: () => void,
  ): Grads {
    const fake = this.generate(z);
    const m = x.length / this.dim;
    const real = tf.tensor2d(x, [m, this.dim]);
    const epsT = this.config.loss === "wasserstein-gp" && eps ? tf.tensor2d(eps, [m, 1]) : null;
    const mode = this.mode(training);
    const out = tf.variableGrads(() => {
      const realLogits = this.d.apply(real, mode);
      beforeFake?.();
      const unscaled = discriminatorLoss(this.config.loss, realLogits, this.d.apply(fake, mode));
      const scale = this.config.dLossScale;
      const loss = scale === 1 ? unscaled : tf.mul(scale, unscaled) as tf.Scalar;
      if (!epsT) return loss;
      const penalty = gradientPenalty((t) => this.d.apply(t, mode), real, fake, epsT);
      return tf.add(loss, tf.mul(this.config.gpWeight, penalty)) as tf.Scalar;
    }, this.d.variables);
    tf.dispose([fake, real, ...(epsT ? [epsT] : [])]);
    return out;
  }

  /** G's loss (the config's, or `loss`) and its gradients for G's variables. */
  gGrads(z: Float32Array, training: boolean, loss: LossName = this.config.loss): Grads {
    const mode = this.mode(training);
    return tf.variableGrads(() => {
      const fake = this.generate(z);
      return generatorLoss(loss, this.d.apply(fake, mode));
    }, this.g.variables);
  }

  /** One update of D's variables from its gradients (disposes them). */
  stepD(result: Grads): void {
    applyGrads(this.dOpt, this.d.variables, result);
  }

  /** One update of G's variables from its gradients (disposes them). */
  stepG(result: Grads): void {
    applyGrads(this.gOpt, this.g.variables, result);
  }

  /**
   * p_g in closed form when G is linear (no hidden layer) on 1-D Gaussian
   * noise: G(z) = w z + b gives N(b, w^2). Null otherwise.
   */
  gaussianG(): { mean: number; std: number } | null {
    const { arch } = this.config;
    if (arch.name !== "mlp" || gHidden(arch).length > 0) return null;
    if (generatorOutput(this.config) !== "linear" || arch.noise !== "gaussian" || this.dim !== 1) {
      return null;
    }
    const [w, b] = this.g.variables.map((v) => v.dataSync());
    let variance = 0;
    for (const x of w) variance += x * x;
    return { mean: b[0], std: Math.sqrt(variance) };
  }

  /** Every tensor of the state, in checkpoint order (current after {@link Gan.syncVariables}). */
  stateVariables(): tf.Variable[] {
    return [...this.g.variables, ...this.d.variables, ...this.gOpt.slots(), ...this.dOpt.slots()];
  }

  dispose(): void {
    this.g.dispose();
    this.d.dispose();
    this.gOpt.dispose();
    this.dOpt.dispose();
  }
}

function applyGrads(opt: Optimizer, vars: tf.Variable[], result: Grads): void {
  opt.apply(vars.map((v) => result.grads[v.name]));
  result.value.dispose();
  tf.dispose(result.grads);
}
