/**
 * Training a feature network: Adam on softmax cross-entropy over the first
 * `trainImages` images of the paper's training split, in minibatches drawn
 * without replacement in an order reshuffled every epoch from the seed
 * (stream `features/order`; weights from `features/init`), each image
 * shifted by a random whole number of pixels in each direction (up to
 * `shift`, vacated pixels 0; stream `features/augment`), dropout on the
 * features (stream `features/dropout`), the step size multiplied by
 * `lrDecay` after each epoch; then the accuracy on the test images. The
 * same config and backend give the same weights, bit for bit.
 *
 * @module
 */
import { tf } from "../deps.ts";
import process from "node:process";
import { Rng } from "../runtime/rng.ts";
import { adamUpdate } from "../runtime/fused_adam.ts";
import type { ImageData } from "../data/types.ts";
import type { FeatureTrainConfig } from "./config.ts";
import { createFeatureNet, type FeatureNet } from "./net.ts";
import { classify } from "./extract.ts";

/** What {@link trainFeatureNet} returns. */
export interface TrainedFeatureNet {
  /** The trained network (the caller disposes it). */
  net: FeatureNet;
  /** Share of the test images classified correctly. */
  testAccuracy: number;
  /** Wall-clock seconds of the training (test accuracy excluded). */
  seconds: number;
  /** CPU seconds of the process during training (all threads). */
  cpuSeconds: number;
}

/** Options of {@link trainFeatureNet}. */
export interface FeatureTrainOptions {
  /** Progress lines (default none). */
  log?: (line: string) => void;
}

function cpuSeconds(): number {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1e6;
}

/**
 * Copies one image into `out` at `at`, shifted by (dy, dx) drawn uniformly
 * from -shift..shift (vacated pixels 0). Draws two integers even when
 * `shift` is 0, so that the stream's use does not depend on it.
 */
export function shiftInto(
  image: Float32Array,
  out: Float32Array,
  at: number,
  config: Pick<FeatureTrainConfig, "shape" | "shift">,
  rng: Rng,
): void {
  const [h, w, c] = config.shape.image;
  const s = config.shift;
  const dy = rng.int(2 * s + 1) - s;
  const dx = rng.int(2 * s + 1) - s;
  if (dy === 0 && dx === 0) {
    out.set(image, at);
    return;
  }
  out.fill(0, at, at + h * w * c);
  for (let y = Math.max(0, dy); y < Math.min(h, h + dy); y++) {
    const from = ((y - dy) * w + Math.max(0, -dx)) * c;
    const to = at + (y * w + Math.max(0, dx)) * c;
    out.set(image.subarray(from, from + (w - Math.abs(dx)) * c), to);
  }
}

/**
 * Trains the feature network `config` describes on `data` (its training
 * split) and measures its test accuracy.
 *
 * @param config The recipe.
 * @param data The data set's full splits (`loadImageData`).
 * @param options Progress.
 * @returns The network, its test accuracy and the training time.
 * @throws RangeError when the data set is smaller than the config asks.
 */
export function trainFeatureNet(
  config: FeatureTrainConfig,
  data: ImageData,
  options: FeatureTrainOptions = {},
): TrainedFeatureNet {
  const [h, w, c] = config.shape.image;
  const dim = h * w * c;
  if (data.shape.join("x") !== config.shape.image.join("x")) {
    throw new RangeError(
      `feature net for ${config.dataset}: images are ${data.shape.join("x")}, the config expects ${
        config.shape.image.join("x")
      }`,
    );
  }
  const n = config.trainImages;
  if (data.train.count < n || data.test.count < config.testImages) {
    throw new RangeError(
      `feature net for ${config.dataset}: needs ${n} training and ${config.testImages} test images, the data has ${data.train.count} and ${data.test.count}`,
    );
  }
  const log = options.log ?? (() => {});
  const net = createFeatureNet(config.shape, new Rng(config.seed, "features/init"));
  const order = new Rng(config.seed, "features/order");
  const augment = new Rng(config.seed, "features/augment");
  const drop = new Rng(config.seed, "features/dropout");
  const m: tf.Tensor[] = net.variables.map((v) => tf.keep(tf.zerosLike(v)));
  const s: tf.Tensor[] = net.variables.map((v) => tf.keep(tf.zerosLike(v)));
  const beta1 = 0.9;
  const beta2 = 0.999;
  const bs = config.batchSize;
  const steps = Math.floor(n / bs);
  const xb = new Float32Array(bs * dim);
  const yb = new Int32Array(bs);
  const start = performance.now();
  const cpu0 = cpuSeconds();
  let t = 0;
  try {
    for (let epoch = 0; epoch < config.epochs; epoch++) {
      const lr = config.lr * config.lrDecay ** epoch;
      const perm = order.permutation(n);
      let lossSum = 0;
      for (let step = 0; step < steps; step++) {
        for (let i = 0; i < bs; i++) {
          const r = perm[step * bs + i];
          shiftInto(
            data.train.images.subarray(r * dim, (r + 1) * dim),
            xb,
            i * dim,
            config,
            augment,
          );
          yb[i] = data.train.labels[r];
        }
        t++;
        const loss = tf.tidy(() => {
          const x = tf.tensor2d(xb, [bs, dim]);
          const y = tf.oneHot(tf.tensor1d(yb, "int32"), config.shape.classes);
          const { value, grads } = tf.variableGrads(
            () =>
              tf.losses.softmaxCrossEntropy(
                y,
                net.apply(x, { keep: config.keep, rng: drop }).logits,
              ) as tf.Scalar,
            net.variables,
          );
          const hyper = { lr, beta1, beta2, eps: 1e-8, c1: 1 - beta1 ** t, c2: 1 - beta2 ** t };
          net.variables.forEach((v, k) => {
            const [nv, nm, ns] = adamUpdate(v, m[k], s[k], grads[v.name], hyper);
            v.assign(nv as tf.Variable);
            m[k].dispose();
            s[k].dispose();
            m[k] = tf.keep(nm);
            s[k] = tf.keep(ns);
          });
          return value;
        });
        lossSum += loss.dataSync()[0];
        loss.dispose();
      }
      log(
        `${config.dataset} feature net: epoch ${epoch + 1}/${config.epochs}, mean loss ${
          (lossSum / steps).toFixed(4)
        }, ${((performance.now() - start) / 1000).toFixed(0)} s`,
      );
    }
  } catch (e) {
    net.dispose();
    throw e;
  } finally {
    tf.dispose([...m, ...s]);
  }
  const seconds = (performance.now() - start) / 1000;
  const cpu = cpuSeconds() - cpu0;
  const nt = config.testImages;
  const predicted = classify(net, data.test.images.subarray(0, nt * dim), nt);
  let correct = 0;
  for (let i = 0; i < nt; i++) if (predicted[i] === data.test.labels[i]) correct++;
  return { net, testAccuracy: correct / nt, seconds, cpuSeconds: cpu };
}
