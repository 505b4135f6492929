/**
 * A multi-layer perceptron built from tfjs variables, initialised from a
 * seeded {@link Rng} (never tfjs initialisers, which use Math.random).
 *
 * @module
 */
import * as tf from "@tensorflow/tfjs";
import type { Rng } from "../runtime/rng.ts";

/** Hidden-layer nonlinearity. */
export type Activation = "relu" | "leaky-relu" | "tanh";

/** One affine layer. */
export interface Dense {
  w: tf.Variable;
  b: tf.Variable;
}

/** A network: its variables and its forward function. */
export interface Net {
  /** Trainable variables, in a fixed order (checkpoints rely on it). */
  variables: tf.Variable[];
  /** Maps a [batch, in] tensor to [batch, out]. */
  apply(x: tf.Tensor2D): tf.Tensor2D;
  /** Frees the variables. */
  dispose(): void;
}

/** Options for {@link createMlp}. */
export interface MlpOptions {
  /** Layer widths: input, hidden..., output. */
  sizes: number[];
  activation: Activation;
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

/** A trainable variable holding `init`, which is then released. */
export function variableFrom(init: tf.Tensor, name?: string, trainable = true): tf.Variable {
  const v = tf.variable(init, trainable, name);
  init.dispose();
  return v;
}

/**
 * Creates an MLP with Glorot-uniform weights and zero biases; the last layer
 * is linear (G's output, D's logit).
 */
export function createMlp(options: MlpOptions): Net {
  const { sizes, activation, name, rng } = options;
  const layers: Dense[] = [];
  for (let i = 0; i + 1 < sizes.length; i++) {
    const [fanIn, fanOut] = [sizes[i], sizes[i + 1]];
    const limit = Math.sqrt(6 / (fanIn + fanOut));
    const w = variableFrom(
      tf.tensor2d(rng.uniforms(fanIn * fanOut, -limit, limit), [fanIn, fanOut]),
      `${name}/dense${i}/w`,
    );
    const b = variableFrom(tf.zeros([fanOut]), `${name}/dense${i}/b`);
    layers.push({ w, b });
  }
  return {
    variables: layers.flatMap((l) => [l.w, l.b]),
    apply(x: tf.Tensor2D): tf.Tensor2D {
      let h = x;
      layers.forEach((l, i) => {
        const z = tf.add(tf.matMul(h, l.w), l.b) as tf.Tensor2D;
        h = i + 1 < layers.length ? activate(z, activation) : z;
      });
      return h;
    },
    dispose() {
      for (const l of layers) {
        l.w.dispose();
        l.b.dispose();
      }
    },
  };
}
