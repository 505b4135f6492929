/**
 * What the Parzen-window number can and cannot mean (Theis et al. 2016, "A
 * note on the evaluation of generative models"): the paper's protocol
 * (`parzenEstimate`: sigma chosen on validation images among the same 10
 * bandwidths, mean log-likelihood of the test images) applied to two
 * "generators" that are not generative models at all:
 *
 * - **training images**: the first `samples` training images used as the
 *   samples, i.e. a model that memorised its training set;
 * - **k-means centres**: `samples` centres of k-means (Lloyd's algorithm,
 *   seeded start, at most `kmeansIterations` iterations) fitted on the
 *   study's `trainSize` training images, Theis et al.'s baseline, which on
 *   MNIST scores above the adversarial nets of Table 1.
 *
 * k-means with 10,000 centres on 50,000 MNIST images costs minutes, so both
 * results are cached (`datasets/cache/parzen-baselines/<name>-<hash>.json`,
 * keyed by the sizes, the seed and the data files' sha256); an entry that
 * does not parse or whose recorded checksum fails is recomputed, never used.
 *
 * @module
 */
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import process from "node:process";
import { sha256, writeAtomic } from "../io/mod.ts";
import { canonicalJson } from "../spec/run_id.ts";
import type { ImageDataName, ParzenConfig, RunConfig } from "../spec/config.ts";
import { IMAGE_SPLITS, isImageData } from "../spec/config.ts";
import { loadImageData } from "../data/images/load.ts";
import type { ImageSourceOptions } from "../data/images/search.ts";
import { DEFAULT_CACHE_DIR } from "../data/images/locations.ts";
import { parzenEstimate } from "../metrics/parzen.ts";
import { kmeans } from "../metrics/kmeans.ts";

/** Everything that decides the baselines' numbers. */
export interface ParzenBaselineConfig {
  /** The data set. */
  dataset: ImageDataName;
  /** Samples (training images used as samples; k-means centres). */
  samples: number;
  /** Validation images that choose sigma. */
  validPoints: number;
  /** Test images the log-likelihood is reported on. */
  testPoints: number;
  /** Training images k-means is fitted on (the study's trainSize). */
  trainSize: number;
  /** Most k-means iterations. */
  kmeansIterations: number;
  /** Seed of k-means' start. */
  seed: number;
}

/** One baseline's estimate. */
export interface ParzenBaselineResult {
  /** Mean test log-likelihood (nats). */
  mean: number;
  /** Standard error across test images (ddof 0). */
  se: number;
  /** The chosen bandwidth. */
  sigma: number;
  /** Seconds it took (k-means included). */
  seconds: number;
  /** CPU seconds of the process meanwhile. */
  cpuSeconds: number;
}

/** Both baselines, as cached. */
export interface ParzenBaselines {
  config: ParzenBaselineConfig;
  /** sha256 of the data files the numbers came from. */
  data: { file: string; sha256: string }[];
  /** Training images as samples. */
  training: ParzenBaselineResult;
  /** k-means centres as samples. */
  kmeans: ParzenBaselineResult & { iterations: number; converged: boolean };
  /** When computed. */
  createdAt: string;
}

/** The cache root of the baselines. */
export const DEFAULT_BASELINE_CACHE_DIR: string = join(DEFAULT_CACHE_DIR, "parzen-baselines");

/** Default most k-means iterations. */
export const KMEANS_ITERATIONS = 10;

/**
 * The baseline config of a study's Parzen protocol.
 *
 * @param dataset The data set.
 * @param parzen The runs' `parzen` sizes.
 * @param trainSize The runs' training images.
 * @returns The config (k-means: {@link KMEANS_ITERATIONS} iterations, seed 0).
 */
export function baselineConfig(
  dataset: ImageDataName,
  parzen: Pick<ParzenConfig, "samples" | "validPoints" | "testPoints">,
  trainSize: number,
): ParzenBaselineConfig {
  return {
    dataset,
    samples: parzen.samples,
    validPoints: parzen.validPoints,
    testPoints: parzen.testPoints,
    trainSize,
    kmeansIterations: KMEANS_ITERATIONS,
    seed: 0,
  };
}

/**
 * The baseline config of a study: that of its first planned run with image
 * data and `parzen`, or null when none has both.
 *
 * @param configs The study's run configs, in plan order.
 * @returns The config, or null.
 */
export function studyBaselineConfig(
  configs: readonly Pick<RunConfig, "data" | "parzen">[],
): ParzenBaselineConfig | null {
  for (const c of configs) {
    if (c.parzen && isImageData(c.data)) {
      return baselineConfig(c.data.name, c.parzen, c.data.trainSize);
    }
  }
  return null;
}

function cpuSeconds(): number {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1e6;
}

/** The cache file of a config. */
export function baselineCachePath(
  config: ParzenBaselineConfig,
  root = DEFAULT_BASELINE_CACHE_DIR,
): string {
  return join(root, `${config.dataset}-${sha256(canonicalJson(config)).slice(0, 12)}.json`);
}

/** Reads a cached result: the baselines, or why they cannot be used. */
export function readBaselineCache(
  path: string,
  config: ParzenBaselineConfig,
): ParzenBaselines | { problem: string } {
  if (!existsSync(path)) return { problem: "not computed yet" };
  let parsed: { body?: ParzenBaselines; sha256?: string };
  try {
    parsed = JSON.parse(readFileSync(path, "utf8"));
  } catch {
    return { problem: `${path} does not parse (corrupt)` };
  }
  const body = parsed.body;
  if (!body || parsed.sha256 !== sha256(canonicalJson(body))) {
    return { problem: `${path} fails its checksum (corrupt)` };
  }
  if (canonicalJson(body.config) !== canonicalJson(config)) {
    return { problem: `${path} holds another config (stale)` };
  }
  return body;
}

/** Options of {@link parzenBaselines}. */
export interface ParzenBaselineOptions {
  /** Cache root (default `datasets/cache/parzen-baselines`). */
  cacheDir?: string;
  /** Compute when the cache has no usable entry (default true); false returns null instead. */
  compute?: boolean;
  /** Where the image data is found. */
  data?: ImageSourceOptions;
  /** Progress and why a computation runs (default: stderr). */
  log?: (line: string) => void;
}

/**
 * The Parzen estimates of the training images and of k-means centres for
 * a config, from the cache or computed now (and cached).
 *
 * @param config The sizes, the data set and k-means' settings.
 * @param options Cache root, whether to compute, logging.
 * @returns The baselines, or null when not cached and `compute` is false.
 */
export function parzenBaselines(
  config: ParzenBaselineConfig,
  options: ParzenBaselineOptions = {},
): ParzenBaselines | null {
  const path = baselineCachePath(config, options.cacheDir);
  const cached = readBaselineCache(path, config);
  if (!("problem" in cached)) return cached;
  if (options.compute === false) return null;
  const log = options.log ?? ((line: string) => console.error(line));
  const split = IMAGE_SPLITS[config.dataset];
  log(
    `Parzen baselines for ${config.dataset} (${cached.problem}): computing the estimate of ` +
      `${config.samples} training images and of k-means with ${config.samples} centres on ` +
      `${config.trainSize} training images; cached in ${path}`,
  );
  const data = loadImageData(config.dataset, options.data);
  const [h, w, c] = data.shape;
  const dim = h * w * c;
  const rows = (a: Float32Array, from: number, n: number) => ({
    data: a.subarray(from * dim, (from + n) * dim),
    rows: n,
    cols: dim,
  });
  const valid = rows(data.train.images, split.train, config.validPoints);
  const test = rows(data.test.images, 0, config.testPoints);
  const estimate = (samples: { data: Float32Array; rows: number; cols: number }) =>
    parzenEstimate(samples, valid, test, { testEverySigma: false });
  let t = performance.now();
  let cpu = cpuSeconds();
  const e1 = estimate(rows(data.train.images, 0, config.samples));
  const training = {
    mean: e1.mean,
    se: e1.se,
    sigma: e1.sigma,
    seconds: (performance.now() - t) / 1000,
    cpuSeconds: cpuSeconds() - cpu,
  };
  log(
    `  training images: ${training.mean.toFixed(1)} ± ${training.se.toFixed(1)} nats (σ ${
      training.sigma.toFixed(3)
    })`,
  );
  t = performance.now();
  cpu = cpuSeconds();
  const km = kmeans(rows(data.train.images, 0, config.trainSize), config.samples, {
    seed: config.seed,
    maxIterations: config.kmeansIterations,
    onIteration: (i, changed) =>
      log(
        `  k-means iteration ${i}: ${changed} images changed centre (${
          ((performance.now() - t) / 1000).toFixed(0)
        } s)`,
      ),
  });
  const e2 = estimate({ data: km.centres, rows: config.samples, cols: dim });
  const kmResult = {
    mean: e2.mean,
    se: e2.se,
    sigma: e2.sigma,
    seconds: (performance.now() - t) / 1000,
    cpuSeconds: cpuSeconds() - cpu,
    iterations: km.iterations,
    converged: km.converged,
  };
  log(
    `  k-means centres: ${kmResult.mean.toFixed(1)} ± ${kmResult.se.toFixed(1)} nats (σ ${
      kmResult.sigma.toFixed(3)
    })`,
  );
  const body: ParzenBaselines = {
    config,
    data: data.files.map((f) => ({ file: f.file, sha256: f.sha256 })),
    training,
    kmeans: kmResult,
    createdAt: new Date().toISOString(),
  };
  writeAtomic(path, JSON.stringify({ body, sha256: sha256(canonicalJson(body)) }, null, 2) + "\n");
  return body;
}
