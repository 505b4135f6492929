/**
 * Element-wise kernels for the tfjs wasm backend that run faster than the
 * shipped ones in an MLP-GAN step, on the WebAssembly SIMD loops of
 * `wasm_simd.ts` (JavaScript loops with the same float32 results where
 * those cannot load):
 *
 * - `Tanh`: the shipped kernel calls a scalar `tanh` (about 28 ns per
 *   element); this one evaluates Eigen's 13/6-degree rational approximation
 *   (a few float32 ulp on [-9, 9], +-1 outside), 4 lanes at a time.
 * - `LeakyRelu`: the shipped kernel branches on the sign of every element
 *   (mispredicted half the time on activations, about 10 ns per element);
 *   this one selects with a lane mask.
 * - `Identity`, and `Cast` to the dtype a tensor already has: share the
 *   input's memory (as the cpu backend does and as the wasm `Reshape` does)
 *   instead of copying it; tensors are immutable. `Cast` of numbers to
 *   bool gives x != 0 (the shipped kernel truncates: -1 became 255, 2.5
 *   became 2).
 * - The backward passes of `tanh` and `leakyRelu`, each one fused kernel
 *   (`GanHarnessTanhGrad`, `GanHarnessLeakyReluGrad`) instead of three to
 *   four generic ones (`Greater`, `Multiply`, `Select`; `Square`, `Sub`,
 *   `Multiply`), with the same float32 operations, so the same bits. Their
 *   gradient functions are registered for every backend but use the fused
 *   kernels only where one is registered (wasm); elsewhere they run the ops
 *   tfjs runs. The fused kernels have gradients of their own, so
 *   second-order gradients (WGAN-GP) still work.
 *
 * Every result is a fixed sequence of float32 operations: the same inputs
 * give the same bits on every run, with or without SIMD.
 *
 * @module
 */
import { tf } from "../deps.ts";
import {
  callKernel,
  f32View,
  heapOffset,
  isWasmKernelReplaced,
  replaceWasmKernel,
  restoreWasmKernel,
  shippedWasmKernel,
  sizeOf,
  type WasmBackend,
  type WasmKernelFunc,
} from "./wasm_kernel_util.ts";
import { type SimdLoops, simdLoops, tanhF32, type WasmHeapBackend } from "./wasm_simd.ts";

/** Name of the fused kernel for the gradient of tanh: dy * (1 - y^2). */
export const TANH_GRAD = "GanHarnessTanhGrad";
/** Name of the fused kernel for the gradient of leakyRelu: x > 0 ? dy : alpha * dy. */
export const LEAKY_RELU_GRAD = "GanHarnessLeakyReluGrad";

/** The shipped wasm kernels this module replaces. */
export const ELEMENTWISE_KERNELS = ["Tanh", "LeakyRelu", "Identity", "Cast"] as const;

const fr = Math.fround;

/** tanh of every element of `x` into `out`, as the SIMD loop computes it. */
export function tanhInto(x: Float32Array, out: Float32Array): void {
  for (let i = 0; i < x.length; i++) out[i] = tanhF32(x[i]);
}

/** leakyRelu of every element: x < 0 ? alpha * x : x, in float32. */
export function leakyReluInto(x: Float32Array, alpha: number, out: Float32Array): void {
  const a = fr(alpha);
  for (let i = 0; i < x.length; i++) {
    const v = x[i];
    out[i] = v < 0 ? fr(v * a) : v;
  }
}

/** The gradient of leakyRelu: x > 0 ? dy : alpha * dy (x = +-0 or NaN takes alpha, as tfjs). */
export function leakyReluGradInto(
  dy: Float32Array,
  x: Float32Array,
  alpha: number,
  out: Float32Array,
): void {
  const a = fr(alpha);
  for (let i = 0; i < dy.length; i++) out[i] = x[i] > 0 ? dy[i] : fr(dy[i] * a);
}

/** The gradient of tanh from its output: (1 - y^2) dy, float32 after each operation as tfjs. */
export function tanhGradInto(dy: Float32Array, y: Float32Array, out: Float32Array): void {
  for (let i = 0; i < dy.length; i++) {
    const v = y[i];
    out[i] = fr(fr(1 - fr(v * v)) * dy[i]);
  }
}

function loopsOf(backend: WasmBackend): SimdLoops | null {
  return simdLoops(backend as unknown as WasmHeapBackend);
}

function sameShape(a: tf.TensorInfo, b: tf.TensorInfo, kernel: string): void {
  if (a.shape.length !== b.shape.length || a.shape.some((d, i) => d !== b.shape[i])) {
    throw new Error(
      `${kernel}: inputs must have the same shape, got [${a.shape}] and [${b.shape}]`,
    );
  }
}

/** A float32 loop: on the SIMD loops with heap offsets, or in JavaScript on views. */
interface Loop {
  simd(loops: SimdLoops, ptrs: number[], n: number, attrs: tf.NamedAttrMap | undefined): void;
  js(views: Float32Array[], attrs: tf.NamedAttrMap | undefined): void;
}

function runLoop(
  backend: WasmBackend,
  kernel: string,
  ins: tf.TensorInfo[],
  out: tf.TensorInfo,
  loop: Loop,
  attrs: tf.NamedAttrMap | undefined,
): void {
  const n = sizeOf(out.shape);
  if (n === 0) return;
  const tensors = [...ins, out];
  const loops = loopsOf(backend);
  if (loops) {
    loop.simd(loops, tensors.map((t) => heapOffset(backend, t)), n, attrs);
  } else loop.js(tensors.map((t) => f32View(backend, t, kernel)), attrs);
}

function unary(kernel: string, fallback: tf.KernelConfig | undefined, loop: Loop): WasmKernelFunc {
  return (args) => {
    const { x } = args.inputs as { x: tf.TensorInfo };
    if (x.dtype !== "float32") {
      if (!fallback) throw new Error(`${kernel}: float32 input expected, got ${x.dtype}`);
      return callKernel(fallback, args);
    }
    const out = args.backend.makeOutput(x.shape, "float32");
    runLoop(args.backend, kernel, [x], out, loop, args.attrs);
    return out;
  };
}

function binary(kernel: string, names: [string, string], loop: Loop): WasmKernelFunc {
  return ({ inputs, backend, attrs }) => {
    const a = inputs[names[0]] as tf.TensorInfo;
    const b = inputs[names[1]] as tf.TensorInfo;
    sameShape(a, b, kernel);
    for (const t of [a, b]) {
      if (t.dtype !== "float32") {
        throw new Error(`${kernel}: float32 inputs expected, got ${t.dtype}`);
      }
    }
    const out = backend.makeOutput(a.shape, "float32");
    runLoop(backend, kernel, [a, b], out, loop, attrs);
    return out;
  };
}

const alphaOf = (attrs: tf.NamedAttrMap | undefined) => (attrs?.alpha as number | undefined) ?? 0.2;

const TANH: Loop = {
  simd: (l, [x, out], n) => l.tanh(x, out, n),
  js: ([x, out]) => tanhInto(x, out),
};
const LEAKY: Loop = {
  simd: (l, [x, out], n, attrs) => l.leakyRelu(x, out, n, alphaOf(attrs)),
  js: ([x, out], attrs) => leakyReluInto(x, alphaOf(attrs), out),
};
const TANH_GRAD_LOOP: Loop = {
  simd: (l, [dy, y, out], n) => l.tanhGrad(dy, y, out, n),
  js: ([dy, y, out]) => tanhGradInto(dy, y, out),
};
const LEAKY_GRAD_LOOP: Loop = {
  simd: (l, [dy, x, out], n, attrs) => l.leakyReluGrad(dy, x, out, n, alphaOf(attrs)),
  js: ([dy, x, out], attrs) => leakyReluGradInto(dy, x, alphaOf(attrs), out),
};

function identityKernel(fallback: tf.KernelConfig | undefined, cast = false): WasmKernelFunc {
  return (args) => {
    const { x } = args.inputs as { x: tf.TensorInfo };
    const dtype = (args.attrs as { dtype?: string } | undefined)?.dtype;
    const converts = cast && dtype !== x.dtype;
    if (converts && dtype === "bool" && (x.dtype === "float32" || x.dtype === "int32")) {
      const out = args.backend.makeOutput(x.shape, "bool");
      const src = args.backend.typedArrayFromHeap(x);
      const dst = args.backend.typedArrayFromHeap(out);
      for (let i = 0; i < src.length; i++) dst[i] = src[i] !== 0 ? 1 : 0;
      return out;
    }
    if ((converts || x.dtype === "string") && fallback) return callKernel(fallback, args);
    args.backend.incRef(x.dataId);
    return { dataId: x.dataId, shape: x.shape, dtype: x.dtype };
  };
}

/** dy * (1 - y^2), fused on wasm (see the module doc). */
export function tanhGrad(dy: tf.Tensor, y: tf.Tensor): tf.Tensor {
  if (tf.getBackend() === "wasm" && tf.getKernel(TANH_GRAD, "wasm") && dy.dtype === "float32") {
    return tf.engine().runKernel(TANH_GRAD, { dy, y }) as tf.Tensor;
  }
  return tf.mul(tf.sub(tf.scalar(1), tf.square(y)), dy);
}

/** x > 0 ? dy : alpha * dy, fused on wasm (see the module doc). */
export function leakyReluGrad(dy: tf.Tensor, x: tf.Tensor, alpha: number): tf.Tensor {
  if (
    tf.getBackend() === "wasm" && tf.getKernel(LEAKY_RELU_GRAD, "wasm") && dy.dtype === "float32"
  ) {
    return tf.engine().runKernel(LEAKY_RELU_GRAD, { dy, x }, { alpha }) as tf.Tensor;
  }
  return tf.where(tf.greater(x, 0), dy, tf.mul(dy, alpha));
}

let gradientsRegistered = false;

/**
 * Registers the gradients of `Tanh` and `LeakyRelu` that use the fused
 * kernels where registered (they compute what tfjs's own do), and the
 * gradients of the fused kernels. Idempotent; safe on every backend.
 */
export function registerFusedActivationGradients(): void {
  if (gradientsRegistered) return;
  gradientsRegistered = true;
  tf.registerGradient({
    kernelName: "Tanh",
    outputsToSave: [true],
    gradFunc: (dy, saved) => {
      const [y] = saved;
      return { x: () => tanhGrad(dy as tf.Tensor, y) };
    },
  });
  tf.registerGradient({
    kernelName: "LeakyRelu",
    inputsToSave: ["x"],
    gradFunc: (dy, saved, attrs) => {
      const [x] = saved;
      const alpha = (attrs as { alpha: number }).alpha;
      return { x: () => leakyReluGrad(dy as tf.Tensor, x, alpha) };
    },
  });
  tf.registerGradient({
    kernelName: TANH_GRAD,
    inputsToSave: ["dy", "y"],
    gradFunc: (g, saved) => {
      const [dy, y] = saved;
      return {
        dy: () => tanhGrad(g as tf.Tensor, y),
        y: () => tf.mul(g as tf.Tensor, tf.mul(dy, tf.mul(-2, y))),
      };
    },
  });
  tf.registerGradient({
    kernelName: LEAKY_RELU_GRAD,
    inputsToSave: ["dy", "x"],
    gradFunc: (g, saved, attrs) => {
      const [, x] = saved;
      const alpha = (attrs as { alpha: number }).alpha;
      return {
        dy: () => leakyReluGrad(g as tf.Tensor, x, alpha),
        x: () => tf.zerosLike(x),
      };
    },
  });
}

/**
 * Registers this module's wasm kernels (replacing the shipped `Tanh`,
 * `LeakyRelu` and `Identity`; adding the two fused gradient kernels) and the
 * gradients that use them. Call after `tf.ready()` on the wasm backend.
 */
export function registerWasmElementwiseKernels(): void {
  replaceWasmKernel("Tanh", unary("Tanh", shippedWasmKernel("Tanh"), TANH));
  replaceWasmKernel("LeakyRelu", unary("LeakyRelu", shippedWasmKernel("LeakyRelu"), LEAKY));
  replaceWasmKernel("Identity", identityKernel(shippedWasmKernel("Identity")));
  replaceWasmKernel("Cast", identityKernel(shippedWasmKernel("Cast"), true));
  replaceWasmKernel(TANH_GRAD, binary(TANH_GRAD, ["dy", "y"], TANH_GRAD_LOOP));
  replaceWasmKernel(LEAKY_RELU_GRAD, binary(LEAKY_RELU_GRAD, ["dy", "x"], LEAKY_GRAD_LOOP));
  registerFusedActivationGradients();
}

/** Puts back the shipped wasm kernels and removes the fused gradient kernels (for comparisons). */
export function restoreWasmElementwiseKernels(): void {
  for (const k of ELEMENTWISE_KERNELS) restoreWasmKernel(k);
  for (const k of [TANH_GRAD, LEAKY_RELU_GRAD]) {
    if (tf.getKernel(k, "wasm")) tf.unregisterKernel(k, "wasm");
  }
}

/** Whether this module's kernels are registered. */
export function wasmElementwiseActive(): boolean {
  return tf.getKernel(TANH_GRAD, "wasm") !== undefined &&
    ELEMENTWISE_KERNELS.every((k) => isWasmKernelReplaced(k));
}
