/**
 * k-nearest-neighbour estimates of fidelity and diversity between a real
 * and a generated set of vectors (image features, or points in data
 * space):
 *
 * - improved precision and recall (Kynkäänniemi et al. 2019, "Improved
 *   precision and recall metric for assessing generative models"), k = 3:
 *   each set's manifold is the union of balls around its vectors, each
 *   ball's radius the distance to the vector's k-th nearest neighbour in its
 *   own set. Precision is the share of generated vectors inside the real
 *   manifold, recall the share of real vectors inside the generated one (a
 *   vector is inside a ball when its distance is at most the radius, `<=`,
 *   as the authors' code);
 * - density and coverage (Naeem et al. 2020, "Reliable fidelity and
 *   diversity metrics for generative models"), k = 5: density is
 *   (1 / (k M)) sum_j sum_i 1[d(f_j, r_i) < R_i] (how many real balls hold
 *   each generated vector, on average, over k; 1 when the two sets are
 *   alike, above 1 when samples crowd dense regions); coverage is the share
 *   of real vectors whose ball holds at least one generated vector (strict
 *   `<`, as the authors' `prdc` code).
 *
 * The k-th neighbour of a vector counts the vector itself as its own
 * nearest (distance 0), as both reference implementations do: the radius
 * is the (k+1)-th smallest distance to the vectors of its set.
 *
 * Exactness: distances come from the blocked float32 products of
 * `distances.ts`; every radius and every comparison with a radius that the
 * float32 error bound cannot decide is recomputed in float64 on the
 * original values, so the results equal a float64 brute-force computation
 * (ties included). One pass over real x real, one over generated x
 * generated and one over generated x real distances give all four.
 *
 * @module
 */
import {
  exactSquaredDistance,
  requireSameCols,
  type Rows,
  type RowSet,
  SquaredDistances,
  toRowSet,
} from "./distances.ts";

/** Neighbour count of improved precision and recall (Kynkäänniemi et al. 2019). */
export const PR_K = 3;
/** Neighbour count of density and coverage (Naeem et al. 2020). */
export const DC_K = 5;

/** Options of {@link prdc}. */
export interface PrdcOptions {
  /** k of precision and recall (default {@link PR_K}). */
  kPr?: number;
  /** k of density and coverage (default {@link DC_K}). */
  kDc?: number;
  /** Query rows per matrix product (default: see `distances.ts`). */
  blockSize?: number;
}

/** Precision, recall, density and coverage with the sample counts. */
export interface PrdcResult {
  precision: number;
  recall: number;
  density: number;
  coverage: number;
  /** Real vectors. */
  nReal: number;
  /** Generated vectors. */
  nFake: number;
}

/**
 * For every row of `set`, the squared distance to its (k+1)-th nearest row
 * of the same set (itself included), for each k of `ks`, exact in float64.
 */
function kthSquaredRadii(
  set: RowSet,
  dist: SquaredDistances,
  ks: readonly number[],
): Float64Array[] {
  const n = set.rows;
  const kMax = Math.max(...ks);
  const out = ks.map(() => new Float64Array(n));
  const refNorms = dist.refNorms;
  const scale = dist.errorScale;
  const best = new Float64Array(kMax + 1);
  const cand: number[] = [];
  dist.forEachRow(set, (i, d2, qNorm) => {
    // The (kMax+1)-th smallest upper bound: the true (kMax+1)-th distance is at most it.
    best.fill(Infinity);
    for (let j = 0; j < n; j++) {
      const hi = d2[j] + scale * (qNorm + refNorms[j]);
      if (hi < best[kMax]) {
        let p = kMax;
        while (p > 0 && best[p - 1] > hi) {
          best[p] = best[p - 1];
          p--;
        }
        best[p] = hi;
      }
    }
    const upper = best[kMax];
    cand.length = 0;
    const x = set.row(i);
    for (let j = 0; j < n; j++) {
      const e = scale * (qNorm + refNorms[j]);
      if (!(d2[j] - e > upper)) cand.push(e === 0 ? d2[j] : exactSquaredDistance(x, set.row(j)));
    }
    cand.sort((a, b) => a - b);
    ks.forEach((k, t) => out[t][i] = cand[k]);
  });
  return out;
}

function checkK(k: number, name: string, real: number, fake: number): void {
  if (!Number.isInteger(k) || k < 1) {
    throw new RangeError(`prdc: options.${name} is ${k}; expected an integer >= 1`);
  }
  if (k + 1 > real) {
    throw new RangeError(`prdc: ${name} = ${k} needs at least ${k + 1} real vectors; got ${real}`);
  }
  if (k + 1 > fake) {
    throw new RangeError(
      `prdc: ${name} = ${k} needs at least ${k + 1} generated vectors; got ${fake}`,
    );
  }
}

/**
 * The real side of {@link prdc}, computed once: the real vectors packed for
 * distances and their radii, so that several generated sets (samples, and
 * held-out real data as a reference) are measured against it. Holds a tfjs
 * tensor: call {@link PrdcReference.dispose}.
 */
export class PrdcReference {
  /** The real vectors. */
  readonly real: RowSet;
  /** k of precision and recall. */
  readonly kPr: number;
  /** k of density and coverage. */
  readonly kDc: number;
  readonly #dist: SquaredDistances;
  readonly #radiusPr: Float64Array;
  readonly #radiusDc: Float64Array;
  readonly #blockSize?: number;

  /**
   * @param real Real vectors (at least max(kPr, kDc) + 1 rows).
   * @param options The two k and the block size.
   */
  constructor(real: Rows, options: PrdcOptions = {}) {
    this.real = toRowSet(real, "prdc", "real");
    this.kPr = options.kPr ?? PR_K;
    this.kDc = options.kDc ?? DC_K;
    checkK(this.kPr, "kPr", this.real.rows, Infinity);
    checkK(this.kDc, "kDc", this.real.rows, Infinity);
    this.#blockSize = options.blockSize;
    this.#dist = new SquaredDistances(this.real, options.blockSize);
    try {
      [this.#radiusPr, this.#radiusDc] = kthSquaredRadii(this.real, this.#dist, [
        this.kPr,
        this.kDc,
      ]);
    } catch (e) {
      this.#dist.dispose();
      throw e;
    }
  }

  /** Frees the packed real vectors. */
  dispose(): void {
    this.#dist.dispose();
  }

  /**
   * Precision, recall, density and coverage of generated vectors against
   * the real ones.
   *
   * @param fake Generated vectors (same width, at least kPr + 1 rows).
   * @returns The four values and the sample counts.
   */
  against(fake: Rows): PrdcResult {
    const r = this.real;
    const f = toRowSet(fake, "prdc", "fake");
    requireSameCols(r, f, "prdc", "real", "fake");
    checkK(this.kPr, "kPr", r.rows, f.rows);
    const realPr = this.#radiusPr;
    const realDc = this.#radiusDc;
    const kDc = this.kDc;
    const fakeDist = new SquaredDistances(f, this.#blockSize);
    let fakePr: Float64Array;
    try {
      [fakePr] = kthSquaredRadii(f, fakeDist, [this.kPr]);
    } finally {
      fakeDist.dispose();
    }
    const nr = r.rows;
    const recallHit = new Uint8Array(nr);
    const coverHit = new Uint8Array(nr);
    const refNorms = this.#dist.refNorms;
    const scale = this.#dist.errorScale;
    let precise = 0;
    let inside = 0;
    this.#dist.forEachRow(f, (j, d2, qNorm) => {
      const x = f.row(j);
      const fr = fakePr[j];
      let inReal = false;
      for (let i = 0; i < nr; i++) {
        // Each comparison is decided by the float32 value when its error bound allows,
        // else by the exact float64 distance (computed once, -1 until needed).
        const e = scale * (qNorm + refNorms[i]);
        const v = d2[i];
        let exact = -1;
        if (!inReal) {
          const lim = realPr[i];
          if (v + e <= lim) inReal = true;
          else if (!(v - e > lim)) {
            exact = exactSquaredDistance(x, r.row(i));
            if (exact <= lim) inReal = true;
          }
        }
        const dc = realDc[i];
        if (v + e < dc) {
          inside++;
          coverHit[i] = 1;
        } else if (!(v - e >= dc)) {
          if (exact < 0) exact = exactSquaredDistance(x, r.row(i));
          if (exact < dc) {
            inside++;
            coverHit[i] = 1;
          }
        }
        if (!recallHit[i]) {
          if (v + e <= fr) recallHit[i] = 1;
          else if (!(v - e > fr)) {
            if (exact < 0) exact = exactSquaredDistance(x, r.row(i));
            if (exact <= fr) recallHit[i] = 1;
          }
        }
      }
      if (inReal) precise++;
    });
    let recalled = 0;
    let covered = 0;
    for (let i = 0; i < nr; i++) {
      recalled += recallHit[i];
      covered += coverHit[i];
    }
    return {
      precision: precise / f.rows,
      recall: recalled / nr,
      density: inside / (kDc * f.rows),
      coverage: covered / nr,
      nReal: nr,
      nFake: f.rows,
    };
  }
}

/**
 * Improved precision and recall (k = `kPr`) and density and coverage
 * (k = `kDc`) of generated vectors against real ones (see the module doc).
 *
 * @param real Real vectors (at least max(kPr, kDc) + 1 rows).
 * @param fake Generated vectors (same width, at least kPr + 1 rows).
 * @param options The two k and the block size.
 * @returns The four values and the sample counts.
 */
export function prdc(real: Rows, fake: Rows, options: PrdcOptions = {}): PrdcResult {
  const ref = new PrdcReference(real, options);
  try {
    return ref.against(fake);
  } finally {
    ref.dispose();
  }
}
