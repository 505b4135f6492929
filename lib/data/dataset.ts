/**
 * The data set of a run, whatever its kind: synthetic points with a known
 * truth, or real images split as in the paper (training images first, the
 * validation images after them in the training file, the test file).
 *
 * @module
 */
import {
  type DataConfig,
  IMAGE_SPLITS,
  type ImageDataConfig,
  isImageData,
} from "../spec/config.ts";
import { makeDataset } from "./synthetic.ts";
import { type ImageSourceOptions, loadImageData } from "./images/mod.ts";
import type { Dataset, SyntheticDataConfig } from "./types.ts";

/**
 * Builds the data set of a config. Synthetic sets are drawn from the seed;
 * image sets are read (and verified) through {@link loadImageData}, once per
 * process, and split without copying: training rows `0..trainSize-1`,
 * validation rows from the end of the paper's training part, test rows
 * `0..testSize-1`.
 */
export function loadDataset(
  config: DataConfig,
  seed: number,
  options: ImageSourceOptions = {},
): Dataset {
  if (!isImageData(config)) return makeDataset(config as SyntheticDataConfig, seed);
  return imageDataset(config, options);
}

const cache = new Map<string, ReturnType<typeof loadImageData>>();

function imageDataset(config: ImageDataConfig, options: ImageSourceOptions): Dataset {
  const key = `${config.name}\0${options.dataDir ?? ""}\0${options.cacheDir ?? ""}`;
  let data = cache.get(key);
  if (!data) {
    data = loadImageData(config.name, options);
    cache.set(key, data);
  }
  const dim = data.shape[0] * data.shape[1] * data.shape[2];
  const split = IMAGE_SPLITS[config.name];
  if (data.train.count < split.train + split.valid || data.test.count < split.test) {
    throw new Error(
      `${config.name}: expected ${
        split.train + split.valid
      } training and ${split.test} test images, found ${data.train.count} and ${data.test.count}`,
    );
  }
  const rows = (a: Float32Array, from: number, n: number) =>
    a.subarray(from * dim, (from + n) * dim);
  return {
    name: config.name,
    dim,
    shape: [...data.shape],
    train: rows(data.train.images, 0, config.trainSize),
    valid: rows(data.train.images, split.train, config.validSize),
    trainSize: config.trainSize,
    validSize: config.validSize,
    test: rows(data.test.images, 0, config.testSize),
    testSize: config.testSize,
    truth: {
      kind: "images",
      shape: data.shape,
      classes: 10,
      trainLabels: data.train.labels.subarray(0, config.trainSize),
    },
    files: data.files,
  };
}
