/**
 * The feature network cache: `datasets/cache/features/<name>/` (git-ignored)
 * holds `weights.bin` (every variable's float32 values, little-endian, in
 * variable order) and `net.json` (the training config, the data files it
 * was trained on with their sha256, the variables' names and shapes, the
 * sha256 and size of `weights.bin`, the test accuracy and the training
 * time). A cached network is used only when its config equals the one the
 * harness would train now (else it is stale), it was trained on the same
 * data files (same sha256), and `weights.bin` has the recorded sha256 and
 * size (else it is corrupt); otherwise it is retrained, with a message
 * saying why, and never used.
 *
 * @module
 */
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { readJson, sha256, writeAtomic, writeJson } from "../io/mod.ts";
import { canonicalJson } from "../spec/run_id.ts";
import type { ImageFileRecord } from "../data/types.ts";
import { DEFAULT_CACHE_DIR } from "../data/images/locations.ts";
import { Rng } from "../runtime/rng.ts";
import type { FeatureTrainConfig } from "./config.ts";
import { createFeatureNet, type FeatureNet, featureVariableShapes } from "./net.ts";

/** Format of `net.json`. */
export const FEATURE_CACHE_FORMAT = 1;

/** What `net.json` holds. */
export interface FeatureCacheMeta {
  /** {@link FEATURE_CACHE_FORMAT}. */
  format: number;
  /** The training config. */
  config: FeatureTrainConfig;
  /** The data files it was trained on, with their sha256. */
  data: { file: string; sha256: string }[];
  /** Variables in the order of `weights.bin`. */
  variables: { name: string; shape: number[] }[];
  /** sha256 of `weights.bin`. */
  weightsSha256: string;
  /** Size of `weights.bin` in bytes. */
  weightsBytes: number;
  /** Share of the test images classified correctly. */
  testAccuracy: number;
  /** Wall-clock seconds of the training. */
  seconds: number;
  /** CPU seconds of the training process. */
  cpuSeconds: number;
  /** The tfjs backend it was trained on, and its reason line. */
  backend: string;
  /** When it was trained. */
  createdAt: string;
}

/** A network read from the cache. */
export interface CachedFeatureNet {
  net: FeatureNet;
  meta: FeatureCacheMeta;
}

/** The default root of the feature cache: `datasets/cache/features`. */
export const DEFAULT_FEATURE_CACHE_DIR: string = join(DEFAULT_CACHE_DIR, "features");

/** The cache folder of one data set's network. */
export function featureCacheDir(dataset: string, root = DEFAULT_FEATURE_CACHE_DIR): string {
  return join(root, dataset);
}

/** The `{ file, sha256 }` pairs of data files, sorted by file. */
export function dataFingerprint(files: readonly Pick<ImageFileRecord, "file" | "sha256">[]) {
  return files.map((f) => ({ file: f.file, sha256: f.sha256 })).sort((a, b) =>
    a.file < b.file ? -1 : a.file > b.file ? 1 : 0
  );
}

/** Which top-level fields of two configs differ, for the stale message. */
function configDiff(a: FeatureTrainConfig, b: FeatureTrainConfig): string {
  const keys = [...new Set([...Object.keys(a), ...Object.keys(b)])] as (keyof FeatureTrainConfig)[];
  return keys
    .filter((k) => canonicalJson(a[k]) !== canonicalJson(b[k]))
    .map((k) => `${k} ${canonicalJson(a[k])} -> ${canonicalJson(b[k])}`)
    .join(", ");
}

/** Little-endian float32 bytes of every variable, in order. */
export function weightBytes(weights: readonly Float32Array[]): Uint8Array {
  const total = weights.reduce((n, w) => n + w.length, 0);
  const out = new Float32Array(total);
  let at = 0;
  for (const w of weights) {
    out.set(w, at);
    at += w.length;
  }
  // Float32Array is little-endian on every platform Deno runs on.
  return new Uint8Array(out.buffer);
}

/**
 * Reads a cached network, or says why it cannot be used.
 *
 * @param dir The cache folder.
 * @param config The config the harness would train now.
 * @param files The data files of the loaded data set (for their sha256).
 * @returns The network and its record, or `{ problem }`: `missing`, or a
 *   sentence saying why the entry is stale or corrupt.
 */
export function readFeatureCache(
  dir: string,
  config: FeatureTrainConfig,
  files: readonly Pick<ImageFileRecord, "file" | "sha256">[],
): CachedFeatureNet | { problem: string; missing?: boolean } {
  const metaPath = join(dir, "net.json");
  const weightsPath = join(dir, "weights.bin");
  if (!existsSync(metaPath)) return { problem: `no cached network in ${dir}`, missing: true };
  const meta = readJson<FeatureCacheMeta>(metaPath);
  if (!meta || typeof meta !== "object" || meta.format !== FEATURE_CACHE_FORMAT || !meta.config) {
    return { problem: `${metaPath} is unreadable or of another format (corrupt)` };
  }
  if (canonicalJson(meta.config) !== canonicalJson(config)) {
    return {
      problem: `the cached network is stale: trained with ${configDiff(meta.config, config)}`,
    };
  }
  if (canonicalJson(meta.data) !== canonicalJson(dataFingerprint(files))) {
    return {
      problem: "the cached network is stale: it was trained on other data files (sha256 differ)",
    };
  }
  const expected = featureVariableShapes(config.shape);
  if (canonicalJson(meta.variables) !== canonicalJson(expected)) {
    return { problem: `${metaPath} lists other variables than the network has (corrupt)` };
  }
  if (!existsSync(weightsPath)) return { problem: `${weightsPath} is missing (corrupt)` };
  const bytes = new Uint8Array(readFileSync(weightsPath));
  const hash = sha256(bytes);
  if (bytes.length !== meta.weightsBytes || hash !== meta.weightsSha256) {
    return {
      problem:
        `${weightsPath} fails its checksum (corrupt): sha256 ${hash}, ${bytes.length} bytes; ` +
        `net.json records ${meta.weightsSha256}, ${meta.weightsBytes} bytes`,
    };
  }
  const all = new Float32Array(bytes.buffer, bytes.byteOffset, bytes.length / 4);
  const weights: Float32Array[] = [];
  let at = 0;
  for (const v of expected) {
    const size = v.shape.reduce((a, b) => a * b, 1);
    weights.push(all.slice(at, at + size));
    at += size;
  }
  if (at !== all.length) {
    return { problem: `${weightsPath} has ${all.length} values, expected ${at} (corrupt)` };
  }
  return {
    net: createFeatureNet(config.shape, new Rng(config.seed, "features/init"), weights),
    meta,
  };
}

/**
 * Writes a trained network to the cache: `weights.bin` first, then
 * `net.json` with its checksum, each atomically (a crash between the two
 * leaves an entry that fails its checksum, never one that is trusted).
 *
 * @param dir The cache folder.
 * @param net The network.
 * @param meta Its record, without the weights' checksum and size.
 * @returns The full record.
 */
export function writeFeatureCache(
  dir: string,
  net: FeatureNet,
  meta: Omit<FeatureCacheMeta, "format" | "variables" | "weightsSha256" | "weightsBytes">,
): FeatureCacheMeta {
  const bytes = weightBytes(net.variables.map((v) => v.dataSync() as Float32Array));
  const full: FeatureCacheMeta = {
    format: FEATURE_CACHE_FORMAT,
    ...meta,
    variables: featureVariableShapes(net.shape),
    weightsSha256: sha256(bytes),
    weightsBytes: bytes.length,
  };
  writeAtomic(join(dir, "weights.bin"), bytes);
  writeJson(join(dir, "net.json"), full);
  return full;
}
