/**
 * The training steps of the paper's MNIST nets (arch `maxout`: a ReLU MLP
 * G, a maxout D with dropout) written out by hand on {@link FlatNet}s and a
 * native BLAS, instead of tfjs ops and automatic differentiation: the same
 * updates (the simultaneous update of the public code, and Algorithm 1's D
 * and G steps), the same random draws (minibatches, noise and dropout
 * masks come from the same streams in the same order), the same optimiser
 * state, at close to the cost of the update's matrix products alone
 * (`deno task bench paper-mnist`). Results differ from the tfjs steps only
 * in float32 rounding (products stacked differently, the bias added inside
 * the product, activations computed in float64 and rounded once); they are
 * bit-identical run to run and across a resume.
 *
 * What a step shares: one forward pass of G; one pass of D over the real
 * and generated rows stacked (the masks drawn as two tfjs passes would draw
 * them); D's loss backward over both, which writes D's gradient straight
 * into its optimiser's buffer; for G, a backward pass through D over the
 * generated rows (the same masks: the public code's AdversaryCost2) and
 * through G.
 *
 * The tfjs variables of the run's nets and optimisers stay the state that
 * evaluation and checkpoints read: {@link FastSteps.sync} writes the flat
 * buffers back into them (the training loop calls it before evaluating or
 * checkpointing), and {@link FastSteps.invalidate} makes the next step read
 * them again (after a checkpoint is restored into them).
 *
 * @module
 */
import { tf } from "../deps.ts";
import { generatorOutput, optimizerFor, type RunConfig } from "../spec/config.ts";
import type { Blas } from "../runtime/blas.ts";
import type { Rng } from "../runtime/rng.ts";
import type { Net } from "../nets/net.ts";
import { type FlatLayerSpec, FlatNet } from "../nets/flat_net.ts";
import type { Optimizer } from "./optimizers.ts";
import { createFlatOptimizer, type FlatOptimizer } from "./flat_optimizer.ts";
import { discriminatorLogitGrads, FIRST_ORDER_LOSSES, generatorLogitGrads } from "./loss_grads.ts";

/** What the fast steps need of a run's GAN (`Gan` has all of it). */
export interface FastStepsHost {
  readonly config: RunConfig;
  readonly dim: number;
  readonly g: Net;
  readonly d: Net;
  readonly gOpt: Optimizer;
  readonly dOpt: Optimizer;
  /** D's dropout stream. */
  readonly dropout: Rng;
  /** Updates per pass over the training set. */
  readonly updatesPerEpoch: number;
}

/**
 * Why a config has no fast steps (null when it has them): only arch
 * `maxout` and the first-order losses are written out.
 */
export function fastStepsUnsupported(config: RunConfig): string | null {
  if (config.arch.name !== "maxout") {
    return `arch "${config.arch.name}" (fast steps are written for arch "maxout")`;
  }
  if (!FIRST_ORDER_LOSSES.includes(config.loss)) {
    return `loss "${config.loss}" (needs second-order gradients)`;
  }
  return null;
}

/** G's and D's layers for a config of arch `maxout`. */
export function flatSpecs(
  config: RunConfig,
  dim: number,
): { g: FlatLayerSpec[]; d: FlatLayerSpec[] } {
  const { arch } = config;
  if (arch.name !== "maxout") throw new Error(`flatSpecs: arch "${arch.name}" is not maxout`);
  const gSizes = [arch.noiseDim, ...arch.gHidden, dim];
  const output = generatorOutput(config);
  const g: FlatLayerSpec[] = gSizes.slice(1).map((out, i) => ({
    in: gSizes[i],
    out,
    activation: i + 2 === gSizes.length ? output : "relu",
  }));
  const dSizes = [dim, ...arch.dUnits];
  const d: FlatLayerSpec[] = arch.dUnits.map((units, i) => ({
    in: dSizes[i],
    out: units,
    pieces: arch.pieces,
    keep: i === 0 ? arch.inputKeep : arch.hiddenKeep,
  }));
  d.push({
    in: dSizes[dSizes.length - 1],
    out: 1,
    keep: arch.dUnits.length === 0 ? arch.inputKeep : arch.hiddenKeep,
  });
  return { g, d };
}

/** Copies a net's variables into its flat parameters. */
function load(vars: tf.Variable[], flat: Float32Array, offsets: number[]): void {
  vars.forEach((v, i) => flat.set(v.dataSync() as Float32Array, offsets[i]));
}

/** Writes a flat buffer back into variables laid out alike. */
function store(vars: tf.Variable[], flat: Float32Array, offsets: number[]): void {
  vars.forEach((v, i) => {
    const value = tf.tensor(flat.slice(offsets[i], offsets[i] + v.size), v.shape);
    v.assign(value);
    value.dispose();
  });
}

/** The hand-written training steps of one run (see the module doc). */
export class FastSteps {
  /** G and D on flat buffers. */
  readonly g: FlatNet;
  readonly d: FlatNet;
  readonly #host: FastStepsHost;
  readonly #gOpt: FlatOptimizer;
  readonly #dOpt: FlatOptimizer;
  readonly #m: number;
  readonly #dIn: Float32Array;
  readonly #dGrad: Float32Array;
  readonly #gGrad: Float32Array;
  readonly #fakeGrad: Float32Array;
  #loaded = false;
  #dirty = false;

  /**
   * @param host The run's GAN.
   * @param blas The BLAS the products run on.
   */
  constructor(host: FastStepsHost, blas: Blas) {
    const why = fastStepsUnsupported(host.config);
    if (why) throw new Error(`no fast steps for ${why}`);
    this.#host = host;
    const m = host.config.batchSize;
    this.#m = m;
    const specs = flatSpecs(host.config, host.dim);
    this.g = new FlatNet(specs.g, m, blas);
    this.d = new FlatNet(specs.d, 2 * m, blas);
    for (const [net, flat] of [[host.g, this.g], [host.d, this.d]] as const) {
      const shapes = net.variables.map((v) => v.shape.join("x")).join(", ");
      const want = flat.shapes.map((s) => s.join("x")).join(", ");
      if (shapes !== want) {
        throw new Error(`fast steps: the net's variables are [${shapes}], expected [${want}]`);
      }
    }
    const perEpoch = host.updatesPerEpoch;
    this.#gOpt = createFlatOptimizer(
      optimizerFor(host.config, "g"),
      this.g.params,
      host.gOpt,
      perEpoch,
      blas,
    );
    this.#dOpt = createFlatOptimizer(
      optimizerFor(host.config, "d"),
      this.d.params,
      host.dOpt,
      perEpoch,
      blas,
    );
    this.#dIn = new Float32Array(2 * m * host.dim);
    this.#dGrad = new Float32Array(2 * m);
    this.#gGrad = new Float32Array(m);
    this.#fakeGrad = new Float32Array(m * host.dim);
  }

  /**
   * The simultaneous update: D's and G's gradients from one minibatch `x`
   * of reals and `z` of noise and the parameters before the update, G's
   * through D with the masks of D's pass on the generated rows; then both
   * updates.
   */
  simultaneous(x: Float32Array, z: Float32Array): void {
    this.#prepare();
    const m = this.#m;
    const logits = this.#discriminate(x, z);
    // G's gradient through D first: D's backward pass then updates each of
    // D's layers as soon as it is past it.
    generatorLogitGrads(this.#host.config.loss, logits.subarray(m), m, this.#gGrad);
    this.d.backward(m, m, this.#gGrad, { inputGrad: this.#fakeGrad });
    this.#dBackward(logits);
    this.g.backward(0, m, this.#fakeGrad, { params: this.#gOpt.sink() });
    this.#dOpt.apply();
    this.#gOpt.apply();
  }

  /** One update of D (Algorithm 1): reals `x`, generated rows from noise `z`. */
  dStep(x: Float32Array, z: Float32Array): void {
    this.#prepare();
    this.#dBackward(this.#discriminate(x, z));
    this.#dOpt.apply();
  }

  /** One update of G (Algorithm 1) on noise `z`, through D with fresh dropout masks. */
  gStep(z: Float32Array): void {
    this.#prepare();
    const m = this.#m;
    const fake = this.g.forward(this.#noise(z), m, false);
    this.d.drawMasks(this.#host.dropout, [m]);
    const logits = this.d.forward(fake, m, true);
    generatorLogitGrads(this.#host.config.loss, logits, m, this.#gGrad);
    this.d.backward(0, m, this.#gGrad, { inputGrad: this.#fakeGrad });
    this.g.backward(0, m, this.#fakeGrad, { params: this.#gOpt.sink() });
    this.#gOpt.apply();
  }

  /** Writes the parameters and optimiser state back into the run's tfjs variables, if changed. */
  sync(): void {
    if (!this.#dirty) return;
    const host = this.#host;
    for (
      const [net, flat, opt, tfOpt] of [
        [host.g, this.g, this.#gOpt, host.gOpt],
        [host.d, this.d, this.#dOpt, host.dOpt],
      ] as const
    ) {
      store(net.variables, flat.params, flat.offsets);
      const slots = tfOpt.slots();
      const n = net.variables.length;
      opt.state.forEach((buffer, k) =>
        store(slots.slice(k * n, (k + 1) * n), buffer, flat.offsets)
      );
    }
    this.#dirty = false;
  }

  /** Makes the next step read the tfjs variables again (after they were assigned). */
  invalidate(): void {
    this.#loaded = false;
    this.#dirty = false;
  }

  #prepare(): void {
    if (!this.#loaded) {
      const host = this.#host;
      for (
        const [net, flat, opt, tfOpt] of [
          [host.g, this.g, this.#gOpt, host.gOpt],
          [host.d, this.d, this.#dOpt, host.dOpt],
        ] as const
      ) {
        load(net.variables, flat.params, flat.offsets);
        const slots = tfOpt.slots();
        const n = net.variables.length;
        if (slots.length !== n * opt.state.length) {
          throw new Error(
            `fast steps: the optimiser has ${slots.length} slots, expected ${n * opt.state.length}`,
          );
        }
        opt.state.forEach((buffer, k) =>
          load(slots.slice(k * n, (k + 1) * n), buffer, flat.offsets)
        );
      }
      this.#loaded = true;
    }
    this.#dirty = true;
  }

  #noise(z: Float32Array): Float32Array {
    const want = this.#m * this.#host.config.arch.noiseDim;
    if (z.length !== want) {
      throw new RangeError(
        `fast steps: z has ${z.length} values, expected ${want} (batchSize rows)`,
      );
    }
    return z;
  }

  /** G(z), then D over [x; G(z)] with masks drawn for the reals, then the generated rows. */
  #discriminate(x: Float32Array, z: Float32Array): Float32Array {
    const m = this.#m;
    const dim = this.#host.dim;
    if (x.length !== m * dim) {
      throw new RangeError(
        `fast steps: x has ${x.length} values, expected ${m * dim} (batchSize rows)`,
      );
    }
    const fake = this.g.forward(this.#noise(z), m, false);
    this.#dIn.set(x, 0);
    this.#dIn.set(fake, m * dim);
    this.d.drawMasks(this.#host.dropout, [m, m]);
    return this.d.forward(this.#dIn, 2 * m, true);
  }

  /** D's loss backward over the stacked rows, into D's optimiser. */
  #dBackward(logits: Float32Array): void {
    const m = this.#m;
    const { loss, dLossScale } = this.#host.config;
    discriminatorLogitGrads(loss, logits, m, m, dLossScale, this.#dGrad);
    this.d.backward(0, 2 * m, this.#dGrad, { params: this.#dOpt.sink() });
  }
}
