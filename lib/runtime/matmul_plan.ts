/**
 * How a batched matrix product runs on a native BLAS, for the kernels of
 * `wasm_matmul.ts`: the shapes of both operands (transposes, batch
 * dimensions with broadcasting) become a {@link ProductPlan}, which
 * {@link runProduct} carries out as one `sgemm` (or `sgemv`) per batch, or
 * one for all batches when they stack.
 *
 * @module
 */
import type { Blas } from "./blas.ts";
import { sizeOf } from "./wasm_kernel_util.ts";

/** The product op(a) op(b) of two batched operands. */
export interface ProductPlan {
  outShape: number[];
  m: number;
  n: number;
  k: number;
  transA: boolean;
  transB: boolean;
  /** Per output batch: element offsets into a, b (and c = index * m * n). */
  aOffsets: number[];
  bOffsets: number[];
}

function broadcastShapes(a: number[], b: number[], what: string): number[] {
  const rank = Math.max(a.length, b.length);
  const out: number[] = [];
  for (let i = 0; i < rank; i++) {
    const da = a[a.length - rank + i] ?? 1;
    const db = b[b.length - rank + i] ?? 1;
    if (da !== db && da !== 1 && db !== 1) {
      throw new Error(
        `${what}: batch shapes [${a}] and [${b}] do not broadcast (dimension ${i}: ${da} vs ${db})`,
      );
    }
    out.push(da === 1 ? db : da);
  }
  return out;
}

/**
 * The element offset, for every index of `outShape` in row-major order, into
 * an operand of shape `shape` broadcast to it (aligned right, size-1
 * dimensions repeated), each of whose elements is `inner` floats long.
 */
export function broadcastOffsets(outShape: number[], shape: number[], inner: number): number[] {
  const count = sizeOf(outShape);
  const rank = outShape.length;
  // Strides of the operand's dimensions, aligned right, 0 where broadcast.
  const strides = new Array<number>(rank).fill(0);
  let stride = inner;
  for (let i = shape.length - 1, j = rank - 1; i >= 0; i--, j--) {
    strides[j] = shape[i] === 1 ? 0 : stride;
    stride *= shape[i];
  }
  const offsets = new Array<number>(count);
  const index = new Array<number>(rank).fill(0);
  let offset = 0;
  for (let c = 0; c < count; c++) {
    offsets[c] = offset;
    for (let d = rank - 1; d >= 0; d--) {
      index[d]++;
      offset += strides[d];
      if (index[d] < outShape[d]) break;
      offset -= strides[d] * index[d];
      index[d] = 0;
    }
  }
  return offsets;
}

/**
 * The plan of op(a) op(b) for operands of shapes `aShape` and `bShape`
 * (rank >= 2, batch dimensions broadcast); throws, naming `what`, when the
 * inner dimensions differ or the batch shapes do not broadcast.
 */
export function plan(
  aShape: number[],
  bShape: number[],
  transA: boolean,
  transB: boolean,
  what: string,
): ProductPlan {
  if (aShape.length < 2 || bShape.length < 2) {
    throw new Error(
      `${what}: both operands need rank >= 2, got shapes [${aShape}] and [${bShape}]`,
    );
  }
  const ra = aShape.length;
  const rb = bShape.length;
  const m = transA ? aShape[ra - 1] : aShape[ra - 2];
  const kA = transA ? aShape[ra - 2] : aShape[ra - 1];
  const kB = transB ? bShape[rb - 1] : bShape[rb - 2];
  const n = transB ? bShape[rb - 2] : bShape[rb - 1];
  if (kA !== kB) {
    throw new Error(
      `${what}: inner dimensions ${kA} and ${kB} differ (shapes [${aShape}] and [${bShape}], transposeA=${transA}, transposeB=${transB})`,
    );
  }
  const aBatch = aShape.slice(0, -2);
  const bBatch = bShape.slice(0, -2);
  const outBatch = broadcastShapes(aBatch, bBatch, what);
  return {
    outShape: [...outBatch, m, n],
    m,
    n,
    k: kA,
    transA,
    transB,
    aOffsets: broadcastOffsets(outBatch, aBatch, m * kA),
    bOffsets: broadcastOffsets(outBatch, bBatch, kA * n),
  };
}

/**
 * c = alpha op(a) op(b) + beta c for one matrix, row-major, as
 * {@link Blas.sgemm} takes it; a matrix-vector product (`sgemv`) when the
 * result is a single row or column, where BLAS libraries' `sgemm` is slow.
 */
export function gemm(blas: Blas, ...args: Parameters<Blas["sgemm"]>): void {
  const [transA, transB, m, n, k, alpha, a, lda, b, ldb, beta, c, ldc] = args;
  if (n === 1) {
    // c[m] = op(a) b, b a contiguous vector of k either way.
    if (transA) blas.sgemv(true, k, m, alpha, a, lda, b, 1, beta, c, ldc);
    else blas.sgemv(false, m, k, alpha, a, lda, b, 1, beta, c, ldc);
    return;
  }
  if (m === 1) {
    // c[n] = op(b)^T a, a a contiguous vector of k either way.
    if (transB) blas.sgemv(false, n, k, alpha, b, ldb, a, 1, beta, c, 1);
    else blas.sgemv(true, k, n, alpha, b, ldb, a, 1, beta, c, 1);
    return;
  }
  blas.sgemm(...args);
}

/** out = op(a) op(b) + beta * out for every batch of `p` (beta 1 when out holds a bias). */
export function runProduct(
  blas: Blas,
  p: ProductPlan,
  a: Float32Array,
  b: Float32Array,
  out: Float32Array,
  beta: number,
): void {
  const { m, n, k, transA, transB } = p;
  const lda = Math.max(1, transA ? m : k);
  const ldb = Math.max(1, transB ? k : n);
  const batches = p.aOffsets.length;
  const bShared = p.bOffsets.every((o) => o === 0);
  if (!transA && bShared && p.aOffsets.every((o, i) => o === i * m * k)) {
    // One product: a's batches stacked as rows of one (batches * m) x k matrix.
    gemm(blas, false, transB, batches * m, n, k, 1, a, lda, b, ldb, beta, out, n);
    return;
  }
  for (let i = 0; i < batches; i++) {
    gemm(
      blas,
      transA,
      transB,
      m,
      n,
      k,
      1,
      a.subarray(p.aOffsets[i]),
      lda,
      b.subarray(p.bOffsets[i]),
      ldb,
      beta,
      out.subarray(i * m * n),
      n,
    );
  }
}
