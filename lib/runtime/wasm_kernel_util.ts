/**
 * Shared pieces of the kernels this project re-registers for the tfjs wasm
 * backend: the part of the backend they use, and replacing a shipped kernel
 * (remembering it, so it can be put back for comparisons).
 *
 * Rules every such kernel follows: allocate outputs with `makeOutput` first,
 * then take views of the wasm heap with `typedArrayFromHeap` (an allocation
 * can grow the heap and detach older views), and never keep a view after the
 * kernel returns.
 *
 * @module
 */
import { tf } from "../deps.ts";

/** The tensor data the wasm backend keeps per data id. */
export interface WasmTensorData {
  id: number;
  memoryOffset: number;
  shape: number[];
  dtype: tf.DataType;
  refCount: number;
}

/** The part of the tfjs wasm backend (`BackendWasm`) these kernels use. */
export interface WasmBackend {
  /** Allocates an output tensor on the wasm heap (contents undefined). */
  makeOutput(shape: number[], dtype: tf.DataType): tf.TensorInfo;
  /** A view of a tensor's memory on the wasm heap (valid until the next allocation). */
  typedArrayFromHeap(t: tf.TensorInfo): Float32Array | Int32Array | Uint8Array;
  /** Drops one reference to a tensor's data (frees it at zero). */
  disposeData(dataId: object, force?: boolean): boolean;
  /** Adds a reference to a tensor's data (outputs that alias an input). */
  incRef(dataId: object): void;
  /** Per-tensor bookkeeping, keyed by data id. */
  dataIdMap: { get(dataId: object): WasmTensorData | undefined };
}

/** A kernel function for the wasm backend. */
export type WasmKernelFunc = (args: {
  inputs: tf.NamedTensorInfoMap;
  backend: WasmBackend;
  attrs?: tf.NamedAttrMap;
}) => tf.TensorInfo | tf.TensorInfo[];

const shipped = new Map<string, tf.KernelConfig>();

/** The wasm backend instance; throws when tfjs is not on wasm. */
export function wasmBackend(): WasmBackend {
  if (tf.getBackend() !== "wasm") {
    throw new Error(
      `wasm kernels: the active tfjs backend is "${tf.getBackend()}", not wasm; call initBackend("wasm") first`,
    );
  }
  return tf.backend() as unknown as WasmBackend;
}

/**
 * Replaces the wasm backend's kernel `kernelName` with `kernelFunc`,
 * remembering the shipped one the first time (see {@link restoreWasmKernel}).
 * Call after `tf.ready()` on the wasm backend.
 */
export function replaceWasmKernel(kernelName: string, kernelFunc: WasmKernelFunc): void {
  const current = tf.getKernel(kernelName, "wasm");
  if (current && !shipped.has(kernelName)) shipped.set(kernelName, current);
  if (current) tf.unregisterKernel(kernelName, "wasm");
  tf.registerKernel({
    kernelName,
    backendName: "wasm",
    kernelFunc: kernelFunc as unknown as tf.KernelFunc,
  });
}

/** Puts back the shipped wasm kernel `kernelName` if it was replaced; returns whether it was. */
export function restoreWasmKernel(kernelName: string): boolean {
  const original = shipped.get(kernelName);
  if (!original) return false;
  if (tf.getKernel(kernelName, "wasm")) tf.unregisterKernel(kernelName, "wasm");
  tf.registerKernel(original);
  shipped.delete(kernelName);
  return true;
}

/**
 * The shipped wasm kernel `kernelName` (the one {@link replaceWasmKernel}
 * replaced, or the one registered now if it was not replaced); undefined
 * when there is none. Replacements use it for inputs they do not handle.
 */
export function shippedWasmKernel(kernelName: string): tf.KernelConfig | undefined {
  return shipped.get(kernelName) ?? tf.getKernel(kernelName, "wasm");
}

/** Calls a kernel config's function with the arguments of a wasm kernel. */
export function callKernel(
  config: tf.KernelConfig,
  args: Parameters<WasmKernelFunc>[0],
): tf.TensorInfo | tf.TensorInfo[] {
  return (config.kernelFunc as unknown as WasmKernelFunc)(args);
}

/** Whether `kernelName` currently runs a replacement from this project. */
export function isWasmKernelReplaced(kernelName: string): boolean {
  return shipped.has(kernelName);
}

/** Float32 view of a tensor on the wasm heap; throws for other dtypes. */
export function f32View(backend: WasmBackend, t: tf.TensorInfo, what: string): Float32Array {
  if (t.dtype !== "float32") {
    throw new Error(`${what}: expected a float32 tensor, got ${t.dtype}`);
  }
  return backend.typedArrayFromHeap(t) as Float32Array;
}

/** Byte offset of a tensor's data on the wasm heap. */
export function heapOffset(backend: WasmBackend, t: tf.TensorInfo): number {
  const data = backend.dataIdMap.get(t.dataId);
  if (!data) throw new Error("wasm kernel: a tensor's data is not on the wasm backend");
  return data.memoryOffset;
}

/** Number of elements of a shape. */
export function sizeOf(shape: readonly number[]): number {
  let n = 1;
  for (const d of shape) n *= d;
  return n;
}
