/** Test helpers for the image data sets' search, cache and downloads: tiny data sets, a fake fetch. */
import { gzipSync } from "node:zlib";
import { md5, sha256 } from "../../../lib/io/mod.ts";
import { encodeIdxImages, encodeIdxLabels } from "../../../lib/data/idx.ts";
import {
  DATA_DIR_ENV,
  IMAGE_MANIFEST,
  type ManifestDataset,
} from "../../../lib/data/images/mod.ts";
import { makeCifarBatch, makeTar } from "../_image_fixtures.ts";

/** Process environment without a data dir, so the tests do not depend on the caller's. */
export function env(extra: Record<string, string> = {}): Record<string, string | undefined> {
  return { ...Deno.env.toObject(), [DATA_DIR_ENV]: undefined, ...extra };
}

/** Collects warnings. */
export function warnings(): { list: string[]; onWarning(m: string): void } {
  const list: string[] = [];
  return { list, onWarning: (m) => list.push(m) };
}

/** A fake fetch serving fixed bytes per URL (404 otherwise, or throwing for "fail"), counting calls. */
export function fakeFetch(routes: Record<string, Uint8Array | number | "fail">) {
  const calls: string[] = [];
  const fn = ((input: string | URL | Request) => {
    const url = typeof input === "string" ? input : input instanceof URL ? input.href : input.url;
    calls.push(url);
    const route = routes[url];
    if (route === "fail") return Promise.reject(new TypeError("fetch failed"));
    if (route === undefined || typeof route === "number") {
      return Promise.resolve(new Response("no", { status: route ?? 404, statusText: "Not Found" }));
    }
    return Promise.resolve(
      new Response(route.slice(), { headers: { "content-length": String(route.length) } }),
    );
  }) as typeof fetch;
  return { fn, calls };
}

/** A tiny IDX data set (2 x 2 images; 3 train, 2 test) declared like MNIST, with three mirrors. */
export function tinyIdx() {
  const trainImages = encodeIdxImages({
    count: 3,
    rows: 2,
    cols: 2,
    pixels: Uint8Array.of(0, 51, 102, 255, 1, 2, 3, 4, 5, 6, 7, 8),
  });
  const testImages = encodeIdxImages({
    count: 2,
    rows: 2,
    cols: 2,
    pixels: Uint8Array.of(255, 0, 0, 255, 9, 9, 9, 9),
  });
  const bytes: Record<string, Uint8Array> = {
    "train-images-idx3-ubyte": trainImages,
    "train-labels-idx1-ubyte": encodeIdxLabels(Uint8Array.of(5, 0, 4)),
    "t10k-images-idx3-ubyte": testImages,
    "t10k-labels-idx1-ubyte": encodeIdxLabels(Uint8Array.of(7, 2)),
  };
  const mirrors = ["https://a.test/m/", "https://b.test/m/", "https://c.test/m/"];
  const manifest: ManifestDataset = {
    ...IMAGE_MANIFEST.mnist,
    shape: [2, 2, 1],
    files: Object.entries(bytes).map(([file, b]) => ({
      file,
      split: file.startsWith("train") ? "train" : "test",
      kind: file.includes("images") ? "images" : "labels",
      count: file.startsWith("train") ? 3 : 2,
      size: b.length,
      sha256: sha256(b),
      urls: mirrors.map((m) => `${m}${file}.gz`),
    })),
  };
  return { manifest, bytes, mirrors };
}

/** A tiny CIFAR-10: six batches of 2 records in a tar.gz, and a manifest entry matching it. */
export function tinyCifar() {
  const names = [1, 2, 3, 4, 5].map((i) => `data_batch_${i}.bin`).concat("test_batch.bin");
  const batches = names.map((n, i) => [n, makeCifarBatch(2, 2 * i)] as [string, Uint8Array]);
  const archive = new Uint8Array(
    gzipSync(
      makeTar(
        batches.map(([n, b]) => [`cifar-10-batches-bin/${n}`, b]),
        ["cifar-10-batches-bin/"],
      ),
    ),
  );
  const url = "https://cifar.test/cifar-10-binary.tar.gz";
  const manifest: ManifestDataset = {
    ...IMAGE_MANIFEST.cifar10,
    archive: {
      file: "cifar-10-binary.tar.gz",
      size: archive.length,
      md5: md5(archive),
      sha256: sha256(archive),
      urls: [url],
    },
    files: IMAGE_MANIFEST.cifar10.files.map((f) => ({ ...f, count: 2, size: 2 * 3073 })),
  };
  return { manifest, archive, batches: new Map(batches), url };
}
