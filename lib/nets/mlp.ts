/**
 * A multi-layer perceptron built from tfjs variables, initialised from a
 * seeded {@link Rng} (never tfjs initialisers, which use Math.random).
 *
 * The default (Glorot-uniform weights, zero biases, linear output) is the
 * MLP of the synthetic studies. Options give the paper's MNIST generator:
 * noise 100 -> ReLU 1200 -> ReLU 1200 -> sigmoid 784, weights U(±0.05),
 * output bias from the data's pixel marginals ({@link marginalBias}):
 *
 * ```ts
 * const g = createMlp({
 *   sizes: [100, 1200, 1200, 784],
 *   activation: "relu",
 *   outputActivation: "sigmoid",
 *   init: { kind: "uniform", scale: 0.05 },
 *   outputBias: marginalBias(trainImages, 784),
 *   name: "G",
 *   rng,
 * });
 * ```
 *
 * @module
 */
import { tf } from "../deps.ts";
import type { Rng } from "../runtime/rng.ts";
import { denseWeights, type Net, variableFrom, type WeightInit } from "./net.ts";

export type { ApplyOptions, Net, WeightInit } from "./net.ts";
export { variableFrom } from "./net.ts";

/** Hidden-layer nonlinearity. */
export type Activation = "relu" | "leaky-relu" | "tanh";

/** Nonlinearity of the last layer (`linear` for logits and unbounded samples). */
export type OutputActivation = "linear" | "sigmoid" | "tanh";

/** One affine layer. */
export interface Dense {
  w: tf.Variable;
  b: tf.Variable;
}

/** Options for {@link createMlp}. */
export interface MlpOptions {
  /** Layer widths: input, hidden..., output. */
  sizes: number[];
  activation: Activation;
  /** Nonlinearity of the last layer (default `linear`). */
  outputActivation?: OutputActivation;
  /** Weight initialisation (default Glorot-uniform); biases start at zero. */
  init?: WeightInit;
  /** Initial bias of the last layer (length: the output width); default zeros. */
  outputBias?: Float32Array;
  /** Variable name prefix, e.g. `G` or `D`. */
  name: string;
  rng: Rng;
}

function activate(x: tf.Tensor2D, activation: Activation): tf.Tensor2D {
  switch (activation) {
    case "relu":
      return tf.relu(x);
    case "leaky-relu":
      return tf.leakyRelu(x, 0.2);
    case "tanh":
      return tf.tanh(x);
  }
}

function activateOutput(x: tf.Tensor2D, activation: OutputActivation): tf.Tensor2D {
  switch (activation) {
    case "linear":
      return x;
    case "sigmoid":
      return tf.sigmoid(x);
    case "tanh":
      return tf.tanh(x);
  }
}

/**
 * Creates an MLP: weights by `init` (Glorot-uniform by default), drawn from
 * `rng` layer by layer, zero biases (the last layer's from `outputBias` when
 * given), hidden layers with `activation`, the last layer with
 * `outputActivation` (linear by default: G's output, D's logit). The MLP has
 * no dropout: {@link ApplyOptions} are accepted and ignored.
 */
export function createMlp(options: MlpOptions): Net {
  const { sizes, activation, name, rng } = options;
  const init = options.init ?? { kind: "glorot" };
  const outputActivation = options.outputActivation ?? "linear";
  const outputBias = options.outputBias;
  const outWidth = sizes[sizes.length - 1];
  if (outputBias !== undefined && outputBias.length !== outWidth) {
    throw new RangeError(
      `${name}: outputBias has ${outputBias.length} entries, expected ${outWidth} (the output width)`,
    );
  }
  const layers: Dense[] = [];
  for (let i = 0; i + 1 < sizes.length; i++) {
    const [fanIn, fanOut] = [sizes[i], sizes[i + 1]];
    const w = denseWeights(fanIn, fanOut, init, rng, `${name}/dense${i}/w`);
    const last = i + 2 === sizes.length;
    const b = variableFrom(
      last && outputBias !== undefined ? tf.tensor1d(outputBias) : tf.zeros([fanOut]),
      `${name}/dense${i}/b`,
    );
    layers.push({ w, b });
  }
  return {
    variables: layers.flatMap((l) => [l.w, l.b]),
    apply(x: tf.Tensor2D): tf.Tensor2D {
      let h = x;
      layers.forEach((l, i) => {
        const z = tf.add(tf.matMul(h, l.w), l.b) as tf.Tensor2D;
        h = i + 1 < layers.length ? activate(z, activation) : activateOutput(z, outputActivation);
      });
      return h;
    },
    hiddenOutputs(x: tf.Tensor2D): tf.Tensor2D[] {
      const out: tf.Tensor2D[] = [];
      let h = x;
      for (const l of layers.slice(0, -1)) {
        h = activate(tf.add(tf.matMul(h, l.w), l.b) as tf.Tensor2D, activation);
        out.push(h);
      }
      return out;
    },
    dispose() {
      for (const l of layers) {
        l.w.dispose();
        l.b.dispose();
      }
    },
  };
}

/**
 * The logit of each pixel's mean over the training images, with the mean
 * clipped to (eps, 1 - eps): a sigmoid output layer with this bias starts
 * at the data's pixel marginals (sigmoid(bias) = mean pixel). `images` holds
 * `images.length / dim` rows of `dim` pixels in [0, 1]. Means are taken in
 * float64. The default eps, 1e-7, is pylearn2's
 * (`init_sigmoid_bias_from_array`, used by the paper's code).
 */
export function marginalBias(images: Float32Array, dim: number, eps = 1e-7): Float32Array {
  if (!Number.isInteger(dim) || dim <= 0) {
    throw new RangeError(`marginalBias: dim must be a positive integer, got ${dim}`);
  }
  const n = images.length / dim;
  if (!Number.isInteger(n) || n === 0) {
    throw new RangeError(
      `marginalBias: ${images.length} values are not a positive whole number of rows of ${dim}`,
    );
  }
  if (!(eps > 0 && eps < 0.5)) {
    throw new RangeError(`marginalBias: eps must be in (0, 0.5), got ${eps}`);
  }
  const sums = new Float64Array(dim);
  for (let r = 0; r < n; r++) {
    const row = r * dim;
    for (let j = 0; j < dim; j++) sums[j] += images[row + j];
  }
  const bias = new Float32Array(dim);
  for (let j = 0; j < dim; j++) {
    const p = Math.min(1 - eps, Math.max(eps, sums[j] / n));
    bias[j] = Math.log(p / (1 - p));
  }
  return bias;
}
