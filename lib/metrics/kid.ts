/**
 * Kernel Inception Distance (Bińkowski et al. 2018, "Demystifying MMD
 * GANs"): the unbiased estimate of the squared maximum mean discrepancy
 * between real and generated feature vectors under the cubic polynomial
 * kernel k(x, y) = (x·y / d + 1)^3, averaged over random subsets of equal
 * size drawn without replacement from each set; reported as the mean and
 * standard deviation (ddof 0, as torch-fidelity and the authors' code)
 * over the subsets. Unlike FID it is unbiased, so small sample counts do
 * not push it up; it can be slightly negative.
 *
 * Per subset of size m:
 *
 *   MMD^2 = sum_{i != j} k(x_i, x_j) / (m (m - 1)) + sum_{i != j} k(y_i, y_j) / (m (m - 1))
 *           - 2 sum_{i, j} k(x_i, y_j) / m^2.
 *
 * The dot products are float32 matrix products on the active tfjs backend;
 * the kernel and the sums are float64.
 *
 * @module
 */
import { tf } from "../deps.ts";
import { Rng } from "../runtime/rng.ts";
import { requireSameCols, type Rows, type RowSet, toRowSet } from "./distances.ts";

/** Options of {@link kid}. */
export interface KidOptions {
  /** Subsets (default 100). */
  subsets?: number;
  /** Vectors per subset from each set (default 1000, capped at the smaller set). */
  subsetSize?: number;
  /** Seed of the subset draws (default 0). */
  seed?: number;
}

/** What {@link kid} returns. */
export interface KidResult {
  /** Mean of MMD^2 over the subsets. */
  mean: number;
  /** Standard deviation (ddof 0) over the subsets. */
  sd: number;
  /** Subsets. */
  subsets: number;
  /** Vectors per subset. */
  subsetSize: number;
  /** Vectors in the real set. */
  nReal: number;
  /** Vectors in the generated set. */
  nFake: number;
}

/** The first m of a seeded Fisher-Yates shuffle of 0..n-1: m indices without replacement. */
export function sampleIndices(rng: Rng, n: number, m: number): Int32Array {
  const p = new Int32Array(n);
  for (let i = 0; i < n; i++) p[i] = i;
  for (let i = 0; i < m; i++) {
    const j = i + rng.int(n - i);
    const t = p[i];
    p[i] = p[j];
    p[j] = t;
  }
  return p.subarray(0, m);
}

function gather(set: RowSet, index: Int32Array, m: number): Float32Array {
  const d = set.cols;
  const out = new Float32Array(m * d);
  for (let i = 0; i < m; i++) {
    const r = set.row(index[i]);
    for (let k = 0; k < d; k++) out[i * d + k] = r[k];
  }
  return out;
}

/** Sum of k(a_i, b_j) over all pairs (or all pairs i != j with `offDiagonal`), float64. */
function kernelSum(a: tf.Tensor2D, b: tf.Tensor2D, d: number, offDiagonal: boolean): number {
  const prod = tf.matMul(a, b, false, true);
  const g = prod.dataSync() as Float32Array;
  prod.dispose();
  const m = a.shape[0];
  let s = 0;
  for (let i = 0; i < g.length; i++) {
    const t = g[i] / d + 1;
    s += t * t * t;
  }
  if (offDiagonal) {
    for (let i = 0; i < m; i++) {
      const t = g[i * m + i] / d + 1;
      s -= t * t * t;
    }
  }
  return s;
}

/**
 * The unbiased MMD^2 of one pair of equal-size sets under the cubic
 * polynomial kernel.
 *
 * @param x Rows of the first set (m x d, flat).
 * @param y Rows of the second set (m x d, flat).
 * @param m Rows per set (at least 2).
 * @param d Columns.
 * @returns MMD^2 (unbiased; can be below 0).
 */
export function mmd2Unbiased(x: Float32Array, y: Float32Array, m: number, d: number): number {
  return tf.tidy(() => {
    const a = tf.tensor2d(x, [m, d]);
    const b = tf.tensor2d(y, [m, d]);
    const kxx = kernelSum(a, a, d, true);
    const kyy = kernelSum(b, b, d, true);
    const kxy = kernelSum(a, b, d, false);
    return (kxx + kyy) / (m * (m - 1)) - 2 * kxy / (m * m);
  });
}

/**
 * KID between real and generated features: `subsets` times, m vectors
 * drawn without replacement from each set (m = the smaller of `subsetSize`
 * and both set sizes), the unbiased MMD^2; their mean and sd. When m is the
 * size of both sets every subset is the whole of both: it is computed once
 * (`subsets` 1, sd 0).
 *
 * @param real Real features.
 * @param fake Generated features (same width).
 * @param options Subsets, their size and the seed of the draws.
 * @returns Mean, sd, the subset count and size, and the sample counts.
 * @throws RangeError when a set has fewer than 2 rows or the options are not positive integers.
 */
export function kid(real: Rows, fake: Rows, options: KidOptions = {}): KidResult {
  const fn = "kid";
  const r = toRowSet(real, fn, "real");
  const f = toRowSet(fake, fn, "fake");
  requireSameCols(r, f, fn, "real", "fake");
  const subsets = options.subsets ?? 100;
  const size = options.subsetSize ?? 1000;
  for (const [name, v] of [["subsets", subsets], ["subsetSize", size]] as const) {
    if (!Number.isInteger(v) || v < 1) {
      throw new RangeError(`${fn}: options.${name} is ${v}; expected an integer >= 1`);
    }
  }
  const m = Math.min(size, r.rows, f.rows);
  if (m < 2) {
    throw new RangeError(
      `${fn}: a subset needs at least 2 vectors from each set; got ${r.rows} real and ${f.rows} generated`,
    );
  }
  const rng = new Rng(options.seed ?? 0, "kid");
  // When a subset is the whole of both sets, every subset is the same: one suffices.
  const count = m === r.rows && m === f.rows ? 1 : subsets;
  const values = new Float64Array(count);
  for (let s = 0; s < count; s++) {
    const ir = sampleIndices(rng, r.rows, m);
    const iff = sampleIndices(rng, f.rows, m);
    values[s] = mmd2Unbiased(gather(r, ir, m), gather(f, iff, m), m, r.cols);
  }
  let mean = 0;
  for (const v of values) mean += v;
  mean /= count;
  let ss = 0;
  for (const v of values) ss += (v - mean) ** 2;
  return {
    mean,
    sd: Math.sqrt(ss / count),
    subsets: count,
    subsetSize: m,
    nReal: r.rows,
    nFake: f.rows,
  };
}
