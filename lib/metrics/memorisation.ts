/**
 * Memorisation, measured (Figure 2's question, asked with numbers): does a
 * generator put its samples closer to training images than fresh images
 * from the same distribution lie? For each sample the Euclidean distance to
 * its nearest training image, and the same for held-out images (never
 * trained on); then:
 *
 * - `copyShare`: the share of samples nearer to their nearest training
 *   image than the {@link MEM_QUANTILE} quantile (5%) of the held-out
 *   images' distances. Held-out images are fresh draws from p_data, so a
 *   generator that samples p_data without copying gets about 5%; one that
 *   returns training images (or near-copies) gets up to 100%. A share well
 *   above 5% means near-copies beyond chance.
 * - `heldoutShare`: the held-out images' own share below that quantile
 *   (5% up to ties and rounding), the reference the copy share is read
 *   against.
 * - `ratio`: the median sample distance over the median held-out distance:
 *   below 1, samples are closer to the training set than fresh data; far
 *   above 1, samples are far from every training image (G has not learnt
 *   the data, so the copy share says nothing about memorisation).
 *
 * Quantiles interpolate linearly between order statistics (as
 * `numpy.quantile`'s default).
 *
 * @module
 */

/** The quantile of the held-out distances below which a sample counts as a near-copy. */
export const MEM_QUANTILE = 0.05;

/** What {@link memorisationStats} returns. */
export interface MemorisationStats {
  /** Share of samples with distance below the held-out quantile. */
  copyShare: number;
  /** Share of held-out images with distance below it (the reference). */
  heldoutShare: number;
  /** The held-out quantile (a distance). */
  cutoff: number;
  /** Median sample distance / median held-out distance. */
  ratio: number;
  /** Samples. */
  nSamples: number;
  /** Held-out images. */
  nHeldout: number;
}

/**
 * The q-quantile of values, interpolating linearly between order statistics
 * (`numpy.quantile` default).
 *
 * @param values At least one finite value.
 * @param q In [0, 1].
 * @returns The quantile.
 */
export function quantile(values: ArrayLike<number>, q: number): number {
  if (values.length === 0) throw new RangeError("quantile: no values");
  if (!(q >= 0 && q <= 1)) throw new RangeError(`quantile: q is ${q}; expected a number in [0, 1]`);
  const sorted = Float64Array.from(values).sort();
  const pos = q * (sorted.length - 1);
  const lo = Math.floor(pos);
  const hi = Math.min(lo + 1, sorted.length - 1);
  return sorted[lo] + (pos - lo) * (sorted[hi] - sorted[lo]);
}

function shareBelow(values: ArrayLike<number>, cutoff: number): number {
  let k = 0;
  for (let i = 0; i < values.length; i++) if (values[i] < cutoff) k++;
  return k / values.length;
}

/**
 * The memorisation statistics of samples against held-out images, from
 * each one's distance to its nearest training image.
 *
 * @param sampleDistances Per sample, distance to the nearest training image.
 * @param heldoutDistances Per held-out image, distance to the nearest training image.
 * @param q The quantile of the held-out distances (default {@link MEM_QUANTILE}).
 * @returns The statistics.
 * @throws RangeError for an empty or non-finite input.
 */
export function memorisationStats(
  sampleDistances: ArrayLike<number>,
  heldoutDistances: ArrayLike<number>,
  q = MEM_QUANTILE,
): MemorisationStats {
  for (
    const [name, v] of [["sampleDistances", sampleDistances], [
      "heldoutDistances",
      heldoutDistances,
    ]] as const
  ) {
    if (v.length === 0) throw new RangeError(`memorisationStats: ${name} is empty`);
    for (let i = 0; i < v.length; i++) {
      if (!(Number.isFinite(v[i]) && v[i] >= 0)) {
        throw new RangeError(
          `memorisationStats: ${name}[${i}] is ${v[i]}; expected a distance >= 0`,
        );
      }
    }
  }
  const cutoff = quantile(heldoutDistances, q);
  const mh = quantile(heldoutDistances, 0.5);
  return {
    copyShare: shareBelow(sampleDistances, cutoff),
    heldoutShare: shareBelow(heldoutDistances, cutoff),
    cutoff,
    ratio: quantile(sampleDistances, 0.5) / mh,
    nSamples: sampleDistances.length,
    nHeldout: heldoutDistances.length,
  };
}
