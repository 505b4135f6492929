/**
 * The Fréchet distance between two sets of feature vectors (Heusel et al.
 * 2017, "GANs trained by a two time-scale update rule converge to a local
 * Nash equilibrium"), the FID when the features come from a network's
 * penultimate layer:
 *
 *   FID = ||mu_r - mu_f||^2 + Tr(S_r + S_f - 2 (S_r S_f)^(1/2)),
 *
 * the squared 2-Wasserstein distance between the Gaussians N(mu_r, S_r)
 * and N(mu_f, S_f) fitted to each set (covariances with ddof 1, as
 * `numpy.cov`). Everything is float64. The trace of the matrix square root
 * is taken as Tr((A S_f A)^(1/2)) with A = S_r^(1/2): A S_f A is symmetric
 * positive semi-definite and has the eigenvalues of S_r S_f, so both square
 * roots come from symmetric eigendecompositions (`ml-matrix`), negative
 * rounding-level eigenvalues clamped at 0.
 *
 * The harness's features come from its own classifier (`lib/features/`),
 * not Inception-v3: its FIDs are comparable with each other, not with
 * published Inception FIDs. FID is biased upward at small sample counts,
 * so every value is reported with the counts it used.
 *
 * @module
 */
import { EigenvalueDecomposition, Matrix } from "../deps.ts";
import { requireSameCols, type Rows, toRowSet } from "./distances.ts";

/** Mean and covariance of a set of vectors, float64. */
export interface GaussianStats {
  /** Number of vectors. */
  n: number;
  /** Dimension. */
  dim: number;
  /** Mean, length dim. */
  mean: Float64Array;
  /** Covariance (ddof 1), dim x dim row-major. */
  cov: Float64Array;
}

/** A Fréchet distance with the sample counts it was computed from. */
export interface FidResult {
  /** The distance. */
  fid: number;
  /** Vectors in the first (real) set. */
  nReal: number;
  /** Vectors in the second (generated) set. */
  nFake: number;
}

/**
 * Mean and covariance (ddof 1, as `numpy.cov`) of rows, in float64 (two
 * passes: the mean, then the centred products).
 *
 * @param rows At least two rows.
 * @returns The statistics.
 * @throws RangeError for fewer than two rows or non-finite values.
 */
export function gaussianStats(rows: Rows): GaussianStats {
  const set = toRowSet(rows, "gaussianStats", "rows");
  const { rows: n, cols: d } = set;
  if (n < 2) {
    throw new RangeError(`gaussianStats: rows has ${n} row; a covariance needs at least 2`);
  }
  const mean = new Float64Array(d);
  for (let i = 0; i < n; i++) {
    const r = set.row(i);
    for (let k = 0; k < d; k++) mean[k] += r[k];
  }
  for (let k = 0; k < d; k++) mean[k] /= n;
  const cov = new Float64Array(d * d);
  const c = new Float64Array(d);
  for (let i = 0; i < n; i++) {
    const r = set.row(i);
    for (let k = 0; k < d; k++) c[k] = r[k] - mean[k];
    for (let a = 0; a < d; a++) {
      const ca = c[a];
      if (ca === 0) continue;
      const o = a * d;
      for (let b = a; b < d; b++) cov[o + b] += ca * c[b];
    }
  }
  for (let a = 0; a < d; a++) {
    for (let b = a; b < d; b++) {
      const v = cov[a * d + b] / (n - 1);
      cov[a * d + b] = v;
      cov[b * d + a] = v;
    }
  }
  return { n, dim: d, mean, cov };
}

function toMatrix(flat: Float64Array, d: number): Matrix {
  const m = new Matrix(d, d);
  for (let a = 0; a < d; a++) for (let b = 0; b < d; b++) m.set(a, b, flat[a * d + b]);
  return m;
}

/** (m + m^T) / 2, a new matrix (rounding leaves products slightly asymmetric). */
function symmetric(m: Matrix): Matrix {
  // ml-matrix's add and mul work in place: start from a copy.
  return m.clone().add(m.transpose()).mul(0.5);
}

/** The square root of a symmetric positive semi-definite matrix (negative eigenvalues as 0). */
export function sqrtPsd(m: Matrix): Matrix {
  const e = new EigenvalueDecomposition(symmetric(m), { assumeSymmetric: true });
  const v = e.eigenvectorMatrix;
  const roots = e.realEigenvalues.map((x) => Math.sqrt(Math.max(x, 0)));
  // mulRowVector works in place: scale a copy of the eigenvectors.
  return v.clone().mulRowVector(roots).mmul(v.transpose());
}

/**
 * Tr((S_a S_b)^(1/2)) for symmetric positive semi-definite S_a, S_b, as
 * Tr((A S_b A)^(1/2)) with A = S_a^(1/2) (see the module doc).
 */
export function traceSqrtProduct(a: Matrix, b: Matrix): number {
  const ra = sqrtPsd(a);
  const inner = symmetric(ra.mmul(b).mmul(ra));
  const e = new EigenvalueDecomposition(inner, { assumeSymmetric: true });
  return e.realEigenvalues.reduce((s, x) => s + Math.sqrt(Math.max(x, 0)), 0);
}

/**
 * The Fréchet distance between two Gaussians given by their statistics.
 *
 * @param a The first (real) set's statistics.
 * @param b The second (generated) set's statistics.
 * @returns ||mu_a - mu_b||^2 + Tr(S_a + S_b - 2 (S_a S_b)^(1/2)), at least 0.
 * @throws RangeError when the dimensions differ.
 */
export function frechetDistance(a: GaussianStats, b: GaussianStats): number {
  if (a.dim !== b.dim) {
    throw new RangeError(`frechetDistance: dimensions differ (${a.dim} and ${b.dim})`);
  }
  const d = a.dim;
  let diff = 0;
  for (let k = 0; k < d; k++) diff += (a.mean[k] - b.mean[k]) ** 2;
  let trace = 0;
  for (let k = 0; k < d; k++) trace += a.cov[k * d + k] + b.cov[k * d + k];
  const cross = traceSqrtProduct(toMatrix(a.cov, d), toMatrix(b.cov, d));
  return Math.max(0, diff + trace - 2 * cross);
}

/**
 * The FID between real and generated feature vectors.
 *
 * @param real Real features (at least two rows).
 * @param fake Generated features (at least two rows, same width).
 * @returns The distance and the sample counts.
 */
export function fid(real: Rows, fake: Rows): FidResult {
  requireSameCols(
    toRowSet(real, "fid", "real"),
    toRowSet(fake, "fid", "fake"),
    "fid",
    "real",
    "fake",
  );
  const a = gaussianStats(real);
  const b = gaussianStats(fake);
  return { fid: frechetDistance(a, b), nReal: a.n, nFake: b.n };
}
