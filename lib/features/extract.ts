/**
 * Running a feature network over many images, in chunks so that memory
 * stays bounded: their features (penultimate layer) and class logits, or
 * their predicted classes.
 *
 * @module
 */
import { tf } from "../deps.ts";
import type { FeatureNet } from "./net.ts";

/** Images per forward pass. */
export const FEATURE_CHUNK = 500;

/** Features and logits of a set of images, row-major. */
export interface ExtractedFeatures {
  /** n x width. */
  features: Float32Array;
  /** n x classes. */
  logits: Float32Array;
  /** Images. */
  n: number;
  /** Feature width. */
  width: number;
  /** Classes. */
  classes: number;
}

function checkImages(net: FeatureNet, images: Float32Array, n: number): number {
  const [h, w, c] = net.shape.image;
  const dim = h * w * c;
  if (!Number.isInteger(n) || n < 0 || images.length !== n * dim) {
    throw new RangeError(
      `feature net: got ${images.length} values for ${n} images of ${h}x${w}x${c} (${dim} values each)`,
    );
  }
  return dim;
}

/**
 * Features and logits of `n` images (row-major HWC, pixels in [0, 1]).
 *
 * @param net The feature network.
 * @param images n x (h * w * c) values.
 * @param n Images.
 * @returns Their features and logits.
 */
export function extractFeatures(
  net: FeatureNet,
  images: Float32Array,
  n: number,
): ExtractedFeatures {
  const dim = checkImages(net, images, n);
  const width = net.shape.width;
  const classes = net.shape.classes;
  const features = new Float32Array(n * width);
  const logits = new Float32Array(n * classes);
  for (let i = 0; i < n; i += FEATURE_CHUNK) {
    const b = Math.min(FEATURE_CHUNK, n - i);
    const [f, l] = tf.tidy(() => {
      const out = net.apply(tf.tensor2d(images.subarray(i * dim, (i + b) * dim), [b, dim]));
      return [out.features.dataSync(), out.logits.dataSync()];
    });
    features.set(f, i * width);
    logits.set(l, i * classes);
  }
  return { features, logits, n, width, classes };
}

/**
 * The class each of `n` images is given (the largest logit, the first on ties).
 *
 * @param net The feature network.
 * @param images n x (h * w * c) values.
 * @param n Images.
 * @returns Predicted classes.
 */
export function classify(net: FeatureNet, images: Float32Array, n: number): Int32Array {
  const { logits, classes } = extractFeatures(net, images, n);
  const out = new Int32Array(n);
  for (let i = 0; i < n; i++) {
    let best = 0;
    for (let k = 1; k < classes; k++) {
      if (logits[i * classes + k] > logits[i * classes + best]) best = k;
    }
    out[i] = best;
  }
  return out;
}
