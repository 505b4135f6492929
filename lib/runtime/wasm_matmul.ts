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
import { tf } from "../deps.ts";
import { type Blas, blasStatus } from "./blas.ts";
import { broadcastOffsets, plan, runProduct } from "./matmul_plan.ts";
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
  for (let i = srcShape.length - 1, j = rank - 1; i >= 0; i--, j--) {
    if (srcShape[i] !== 1 && srcShape[i] !== outShape[j]) {
      throw new Error(`${what}: shape [${srcShape}] does not broadcast to [${outShape}]`);
    }
  }
  const last = outShape[rank - 1];
  if (src.length === last && srcShape.length > 0 && srcShape[srcShape.length - 1] !== 1) {
    // A row vector: copy it into every row.
    for (let off = 0; off < total; off += last) target.set(src, off);
    return;
  }
  const offsets = broadcastOffsets(outShape, srcShape, 1);
  for (let i = 0; i < total; i++) target[i] = src[offsets[i]];
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

/**
 * A matrix-product kernel on `blas`: `BatchMatMul`, or `_FusedMatMul` (the
 * same product, then a bias and an activation when the call has them).
 */
function matMulKernel(blas: Blas, kernel: "BatchMatMul" | "_FusedMatMul"): WasmKernelFunc {
  const fused = kernel === "_FusedMatMul";
  return ({ inputs, backend, attrs }) => {
    const { a, b } = inputs as { a: tf.TensorInfo; b: tf.TensorInfo };
    // BatchMatMul has no bias and no activation.
    const { bias, preluActivationWeights } = (fused ? inputs : {}) as {
      bias?: tf.TensorInfo;
      preluActivationWeights?: tf.TensorInfo;
    };
    const transA = Boolean(attrs?.transposeA);
    const transB = Boolean(attrs?.transposeB);
    const activation = ((fused ? attrs?.activation : undefined) ?? "linear") as FusedActivation;
    if (!(FUSED_ACTIVATIONS as readonly string[]).includes(activation)) {
      throw new Error(
        `_FusedMatMul: activation "${activation}" is not supported; expected one of ${
          FUSED_ACTIVATIONS.join(", ")
        }`,
      );
    }
    const leakyAlpha = (attrs?.leakyreluAlpha as number | undefined) ?? 0.2;
    checkFloat(a, kernel, "a");
    checkFloat(b, kernel, "b");
    if (bias) checkFloat(bias, kernel, "bias");
    if (preluActivationWeights) checkFloat(preluActivationWeights, kernel, "prelu weights");
    const p = plan(a.shape, b.shape, transA, transB, kernel);
    const out = backend.makeOutput(p.outShape, "float32");
    const total = sizeOf(p.outShape);
    if (total === 0) return out;
    // Views only now: makeOutput may have grown the heap.
    const outView = f32View(backend, out, kernel);
    if (bias) {
      broadcastInto(
        outView,
        p.outShape,
        f32View(backend, bias, kernel),
        bias.shape,
        `${kernel} bias`,
      );
    } else if (p.k === 0) {
      outView.fill(0);
    }
    if (p.k > 0) {
      const [aView, bView] = [a, b].map((t) => f32View(backend, t, kernel));
      runProduct(blas, p, aView, bView, outView, bias ? 1 : 0);
    }
    let prelu: Float32Array | null = null;
    if (activation === "prelu") {
      if (!preluActivationWeights) {
        throw new Error("_FusedMatMul: activation prelu needs preluActivationWeights");
      }
      const w = f32View(backend, preluActivationWeights, kernel);
      if (w.length === total) prelu = w;
      else {
        prelu = new Float32Array(total);
        broadcastInto(
          prelu,
          p.outShape,
          w,
          preluActivationWeights.shape,
          `${kernel} prelu weights`,
        );
      }
    }
    activateInPlace(outView, activation, leakyAlpha, prelu);
    return out;
  };
}

/** The `BatchMatMul` kernel on `blas`. */
export function batchMatMulKernel(blas: Blas): WasmKernelFunc {
  return matMulKernel(blas, "BatchMatMul");
}

/** The `_FusedMatMul` kernel (product, bias, activation) on `blas`. */
export function fusedMatMulKernel(blas: Blas): WasmKernelFunc {
  return matMulKernel(blas, "_FusedMatMul");
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
