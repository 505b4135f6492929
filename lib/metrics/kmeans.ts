/**
 * k-means (Lloyd's algorithm) with a seeded start: the baseline of Theis et
 * al. (2016, "A note on the evaluation of generative models"), whose
 * k-means centres score a higher Parzen-window log-likelihood on MNIST than
 * the adversarial nets of Table 1. The start is k distinct rows of the data
 * chosen at random (stream `kmeans` of the seed); each iteration assigns
 * every row to its nearest centre (float32 distances from `distances.ts`;
 * ties and rounding-level differences may go either way) and moves each
 * centre to the mean of its rows (float64); a centre that loses every row
 * stays where it is. It stops when no assignment changes or after
 * `maxIterations`.
 *
 * @module
 */
import { Rng } from "../runtime/rng.ts";
import { type Rows, SquaredDistances, toRowSet } from "./distances.ts";
import { sampleIndices } from "./kid.ts";

/** Options of {@link kmeans}. */
export interface KmeansOptions {
  /** Seed of the start (default 0). */
  seed?: number;
  /** Most iterations (default 20). */
  maxIterations?: number;
  /** Called after each iteration with its number and the rows that changed centre. */
  onIteration?(iteration: number, changed: number): void;
}

/** What {@link kmeans} returns. */
export interface KmeansResult {
  /** k x d centres, row-major. */
  centres: Float32Array;
  /** The centre of each row. */
  assignment: Int32Array;
  /** Iterations run. */
  iterations: number;
  /** Whether the last iteration changed no assignment. */
  converged: boolean;
  /** Mean squared distance of the rows to their centres (float32 distances). */
  meanSquaredDistance: number;
}

/**
 * Clusters `rows` into `k` centres.
 *
 * @param rows The data (at least k rows).
 * @param k Centres (an integer >= 1).
 * @param options Seed, iterations, progress.
 * @returns The centres, the assignment and how the iterations ended.
 */
export function kmeans(rows: Rows, k: number, options: KmeansOptions = {}): KmeansResult {
  const set = toRowSet(rows, "kmeans", "rows");
  const { rows: n, cols: d } = set;
  if (!Number.isInteger(k) || k < 1 || k > n) {
    throw new RangeError(`kmeans: k is ${k}; expected an integer from 1 to the ${n} rows`);
  }
  const maxIterations = options.maxIterations ?? 20;
  if (!Number.isInteger(maxIterations) || maxIterations < 1) {
    throw new RangeError(`kmeans: maxIterations is ${maxIterations}; expected an integer >= 1`);
  }
  const start = sampleIndices(new Rng(options.seed ?? 0, "kmeans"), n, k);
  const centres = new Float32Array(k * d);
  start.forEach((r, c) => centres.set(set.row(r), c * d));
  const assignment = new Int32Array(n).fill(-1);
  let iterations = 0;
  let converged = false;
  let msd = NaN;
  const sums = new Float64Array(k * d);
  const counts = new Int32Array(k);
  while (iterations < maxIterations) {
    iterations++;
    let changed = 0;
    let total = 0;
    const dist = new SquaredDistances(
      toRowSet({ data: centres, rows: k, cols: d }, "kmeans", "centres"),
    );
    try {
      dist.forEachRow(set, (i, d2, _q, min) => {
        let best = 0;
        for (let c = 0; c < k; c++) {
          if (d2[c] === min) {
            best = c;
            break;
          }
        }
        total += min;
        if (assignment[i] !== best) {
          assignment[i] = best;
          changed++;
        }
      });
    } finally {
      dist.dispose();
    }
    msd = total / n;
    options.onIteration?.(iterations, changed);
    if (changed === 0) {
      converged = true;
      break;
    }
    sums.fill(0);
    counts.fill(0);
    for (let i = 0; i < n; i++) {
      const c = assignment[i];
      counts[c]++;
      const r = set.row(i);
      const o = c * d;
      for (let t = 0; t < d; t++) sums[o + t] += r[t];
    }
    for (let c = 0; c < k; c++) {
      if (counts[c] === 0) continue;
      for (let t = 0; t < d; t++) centres[c * d + t] = sums[c * d + t] / counts[c];
    }
  }
  return { centres, assignment, iterations, converged, meanSquaredDistance: msd };
}
