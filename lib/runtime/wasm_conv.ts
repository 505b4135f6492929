/**
 * Convolution kernels for the tfjs `wasm` backend built on its matrix product.
 *
 * tfjs-backend-wasm 4.22 ships no `Conv2DBackpropFilter` kernel, so a
 * convolutional discriminator cannot train on it, and its
 * `Conv2DBackpropInput` (the forward pass of `conv2dTranspose`) is a direct
 * loop that runs at about 2 GFLOP/s. This module registers, for the `wasm`
 * backend only, three kernels written as im2col plus one matrix product:
 *
 * - `Conv2D`: `y[M, N] = cols[M, K] @ W[K, N]`, with `cols` the im2col
 *   patches of `x` (M = batch * outH * outW, K = fH * fW * inC, N = outC).
 * - `Conv2DBackpropFilter`: `dW[K, N] = transpose(dyT[N, M] @ cols[M, K])`.
 *   Building `cols` row by row is a run of contiguous copies; transposing `dy`
 *   and the small result costs far less than building a transposed `cols`.
 * - `Conv2DBackpropInput`: `dcols[M, K] = dy[M, N] @ WT[N, K]`, then col2im
 *   adds each patch back into `dx`.
 *
 * Every product goes through the `BatchMatMul` kernel registered for `wasm`
 * at the time of the call (looked up with `tf.getKernel`), so a faster
 * `BatchMatMul` registered later (native BLAS) speeds these kernels up too.
 * Operands are never passed transposed: the shipped wasm product runs
 * transposed operands 10-20x slower than plain ones.
 *
 * Work stays on the wasm heap: buffers come from `backend.makeOutput`, views
 * are taken only after the last allocation of a step (allocation can grow the
 * heap and detach older views) and never kept between calls, and every
 * intermediate is released with `backend.disposeData`. Large batches are
 * processed in chunks of images so that the patch matrix stays under
 * {@link WasmConvOptions.maxColsElements} floats.
 *
 * Only NHWC (`channelsLast`) float32 data is supported; NCHW is an error that
 * says so.
 *
 * @module
 */
// deps.ts loads @tensorflow/tfjs-backend-wasm, for its side effect too: the
// shipped wasm kernels must be registered before ours replace them, or the
// package's own registration would later overwrite ours.
import { type BackendWasm, tf } from "../deps.ts";
import { PatchMatrix, transpose } from "./im2col.ts";
import { convAttrs, type Geometry, geometry, requireShape } from "./conv_geometry.ts";

/** The kernels this module can register for the `wasm` backend. */
export const WASM_CONV_KERNELS = [
  "Conv2D",
  "Conv2DBackpropInput",
  "Conv2DBackpropFilter",
] as const;

/** The name of one kernel of {@link WASM_CONV_KERNELS}. */
export type WasmConvKernelName = typeof WASM_CONV_KERNELS[number];

/** Options of {@link registerWasmConvKernels}. */
export interface WasmConvOptions {
  /** Which kernels to register (default: all of {@link WASM_CONV_KERNELS}). */
  kernels?: readonly WasmConvKernelName[];
  /**
   * The largest patch matrix, in floats, built at once (default 2^23, 32 MiB);
   * a larger batch is processed in chunks of whole images. Applies to every
   * kernel of this module from this call on.
   */
  maxColsElements?: number;
}

/** Default patch-matrix budget: 2^23 floats (32 MiB). */
export const DEFAULT_MAX_COLS_ELEMENTS = 1 << 23;

const BACKEND = "wasm";
let maxColsElements = DEFAULT_MAX_COLS_ELEMENTS;
/** The shipped kernels our registration replaced, to restore them. */
const shipped = new Map<WasmConvKernelName, tf.KernelConfig>();

/** The whole wasm heap as floats, and the float offset of each tensor. */
function heapOffsets(backend: BackendWasm, infos: tf.TensorInfo[]): [Float32Array, ...number[]] {
  let heap: Float32Array | null = null;
  const offsets: number[] = [];
  for (const info of infos) {
    const view = backend.typedArrayFromHeap(info);
    heap ??= new Float32Array(view.buffer);
    offsets.push(view.byteOffset >> 2);
  }
  return [heap as Float32Array, ...offsets];
}

/** Calls the `BatchMatMul` kernel registered for wasm now: a[m, k] @ b[k, n]. */
function matMul(backend: BackendWasm, a: tf.TensorInfo, b: tf.TensorInfo): tf.TensorInfo {
  const kernel = tf.getKernel("BatchMatMul", BACKEND);
  if (kernel === undefined) {
    throw new Error("wasm convolution kernels: no BatchMatMul kernel is registered for wasm");
  }
  const out = kernel.kernelFunc({
    inputs: { a, b },
    backend,
    attrs: { transposeA: false, transposeB: false },
  });
  return Array.isArray(out) ? out[0] : out;
}

/** A view of an existing tensor under another shape of the same size. */
function as(info: tf.TensorInfo, shape: number[]): tf.TensorInfo {
  return { dataId: info.dataId, shape, dtype: info.dtype };
}

/** Number of whole images per chunk so that the patch matrix fits the budget. */
function imagesPerChunk(g: Geometry): number {
  return Math.max(1, Math.min(g.batch, Math.floor(maxColsElements / (g.k * g.pixels))));
}

interface KernelArgs {
  inputs: tf.NamedTensorInfoMap;
  backend: unknown;
  attrs?: tf.NamedAttrMap;
}

/** The two inputs `names` of a kernel call; throws, naming the kernel, when one is missing or not float32. */
function float32Inputs(
  kernel: WasmConvKernelName,
  args: KernelArgs,
  names: [string, string],
): [tf.TensorInfo, tf.TensorInfo] {
  const inputs = names.map((name) => {
    const t = args.inputs[name];
    if (t === undefined) throw new Error(`wasm ${kernel}: missing input "${name}"`);
    return t;
  });
  inputs.forEach((t, i) => {
    if (t.dtype !== "float32") {
      throw new Error(`wasm ${kernel}: ${names[i]} must be float32, got ${t.dtype}`);
    }
  });
  return inputs as [tf.TensorInfo, tf.TensorInfo];
}

/**
 * The geometry of a gradient kernel's convolution (input shape `xShape`,
 * filter shape `filterShape`), whose `dy` must have the convolution's output shape.
 */
function gradientGeometry(
  kernel: WasmConvKernelName,
  args: KernelArgs,
  xShape: number[],
  filterShape: number[],
  dy: tf.TensorInfo,
): Geometry {
  const g = geometry(kernel, xShape, filterShape, convAttrs(args.attrs));
  requireShape(kernel, "dy", dy.shape, [g.batch, g.outH, g.outW, g.outC]);
  return g;
}

/** `Conv2D`: y = im2col(x) @ filter. */
function conv2D(args: KernelArgs): tf.TensorInfo {
  const name = "Conv2D";
  const backend = args.backend as BackendWasm;
  const [x, filter] = float32Inputs(name, args, ["x", "filter"]);
  const g = geometry(name, x.shape, filter.shape, convAttrs(args.attrs));
  const outShape = [g.batch, g.outH, g.outW, g.outC];
  const w = as(filter, [g.k, g.outC]);
  if (g.batch * g.pixels === 0 || g.k === 0) return zeros(backend, outShape);
  if (g.pointwise) return as(matMul(backend, as(x, [g.batch * g.pixels, g.k]), w), outShape);
  const patches = new PatchMatrix(g);
  const per = imagesPerChunk(g);
  if (per >= g.batch) {
    const cols = backend.makeOutput([g.batch * g.pixels, g.k], "float32");
    const [heap, xOff, colsOff] = heapOffsets(backend, [x, cols]);
    patches.write(heap, xOff, colsOff, 0, g.batch);
    const y = matMul(backend, cols, w);
    backend.disposeData(cols.dataId);
    return as(y, outShape);
  }
  const out = backend.makeOutput(outShape, "float32");
  for (let b0 = 0; b0 < g.batch; b0 += per) {
    const nb = Math.min(per, g.batch - b0);
    const cols = backend.makeOutput([nb * g.pixels, g.k], "float32");
    {
      const [heap, xOff, colsOff] = heapOffsets(backend, [x, cols]);
      patches.write(heap, xOff, colsOff, b0, nb);
    }
    const part = matMul(backend, cols, w);
    const [heap, partOff, outOff] = heapOffsets(backend, [part, out]);
    const n = nb * g.pixels * g.outC;
    heap.copyWithin(outOff + b0 * g.pixels * g.outC, partOff, partOff + n);
    backend.disposeData(cols.dataId);
    backend.disposeData(part.dataId);
  }
  return out;
}

/** `Conv2DBackpropFilter`: dW = transpose(transpose(dy) @ im2col(x)). */
function conv2DBackpropFilter(args: KernelArgs): tf.TensorInfo {
  const name = "Conv2DBackpropFilter";
  const backend = args.backend as BackendWasm;
  const [x, dy] = float32Inputs(name, args, ["x", "dy"]);
  const filterShape = (args.attrs?.filterShape ?? []) as number[];
  const g = gradientGeometry(name, args, x.shape, filterShape, dy);
  const n = g.outC;
  if (g.batch * g.pixels === 0 || g.k * n === 0) return zeros(backend, filterShape);
  const per = g.pointwise ? g.batch : imagesPerChunk(g);
  const patches = g.pointwise ? null : new PatchMatrix(g);
  let acc: tf.TensorInfo | null = null;
  for (let b0 = 0; b0 < g.batch; b0 += per) {
    const nb = Math.min(per, g.batch - b0);
    const m = nb * g.pixels;
    const cols = g.pointwise ? as(x, [m, g.k]) : backend.makeOutput([m, g.k], "float32");
    const dyT = backend.makeOutput([n, m], "float32");
    {
      const [heap, xOff, dyOff, colsOff, dyTOff] = heapOffsets(backend, [x, dy, cols, dyT]);
      patches?.write(heap, xOff, colsOff, b0, nb);
      transpose(heap, dyOff + b0 * g.pixels * n, m, n, dyTOff);
    }
    const part = matMul(backend, dyT, cols); // [n, k]
    if (!g.pointwise) backend.disposeData(cols.dataId);
    backend.disposeData(dyT.dataId);
    if (acc === null) {
      acc = part;
    } else {
      const [heap, accOff, partOff] = heapOffsets(backend, [acc, part]);
      for (let i = 0, len = n * g.k; i < len; i++) heap[accOff + i] += heap[partOff + i];
      backend.disposeData(part.dataId);
    }
  }
  const out = backend.makeOutput(filterShape, "float32");
  const [heap, accOff, outOff] = heapOffsets(backend, [acc as tf.TensorInfo, out]);
  transpose(heap, accOff, n, g.k, outOff);
  backend.disposeData((acc as tf.TensorInfo).dataId);
  return out;
}

/** `Conv2DBackpropInput`: dx = col2im(dy @ transpose(filter)). */
function conv2DBackpropInput(args: KernelArgs): tf.TensorInfo {
  const name = "Conv2DBackpropInput";
  const backend = args.backend as BackendWasm;
  const [dy, filter] = float32Inputs(name, args, ["dy", "filter"]);
  const inputShape = (args.attrs?.inputShape ?? []) as number[];
  const g = gradientGeometry(name, args, inputShape, filter.shape, dy);
  const n = g.outC;
  if (g.batch * g.inH * g.inW * g.inC === 0) return zeros(backend, inputShape);
  if (g.batch * g.pixels === 0 || n === 0) return zeros(backend, inputShape);
  const wT = backend.makeOutput([n, g.k], "float32");
  {
    const [heap, wOff, wTOff] = heapOffsets(backend, [filter, wT]);
    transpose(heap, wOff, g.k, n, wTOff);
  }
  if (g.pointwise) {
    const dx = matMul(backend, as(dy, [g.batch * g.pixels, n]), wT);
    backend.disposeData(wT.dataId);
    return as(dx, inputShape);
  }
  const dx = backend.makeOutput(inputShape, "float32");
  {
    const [heap, dxOff] = heapOffsets(backend, [dx]);
    heap.fill(0, dxOff, dxOff + g.batch * g.inH * g.inW * g.inC);
  }
  const patches = new PatchMatrix(g);
  const per = imagesPerChunk(g);
  for (let b0 = 0; b0 < g.batch; b0 += per) {
    const nb = Math.min(per, g.batch - b0);
    const m = nb * g.pixels;
    let dyChunk: tf.TensorInfo;
    if (nb === g.batch) {
      dyChunk = as(dy, [m, n]);
    } else {
      dyChunk = backend.makeOutput([m, n], "float32");
      const [heap, dyOff, chunkOff] = heapOffsets(backend, [dy, dyChunk]);
      const from = dyOff + b0 * g.pixels * n;
      heap.copyWithin(chunkOff, from, from + m * n);
    }
    const dcols = matMul(backend, dyChunk, wT); // [m, k]
    if (nb !== g.batch) backend.disposeData(dyChunk.dataId);
    const [heap, colsOff, dxOff] = heapOffsets(backend, [dcols, dx]);
    patches.addBack(heap, colsOff, dxOff, b0, nb);
    backend.disposeData(dcols.dataId);
  }
  backend.disposeData(wT.dataId);
  return dx;
}

function zeros(backend: BackendWasm, shape: number[]): tf.TensorInfo {
  const out = backend.makeOutput(shape, "float32");
  const size = shape.reduce((p, d) => p * d, 1);
  if (size > 0) backend.typedArrayFromHeap(out).fill(0);
  return out;
}

const KERNEL_FUNCS: Record<WasmConvKernelName, tf.KernelFunc> = {
  Conv2D: conv2D as unknown as tf.KernelFunc,
  Conv2DBackpropInput: conv2DBackpropInput as unknown as tf.KernelFunc,
  Conv2DBackpropFilter: conv2DBackpropFilter as unknown as tf.KernelFunc,
};

function checkNames(kernels: readonly string[], caller: string): WasmConvKernelName[] {
  for (const k of kernels) {
    if (!(WASM_CONV_KERNELS as readonly string[]).includes(k)) {
      throw new Error(
        `${caller}: unknown kernel "${k}"; accepted: ${WASM_CONV_KERNELS.join(", ")}`,
      );
    }
  }
  return kernels as WasmConvKernelName[];
}

/**
 * Registers the im2col + matrix-product convolution kernels for the `wasm`
 * backend (by default `Conv2D`, `Conv2DBackpropInput` and
 * `Conv2DBackpropFilter`), replacing the shipped ones. Idempotent; touches
 * only the `wasm` kernel registry, so it is safe to call whichever backend is
 * active. The replaced kernels are kept for
 * {@link restoreShippedWasmConvKernels}.
 */
export function registerWasmConvKernels(options: WasmConvOptions = {}): void {
  const kernels = checkNames(options.kernels ?? WASM_CONV_KERNELS, "registerWasmConvKernels");
  if (options.maxColsElements !== undefined) {
    const v = options.maxColsElements;
    if (!Number.isInteger(v) || v < 1) {
      throw new Error(
        `registerWasmConvKernels: maxColsElements must be an integer >= 1, got ${v}`,
      );
    }
    maxColsElements = v;
  }
  for (const name of kernels) {
    const current = tf.getKernel(name, BACKEND);
    if (current?.kernelFunc === KERNEL_FUNCS[name]) continue;
    if (current !== undefined) {
      shipped.set(name, current);
      tf.unregisterKernel(name, BACKEND);
    }
    tf.registerKernel({ kernelName: name, backendName: BACKEND, kernelFunc: KERNEL_FUNCS[name] });
  }
}

/**
 * Puts back the `wasm` kernels that {@link registerWasmConvKernels} replaced
 * (default: all of them), for benchmarks and comparisons. A kernel that had
 * no shipped version (`Conv2DBackpropFilter`) is left unregistered. Resets
 * the patch-matrix budget to {@link DEFAULT_MAX_COLS_ELEMENTS} when every
 * kernel is restored.
 */
export function restoreShippedWasmConvKernels(
  kernels: readonly WasmConvKernelName[] = WASM_CONV_KERNELS,
): void {
  for (const name of checkNames(kernels, "restoreShippedWasmConvKernels")) {
    if (tf.getKernel(name, BACKEND)?.kernelFunc !== KERNEL_FUNCS[name]) continue;
    tf.unregisterKernel(name, BACKEND);
    const original = shipped.get(name);
    if (original === undefined) continue;
    tf.registerKernel(original);
    // If the backend started while ours was registered, the shipped kernel's
    // setup (binding its wasm function) never ran: run it now.
    const registry = (tf.engine() as unknown as { registry: Record<string, unknown> }).registry;
    const backend = registry[BACKEND];
    if (backend !== undefined && original.setupFunc) original.setupFunc(backend as object);
  }
  if (kernels.length === WASM_CONV_KERNELS.length) maxColsElements = DEFAULT_MAX_COLS_ELEMENTS;
}

/** The kernels of {@link WASM_CONV_KERNELS} currently registered from this module. */
export function registeredWasmConvKernels(): WasmConvKernelName[] {
  return WASM_CONV_KERNELS.filter((name) =>
    tf.getKernel(name, BACKEND)?.kernelFunc === KERNEL_FUNCS[name]
  );
}
