/**
 * Feature networks: for each image data set, a small convolutional
 * classifier that the harness trains itself on the data set's training
 * split with a fixed seed (`deno task features <name>`, or automatically
 * the first time a run needs it), caches under `datasets/cache/features/`
 * with its config and a checksum, and uses for the feature metrics (FID,
 * KID, precision/recall, density/coverage on its penultimate layer; the
 * classifier Inception Score on its logits). It stands in for the
 * Inception-v3 network behind published FIDs, which cannot be downloaded
 * here: its numbers compare runs of this harness with each other, not with
 * published Inception FIDs.
 *
 * @module
 */
import { currentBackend } from "../runtime/backend.ts";
import { loadImageData } from "../data/images/load.ts";
import type { ImageSourceOptions } from "../data/images/search.ts";
import type { ImageData, ImageFileRecord } from "../data/types.ts";
import type { ImageDataName } from "../spec/config.ts";
import { FEATURE_CONFIGS, type FeatureTrainConfig } from "./config.ts";
import {
  type CachedFeatureNet,
  dataFingerprint,
  DEFAULT_FEATURE_CACHE_DIR,
  featureCacheDir,
  readFeatureCache,
  writeFeatureCache,
} from "./cache.ts";
import { withCacheLock } from "./lock.ts";
import { trainFeatureNet } from "./train.ts";

export * from "./net.ts";
export * from "./config.ts";
export * from "./cache.ts";
export * from "./extract.ts";
export { shiftInto, type TrainedFeatureNet, trainFeatureNet } from "./train.ts";
export { withCacheLock } from "./lock.ts";

/** A feature network ready to use, and how it was obtained. */
export interface LoadedFeatureNet extends CachedFeatureNet {
  /** Its cache folder. */
  dir: string;
  /** True when it was trained by this call (no usable cache entry). */
  trained: boolean;
}

/** Options of {@link loadFeatureNet}. */
export interface LoadFeatureNetOptions {
  /** Root of the feature cache (default `datasets/cache/features`). */
  cacheDir?: string;
  /** The config to use (default {@link FEATURE_CONFIGS}[dataset]; tests pass a small one). */
  config?: FeatureTrainConfig;
  /** The data files the run uses (their sha256 are checked against the cache). */
  files?: readonly Pick<ImageFileRecord, "file" | "sha256">[];
  /** Where the image data is found when it must be loaded. */
  data?: ImageSourceOptions;
  /** Messages: why a network is (re)trained, training progress (default: stderr). */
  log?: (line: string) => void;
  /** Retrain even when the cache is usable. */
  retrain?: boolean;
}

const loaded = new Map<string, LoadedFeatureNet>();
const processOptions: {
  cacheDir?: string;
  configs?: Partial<Record<ImageDataName, FeatureTrainConfig>>;
} = {};

/**
 * Sets, for this process, the feature cache root and configs that
 * {@link loadFeatureNet} uses when a call gives none (tests point runs at a
 * small network in a temporary folder this way). Clears the networks
 * already loaded.
 *
 * @param options The cache root and per-data-set configs (empty: the defaults).
 */
export function setFeatureDefaults(
  options: { cacheDir?: string; configs?: Partial<Record<ImageDataName, FeatureTrainConfig>> },
): void {
  processOptions.cacheDir = options.cacheDir;
  processOptions.configs = options.configs;
  for (const l of loaded.values()) l.net.dispose();
  loaded.clear();
}

/**
 * The feature network of an image data set: from the cache when a usable
 * entry exists, else trained now (under a lock, so concurrent processes
 * train it once) and cached. Every reason to retrain (no entry, a stale
 * config or data, a failed checksum) is logged. Networks stay loaded for
 * the rest of the process.
 *
 * @param dataset The data set.
 * @param options Cache root, config, data files, logging.
 * @returns The network and its record.
 */
export function loadFeatureNet(
  dataset: ImageDataName,
  options: LoadFeatureNetOptions = {},
): LoadedFeatureNet {
  const config = options.config ?? processOptions.configs?.[dataset] ?? FEATURE_CONFIGS[dataset];
  const root = options.cacheDir ?? processOptions.cacheDir ?? DEFAULT_FEATURE_CACHE_DIR;
  const dir = featureCacheDir(dataset, root);
  const key = `${dir}\0${JSON.stringify(config)}`;
  const known = loaded.get(key);
  if (known && !options.retrain) return known;
  const log = options.log ?? ((line: string) => console.error(line));
  let data: ImageData | null = null;
  const files = () => options.files ?? (data ??= loadImageData(dataset, options.data)).files;
  const result = withCacheLock(dir, () => {
    if (!options.retrain) {
      const cached = readFeatureCache(dir, config, files());
      if ("net" in cached) return { ...cached, dir, trained: false };
      log(
        `feature net for ${dataset}: ${cached.problem}; training it (${config.epochs} epochs on ${config.trainImages} images)`,
      );
    }
    data ??= loadImageData(dataset, options.data);
    const t = trainFeatureNet(config, data, { log });
    const backend = currentBackend();
    const meta = writeFeatureCache(dir, t.net, {
      config,
      data: dataFingerprint(data.files),
      testAccuracy: t.testAccuracy,
      seconds: t.seconds,
      cpuSeconds: t.cpuSeconds,
      backend: backend ? `${backend.name}: ${backend.reason}` : "unknown",
      createdAt: new Date().toISOString(),
    });
    log(
      `feature net for ${dataset}: test accuracy ${
        (100 * t.testAccuracy).toFixed(2)
      }%, trained in ${t.seconds.toFixed(0)} s (${
        t.cpuSeconds.toFixed(0)
      } CPU s); cached in ${dir}`,
    );
    return { net: t.net, meta, dir, trained: true };
  }, {
    onWait: (pid) =>
      log(`feature net for ${dataset}: waiting for process ${pid}, which is training it`),
  });
  known?.net.dispose();
  loaded.set(key, result);
  return result;
}
