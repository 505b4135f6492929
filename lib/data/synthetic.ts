/**
 * Synthetic data sets with known truth: a 1-D Gaussian (known density), 8
 * Gaussians on a ring and 25 on a grid (settings from PAPER.md). Each has a
 * finite training set and a held-out validation set drawn from the same
 * distribution.
 *
 * @module
 */
import { Rng } from "../runtime/rng.ts";
import type { Dataset, SyntheticDataConfig, Truth } from "./types.ts";

/**
 * Centres of `count` modes evenly on a circle: centre i is at angle
 * 2 pi i / count, i.e. [radius cos, radius sin].
 *
 * @param radius Radius of the ring (2 in Unrolled GAN, 1 in PacGAN).
 * @param count Number of modes (default 8).
 * @returns The centres.
 */
export function ringCentres(radius: number, count = 8): [number, number][] {
  const centres: [number, number][] = [];
  for (let i = 0; i < count; i++) {
    const angle = (2 * Math.PI * i) / count;
    centres.push([radius * Math.cos(angle), radius * Math.sin(angle)]);
  }
  return centres;
}

/**
 * Centres of a perSide x perSide grid centred on the origin with the given
 * spacing: coordinates (j - (perSide - 1) / 2) * spacing, so perSide = 5
 * gives {-2s, -s, 0, s, 2s}^2. Ordered by y, then x (x varies fastest).
 *
 * @param spacing Distance between neighbouring centres (2 in the usual 25-mode grid).
 * @param perSide Centres per row and column (default 5).
 * @returns The perSide^2 centres.
 */
export function gridCentres(spacing: number, perSide = 5): [number, number][] {
  const offset = (perSide - 1) / 2;
  const centres: [number, number][] = [];
  for (let iy = 0; iy < perSide; iy++) {
    for (let ix = 0; ix < perSide; ix++) {
      centres.push([(ix - offset) * spacing, (iy - offset) * spacing]);
    }
  }
  return centres;
}

/** The truth of a configured data set. */
export function truthOf(config: SyntheticDataConfig): Truth {
  switch (config.name) {
    case "gaussian-1d":
      return { kind: "gaussian-1d", mean: config.mean, std: config.std };
    case "ring-8":
      return { kind: "mixture", centres: ringCentres(config.radius, 8), std: config.std };
    case "grid-25":
      return { kind: "mixture", centres: gridCentres(config.spacing, 5), std: config.std };
  }
}

/** Draws `n` samples from the true distribution. */
export function sampleTruth(truth: Truth, n: number, rng: Rng): Float32Array {
  if (truth.kind === "gaussian-1d") return rng.normals(n, truth.std, truth.mean);
  const out = new Float32Array(2 * n);
  for (let i = 0; i < n; i++) {
    const [cx, cy] = truth.centres[rng.int(truth.centres.length)];
    out[2 * i] = cx + truth.std * rng.normal();
    out[2 * i + 1] = cy + truth.std * rng.normal();
  }
  return out;
}

/**
 * Builds the data set of a config. The samples depend only on the seed:
 * training set first, then validation set, from the `dataset` stream.
 */
export function makeDataset(config: SyntheticDataConfig, seed: number): Dataset {
  const truth = truthOf(config);
  const rng = new Rng(seed, "dataset");
  const train = sampleTruth(truth, config.trainSize, rng);
  const valid = sampleTruth(truth, config.validSize, rng);
  const dim = truth.kind === "gaussian-1d" ? 1 : 2;
  return {
    name: config.name,
    dim,
    shape: [dim],
    train,
    valid,
    trainSize: config.trainSize,
    validSize: config.validSize,
    truth,
  };
}
