/**
 * The patch matrix of a convolution on the wasm heap, for the kernels of
 * `wasm_conv.ts`: {@link PatchMatrix} writes it (im2col) and adds it back
 * into an image (col2im), and {@link transpose} transposes a matrix; all
 * work on one `Float32Array` over the whole heap at float offsets.
 *
 * @module
 */
import type { Geometry } from "./conv_geometry.ts";

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
 * The patch matrix of one convolution geometry: row (b, oy, ox) holds the
 * fH x fW x inC patch of image b under output pixel (oy, ox). Where each of
 * its fW x inC runs reads is worked out once, here, for {@link write} and its
 * adjoint {@link addBack}.
 */
export class PatchMatrix {
  /** Per run of one image's patches: offset of the input row it reads (-1 in the padding). */
  private readonly row: Int32Array;
  /** Per run: the input column under filter column 0 (negative in the padding). */
  private readonly ix0: Int32Array;
  /** Floats per run (fW * inC) and per input image (inH * inW * inC). */
  private readonly runLen: number;
  private readonly imageLen: number;

  /** The patch matrix of the convolution `g`. */
  constructor(readonly g: Geometry) {
    const { inH, inW, inC, outH, outW, fH, fW, strideH, strideW, dilH, padTop, padLeft } = g;
    const n = outH * outW * fH;
    this.row = new Int32Array(n);
    this.ix0 = new Int32Array(n);
    this.runLen = fW * inC;
    this.imageLen = inH * inW * inC;
    let j = 0;
    for (let oy = 0; oy < outH; oy++) {
      const iy0 = oy * strideH - padTop;
      for (let ox = 0; ox < outW; ox++) {
        for (let fh = 0; fh < fH; fh++, j++) {
          const iy = iy0 + fh * dilH;
          this.row[j] = iy < 0 || iy >= inH ? -1 : iy * inW * inC;
          this.ix0[j] = ox * strideW - padLeft;
        }
      }
    }
  }

  /**
   * Writes the patch rows of images [b0, b0 + nb) of `x` (at float offset
   * `xOff`) to `colsOff`, zero where a patch reaches into the padding.
   */
  write(heap: Float32Array, xOff: number, colsOff: number, b0: number, nb: number): void {
    const { inW, inC, fW, dilW } = this.g;
    const { row, ix0: ix0s, runLen, imageLen } = this;
    for (let b = b0, rowDst = colsOff; b < b0 + nb; b++) {
      const image = xOff + b * imageLen;
      for (let j = 0; j < row.length; j++, rowDst += runLen) {
        if (row[j] < 0) {
          zeroRun(heap, rowDst, runLen);
          continue;
        }
        const src = image + row[j];
        const ix0 = ix0s[j];
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
    }
  }

  /**
   * The adjoint of {@link write}: adds the patch rows at `colsOff` (images
   * [b0, b0 + nb)) back into `dx` (at float offset `dxOff`), skipping padding.
   */
  addBack(heap: Float32Array, colsOff: number, dxOff: number, b0: number, nb: number): void {
    const { inW, inC, fW, dilW } = this.g;
    const { row, ix0: ix0s, runLen, imageLen } = this;
    for (let b = b0, rowSrc = colsOff; b < b0 + nb; b++) {
      const image = dxOff + b * imageLen;
      for (let j = 0; j < row.length; j++, rowSrc += runLen) {
        if (row[j] < 0) continue;
        const dstRow = image + row[j];
        const ix0 = ix0s[j];
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
    }
  }
}

/** Writes the transpose of the rows x cols matrix at `src` to `dst`. */
export function transpose(
  heap: Float32Array,
  src: number,
  rows: number,
  cols: number,
  dst: number,
): void {
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
