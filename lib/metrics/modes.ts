/**
 * Mode coverage on 2-D Gaussian mixtures (Metz et al. 2016, Srivastava et
 * al. 2017, Lin et al. 2018): the mixture centres for the ring and grid
 * settings, and the count of captured modes, the share of high-quality
 * samples and the KL divergence of the per-mode distribution from uniform.
 *
 * @module
 */

/**
 * The share of the samples a mode needs among its high-quality samples to
 * count as captured in `modes_hq`: 20 of 2,500 (0.8%), instead of one
 * sample, so that a few stray samples near a mode do not count as covering
 * it.
 */
export const MODE_MIN_SHARE = 0.008;

/**
 * Modes with at least `share` of all `n` samples among their high-quality
 * samples (at least one sample).
 *
 * @param counts High-quality samples per mode.
 * @param n All samples.
 * @param share The least share of the samples (default {@link MODE_MIN_SHARE}).
 * @returns The number of such modes.
 */
export function modesWithAtLeast(
  counts: readonly number[],
  n: number,
  share = MODE_MIN_SHARE,
): number {
  const min = Math.max(1, Math.ceil(share * n));
  return counts.filter((c) => c >= min).length;
}

/** A point in the plane, [x, y]. */
export type Point2 = [number, number];

/** What {@link modeCoverage} returns. */
export interface ModeCoverage {
  /** Number of modes that received at least one high-quality sample. */
  modes: number;
  /** Share of samples within 3 std of their nearest centre (0 if no samples). */
  hqShare: number;
  /**
   * KL(q || uniform) = sum_i q_i log(q_i * M), natural log, with q the
   * per-mode distribution of high-quality samples and M the number of modes;
   * log M if there are no high-quality samples.
   */
  modeKl: number;
  /** High-quality samples per mode, in the order of the centres. */
  counts: number[];
}

/**
 * Mode coverage of 2-D samples against mixture centres. A sample is high
 * quality if its Euclidean distance to its nearest centre is at most
 * 3 * std; a mode is captured if it received at least one high-quality
 * sample. Samples that are not finite are never high quality.
 *
 * The KL direction differs between papers; this one is KL(q || uniform) =
 * sum_i q_i log(q_i M) with q_i = counts_i / sum(counts), M = centres.length
 * and 0 log 0 = 0. It is 0 for perfectly balanced coverage and log(M / k) when
 * k modes are covered equally. With no high-quality samples q is undefined
 * and modeKl is set to log M, the value for total collapse onto one mode.
 *
 * @param samples Flat coordinates x0, y0, x1, y1, ... (even length).
 * @param centres Mixture centres (e.g. `ringCentres` or `gridCentres` of lib/data).
 * @param std Standard deviation of each mixture component.
 * @returns Captured modes, high-quality share, KL and per-mode counts.
 */
export function modeCoverage(
  samples: ArrayLike<number>,
  centres: ReadonlyArray<readonly [number, number]>,
  std: number,
): ModeCoverage {
  if (samples.length % 2 !== 0) {
    throw new RangeError(`samples must hold x, y pairs; got length ${samples.length}`);
  }
  if (centres.length === 0) throw new RangeError("modeCoverage needs at least one centre");
  if (!(std > 0) || !Number.isFinite(std)) {
    throw new RangeError(`std must be positive and finite, got ${std}`);
  }
  const m = centres.length;
  const counts: number[] = new Array(m).fill(0);
  const limit2 = (3 * std) ** 2;
  const n = samples.length / 2;
  let hq = 0;
  for (let i = 0; i < n; i++) {
    const x = samples[2 * i];
    const y = samples[2 * i + 1];
    let best = -1;
    let bestD2 = Infinity;
    for (let c = 0; c < m; c++) {
      const d2 = (x - centres[c][0]) ** 2 + (y - centres[c][1]) ** 2;
      if (d2 < bestD2) {
        bestD2 = d2;
        best = c;
      }
    }
    if (best >= 0 && bestD2 <= limit2) {
      counts[best]++;
      hq++;
    }
  }
  return { ...countCoverage(counts), hqShare: n === 0 ? 0 : hq / n, counts };
}

/**
 * Modes captured (entries of `counts` above 0) and KL(q || uniform) of the
 * distribution q = counts / sum(counts) over the M = counts.length modes,
 * as {@link ModeCoverage} defines them (log M when every count is 0).
 */
export function countCoverage(counts: readonly number[]): { modes: number; modeKl: number } {
  const m = counts.length;
  const total = counts.reduce((a, b) => a + b, 0);
  let modes = 0;
  let modeKl = 0;
  for (const count of counts) {
    if (count === 0) continue;
    modes++;
    const q = count / total;
    modeKl += q * Math.log(q * m);
  }
  if (total === 0) modeKl = Math.log(m);
  return { modes, modeKl: Math.max(modeKl, 0) };
}

/**
 * Class coverage of image samples: `labels[i]` is the class given to sample
 * i (e.g. the label of its nearest training image); returns the classes
 * that received at least one sample, KL(q || uniform) of the class shares
 * (as {@link countCoverage}) and the per-class counts.
 */
export function classCoverage(
  labels: ArrayLike<number>,
  classes: number,
): { modes: number; modeKl: number; counts: number[] } {
  const counts: number[] = new Array(classes).fill(0);
  for (let i = 0; i < labels.length; i++) {
    const c = labels[i];
    if (!Number.isInteger(c) || c < 0 || c >= classes) {
      throw new RangeError(`label ${i} is ${c}, expected an integer in [0, ${classes - 1}]`);
    }
    counts[c]++;
  }
  return { ...countCoverage(counts), counts };
}
