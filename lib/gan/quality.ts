/**
 * The sample-quality metrics of an evaluation (config `quality`): on image
 * data FID, KID, improved precision/recall, density/coverage and the
 * classifier Inception Score on the features of the data set's feature
 * network (`lib/features`), and at the final evaluation the same metrics
 * for held-out images against the training images (the `*_heldout`
 * references: what a generator that samples the data itself would get at
 * that sample count) and the memorisation test; on synthetic data
 * precision/recall and density/coverage in data space, with the held-out
 * reference.
 *
 * Cost budget: `trainingSamples` samples (and as many training images) at
 * the evaluations during training, `samples` at the final one; every value
 * is logged with its counts (`n_real`, `n_fake`, `n_heldout`, `mem_n`).
 * Samples come from the run's `quality` noise stream (the same noise at
 * every evaluation; no other stream is touched). Real features are
 * computed once per run.
 *
 * @module
 */
import type { RunConfig } from "../spec/config.ts";
import { qualityMetrics } from "../spec/config.ts";
import type { ImageDataName } from "../spec/config.ts";
import { Rng } from "../runtime/rng.ts";
import type { Dataset } from "../data/types.ts";
import { fid } from "../metrics/fid.ts";
import { kid } from "../metrics/kid.ts";
import { PrdcReference, type PrdcResult } from "../metrics/prdc.ts";
import { classifierScore } from "../metrics/inception_score.ts";
import { memorisationStats } from "../metrics/memorisation.ts";
import { nearestNeighbours } from "../metrics/nearest.ts";
import { type ExtractedFeatures, extractFeatures, loadFeatureNet } from "../features/mod.ts";
import { type Gan, noise, outputsOf } from "./gan.ts";

/** One evaluation's quality metrics, and at the final one the memorisation distances. */
export interface QualityEvaluation {
  /** Metric name -> value. */
  values: Record<string, number>;
  /**
   * Per sample and per held-out image, the distance to the nearest training
   * image (final evaluation of image runs with `memorisation`).
   */
  nnDistances?: { samples: Float32Array; heldout: Float32Array };
}

/** Rows per call when G makes the quality samples. */
const CHUNK = 500;

/** Features of training and held-out images, computed once per run (keyed by data set). */
const realCache = new WeakMap<
  Dataset,
  { train?: ExtractedFeatures; heldout?: ExtractedFeatures }
>();

function rows(a: Float32Array, n: number, cols: number) {
  return { data: a.subarray(0, n * cols), rows: n, cols };
}

/** Features of the first n rows of `images`, reusing a cached extraction of at least n rows. */
function featuresOf(
  data: Dataset,
  which: "train" | "heldout",
  images: Float32Array,
  n: number,
  extract: (x: Float32Array, n: number) => ExtractedFeatures,
): ExtractedFeatures {
  let entry = realCache.get(data);
  if (!entry) realCache.set(data, entry = {});
  const have = entry[which];
  if (have && have.n >= n) return have;
  const got = extract(images.subarray(0, n * data.dim), n);
  entry[which] = got;
  return got;
}

function prdcValues(r: PrdcResult, suffix = ""): Record<string, number> {
  return {
    [`precision${suffix}`]: r.precision,
    [`recall${suffix}`]: r.recall,
    [`density${suffix}`]: r.density,
    [`coverage${suffix}`]: r.coverage,
  };
}

/**
 * The quality metrics of one evaluation (see the module doc).
 *
 * @param gan The GAN.
 * @param data The run's data set.
 * @param final Whether this is the run's last evaluation.
 * @returns The values, and the memorisation distances at the final evaluation.
 */
export function evaluateQuality(gan: Gan, data: Dataset, final: boolean): QualityEvaluation {
  const config: RunConfig = gan.config;
  const q = config.quality;
  if (!q) return { values: {} };
  const want = new Set(qualityMetrics(config));
  const n = final ? q.samples : q.trainingSamples;
  if (n === 0 || want.size === 0) return { values: {} };
  const dim = data.dim;
  const images = data.truth.kind === "images";
  const z = noise(config, new Rng(config.seed, "quality"), n);
  const samples = outputsOf(gan.g, z, config.arch.noiseDim, images ? CHUNK : undefined);
  const nReal = Math.min(n, data.trainSize);
  const nHeld = Math.min(n, data.validSize);
  const values: Record<string, number> = { n_real: nReal, n_fake: n };
  const prdcWanted = want.has("precision-recall") || want.has("density-coverage");
  const keepPrdc = (v: Record<string, number>) => {
    for (const [k, x] of Object.entries(v)) {
      const pr = k.startsWith("precision") || k.startsWith("recall");
      if (want.has(pr ? "precision-recall" : "density-coverage")) values[k] = x;
    }
  };
  let real: { data: Float32Array; rows: number; cols: number };
  let fake: typeof real;
  let held: typeof real | null = null;
  let extracted:
    | { fake: ExtractedFeatures; real: ExtractedFeatures; held?: ExtractedFeatures }
    | null = null;
  const needFeatures = [...want].some((m) => m !== "memorisation");
  if (images && needFeatures) {
    const net = loadFeatureNet(data.name as ImageDataName, { files: data.files }).net;
    const extract = (x: Float32Array, m: number) => extractFeatures(net, x, m);
    const realF = featuresOf(data, "train", data.train, nReal, extract);
    const fakeF = extract(samples, n);
    const heldF = final ? featuresOf(data, "heldout", data.valid, nHeld, extract) : undefined;
    extracted = { fake: fakeF, real: realF, held: heldF };
    const w = net.shape.width;
    real = rows(realF.features, nReal, w);
    fake = rows(fakeF.features, n, w);
    if (heldF) held = rows(heldF.features, nHeld, w);
  } else if (!images) {
    real = rows(data.train, nReal, dim);
    fake = rows(samples, n, dim);
    if (final) held = rows(data.valid, nHeld, dim);
  } else {
    // Memorisation only: pixels, no features.
    real = rows(data.train, nReal, dim);
    fake = rows(samples, n, dim);
  }
  if (held) values.n_heldout = nHeld;
  if (want.has("fid")) {
    values.fid = fid(real, fake).fid;
    if (held) values.fid_heldout = fid(real, held).fid;
  }
  if (want.has("kid")) {
    const options = { subsets: q.kidSubsets, subsetSize: q.kidSubsetSize, seed: config.seed };
    const k = kid(real, fake, options);
    values.kid = k.mean;
    values.kid_sd = k.sd;
    if (held) values.kid_heldout = kid(real, held, options).mean;
  }
  if (prdcWanted) {
    const ref = new PrdcReference(real);
    try {
      keepPrdc(prdcValues(ref.against(fake)));
      if (held) keepPrdc(prdcValues(ref.against(held), "_heldout"));
    } finally {
      ref.dispose();
    }
  }
  if (want.has("inception-score") && extracted) {
    const classes = extracted.fake.classes;
    const splits = Math.min(10, n);
    const s = classifierScore(extracted.fake.logits, classes, splits);
    values.inception_score = s.mean;
    values.inception_score_sd = s.sd;
    if (extracted.held) {
      values.inception_score_heldout = classifierScore(
        extracted.held.logits.subarray(0, nHeld * classes),
        classes,
        Math.min(10, nHeld),
      ).mean;
    }
  }
  if (final && images && want.has("memorisation")) {
    const m = Math.min(q.memorisationSamples, n, data.validSize);
    const train = { data: data.train, rows: data.trainSize, cols: dim };
    const sampleNn = nearestNeighbours(rows(samples, m, dim), train).distance;
    const heldNn = nearestNeighbours(rows(data.valid, m, dim), train).distance;
    const s = memorisationStats(sampleNn, heldNn);
    values.mem_copy_share = s.copyShare;
    values.mem_heldout_share = s.heldoutShare;
    values.mem_ratio = s.ratio;
    values.mem_n = m;
    return { values, nnDistances: { samples: sampleNn, heldout: heldNn } };
  }
  return { values };
}
