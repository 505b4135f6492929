/**
 * Matrix products of the tfjs wasm backend on a native BLAS. The shipped
 * wasm `BatchMatMul` runs at about 20 GFLOP/s (1-2 GFLOP/s with transposes);
 * one core of OpenBLAS or BLIS runs the same products at 75-90 GFLOP/s.
 * {@link registerNativeMatmul} replaces the wasm backend's `BatchMatMul` and
 * `_FusedMatMul` kernels with versions that call `cblas_sgemm` on views of
 * the wasm heap (no copies): transposes, batch dimensions with broadcasting,
 * and for the fused kernel a bias (any shape that broadcasts to the output)
 * and the activations tfjs can fuse (linear, relu, relu6, elu, leakyrelu,
 * prelu, sigmoid).
 *
 * The shipped wasm `_FusedMatMul` is also wrong when a bias is combined with
 * a transpose; these kernels are checked against the cpu backend instead.
 *
 * @module
 */
import * as tf from "@tensorflow/tfjs";
import { type Blas, blasStatus } from "./blas.ts";
import {
  f32View,
  isWasmKernelReplaced,
  replaceWasmKernel,
  restoreWasmKernel,
  sizeOf,
  type WasmKernelFunc,
} from "./wasm_kernel_util.ts";

/** Activations the fused kernel applies (those of tfjs's `fused.matMul`). */
export const FUSED_ACTIVATIONS = [
  "linear",
  "relu",
  "relu6",
  "elu",
  "leakyrelu",
  "prelu",
  "sigmoid",
] as const;

type FusedActivation = typeof FUSED_ACTIVATIONS[number];

interface ProductPlan {
  outShape: number[];
  m: number;
  n: number;
  k: number;
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

/** Element offset of each output batch into a batched operand of batch shape `shape`. */
function batchOffsets(outBatch: number[], shape: number[], matrixSize: number): number[] {
  const count = sizeOf(outBatch);
  const rank = outBatch.length;
  // Strides of the operand's batch dimensions, aligned right, 0 where broadcast.
  const strides = new Array<number>(rank).fill(0);
  let stride = matrixSize;
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
      if (index[d] < outBatch[d]) break;
      offset -= strides[d] * index[d];
      index[d] = 0;
    }
  }
  return offsets;
}

function plan(
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
    aOffsets: batchOffsets(outBatch, aBatch, m * kA),
    bOffsets: batchOffsets(outBatch, bBatch, kA * n),
  };
}

/**
 * c = op(a) op(b) + beta c for one matrix, row-major; a matrix-vector
 * product (`sgemv`) when the result is a single row or column, where BLAS
 * libraries' `sgemm` is slow.
 */
function gemm(
  blas: Blas,
  transA: boolean,
  transB: boolean,
  m: number,
  n: number,
  k: number,
  a: Float32Array,
  lda: number,
  b: Float32Array,
  ldb: number,
  beta: number,
  c: Float32Array,
  ldc: number,
): void {
  if (n === 1) {
    // c[m] = op(a) b, b a contiguous vector of k either way.
    if (transA) blas.sgemv(true, k, m, 1, a, lda, b, 1, beta, c, ldc);
    else blas.sgemv(false, m, k, 1, a, lda, b, 1, beta, c, ldc);
    return;
  }
  if (m === 1) {
    // c[n] = op(b)^T a, a a contiguous vector of k either way.
    if (transB) blas.sgemv(false, n, k, 1, b, ldb, a, 1, beta, c, 1);
    else blas.sgemv(true, k, n, 1, b, ldb, a, 1, beta, c, 1);
    return;
  }
  blas.sgemm(transA, transB, m, n, k, 1, a, lda, b, ldb, beta, c, ldc);
}

/** out = op(a) op(b) + beta * out for every batch (beta 1 when out holds a bias). */
function runProduct(
  blas: Blas,
  p: ProductPlan,
  a: Float32Array,
  b: Float32Array,
  out: Float32Array,
  transA: boolean,
  transB: boolean,
  beta: number,
): void {
  const { m, n, k } = p;
  const lda = Math.max(1, transA ? m : k);
  const ldb = Math.max(1, transB ? k : n);
  const batches = p.aOffsets.length;
  const bShared = p.bOffsets.every((o) => o === 0);
  if (!transA && bShared && p.aOffsets.every((o, i) => o === i * m * k)) {
    // One product: a's batches stacked as rows of one (batches * m) x k matrix.
    gemm(blas, false, transB, batches * m, n, k, a, lda, b, ldb, beta, out, n);
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

/**
 * Writes `src` (shape `srcShape`) broadcast to `outShape` into `target`.
 * Throws when the shapes do not broadcast.
 */
export function broadcastInto(
  target: Float32Array,
  outShape: number[],
  src: Float32Array,
  srcShape: number[],
  what: string,
): void {
  const total = sizeOf(outShape);
  if (src.length === 1) {
    target.fill(src[0], 0, total);
    return;
  }
  const rank = outShape.length;
  if (srcShape.length > rank) {
    throw new Error(
      `${what}: shape [${srcShape}] has more dimensions than the output [${outShape}]`,
    );
  }
  const strides = new Array<number>(rank).fill(0);
  let stride = 1;
  for (let i = srcShape.length - 1, j = rank - 1; i >= 0; i--, j--) {
    if (srcShape[i] !== 1 && srcShape[i] !== outShape[j]) {
      throw new Error(`${what}: shape [${srcShape}] does not broadcast to [${outShape}]`);
    }
    strides[j] = srcShape[i] === 1 ? 0 : stride;
    stride *= srcShape[i];
  }
  const last = outShape[rank - 1];
  if (src.length === last && strides[rank - 1] === 1) {
    // A row vector: copy it into every row.
    for (let off = 0; off < total; off += last) target.set(src, off);
    return;
  }
  const index = new Array<number>(rank).fill(0);
  let s = 0;
  for (let i = 0; i < total; i++) {
    target[i] = src[s];
    for (let d = rank - 1; d >= 0; d--) {
      index[d]++;
      s += strides[d];
      if (index[d] < outShape[d]) break;
      s -= strides[d] * index[d];
      index[d] = 0;
    }
  }
}

function activateInPlace(
  x: Float32Array,
  activation: FusedActivation,
  leakyAlpha: number,
  prelu: Float32Array | null,
): void {
  const len = x.length;
  switch (activation) {
    case "linear":
      return;
    case "relu":
      for (let i = 0; i < len; i++) if (x[i] < 0) x[i] = 0;
      return;
    case "relu6":
      for (let i = 0; i < len; i++) {
        const v = x[i];
        if (v < 0) x[i] = 0;
        else if (v > 6) x[i] = 6;
      }
      return;
    case "elu":
      for (let i = 0; i < len; i++) {
        const v = x[i];
        if (v < 0) x[i] = Math.exp(v) - 1;
      }
      return;
    case "leakyrelu":
      for (let i = 0; i < len; i++) {
        const v = x[i];
        if (v < 0) x[i] = leakyAlpha * v;
      }
      return;
    case "prelu":
      if (!prelu) throw new Error("_FusedMatMul: activation prelu needs preluActivationWeights");
      for (let i = 0; i < len; i++) {
        const v = x[i];
        if (v < 0) x[i] = prelu[i] * v;
      }
      return;
    case "sigmoid":
      for (let i = 0; i < len; i++) x[i] = 1 / (1 + Math.exp(-x[i]));
      return;
  }
}

function checkFloat(t: tf.TensorInfo, kernel: string, name: string): void {
  if (t.dtype !== "float32") {
    throw new Error(
      `${kernel}: input ${name} is ${t.dtype}; only float32 products are supported on wasm`,
    );
  }
}

/** The `BatchMatMul` kernel on `blas`. */
export function batchMatMulKernel(blas: Blas): WasmKernelFunc {
  return ({ inputs, backend, attrs }) => {
    const { a, b } = inputs as { a: tf.TensorInfo; b: tf.TensorInfo };
    const transA = Boolean(attrs?.transposeA);
    const transB = Boolean(attrs?.transposeB);
    checkFloat(a, "BatchMatMul", "a");
    checkFloat(b, "BatchMatMul", "b");
    const p = plan(a.shape, b.shape, transA, transB, "BatchMatMul");
    const out = backend.makeOutput(p.outShape, "float32");
    if (sizeOf(p.outShape) === 0) return out;
    const outView = f32View(backend, out, "BatchMatMul");
    if (p.k === 0) {
      outView.fill(0);
      return out;
    }
    runProduct(
      blas,
      p,
      f32View(backend, a, "BatchMatMul"),
      f32View(backend, b, "BatchMatMul"),
      outView,
      transA,
      transB,
      0,
    );
    return out;
  };
}

/** The `_FusedMatMul` kernel (product, bias, activation) on `blas`. */
export function fusedMatMulKernel(blas: Blas): WasmKernelFunc {
  return ({ inputs, backend, attrs }) => {
    const { a, b, bias, preluActivationWeights } = inputs as {
      a: tf.TensorInfo;
      b: tf.TensorInfo;
      bias?: tf.TensorInfo;
      preluActivationWeights?: tf.TensorInfo;
    };
    const transA = Boolean(attrs?.transposeA);
    const transB = Boolean(attrs?.transposeB);
    const activation = (attrs?.activation ?? "linear") as FusedActivation;
    if (!(FUSED_ACTIVATIONS as readonly string[]).includes(activation)) {
      throw new Error(
        `_FusedMatMul: activation "${activation}" is not supported; expected one of ${
          FUSED_ACTIVATIONS.join(", ")
        }`,
      );
    }
    const leakyAlpha = (attrs?.leakyreluAlpha as number | undefined) ?? 0.2;
    checkFloat(a, "_FusedMatMul", "a");
    checkFloat(b, "_FusedMatMul", "b");
    if (bias) checkFloat(bias, "_FusedMatMul", "bias");
    if (preluActivationWeights) checkFloat(preluActivationWeights, "_FusedMatMul", "prelu weights");
    const p = plan(a.shape, b.shape, transA, transB, "_FusedMatMul");
    const out = backend.makeOutput(p.outShape, "float32");
    const total = sizeOf(p.outShape);
    if (total === 0) return out;
    // Views only now: makeOutput may have grown the heap.
    const outView = f32View(backend, out, "_FusedMatMul");
    if (bias) {
      broadcastInto(
        outView,
        p.outShape,
        f32View(backend, bias, "_FusedMatMul"),
        bias.shape,
        "_FusedMatMul bias",
      );
    } else if (p.k === 0) {
      outView.fill(0);
    }
    if (p.k > 0) {
      runProduct(
        blas,
        p,
        f32View(backend, a, "_FusedMatMul"),
        f32View(backend, b, "_FusedMatMul"),
        outView,
        transA,
        transB,
        bias ? 1 : 0,
      );
    }
    let prelu: Float32Array | null = null;
    if (activation === "prelu") {
      if (!preluActivationWeights) {
        throw new Error("_FusedMatMul: activation prelu needs preluActivationWeights");
      }
      const w = f32View(backend, preluActivationWeights, "_FusedMatMul");
      if (w.length === total) prelu = w;
      else {
        prelu = new Float32Array(total);
        broadcastInto(
          prelu,
          p.outShape,
          w,
          preluActivationWeights.shape,
          "_FusedMatMul prelu weights",
        );
      }
    }
    activateInPlace(outView, activation, leakyAlpha, prelu);
    return out;
  };
}

/** The kernels {@link registerNativeMatmul} replaces. */
export const NATIVE_MATMUL_KERNELS = ["BatchMatMul", "_FusedMatMul"] as const;

/**
 * Replaces the wasm backend's `BatchMatMul` and `_FusedMatMul` with kernels
 * on the native BLAS of {@link nativeBlas}. Returns the library used (name
 * and path), or, changing nothing, the reason none is used (no library, no
 * `--allow-ffi`, `GAN_HARNESS_BLAS=off`, tfjs not on wasm). Call after
 * `tf.setBackend("wasm")` and `tf.ready()`. Never throws.
 */
export function registerNativeMatmul(): { blas: string } | { reason: string } {
  if (tf.getBackend() !== "wasm") {
    return { reason: `the active backend is ${tf.getBackend()}, not wasm` };
  }
  const status = blasStatus();
  if (!("blas" in status)) return { reason: status.reason };
  const { blas } = status;
  replaceWasmKernel("BatchMatMul", batchMatMulKernel(blas));
  replaceWasmKernel("_FusedMatMul", fusedMatMulKernel(blas));
  return { blas: `${blas.name} at ${blas.path}` };
}

/** Puts the shipped wasm matrix-product kernels back (for comparisons). */
export function unregisterNativeMatmul(): void {
  for (const k of NATIVE_MATMUL_KERNELS) restoreWasmKernel(k);
}

/** Whether the wasm matrix products currently run on native BLAS. */
export function nativeMatmulActive(): boolean {
  return NATIVE_MATMUL_KERNELS.every((k) => isWasmKernelReplaced(k));
}
