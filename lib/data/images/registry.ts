/**
 * The registry of image data sets: which exist (`mnist`, `fashion-mnist`,
 * `cifar10`), their files, sizes, checksums and download locations as
 * `datasets/sources.json` lists them, and their image shapes.
 *
 * @module
 */
import manifestJson from "../../../datasets/sources.json" with { type: "json" };
import { IMAGE_DATA_NAMES } from "../../spec/config.ts";
import { DataError } from "../idx.ts";
import type { ImageDatasetName } from "../types.ts";

/** Names of the image data sets. */
export const IMAGE_DATASETS = IMAGE_DATA_NAMES;

/** A file of a data set in `datasets/sources.json`. */
export interface ManifestFile {
  /** Upstream file name (uncompressed). */
  file: string;
  /** Which split it belongs to. */
  split: "train" | "test";
  /** What it holds. */
  kind: "images" | "labels" | "batch";
  /** Number of images or labels. */
  count: number;
  /** Uncompressed size in bytes. */
  size: number;
  /** sha256 of the uncompressed content; null where none is known (CIFAR-10 batches). */
  sha256: string | null;
  /** md5 of the uncompressed content. */
  md5?: string;
  /** The published upstream `.gz` file's size and md5 (information only). */
  gz?: { size: number; md5: string };
  /** Download URLs in the order they are tried. */
  urls?: string[];
  /** Path inside the data set's archive. */
  member?: string;
}

/** A data set in `datasets/sources.json`. */
export interface ManifestDataset {
  /** Human-readable name. */
  title: string;
  /** Height, width, channels. */
  shape: [number, number, number];
  /** Number of classes. */
  classes: number;
  /** File format. */
  format: "idx" | "cifar10-binary";
  /** Home page. */
  homepage: string;
  /** Licence. */
  licence: string;
  /** What to cite. */
  citation: string;
  /** Where the checksums come from. */
  checksums_from: string;
  /** Packages that install the files. */
  packages?: { kind: "npm" | "debian"; name: string; version?: string; path: string }[];
  /** The archive the files ship in (CIFAR-10). */
  archive?: { file: string; size: number; md5: string; sha256: string; urls: string[] };
  /** The files. */
  files: ManifestFile[];
}

/** `datasets/sources.json`: sources, sizes and checksums of every image data set. */
export const IMAGE_MANIFEST: Readonly<Record<ImageDatasetName, ManifestDataset>> =
  (manifestJson as unknown as { datasets: Record<ImageDatasetName, ManifestDataset> }).datasets;

/**
 * Whether a string names an image data set.
 *
 * @param name Any string.
 * @returns True for `mnist`, `fashion-mnist` and `cifar10`.
 */
export function isImageDatasetName(name: string): name is ImageDatasetName {
  return (IMAGE_DATASETS as readonly string[]).includes(name);
}

/**
 * A data set's entry in `datasets/sources.json`.
 *
 * @param name The data set's name.
 * @returns The entry.
 * @throws {DataError} For a name that is not an image data set, listing those that are.
 */
export function manifestOf(name: string): ManifestDataset {
  if (!isImageDatasetName(name)) {
    throw new DataError(
      name,
      `unknown image data set "${name}": expected one of ${
        IMAGE_DATASETS.map((n) => `"${n}"`).join(", ")
      }`,
    );
  }
  return IMAGE_MANIFEST[name];
}

/**
 * Height, width and channels of a data set's images.
 *
 * @param name The data set.
 * @returns `[28, 28, 1]` for the MNIST family, `[32, 32, 3]` for CIFAR-10.
 */
export function imageShape(name: ImageDatasetName): [number, number, number] {
  const [h, w, c] = manifestOf(name).shape;
  return [h, w, c];
}

/** sha256 of every manifest file, mapped to "data set/file", to recognise another data set's file. */
const KNOWN_HASHES = new Map<string, string>(
  IMAGE_DATASETS.flatMap((n) =>
    IMAGE_MANIFEST[n].files.filter((f) => f.sha256).map((f) => [f.sha256!, `${n}/${f.file}`])
  ),
);

/**
 * Which manifest file has this content.
 *
 * @param sha256 The sha256 of a file's uncompressed content.
 * @returns `"<data set>/<file>"`, or undefined when no manifest file has this hash.
 */
export function knownFile(sha256: string): string | undefined {
  return KNOWN_HASHES.get(sha256);
}
