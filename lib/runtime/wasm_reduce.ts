/**
 * `Sum` and `Mean` kernels for the tfjs wasm backend. The shipped kernels
 * first transpose the input so the reduced axes come last, which for the
 * bias gradients of a dense layer (a `[batch, width]` sum over the batch) or
 * batch-norm statistics (a mean over every axis but the channels) costs
 * more than the reduction itself. These reduce any run of adjacent axes in
 * place: with a native BLAS as a matrix-vector product with a vector of
 * ones (`cblas_sgemv`), without one in JavaScript with float64 accumulators
 * (as the cpu backend does); a mean is the float32 sum divided by the count.
 * Other axis sets and non-float32 inputs go to the shipped kernels.
 *
 * @module
 */
import { tf } from "../deps.ts";
import type { Blas } from "./blas.ts";
import {
  callKernel,
  f32View,
  replaceWasmKernel,
  restoreWasmKernel,
  shippedWasmKernel,
  sizeOf,
  type WasmKernelFunc,
} from "./wasm_kernel_util.ts";

let ones = new Float32Array(0);

function onesOf(n: number): Float32Array {
  if (ones.length < n) ones = new Float32Array(Math.max(n, 2 * ones.length)).fill(1);
  return ones.subarray(0, n);
}

/** How a sum over adjacent axes splits a shape: [outer, reduced, inner] element counts. */
export interface SumSplit {
  outer: number;
  reduce: number;
  inner: number;
  outShape: number[];
}

/**
 * The split of `shape` for a sum over `axis` (tfjs axis parameter: a number,
 * a list, negative counts from the end, undefined for all), or null when the
 * reduced axes are not adjacent or empty.
 */
export function sumSplit(
  shape: number[],
  axis: number | number[] | undefined,
  keepDims: boolean,
): SumSplit | null {
  const axes = [...new Set(tf.util.parseAxisParam(axis ?? shape.map((_, i) => i), shape))].sort((
    a,
    b,
  ) => a - b);
  if (axes.length === 0) return null;
  for (let i = 1; i < axes.length; i++) if (axes[i] !== axes[0] + i) return null;
  const first = axes[0];
  const last = axes[axes.length - 1];
  const outShape = keepDims
    ? shape.map((d, i) => (i >= first && i <= last ? 1 : d))
    : shape.filter((_, i) => i < first || i > last);
  return {
    outer: sizeOf(shape.slice(0, first)),
    reduce: sizeOf(shape.slice(first, last + 1)),
    inner: sizeOf(shape.slice(last + 1)),
    outShape,
  };
}

/** Sums `x` (outer x reduce x inner, row-major) over the middle into `out` (outer x inner). */
export function sumInto(
  x: Float32Array,
  split: SumSplit,
  out: Float32Array,
  blas: Blas | null,
): void {
  const { outer, reduce, inner } = split;
  if (reduce === 0) {
    out.fill(0);
    return;
  }
  if (blas) {
    const v = onesOf(reduce);
    if (inner === 1) {
      blas.sgemv(false, outer, reduce, 1, x, reduce, v, 1, 0, out, 1);
      return;
    }
    for (let o = 0; o < outer; o++) {
      blas.sgemv(
        true,
        reduce,
        inner,
        1,
        x.subarray(o * reduce * inner),
        inner,
        v,
        1,
        0,
        out.subarray(o * inner),
        1,
      );
    }
    return;
  }
  if (inner === 1) {
    for (let o = 0; o < outer; o++) {
      let s = 0;
      const base = o * reduce;
      for (let r = 0; r < reduce; r++) s += x[base + r];
      out[o] = s;
    }
    return;
  }
  const acc = new Float64Array(inner);
  for (let o = 0; o < outer; o++) {
    acc.fill(0);
    let base = o * reduce * inner;
    for (let r = 0; r < reduce; r++, base += inner) {
      for (let j = 0; j < inner; j++) acc[j] += x[base + j];
    }
    out.set(acc, o * inner);
  }
}

/**
 * The `Sum` (or with `mean`, `Mean`) kernel: adjacent axes of float32
 * inputs here, the rest by the shipped kernel.
 */
export function sumKernel(
  blas: Blas | null,
  fallback: tf.KernelConfig | undefined,
  mean = false,
): WasmKernelFunc {
  const name = mean ? "Mean" : "Sum";
  return (args) => {
    const { x } = args.inputs as { x: tf.TensorInfo };
    const attrs = args.attrs as { axis?: number | number[]; keepDims?: boolean } | undefined;
    const split = x.dtype === "float32"
      ? sumSplit(x.shape, attrs?.axis, attrs?.keepDims ?? false)
      : null;
    if (!split) {
      if (!fallback) {
        throw new Error(`${name}: no kernel for dtype ${x.dtype} and axis ${attrs?.axis}`);
      }
      return callKernel(fallback, args);
    }
    const out = args.backend.makeOutput(split.outShape, "float32");
    if (sizeOf(split.outShape) === 0) return out;
    const outView = f32View(args.backend, out, name);
    sumInto(f32View(args.backend, x, name), split, outView, blas);
    if (mean && split.reduce > 0) {
      // (An empty mean stays 0, as on the cpu backend.)
      const n = split.reduce;
      for (let i = 0; i < outView.length; i++) outView[i] = outView[i] / n;
    }
    return out;
  };
}

/** Replaces the wasm backend's `Sum` and `Mean` (on `blas` when given, else in JavaScript). */
export function registerWasmSumKernel(blas: Blas | null): void {
  replaceWasmKernel("Sum", sumKernel(blas, shippedWasmKernel("Sum")));
  replaceWasmKernel("Mean", sumKernel(blas, shippedWasmKernel("Mean"), true));
}

/** Puts the shipped wasm `Sum` and `Mean` back. */
export function restoreWasmSumKernel(): void {
  restoreWasmKernel("Sum");
  restoreWasmKernel("Mean");
}
