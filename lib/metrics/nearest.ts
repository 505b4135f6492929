/**
 * Nearest neighbours by Euclidean distance, for memorisation checks (is a
 * generator sample a copy of a training image?) and sample galleries.
 *
 * Candidates come from the blocked float32 distances of `distances.ts`;
 * every reference that the float32 error bound cannot rule out is then
 * measured again in float64 on the original values, so the answer is the
 * one of a float64 brute-force search: the smallest distance, and on ties
 * the lowest reference index (as `numpy.argmin`). Close points are exact
 * too (a query equal to a reference gets distance 0).
 *
 * @module
 */
import {
  exactSquaredDistance,
  requireSameCols,
  type Rows,
  toRowSet,
  withSquaredDistances,
} from "./distances.ts";

export type { Rows } from "./distances.ts";

/** What {@link nearestNeighbours} returns, one entry per query. */
export interface NearestNeighbours {
  /** Index into the references of each query's nearest one (lowest index on ties). */
  index: Int32Array;
  /** Euclidean distance (not squared) to it, rounded to float32. */
  distance: Float32Array;
}

/** Options of {@link nearestNeighbours}. */
export interface NearestOptions {
  /** Queries per matrix product (default: about 4M distances per block, at most 1024 queries). */
  blockSize?: number;
}

/**
 * For each query row, the nearest row of `refs` in Euclidean distance and
 * that distance, equal to a float64 brute-force search (see the module doc).
 */
export function nearestNeighbours(
  queries: Rows,
  refs: Rows,
  options: NearestOptions = {},
): NearestNeighbours {
  const fn = "nearestNeighbours";
  const q = toRowSet(queries, fn, "queries");
  const r = toRowSet(refs, fn, "refs");
  requireSameCols(q, r, fn, "queries", "refs");
  const index = new Int32Array(q.rows);
  const distance = new Float32Array(q.rows);
  const n = r.rows;
  withSquaredDistances(r, options.blockSize, fn, (dist) => {
    const refNorms = dist.refNorms;
    const scale = dist.errorScale;
    dist.forEachRow(q, (i, d2, qNorm) => {
      // The true d2[j] lies in [d2[j] - e_j, d2[j] + e_j], e_j = scale * (qNorm + refNorms[j]).
      let upper = Infinity;
      for (let j = 0; j < n; j++) {
        const hi = d2[j] + scale * (qNorm + refNorms[j]);
        if (hi < upper) upper = hi;
      }
      const x = q.row(i);
      let best = -1;
      let bestD2 = Infinity;
      for (let j = 0; j < n; j++) {
        const e = scale * (qNorm + refNorms[j]);
        // `!(lo > upper)` also keeps j when the bound is NaN (scale Infinity times 0).
        if (!(d2[j] - e > upper)) {
          const exact = exactSquaredDistance(x, r.row(j));
          if (exact < bestD2 || best < 0) {
            best = j;
            bestD2 = exact;
          }
        }
      }
      index[i] = best;
      distance[i] = Math.sqrt(bestD2);
    });
  });
  return { index, distance };
}
