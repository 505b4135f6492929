/**
 * The feature network: a small convolutional classifier for one image data
 * set. Two strided convolutions (k x k, stride 2, 'same', ReLU; strides
 * instead of max pooling, whose gradient is slow on the wasm backend), a
 * dense ReLU layer whose outputs are the features, and a dense layer giving
 * the class logits:
 *
 *   image h x w x c -> conv c1 -> pool -> conv c2 -> pool -> dense `width` (features)
 *   -> dense `classes` (logits)
 *
 * Images flow as 2-D tensors `[batch, h * w * c]` (row-major HWC, pixels in
 * [0, 1]), as everywhere in the harness. Weights are Glorot-uniform from a
 * seeded {@link Rng} in variable order, biases zero, so one seed gives one
 * network. On the wasm backend the convolutions and their gradients run on
 * the harness's kernels (`lib/runtime/wasm_conv.ts`).
 *
 * @module
 */
import { tf } from "../deps.ts";
import type { Rng } from "../runtime/rng.ts";
import { denseWeights, dropout, variableFrom } from "../nets/net.ts";

/** The shape of a feature network. */
export interface FeatureNetShape {
  /** Input image shape [height, width, channels]; height and width divisible by 4. */
  image: readonly [number, number, number];
  /** Output channels of the two convolutions. */
  conv: readonly [number, number];
  /** Side of the square convolution kernels. */
  kernel: number;
  /** Width of the feature layer (the penultimate layer). */
  width: number;
  /** Number of classes. */
  classes: number;
}

/** What one forward pass gives. */
export interface FeatureOutputs {
  /** Penultimate-layer activations `[batch, width]`. */
  features: tf.Tensor2D;
  /** Class logits `[batch, classes]`. */
  logits: tf.Tensor2D;
}

/** A feature network: its variables and forward pass. */
export interface FeatureNet {
  /** Its shape. */
  shape: FeatureNetShape;
  /** Trainable variables, in a fixed order (the cache stores them in it). */
  variables: tf.Variable[];
  /**
   * Features and logits of a batch of images `[batch, h * w * c]`. With
   * `train`, dropout (keep probability `keep`, masks from `rng`) acts
   * between the features and the logits; the features returned are before
   * dropout.
   */
  apply(x: tf.Tensor2D, train?: { keep: number; rng: Rng }): FeatureOutputs;
  /** Frees the variables. */
  dispose(): void;
}

/**
 * Checks a shape: positive integers, image sides divisible by 4 (two 2x2
 * poolings). Returns one sentence per problem.
 */
export function featureShapeProblems(shape: FeatureNetShape): string[] {
  const out: string[] = [];
  const pos = (v: unknown) => Number.isInteger(v) && (v as number) >= 1;
  const [h, w, c] = shape.image;
  if (![h, w, c].every(pos)) {
    out.push(`image shape [${shape.image.join(", ")}] must be positive integers`);
  } else if (h % 4 !== 0 || w % 4 !== 0) {
    out.push(
      `image ${h}x${w}: height and width must be divisible by 4 (two stride-2 convolutions)`,
    );
  }
  if (!shape.conv.every(pos)) {
    out.push(`conv widths [${shape.conv.join(", ")}] must be integers >= 1`);
  }
  if (!pos(shape.kernel)) out.push(`kernel ${shape.kernel} must be an integer >= 1`);
  if (!pos(shape.width)) out.push(`width ${shape.width} must be an integer >= 1`);
  if (!(Number.isInteger(shape.classes) && shape.classes >= 2)) {
    out.push(`classes ${shape.classes} must be an integer >= 2`);
  }
  return out;
}

/** The variables' names and shapes, in order, for a shape. */
export function featureVariableShapes(shape: FeatureNetShape): { name: string; shape: number[] }[] {
  const [h, w, c] = shape.image;
  const [c1, c2] = shape.conv;
  const k = shape.kernel;
  const flat = (h / 4) * (w / 4) * c2;
  return [
    { name: "F/conv1/w", shape: [k, k, c, c1] },
    { name: "F/conv1/b", shape: [c1] },
    { name: "F/conv2/w", shape: [k, k, c1, c2] },
    { name: "F/conv2/b", shape: [c2] },
    { name: "F/dense/w", shape: [flat, shape.width] },
    { name: "F/dense/b", shape: [shape.width] },
    { name: "F/logits/w", shape: [shape.width, shape.classes] },
    { name: "F/logits/b", shape: [shape.classes] },
  ];
}

let instances = 0;
/**
 * tfjs wants variable names unique in the process, and several feature
 * networks can be alive at once: each instance's names get a number.
 */
function unique(name: string): string {
  return name.replace(/^F\//, `F${instances}/`);
}

function glorotFilter(dims: number[], rng: Rng, name: string): tf.Variable {
  const [k1, k2, inC, outC] = dims;
  const fanIn = k1 * k2 * inC;
  const fanOut = k1 * k2 * outC;
  const limit = Math.sqrt(6 / (fanIn + fanOut));
  return variableFrom(
    tf.tensor4d(rng.uniforms(fanIn * outC, -limit, limit), [k1, k2, inC, outC]),
    name,
  );
}

/**
 * Creates a feature network with Glorot-uniform weights drawn from `rng`
 * (or, with `weights`, the given values in variable order).
 *
 * @param shape The network's shape.
 * @param rng Draws the initial weights (ignored with `weights`).
 * @param weights Values of every variable, in the order of {@link featureVariableShapes}.
 * @returns The network.
 * @throws RangeError for a bad shape or weights of the wrong sizes.
 */
export function createFeatureNet(
  shape: FeatureNetShape,
  rng: Rng,
  weights?: readonly Float32Array[],
): FeatureNet {
  const problems = featureShapeProblems(shape);
  if (problems.length) throw new RangeError(`feature net: ${problems.join("; ")}`);
  const specs = featureVariableShapes(shape);
  instances++;
  let variables: tf.Variable[];
  if (weights) {
    if (weights.length !== specs.length) {
      throw new RangeError(
        `feature net: got ${weights.length} weight arrays, expected ${specs.length}`,
      );
    }
    variables = specs.map((s, i) => {
      const size = s.shape.reduce((a, b) => a * b, 1);
      if (weights[i].length !== size) {
        throw new RangeError(
          `feature net: ${s.name} has ${weights[i].length} values, expected ${size} ([${s.shape}])`,
        );
      }
      return variableFrom(tf.tensor(weights[i], s.shape), unique(s.name));
    });
  } else {
    variables = specs.map((s) => {
      const name = unique(s.name);
      if (s.shape.length === 4) return glorotFilter(s.shape, rng, name);
      if (s.shape.length === 2) {
        return denseWeights(s.shape[0], s.shape[1], { kind: "glorot" }, rng, name);
      }
      return variableFrom(tf.zeros(s.shape), name);
    });
  }
  const [w1, b1, w2, b2, wd, bd, wo, bo] = variables;
  const [h, w, c] = shape.image;
  const flat = specs[4].shape[0];
  return {
    shape,
    variables,
    apply(x: tf.Tensor2D, train?: { keep: number; rng: Rng }): FeatureOutputs {
      return tf.tidy(() => {
        const batch = x.shape[0];
        let t: tf.Tensor4D = tf.reshape(x, [batch, h, w, c]);
        t = tf.relu(tf.add(tf.conv2d(t, w1 as tf.Tensor4D, 2, "same"), b1));
        t = tf.relu(tf.add(tf.conv2d(t, w2 as tf.Tensor4D, 2, "same"), b2));
        const features = tf.relu(tf.add(tf.matMul(tf.reshape(t, [batch, flat]), wd), bd));
        const kept = train ? dropout(features as tf.Tensor2D, train.keep, train.rng) : features;
        const logits = tf.add(tf.matMul(kept, wo), bo) as tf.Tensor2D;
        return { features: features as tf.Tensor2D, logits };
      });
    },
    dispose() {
      for (const v of variables) v.dispose();
    },
  };
}
