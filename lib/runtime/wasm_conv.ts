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
import * as tf from "@tensorflow/tfjs";
// Imported for its side effect: the shipped wasm kernels must be registered
// before ours replace them, or the package's own registration would later
// overwrite ours.
import "@tensorflow/tfjs-backend-wasm";
import type { BackendWasm } from "@tensorflow/tfjs-backend-wasm";

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
type Pad = "valid" | "same" | number | tf.backend_util.ExplicitPadding;
type Rounding = "floor" | "round" | "ceil" | undefined;
type Pair = number | [number, number];

let maxColsElements = DEFAULT_MAX_COLS_ELEMENTS;
/** The shipped kernels our registration replaced, to restore them. */
const shipped = new Map<WasmConvKernelName, tf.KernelConfig>();

/** Geometry of one NHWC convolution, from tfjs's `computeConv2DInfo`. */
interface Geometry {
  batch: number;
  inH: number;
  inW: number;
  inC: number;
  outH: number;
  outW: number;
  outC: number;
  fH: number;
  fW: number;
  strideH: number;
  strideW: number;
  dilH: number;
  dilW: number;
  padTop: number;
  padLeft: number;
  /** Patch length fH * fW * inC. */
  k: number;
  /** Output pixels per image outH * outW. */
  pixels: number;
  /** 1x1 filter, stride 1, no padding: the patch matrix is `x` itself. */
  pointwise: boolean;
}

function geometry(
  kernel: WasmConvKernelName,
  xShape: readonly number[],
  filterShape: readonly number[],
  strides: Pair,
  dilations: Pair,
  pad: Pad,
  dimRoundingMode: Rounding,
  dataFormat: string | undefined,
): Geometry {
  if (dataFormat !== undefined && dataFormat !== "NHWC") {
    throw new Error(
      `wasm ${kernel}: dataFormat "${dataFormat}" is not supported; only "NHWC" (channels last) is`,
    );
  }
  if (xShape.length !== 4 || filterShape.length !== 4) {
    throw new Error(
      `wasm ${kernel}: expected a rank-4 input and filter, got shapes [${xShape}] and [${filterShape}]`,
    );
  }
  const info = tf.backend_util.computeConv2DInfo(
    xShape as [number, number, number, number],
    filterShape as [number, number, number, number],
    strides,
    dilations,
    pad,
    dimRoundingMode,
    false,
    "channelsLast",
  );
  const pointwise = info.filterHeight === 1 && info.filterWidth === 1 &&
    info.strideHeight === 1 && info.strideWidth === 1 &&
    info.padInfo.top === 0 && info.padInfo.left === 0 &&
    info.outHeight === info.inHeight && info.outWidth === info.inWidth;
  return {
    batch: info.batchSize,
    inH: info.inHeight,
    inW: info.inWidth,
    inC: info.inChannels,
    outH: info.outHeight,
    outW: info.outWidth,
    outC: info.outChannels,
    fH: info.filterHeight,
    fW: info.filterWidth,
    strideH: info.strideHeight,
    strideW: info.strideWidth,
    dilH: info.dilationHeight,
    dilW: info.dilationWidth,
    padTop: info.padInfo.top,
    padLeft: info.padInfo.left,
    k: info.filterHeight * info.filterWidth * info.inChannels,
    pixels: info.outHeight * info.outWidth,
    pointwise,
  };
}

function requireFloat32(kernel: WasmConvKernelName, named: Record<string, tf.TensorInfo>): void {
  for (const [name, t] of Object.entries(named)) {
    if (t.dtype !== "float32") {
      throw new Error(`wasm ${kernel}: ${name} must be float32, got ${t.dtype}`);
    }
  }
}

function requireShape(
  kernel: WasmConvKernelName,
  name: string,
  got: readonly number[],
  want: readonly number[],
): void {
  if (got.length !== want.length || got.some((d, i) => d !== want[i])) {
    throw new Error(
      `wasm ${kernel}: ${name} has shape [${got}] but the convolution's attributes imply [${want}]`,
    );
  }
}

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

// Copies under this length run as a loop: cheaper than a copyWithin call.
const SHORT_RUN = 24;

function copyRun(heap: Float32Array, dst: number, src: number, n: number): void {
  if (n < SHORT_RUN) { for (let i = 0; i < n; i++) heap[dst + i] = heap[src + i]; }
  else heap.copyWithin(dst, src, src + n);
}

function zeroRun(heap: Float32Array, dst: number, n: number): void {
  if (n < SHORT_RUN) { for (let i = 0; i < n; i++) heap[dst + i] = 0; }
  else heap.fill(0, dst, dst + n);
}

/**
 * Writes the patch matrix of images [b0, b0 + nb) of `x` (at float offset
 * `xOff`) into `cols` (at `colsOff`): row (b, oy, ox) holds the fH x fW x inC
 * patch under output pixel (oy, ox), zero where it reaches into the padding.
 */
function im2col(
  heap: Float32Array,
  xOff: number,
  colsOff: number,
  g: Geometry,
  b0: number,
  nb: number,
): void {
  const { inH, inW, inC, outH, outW, fH, fW, strideH, strideW, dilH, dilW, padTop, padLeft } = g;
  const rowLen = inW * inC;
  const runLen = fW * inC;
  let dst = colsOff;
  for (let b = b0; b < b0 + nb; b++) {
    const image = xOff + b * inH * rowLen;
    for (let oy = 0; oy < outH; oy++) {
      const iy0 = oy * strideH - padTop;
      for (let ox = 0; ox < outW; ox++) {
        const ix0 = ox * strideW - padLeft;
        for (let fh = 0; fh < fH; fh++) {
          const iy = iy0 + fh * dilH;
          const rowDst = dst + fh * runLen;
          if (iy < 0 || iy >= inH) {
            zeroRun(heap, rowDst, runLen);
            continue;
          }
          const src = image + iy * rowLen;
          if (dilW === 1) {
            // Filter columns fwLo..fwHi-1 land inside the image: one run.
            const fwLo = Math.max(0, -ix0);
            const fwHi = Math.max(fwLo, Math.min(fW, inW - ix0));
            if (fwLo > 0) zeroRun(heap, rowDst, fwLo * inC);
            if (fwHi > fwLo) {
              copyRun(heap, rowDst + fwLo * inC, src + (ix0 + fwLo) * inC, (fwHi - fwLo) * inC);
            }
            if (fwHi < fW) zeroRun(heap, rowDst + fwHi * inC, (fW - fwHi) * inC);
          } else {
            for (let fw = 0; fw < fW; fw++) {
              const ix = ix0 + fw * dilW;
              if (ix < 0 || ix >= inW) zeroRun(heap, rowDst + fw * inC, inC);
              else copyRun(heap, rowDst + fw * inC, src + ix * inC, inC);
            }
          }
        }
        dst += g.k;
      }
    }
  }
}

/**
 * The adjoint of {@link im2col}: adds every patch row of `cols` (images
 * [b0, b0 + nb)) back into `dx` (at float offset `dxOff`), skipping padding.
 */
function col2imAdd(
  heap: Float32Array,
  colsOff: number,
  dxOff: number,
  g: Geometry,
  b0: number,
  nb: number,
): void {
  const { inH, inW, inC, outH, outW, fH, fW, strideH, strideW, dilH, dilW, padTop, padLeft } = g;
  const rowLen = inW * inC;
  const runLen = fW * inC;
  let src = colsOff;
  for (let b = b0; b < b0 + nb; b++) {
    const image = dxOff + b * inH * rowLen;
    for (let oy = 0; oy < outH; oy++) {
      const iy0 = oy * strideH - padTop;
      for (let ox = 0; ox < outW; ox++) {
        const ix0 = ox * strideW - padLeft;
        for (let fh = 0; fh < fH; fh++) {
          const iy = iy0 + fh * dilH;
          if (iy < 0 || iy >= inH) continue;
          const rowSrc = src + fh * runLen;
          const dstRow = image + iy * rowLen;
          if (dilW === 1) {
            const fwLo = Math.max(0, -ix0);
            const fwHi = Math.min(fW, inW - ix0);
            const from = rowSrc + fwLo * inC;
            const to = dstRow + (ix0 + fwLo) * inC;
            for (let i = 0, n = (fwHi - fwLo) * inC; i < n; i++) heap[to + i] += heap[from + i];
          } else {
            for (let fw = 0; fw < fW; fw++) {
              const ix = ix0 + fw * dilW;
              if (ix < 0 || ix >= inW) continue;
              const from = rowSrc + fw * inC;
              const to = dstRow + ix * inC;
              for (let c = 0; c < inC; c++) heap[to + c] += heap[from + c];
            }
          }
        }
        src += g.k;
      }
    }
  }
}

/** Writes the transpose of the rows x cols matrix at `src` to `dst`. */
function transpose(heap: Float32Array, src: number, rows: number, cols: number, dst: number): void {
  const tile = 32;
  for (let r0 = 0; r0 < rows; r0 += tile) {
    const r1 = Math.min(rows, r0 + tile);
    for (let c0 = 0; c0 < cols; c0 += tile) {
      const c1 = Math.min(cols, c0 + tile);
      for (let r = r0; r < r1; r++) {
        const s = src + r * cols;
        for (let c = c0; c < c1; c++) heap[dst + c * rows + r] = heap[s + c];
      }
    }
  }
}

interface KernelArgs {
  inputs: tf.NamedTensorInfoMap;
  backend: unknown;
  attrs?: tf.NamedAttrMap;
}

function input(kernel: WasmConvKernelName, args: KernelArgs, name: string): tf.TensorInfo {
  const t = args.inputs[name];
  if (t === undefined) throw new Error(`wasm ${kernel}: missing input "${name}"`);
  return t;
}

function convAttrs(args: KernelArgs) {
  const attrs = (args.attrs ?? {}) as Record<string, unknown>;
  return {
    strides: (attrs.strides ?? 1) as Pair,
    pad: attrs.pad as Pad,
    dataFormat: attrs.dataFormat as string | undefined,
    dilations: (attrs.dilations ?? 1) as Pair,
    dimRoundingMode: attrs.dimRoundingMode as Rounding,
  };
}

/** `Conv2D`: y = im2col(x) @ filter. */
function conv2D(args: KernelArgs): tf.TensorInfo {
  const name = "Conv2D";
  const backend = args.backend as BackendWasm;
  const x = input(name, args, "x");
  const filter = input(name, args, "filter");
  requireFloat32(name, { x, filter });
  const a = convAttrs(args);
  const g = geometry(
    name,
    x.shape,
    filter.shape,
    a.strides,
    a.dilations,
    a.pad,
    a.dimRoundingMode,
    a.dataFormat,
  );
  const outShape = [g.batch, g.outH, g.outW, g.outC];
  const w = as(filter, [g.k, g.outC]);
  if (g.batch * g.pixels === 0 || g.k === 0) return zeros(backend, outShape);
  if (g.pointwise) return as(matMul(backend, as(x, [g.batch * g.pixels, g.k]), w), outShape);
  const per = imagesPerChunk(g);
  if (per >= g.batch) {
    const cols = backend.makeOutput([g.batch * g.pixels, g.k], "float32");
    const [heap, xOff, colsOff] = heapOffsets(backend, [x, cols]);
    im2col(heap, xOff, colsOff, g, 0, g.batch);
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
      im2col(heap, xOff, colsOff, g, b0, nb);
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
  const x = input(name, args, "x");
  const dy = input(name, args, "dy");
  requireFloat32(name, { x, dy });
  const a = convAttrs(args);
  const filterShape = (args.attrs?.filterShape ?? []) as number[];
  const g = geometry(
    name,
    x.shape,
    filterShape,
    a.strides,
    a.dilations,
    a.pad,
    a.dimRoundingMode,
    a.dataFormat,
  );
  requireShape(name, "dy", dy.shape, [g.batch, g.outH, g.outW, g.outC]);
  const n = g.outC;
  if (g.batch * g.pixels === 0 || g.k * n === 0) return zeros(backend, filterShape);
  const per = g.pointwise ? g.batch : imagesPerChunk(g);
  let acc: tf.TensorInfo | null = null;
  for (let b0 = 0; b0 < g.batch; b0 += per) {
    const nb = Math.min(per, g.batch - b0);
    const m = nb * g.pixels;
    const cols = g.pointwise ? as(x, [m, g.k]) : backend.makeOutput([m, g.k], "float32");
    const dyT = backend.makeOutput([n, m], "float32");
    {
      const [heap, xOff, dyOff, colsOff, dyTOff] = heapOffsets(backend, [x, dy, cols, dyT]);
      if (!g.pointwise) im2col(heap, xOff, colsOff, g, b0, nb);
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
  const dy = input(name, args, "dy");
  const filter = input(name, args, "filter");
  requireFloat32(name, { dy, filter });
  const a = convAttrs(args);
  const inputShape = (args.attrs?.inputShape ?? []) as number[];
  const g = geometry(
    name,
    inputShape,
    filter.shape,
    a.strides,
    a.dilations,
    a.pad,
    a.dimRoundingMode,
    a.dataFormat,
  );
  requireShape(name, "dy", dy.shape, [g.batch, g.outH, g.outW, g.outC]);
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
    col2imAdd(heap, colsOff, dxOff, g, b0, nb);
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
