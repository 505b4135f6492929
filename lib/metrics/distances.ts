/**
 * Blocked squared Euclidean distances between two sets of rows, shared by
 * the Parzen-window estimate (`parzen.ts`) and nearest neighbours
 * (`nearest.ts`).
 *
 * Distances go through one matrix product per block of queries:
 * ||x - mu||^2 = ||x||^2 + ||mu||^2 - 2 x.mu, clamped at 0. The product runs
 * in float32 with `tf.matMul` on the active tfjs backend (on wasm it runs on
 * a native BLAS when the backend set one up); the norms and the sum run in
 * float64. Memory stays bounded: the references are packed once (d x n,
 * float32) and the queries go through in blocks of `blockSize` rows, each
 * giving a blockSize x n product.
 *
 * Float32 cancellation: the terms of ||x||^2 + ||mu||^2 - 2 x.mu are large
 * when the rows are far from the origin while their difference can be small
 * (close points). Both sets are therefore centred on the references' mean
 * (computed in float64, subtracted before rounding to float32), which shrinks
 * the terms to the spread of the data, and the norms are summed in float64.
 * What is left is an absolute error of at most
 * `errorScale * (||x_c||^2 + ||mu_c||^2)` per distance (x_c, mu_c the
 * centred rows; see {@link SquaredDistances.errorScale}), whatever the
 * summation order of the product; in practice it is a few hundred times
 * smaller. Callers that need exact answers (nearest neighbours) recompute
 * the few candidates that the bound cannot separate in float64 with
 * {@link exactSquaredDistance}. A row whose product overflows float32 is
 * recomputed in float64 entirely.
 *
 * @module
 */
import { tf } from "../deps.ts";

/**
 * Rows as arrays (or Float32Arrays) of equal length, or a flat row-major
 * matrix `{ data, rows, cols }` with `data.length === rows * cols`.
 */
export type Rows = ArrayLike<number>[] | { data: Float32Array; rows: number; cols: number };

/** A validated set of rows with access to each row's original values. */
export interface RowSet {
  /** Number of rows (at least 1). */
  readonly rows: number;
  /** Values per row (at least 1). */
  readonly cols: number;
  /** The original values of row i (a view for the flat form; no copy). */
  row(i: number): ArrayLike<number>;
}

/** Unit roundoff of float32, 2^-24. */
export const FLOAT32_UNIT_ROUNDOFF = 2 ** -24;

/** Rows per block when no block size is given: about 4M products per block, at most 1024 rows. */
export function defaultBlockSize(refs: number): number {
  return Math.max(1, Math.min(1024, Math.floor(4_194_304 / Math.max(1, refs))));
}

function describe(value: unknown): string {
  if (value === null) return "null";
  if (Array.isArray(value)) return `an array of length ${value.length}`;
  if (typeof value === "object") return `an object (${Object.keys(value as object).join(", ")})`;
  return `${typeof value} ${String(value)}`;
}

/**
 * Validates `rows` and returns it as a {@link RowSet}. Errors name the
 * function (`fn`) and the argument (`name`) and say what is accepted: an
 * empty set, rows of unequal or zero length, a flat matrix whose data length
 * is not rows * cols, and values that are not finite numbers.
 */
export function toRowSet(rows: Rows, fn: string, name: string): RowSet {
  const accepted = "an array of equal-length rows or { data: Float32Array, rows, cols }";
  if (Array.isArray(rows)) {
    if (rows.length === 0) {
      throw new RangeError(`${fn}: ${name} is empty; expected at least one row`);
    }
    const first = rows[0];
    if (first === null || typeof first !== "object" || typeof first.length !== "number") {
      throw new TypeError(`${fn}: ${name}[0] is ${describe(first)}; expected ${accepted}`);
    }
    const cols = first.length;
    if (cols === 0) {
      throw new RangeError(`${fn}: ${name}[0] has no values; expected rows of at least one number`);
    }
    for (let i = 0; i < rows.length; i++) {
      const r = rows[i];
      if (r === null || typeof r !== "object" || typeof r.length !== "number") {
        throw new TypeError(`${fn}: ${name}[${i}] is ${describe(r)}; expected ${accepted}`);
      }
      if (r.length !== cols) {
        throw new RangeError(
          `${fn}: ${name}[${i}] has ${r.length} values but ${name}[0] has ${cols}; every row of ${name} must have the same length`,
        );
      }
      for (let k = 0; k < cols; k++) {
        const v = r[k];
        if (typeof v !== "number" || !Number.isFinite(v)) {
          throw new RangeError(
            `${fn}: ${name}[${i}][${k}] is ${String(v)}; expected finite numbers`,
          );
        }
      }
    }
    return { rows: rows.length, cols, row: (i) => rows[i] };
  }
  if (rows === null || typeof rows !== "object" || !("data" in rows)) {
    throw new TypeError(`${fn}: ${name} is ${describe(rows)}; expected ${accepted}`);
  }
  const { data, rows: n, cols } = rows;
  if (!(data instanceof Float32Array)) {
    throw new TypeError(`${fn}: ${name}.data is ${describe(data)}; expected a Float32Array`);
  }
  if (!Number.isInteger(n) || n < 0 || !Number.isInteger(cols) || cols < 0) {
    throw new RangeError(
      `${fn}: ${name}.rows and ${name}.cols must be non-negative integers, got rows ${n}, cols ${cols}`,
    );
  }
  if (n === 0) throw new RangeError(`${fn}: ${name} is empty (rows 0); expected at least one row`);
  if (cols === 0) {
    throw new RangeError(`${fn}: ${name} has cols 0; expected rows of at least one number`);
  }
  if (data.length !== n * cols) {
    throw new RangeError(
      `${fn}: ${name}.data has ${data.length} values, expected rows * cols = ${n} * ${cols} = ${
        n * cols
      }`,
    );
  }
  for (let i = 0; i < data.length; i++) {
    if (!Number.isFinite(data[i])) {
      throw new RangeError(
        `${fn}: ${name}.data[${i}] (row ${Math.floor(i / cols)}, column ${i % cols}) is ${
          data[i]
        }; expected finite numbers`,
      );
    }
  }
  return { rows: n, cols, row: (i) => data.subarray(i * cols, (i + 1) * cols) };
}

/** Throws unless `a` and `b` have the same number of columns. */
export function requireSameCols(
  a: RowSet,
  b: RowSet,
  fn: string,
  nameA: string,
  nameB: string,
): void {
  if (a.cols !== b.cols) {
    throw new RangeError(
      `${fn}: ${nameA} has ${a.cols} values per row but ${nameB} has ${b.cols}; both must have the same number of columns`,
    );
  }
}

/** Validates an optional block size (a positive integer) and returns it or the default. */
export function checkBlockSize(blockSize: number | undefined, refs: number, fn: string): number {
  if (blockSize === undefined) return defaultBlockSize(refs);
  if (!Number.isInteger(blockSize) || blockSize < 1) {
    throw new RangeError(`${fn}: options.blockSize is ${blockSize}; expected an integer >= 1`);
  }
  return blockSize;
}

/**
 * Runs `use` with the references `refs` packed as {@link SquaredDistances}
 * (the block size checked by {@link checkBlockSize}, naming `fn`) and frees
 * their tensor afterwards, whether `use` returns or throws.
 */
export function withSquaredDistances<T>(
  refs: RowSet,
  blockSize: number | undefined,
  fn: string,
  use: (dist: SquaredDistances) => T,
): T {
  const dist = new SquaredDistances(refs, checkBlockSize(blockSize, refs.rows, fn));
  try {
    return use(dist);
  } finally {
    dist.dispose();
  }
}

/** Squared Euclidean distance in float64, term by term: the brute-force reference. */
export function exactSquaredDistance(a: ArrayLike<number>, b: ArrayLike<number>): number {
  let s = 0;
  for (let k = 0; k < a.length; k++) {
    const t = a[k] - b[k];
    s += t * t;
  }
  return s;
}

/**
 * Called once per query row with its squared distances to every reference
 * (`d2`, length = number of references; reused between calls, copy it to
 * keep it), the query's squared centred norm (for the error bound
 * `errorScale * (qNorm + refNorms[j])`) and the smallest value of `d2`.
 */
export type DistanceRowVisitor = (
  query: number,
  d2: Float64Array,
  qNorm: number,
  min: number,
) => void;

/**
 * The references packed once for blocked squared distances to any number of
 * query sets. Holds a tfjs tensor: call {@link SquaredDistances.dispose}
 * (or use it inside `try`/`finally`).
 */
export class SquaredDistances {
  /** The references. */
  readonly refs: RowSet;
  /** Query rows per matrix product. */
  readonly blockSize: number;
  /** Mean of the references (float64), the centre both sets are shifted by. */
  readonly centre: Float64Array;
  /** Squared norms of the centred references (float64, of the float32 values). */
  readonly refNorms: Float64Array;
  /**
   * Bound factor of the float32 error: |d2 computed - d2 exact| <=
   * errorScale * (qNorm + refNorms[j]) for every pair (exact = float64 on the
   * original values). It is 2 * (gamma_{d+1} + 5u) with u = 2^-24 and
   * gamma_m = m u / (1 - m u): the product's worst case over any summation
   * order plus the centring roundoff, doubled for safety. Infinity when
   * (d + 1) u >= 1/2, where no bound holds.
   */
  readonly errorScale: number;
  #refsT: tf.Tensor2D | null;

  /**
   * Packs `refs` (validated with {@link toRowSet}) and uploads them to the
   * active backend as one d x n float32 tensor.
   */
  constructor(refs: RowSet, blockSize = defaultBlockSize(refs.rows)) {
    this.refs = refs;
    this.blockSize = blockSize;
    const n = refs.rows;
    const d = refs.cols;
    const centre = new Float64Array(d);
    for (let j = 0; j < n; j++) {
      const r = refs.row(j);
      for (let k = 0; k < d; k++) centre[k] += r[k];
    }
    for (let k = 0; k < d; k++) centre[k] /= n;
    this.centre = centre;
    // Transposed (d x n) so that the product is queries (b x d) times refs (d x n)
    // without a transpose flag: the shipped wasm kernel is ~10x slower with one.
    const packed = new Float32Array(d * n);
    const norms = new Float64Array(n);
    for (let j = 0; j < n; j++) {
      const r = refs.row(j);
      let s = 0;
      for (let k = 0; k < d; k++) {
        const v = Math.fround(r[k] - centre[k]);
        packed[k * n + j] = v;
        s += v * v;
      }
      norms[j] = s;
    }
    this.refNorms = norms;
    const u = FLOAT32_UNIT_ROUNDOFF;
    const mu = (d + 1) * u;
    this.errorScale = mu >= 0.5 ? Infinity : 2 * (mu / (1 - mu) + 5 * u);
    this.#refsT = tf.tensor2d(packed, [d, n], "float32");
  }

  /** Frees the references' tensor. Further use throws. */
  dispose(): void {
    this.#refsT?.dispose();
    this.#refsT = null;
  }

  /**
   * Visits every row of `queries` (same number of columns as the
   * references) in order with its squared distances to all references.
   * `onBlock(done)` runs after each block with the number of query rows done.
   */
  forEachRow(
    queries: RowSet,
    visit: DistanceRowVisitor,
    onBlock?: (done: number) => void,
  ): void {
    const refsT = this.#refsT;
    if (!refsT) throw new Error("SquaredDistances: used after dispose()");
    const n = this.refs.rows;
    const d = this.refs.cols;
    const centre = this.centre;
    const refNorms = this.refNorms;
    const row = new Float64Array(n);
    const block = Math.min(this.blockSize, queries.rows);
    const qc = new Float32Array(block * d);
    const qNorms = new Float64Array(block);
    for (let start = 0; start < queries.rows; start += block) {
      const b = Math.min(block, queries.rows - start);
      for (let i = 0; i < b; i++) {
        const r = queries.row(start + i);
        let s = 0;
        const o = i * d;
        for (let k = 0; k < d; k++) {
          const v = Math.fround(r[k] - centre[k]);
          qc[o + k] = v;
          s += v * v;
        }
        qNorms[i] = s;
      }
      const q = tf.tensor2d(b === block ? qc : qc.subarray(0, b * d), [b, d], "float32");
      let dots: Float32Array;
      try {
        const prod = tf.matMul(q, refsT);
        try {
          dots = prod.dataSync() as Float32Array;
        } finally {
          prod.dispose();
        }
      } finally {
        q.dispose();
      }
      for (let i = 0; i < b; i++) {
        const qn = qNorms[i];
        const o = i * n;
        let min = Infinity;
        let sum = 0; // NaN or +-Infinity if any distance is (float32 overflow)
        for (let j = 0; j < n; j++) {
          const v = qn + refNorms[j] - 2 * dots[o + j];
          row[j] = v;
          sum += v;
          if (v < min) min = v;
        }
        if (min < 0) {
          // Rounding can take the distance of close points below 0: clamp.
          for (let j = 0; j < n; j++) if (row[j] < 0) row[j] = 0;
          min = 0;
        }
        if (sum - sum !== 0) {
          const x = queries.row(start + i);
          min = Infinity;
          for (let j = 0; j < n; j++) {
            const v = exactSquaredDistance(x, this.refs.row(j));
            row[j] = v;
            if (v < min) min = v;
          }
        }
        visit(start + i, row, qn, min);
      }
      onBlock?.(start + b);
    }
  }
}
