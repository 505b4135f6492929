/**
 * Image grids as PNG files: generator samples tiled in rows, optionally
 * each beside its nearest training image (Figure 2 of the paper). Pixels
 * are floats in [0, 1], rows of `h * w * c` values in HWC order; grey
 * images (c = 1) give a grey PNG, colour images (c = 3) an RGB one.
 *
 * @module
 */
import { deflateSync } from "node:zlib";
import { concatBytes } from "../io/mod.ts";

/** Options of {@link imageGrid}. */
export interface GridOptions {
  /** Images per row. */
  columns: number;
  /** Pixels between cells (default 2). */
  gap?: number;
  /** Grey level of the gaps, 0..1 (default 1: white). */
  background?: number;
}

/** A raster: `width x height` pixels of `channels` bytes each, row-major. */
export interface Raster {
  width: number;
  height: number;
  channels: 1 | 3;
  pixels: Uint8Array;
}

/**
 * Tiles `count` images (rows of `images`) into a grid raster.
 *
 * @param images Row-major images, pixels in [0, 1] (values outside are clipped).
 * @param shape [height, width, channels] of one image; channels 1 or 3.
 * @param options Columns, gap and background.
 */
export function imageGrid(
  images: Float32Array,
  shape: readonly number[],
  options: GridOptions,
): Raster {
  const [h, w, c] = shape;
  if (shape.length !== 3 || (c !== 1 && c !== 3)) {
    throw new RangeError(`image shape must be [h, w, 1] or [h, w, 3], got [${shape.join(", ")}]`);
  }
  const size = h * w * c;
  if (images.length % size !== 0) {
    throw new RangeError(
      `got ${images.length} pixel values, not a multiple of ${size} (${h}x${w}x${c})`,
    );
  }
  const count = images.length / size;
  const columns = Math.max(1, Math.min(options.columns, count));
  const rows = Math.ceil(count / columns);
  const gap = options.gap ?? 2;
  const width = columns * w + (columns + 1) * gap;
  const height = rows * h + (rows + 1) * gap;
  const pixels = new Uint8Array(width * height * c).fill(toByte(options.background ?? 1));
  for (let i = 0; i < count; i++) {
    const x0 = gap + (i % columns) * (w + gap);
    const y0 = gap + Math.floor(i / columns) * (h + gap);
    for (let y = 0; y < h; y++) {
      for (let x = 0; x < w; x++) {
        for (let ch = 0; ch < c; ch++) {
          const v = images[i * size + (y * w + x) * c + ch];
          pixels[((y0 + y) * width + x0 + x) * c + ch] = toByte(v);
        }
      }
    }
  }
  return { width, height, channels: c as 1 | 3, pixels };
}

function toByte(v: number): number {
  if (!(v > 0)) return 0; // also NaN
  return v >= 1 ? 255 : Math.round(v * 255);
}

/**
 * Interleaves two equally long image sets image by image: a0, b0, a1, b1,
 * ... (for a grid of pairs, e.g. each sample beside its nearest training
 * image; use an even column count).
 *
 * @param size Values per image (h * w * c).
 */
export function pairImages(a: Float32Array, b: Float32Array, size: number): Float32Array {
  if (a.length !== b.length || a.length % size !== 0) {
    throw new RangeError(
      `pairImages: expected two sets of whole ${size}-value images of equal size, got ${a.length} and ${b.length} values`,
    );
  }
  const out = new Float32Array(2 * a.length);
  for (let i = 0; i < a.length / size; i++) {
    out.set(a.subarray(i * size, (i + 1) * size), 2 * i * size);
    out.set(b.subarray(i * size, (i + 1) * size), (2 * i + 1) * size);
  }
  return out;
}

const CRC_TABLE = (() => {
  const table = new Uint32Array(256);
  for (let n = 0; n < 256; n++) {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    table[n] = c >>> 0;
  }
  return table;
})();

/** CRC-32 (ISO 3309, as PNG uses) of `bytes`. */
export function crc32(bytes: Uint8Array): number {
  let c = 0xffffffff;
  for (let i = 0; i < bytes.length; i++) c = CRC_TABLE[(c ^ bytes[i]) & 0xff] ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}

function chunk(type: string, data: Uint8Array): Uint8Array {
  const out = new Uint8Array(12 + data.length);
  const view = new DataView(out.buffer);
  view.setUint32(0, data.length);
  out.set(new TextEncoder().encode(type), 4);
  out.set(data, 8);
  view.setUint32(8 + data.length, crc32(out.subarray(4, 8 + data.length)));
  return out;
}

/** Encodes a raster as an 8-bit grey or RGB PNG (no interlace, filter 0). */
export function encodePng(raster: Raster): Uint8Array {
  const { width, height, channels, pixels } = raster;
  if (pixels.length !== width * height * channels) {
    throw new RangeError(
      `raster holds ${pixels.length} bytes, expected ${width}x${height}x${channels}`,
    );
  }
  const header = new Uint8Array(13);
  const hv = new DataView(header.buffer);
  hv.setUint32(0, width);
  hv.setUint32(4, height);
  header[8] = 8; // bit depth
  header[9] = channels === 1 ? 0 : 2; // grey or truecolour
  const stride = width * channels;
  const raw = new Uint8Array(height * (stride + 1));
  for (let y = 0; y < height; y++) {
    raw[y * (stride + 1)] = 0; // filter: none
    raw.set(pixels.subarray(y * stride, (y + 1) * stride), y * (stride + 1) + 1);
  }
  return concatBytes([
    new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk("IHDR", header),
    chunk("IDAT", new Uint8Array(deflateSync(raw))),
    chunk("IEND", new Uint8Array(0)),
  ]);
}
