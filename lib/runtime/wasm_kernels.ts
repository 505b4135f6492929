/**
 * Every kernel this project registers for the tfjs wasm backend to make GAN
 * training fast, in one call (`initBackend` makes it):
 *
 * - matrix products on a native BLAS (`wasm_matmul.ts`), when one loads;
 * - `Sum` over adjacent axes without a transpose (`wasm_reduce.ts`; on the
 *   BLAS when there is one);
 * - `Tanh`, `LeakyRelu`, `Identity` and fused tanh / leakyRelu gradients
 *   (`wasm_elementwise.ts`);
 * - a fused Adam update (`fused_adam.ts`), used by `adamUpdate`;
 * - `SplitV` as block copies (`wasm_split.ts`; the maxout pooling splits).
 *
 * The convolution kernels of `wasm_conv.ts` are registered separately: the
 * wasm backend needs them to train convolutional nets at all.
 *
 * @module
 */
import { blasStatus } from "./blas.ts";
import { registerNativeMatmul, unregisterNativeMatmul } from "./wasm_matmul.ts";
import { registerWasmSumKernel, restoreWasmSumKernel } from "./wasm_reduce.ts";
import {
  registerWasmElementwiseKernels,
  restoreWasmElementwiseKernels,
} from "./wasm_elementwise.ts";
import { registerWasmAdamKernel, unregisterWasmAdamKernel } from "./fused_adam.ts";
import { registerWasmSplitKernel, restoreWasmSplitKernel } from "./wasm_split.ts";

/** Options of {@link registerWasmKernels}. */
export interface WasmKernelOptions {
  /** Matrix products (and sums) on a native BLAS when one loads (default true). */
  nativeBlas?: boolean;
  /** This project's faster kernels at all (default true); false restores the shipped ones. */
  fastKernels?: boolean;
}

/** What {@link registerWasmKernels} set up. */
export interface WasmKernelSetup {
  /** The native BLAS the matrix products run on (name and path), when one does. */
  blas?: string;
  /** One phrase for the backend's reason line, e.g. "matrix products on OpenBLAS ...". */
  note: string;
}

/**
 * Registers the kernels of the module doc for the wasm backend (call after
 * `tf.setBackend("wasm")` and `tf.ready()`); a missing BLAS only means the
 * shipped matrix products, said in the note. Never throws for a missing
 * library.
 */
export function registerWasmKernels(options: WasmKernelOptions = {}): WasmKernelSetup {
  if (options.fastKernels === false) {
    restoreShippedWasmKernels();
    return { note: "shipped wasm kernels (fast kernels turned off)" };
  }
  registerWasmElementwiseKernels();
  registerWasmAdamKernel();
  registerWasmSplitKernel();
  if (options.nativeBlas === false) {
    unregisterNativeMatmul();
    registerWasmSumKernel(null);
    return { note: "matrix products in wasm (native BLAS turned off)" };
  }
  const native = registerNativeMatmul();
  if ("blas" in native) {
    const status = blasStatus();
    registerWasmSumKernel("blas" in status ? status.blas : null);
    return { blas: native.blas, note: `matrix products on ${native.blas}` };
  }
  registerWasmSumKernel(null);
  return { note: `matrix products in wasm: ${native.reason}` };
}

/** Puts back every shipped wasm kernel {@link registerWasmKernels} replaced (for comparisons). */
export function restoreShippedWasmKernels(): void {
  unregisterNativeMatmul();
  restoreWasmSumKernel();
  restoreWasmElementwiseKernels();
  unregisterWasmAdamKernel();
  restoreWasmSplitKernel();
}
