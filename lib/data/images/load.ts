/**
 * Loading a data set's full training and test splits as float pixels in
 * [0, 1], synchronously and without network access (for training workers),
 * after every file is found and verified.
 *
 * @module
 */
import { CIFAR10_PIXELS, decodeCifar10Into } from "../cifar10.ts";
import { bytesToUnitFloats, parseIdxImages, parseIdxLabels } from "../idx.ts";
import type { ImageData, ImageDatasetName, ImageSplit } from "../types.ts";
import { type ImageSourceOptions, searchContext } from "./search.ts";
import { resolveAll } from "./sources.ts";

/**
 * Loads a data set's full training and test splits, synchronously and
 * without network access (for training workers): every file is verified
 * first (see lib/data/images/mod.ts for the order of sources).
 *
 * @param name The data set.
 * @param options Where to look.
 * @returns Images as HWC floats in [0, 1], labels, and the files used.
 * @throws {DataError} When a file is missing (naming every place looked in and
 *   saying `deno task data <name>`), a user-given file fails its checksum, or
 *   a file is malformed.
 */
export function loadImageData(name: ImageDatasetName, options: ImageSourceOptions = {}): ImageData {
  const ctx = searchContext(name, options, false);
  const resolved = resolveAll(ctx);
  const got = (file: string) => resolved.get(file)!;
  const [h, w, c] = ctx.ds.shape;
  const split = (which: "train" | "test"): ImageSplit => {
    const files = ctx.ds.files.filter((f) => f.split === which);
    if (ctx.ds.format === "idx") {
      const imgFile = files.find((f) => f.kind === "images")!;
      const labFile = files.find((f) => f.kind === "labels")!;
      const img = got(imgFile.file);
      const lab = got(labFile.file);
      const images = parseIdxImages(img.bytes, img.record.source, {
        count: imgFile.count,
        rows: h,
        cols: w,
      });
      const labels = parseIdxLabels(lab.bytes, lab.record.source, {
        count: labFile.count,
        classes: ctx.ds.classes,
      });
      return {
        images: bytesToUnitFloats(images.pixels),
        labels: labels.labels.slice(),
        count: images.count,
      };
    }
    const count = files.reduce((n, f) => n + f.count, 0);
    const out = { images: new Float32Array(count * CIFAR10_PIXELS), labels: new Uint8Array(count) };
    let at = 0;
    for (const f of files) {
      const hit = got(f.file);
      at += decodeCifar10Into(hit.bytes, hit.record.source, out, at);
    }
    return { ...out, count };
  };
  const train = split("train");
  const test = split("test");
  return {
    name,
    shape: [h, w, c],
    train,
    test,
    files: ctx.ds.files.map((f) => got(f.file).record),
  };
}
