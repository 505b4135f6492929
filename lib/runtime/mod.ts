/**
 * tfjs backend choice (with native BLAS and the harness's own kernels
 * under wasm) and seeded random numbers.
 *
 * @module
 */
export * from "./backend.ts";
export * from "./rng.ts";
export * from "./gradients.ts";
export { BLAS_ENV, blasStatus, nativeBlas } from "./blas.ts";
export { registerWasmKernels } from "./wasm_kernels.ts";
