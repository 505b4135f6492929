/**
 * DCGAN generator and discriminator (Radford et al. 2016) for 28x28 and
 * 32x32 images with any number of channels. Data flows as 2-D tensors:
 * images flattened row-major HWC (`[batch, h * w * c]`, pixels in [0, 1]);
 * the nets reshape to NHWC inside.
 *
 * Generator, with C the base width (`channels`, default 64) and L the
 * number of upsamplings (2 for 28x28, 3 for 32x32; base grid 7x7 or 4x4):
 * dense noise -> base x base x (C * 2^(L-1)) -> BN -> ReLU, then L
 * transposed convolutions 5x5 stride 2 'same', each but the last halving
 * the width and followed by BN -> ReLU, the last giving `c` channels plus a
 * bias -> sigmoid. 28x28: 7x7x2C -> 14x14xC -> 28x28xc; 32x32: 4x4x4C ->
 * 8x8x2C -> 16x16xC -> 32x32xc.
 *
 * Discriminator (the mirror image): L convolutions 5x5 stride 2 'same'
 * (C, 2C, 4C channels), each followed by leakyRelu 0.2, with batch norm on
 * all but the first when `batchNorm` (the default; pass false for
 * wasserstein-gp: batch norm couples the samples of a batch and breaks the
 * per-sample gradient penalty), then flatten -> dense -> 1 logit.
 *
 * Batch norm normalises with the statistics of the batch at hand, in
 * training and in inference alike; it keeps no running averages, so a net's
 * whole state is its variables (checkpoints need nothing else). The price:
 * G's samples depend on the other samples of the batch they are drawn in.
 * A layer followed by batch norm has no bias (the offset plays its part).
 *
 * Init: weights N(0, 0.02) and zero biases, batch-norm scale 1 and offset 0,
 * weights drawn from the {@link Rng} in variable order.
 *
 * Backends: everything runs forward on cpu and wasm. Training needs
 * `Conv2DBackpropFilter` (the filter gradient of conv2d and of
 * conv2dTranspose), which the tfjs 4.22 wasm backend lacks unless a kernel
 * is registered for it (`registerWasmConvKernels` in
 * `lib/runtime/wasm_conv.ts`); the cpu backend has it.
 *
 * @module
 */
import { tf } from "../deps.ts";
import type { Rng } from "../runtime/rng.ts";
import { type Net, variableFrom } from "./net.ts";

/** Image sizes (height x width) the DCGAN nets accept; any channel count. */
export const DCGAN_SHAPES: readonly (readonly [number, number])[] = [[28, 28], [32, 32]];

/** Kernel size of every (transposed) convolution. */
const KERNEL = 5;
/** Slope of D's leaky ReLU. */
const LEAK = 0.2;
/** Standard deviation of the initial weights. */
const INIT_STD = 0.02;
/** Batch-norm epsilon (added to the variance). */
export const BATCH_NORM_EPS = 1e-5;

/** Options for {@link createDcganGenerator}. */
export interface DcganGeneratorOptions {
  /** Width of the noise input. */
  noiseDim: number;
  /** Output image shape `[height, width, channels]`; see {@link dcganSupports}. */
  shape: readonly [number, number, number];
  /** Base width C (default 64). */
  channels?: number;
  /** Variable name prefix, e.g. `G`. */
  name: string;
  rng: Rng;
}

/** Options for {@link createDcganDiscriminator}. */
export interface DcganDiscriminatorOptions {
  /** Input image shape `[height, width, channels]`; see {@link dcganSupports}. */
  shape: readonly [number, number, number];
  /** Base width C (default 64). */
  channels?: number;
  /** Batch norm on all but the first convolution (default true; false for wasserstein-gp). */
  batchNorm?: boolean;
  /** Variable name prefix, e.g. `D`. */
  name: string;
  rng: Rng;
}

/**
 * Null when the DCGAN nets support an image `shape` (`[28, 28, c]` or
 * `[32, 32, c]`, c a positive integer), else one sentence naming the shape
 * and what is accepted. Spec validation calls it before any run starts.
 */
export function dcganSupports(shape: readonly number[]): string | null {
  const accepted = "accepted: [28, 28, c] or [32, 32, c] with c a positive integer (channels)";
  const text = Array.isArray(shape) ? `[${shape.join(", ")}]` : String(shape);
  if (!Array.isArray(shape) || shape.length !== 3) {
    return `dcgan: image shape ${text} is not supported (expected [height, width, channels]); ${accepted}`;
  }
  const [h, w, c] = shape;
  if (!DCGAN_SHAPES.some(([sh, sw]) => sh === h && sw === w)) {
    return `dcgan: image shape ${text} is not supported (height x width must be 28 x 28 or 32 x 32); ${accepted}`;
  }
  if (!Number.isInteger(c) || c < 1) {
    return `dcgan: image shape ${text} is not supported (channels must be a positive integer); ${accepted}`;
  }
  return null;
}

/** Upsamplings (stride-2 layers) and base grid size for a supported shape. */
function geometry(shape: readonly number[], name: string, channels: number) {
  const problem = dcganSupports(shape);
  if (problem !== null) throw new RangeError(`${name}: ${problem}`);
  if (!Number.isInteger(channels) || channels < 1) {
    throw new RangeError(`${name}: channels must be a positive integer, got ${channels}`);
  }
  const levels = shape[0] === 28 ? 2 : 3;
  return { levels, base: shape[0] / 2 ** levels };
}

function normalVariable(shape: number[], rng: Rng, name: string): tf.Variable {
  const size = shape.reduce((a, b) => a * b, 1);
  return variableFrom(tf.tensor(rng.normals(size, INIT_STD), shape), name);
}

/** Batch-norm parameters of one layer: learned scale and offset per channel. */
interface BatchNormVars {
  scale: tf.Variable;
  offset: tf.Variable;
}

function batchNormVars(width: number, name: string): BatchNormVars {
  return {
    scale: variableFrom(tf.ones([width]), `${name}/scale`),
    offset: variableFrom(tf.zeros([width]), `${name}/offset`),
  };
}

/**
 * Batch normalisation with the batch's own statistics: per channel (the
 * last axis), over every other axis, `(x - mean) / sqrt(var + eps)`, then
 * times `scale` plus `offset` when given. Differentiable in `x` (the
 * statistics included), `scale` and `offset`.
 */
export function batchNormalize(
  x: tf.Tensor,
  scale?: tf.Tensor,
  offset?: tf.Tensor,
  eps = BATCH_NORM_EPS,
): tf.Tensor {
  return tf.tidy(() => {
    const axes = x.shape.slice(0, -1).map((_, i) => i);
    const { mean, variance } = tf.moments(x, axes);
    let y = tf.mul(tf.sub(x, mean), tf.rsqrt(tf.add(variance, eps)));
    if (scale) y = tf.mul(y, scale);
    if (offset) y = tf.add(y, offset);
    return y;
  });
}

function disposeAll(variables: tf.Variable[]): void {
  for (const v of variables) v.dispose();
}

/**
 * Creates the DCGAN generator for `shape`: noise `[batch, noiseDim]` to
 * images `[batch, h * w * c]` in (0, 1). Variables, in order:
 * `{name}/dense/w`, `{name}/bn0/scale`, `/offset`, then for each transposed
 * convolution k = 1..L `{name}/deconv{k}/w` (`[5, 5, out, in]`) followed by
 * `{name}/bn{k}/scale`, `/offset`, or for the last one `{name}/deconv{L}/b`.
 * No dropout: `ApplyOptions` are accepted and ignored. Throws a RangeError
 * naming the problem when `shape` is not supported.
 */
export function createDcganGenerator(options: DcganGeneratorOptions): Net {
  const { noiseDim, shape, name, rng } = options;
  const channels = options.channels ?? 64;
  const { levels, base } = geometry(shape, name, channels);
  if (!Number.isInteger(noiseDim) || noiseDim < 1) {
    throw new RangeError(`${name}: noiseDim must be a positive integer, got ${noiseDim}`);
  }
  const imageChannels = shape[2];
  const widths: number[] = []; // channels after the dense layer and each deconvolution
  for (let k = 0; k < levels; k++) widths.push(channels * 2 ** (levels - 1 - k));
  widths.push(imageChannels);

  const dense = normalVariable([noiseDim, base * base * widths[0]], rng, `${name}/dense/w`);
  const norms: BatchNormVars[] = [batchNormVars(widths[0], `${name}/bn0`)];
  const deconvs: tf.Variable[] = [];
  for (let k = 1; k <= levels; k++) {
    deconvs.push(
      normalVariable([KERNEL, KERNEL, widths[k], widths[k - 1]], rng, `${name}/deconv${k}/w`),
    );
    if (k < levels) norms.push(batchNormVars(widths[k], `${name}/bn${k}`));
  }
  const bias = variableFrom(tf.zeros([imageChannels]), `${name}/deconv${levels}/b`);

  const variables = [dense, norms[0].scale, norms[0].offset];
  deconvs.forEach((w, i) => {
    variables.push(w);
    if (i + 1 < levels) variables.push(norms[i + 1].scale, norms[i + 1].offset);
  });
  variables.push(bias);

  return {
    variables,
    apply(z: tf.Tensor2D): tf.Tensor2D {
      return tf.tidy(() => {
        const batch = z.shape[0];
        let h: tf.Tensor4D = tf.reshape(tf.matMul(z, dense), [batch, base, base, widths[0]]);
        h = tf.relu(batchNormalize(h, norms[0].scale, norms[0].offset)) as tf.Tensor4D;
        let size = base;
        deconvs.forEach((w, i) => {
          const k = i + 1;
          size *= 2;
          h = tf.conv2dTranspose(h, w as tf.Tensor4D, [batch, size, size, widths[k]], 2, "same");
          if (k < levels) {
            h = tf.relu(batchNormalize(h, norms[k].scale, norms[k].offset)) as tf.Tensor4D;
          }
        });
        const out = tf.sigmoid(tf.add(h, bias));
        return tf.reshape(out, [batch, size * size * imageChannels]);
      });
    },
    dispose() {
      disposeAll(variables);
    },
  };
}

/**
 * Creates the DCGAN discriminator for `shape`: images `[batch, h * w * c]`
 * to logits `[batch, 1]`. Variables, in order: for each convolution
 * k = 1..L `{name}/conv{k}/w` (`[5, 5, in, out]`) followed by
 * `{name}/bn{k}/scale`, `/offset` where batch norm follows it, else
 * `{name}/conv{k}/b`; then `{name}/dense/w`, `{name}/dense/b`. No dropout:
 * `ApplyOptions` (dropout) are accepted and ignored. Throws a RangeError naming
 * the problem when `shape` is not supported.
 */
export function createDcganDiscriminator(options: DcganDiscriminatorOptions): Net {
  const { shape, name, rng } = options;
  const channels = options.channels ?? 64;
  const useBatchNorm = options.batchNorm ?? true;
  const { levels, base } = geometry(shape, name, channels);
  const [height, width, imageChannels] = shape;

  interface ConvLayer {
    w: tf.Variable;
    b?: tf.Variable;
    norm?: BatchNormVars;
  }
  const convs: ConvLayer[] = [];
  const variables: tf.Variable[] = [];
  let inWidth = imageChannels;
  for (let k = 1; k <= levels; k++) {
    const outWidth = channels * 2 ** (k - 1);
    const w = normalVariable([KERNEL, KERNEL, inWidth, outWidth], rng, `${name}/conv${k}/w`);
    const layer: ConvLayer = { w };
    variables.push(w);
    if (useBatchNorm && k > 1) {
      layer.norm = batchNormVars(outWidth, `${name}/bn${k}`);
      variables.push(layer.norm.scale, layer.norm.offset);
    } else {
      layer.b = variableFrom(tf.zeros([outWidth]), `${name}/conv${k}/b`);
      variables.push(layer.b);
    }
    convs.push(layer);
    inWidth = outWidth;
  }
  const flat = base * base * inWidth;
  const denseW = normalVariable([flat, 1], rng, `${name}/dense/w`);
  const denseB = variableFrom(tf.zeros([1]), `${name}/dense/b`);
  variables.push(denseW, denseB);

  return {
    variables,
    apply(x: tf.Tensor2D): tf.Tensor2D {
      return tf.tidy(() => {
        const batch = x.shape[0];
        let h: tf.Tensor4D = tf.reshape(x, [batch, height, width, imageChannels]);
        for (const layer of convs) {
          h = tf.conv2d(h, layer.w as tf.Tensor4D, 2, "same");
          if (layer.norm) h = batchNormalize(h, layer.norm.scale, layer.norm.offset) as tf.Tensor4D;
          else if (layer.b) h = tf.add(h, layer.b);
          h = tf.leakyRelu(h, LEAK);
        }
        return tf.add(tf.matMul(tf.reshape(h, [batch, flat]), denseW), denseB) as tf.Tensor2D;
      });
    },
    dispose() {
      disposeAll(variables);
    },
  };
}
