/**
 * The IDX file format of the MNIST family (LeCun et al.): a 4-byte magic
 * number (two zero bytes, a type byte, 0x08 for unsigned bytes, and the number
 * of dimensions), one big-endian uint32 per dimension, then the data. Images
 * are `0x00000803` (count x rows x cols), labels `0x00000801` (count).
 *
 * Every reader validates the magic number, the dimensions and the byte length
 * and throws a {@link DataError} that names the file and says what was
 * expected and what was found. A file whose name ends in `.gz` is gunzipped
 * first.
 *
 * @module
 */
import { readFileSync } from "node:fs";
import { gunzipSync } from "node:zlib";

/** A data file that is missing, malformed or fails its checksum. The message names the file. */
export class DataError extends Error {
  /** The file (or data set) the error is about. */
  readonly file: string;

  constructor(file: string, message: string) {
    super(message);
    this.name = "DataError";
    this.file = file;
  }
}

/** Magic number of an IDX file of unsigned-byte images (count x rows x cols): 2051. */
export const IDX_IMAGES_MAGIC = 0x00000803;
/** Magic number of an IDX file of unsigned-byte labels (count): 2049. */
export const IDX_LABELS_MAGIC = 0x00000801;

/** Images of an IDX file: `pixels` holds count x rows x cols bytes, row-major. */
export interface IdxImages {
  /** Number of images. */
  count: number;
  /** Image height. */
  rows: number;
  /** Image width. */
  cols: number;
  /** The raw pixels (0..255), count x rows x cols, a view of the file's bytes. */
  pixels: Uint8Array;
}

/** Labels of an IDX file. */
export interface IdxLabels {
  /** Number of labels. */
  count: number;
  /** The labels, a view of the file's bytes. */
  labels: Uint8Array;
}

/** What a reader checks beyond the format itself; each field is optional. */
export interface IdxExpect {
  /** Number of items. */
  count?: number;
  /** Image height (images only). */
  rows?: number;
  /** Image width (images only). */
  cols?: number;
  /** Labels must be below this (labels only), e.g. 10 classes. */
  classes?: number;
}

function hex32(n: number): string {
  return `0x${n.toString(16).padStart(8, "0")}`;
}

/** True when the bytes start with the gzip magic number 1f 8b. */
export function isGzip(bytes: Uint8Array): boolean {
  return bytes.length >= 2 && bytes[0] === 0x1f && bytes[1] === 0x8b;
}

/**
 * Gunzips bytes read from `file`; a corrupt or truncated stream becomes a
 * {@link DataError} naming the file.
 *
 * @param bytes The compressed bytes.
 * @param file The file they came from, for messages.
 * @returns The uncompressed bytes.
 */
export function gunzip(bytes: Uint8Array, file: string): Uint8Array {
  if (!isGzip(bytes)) {
    throw new DataError(
      file,
      `${file}: not gzip data: expected the gzip magic 1f 8b, got ${
        Array.from(bytes.subarray(0, 2), (b) => b.toString(16).padStart(2, "0")).join(" ") ||
        "an empty file"
      }`,
    );
  }
  try {
    return new Uint8Array(gunzipSync(bytes));
  } catch (e) {
    throw new DataError(
      file,
      `${file}: cannot gunzip (${
        e instanceof Error ? e.message : String(e)
      }); the file is corrupt or truncated`,
    );
  }
}

/**
 * Reads a file's bytes, gunzipping it when its name ends in `.gz`.
 *
 * @param file Path of the file.
 * @returns The (uncompressed) content.
 */
export function readMaybeGzip(file: string): Uint8Array {
  const raw = new Uint8Array(readFileSync(file));
  return file.endsWith(".gz") ? gunzip(raw, file) : raw;
}

function header(bytes: Uint8Array, file: string, magic: number, what: string): DataView {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const ndim = magic & 0xff;
  const headerBytes = 4 + 4 * ndim;
  if (bytes.length < 4) {
    throw new DataError(
      file,
      `${file}: too short for an IDX header: expected at least ${headerBytes} bytes, got ${bytes.length}`,
    );
  }
  const got = view.getUint32(0, false);
  if (got !== magic) {
    const hint = isGzip(bytes)
      ? " (the file is gzip-compressed: name it *.gz or gunzip it)"
      : got === IDX_IMAGES_MAGIC || got === IDX_LABELS_MAGIC
      ? ` (that is an IDX ${got === IDX_IMAGES_MAGIC ? "images" : "labels"} file)`
      : "";
    throw new DataError(
      file,
      `${file}: bad magic number: expected ${hex32(magic)} (${magic}, IDX ${what}), got ${
        hex32(got)
      } (${got})${hint}`,
    );
  }
  if (bytes.length < headerBytes) {
    throw new DataError(
      file,
      `${file}: truncated IDX header: expected ${headerBytes} bytes, got ${bytes.length}`,
    );
  }
  return view;
}

function checkLength(file: string, bytes: Uint8Array, expected: number, dims: string): void {
  if (bytes.length !== expected) {
    throw new DataError(
      file,
      `${file}: wrong byte length for ${dims}: expected ${expected} bytes, got ${bytes.length} (${
        bytes.length < expected ? "truncated" : "trailing bytes"
      })`,
    );
  }
}

function checkDim(file: string, name: string, expected: number | undefined, got: number): void {
  if (expected !== undefined && expected !== got) {
    throw new DataError(file, `${file}: wrong ${name}: expected ${expected}, got ${got}`);
  }
}

/**
 * Parses an IDX images file (magic 0x00000803) from its uncompressed bytes.
 *
 * @param bytes The file's content.
 * @param file The file name, for messages.
 * @param expect Dimensions the file must have.
 * @returns The images; `pixels` is a view of `bytes`.
 */
export function parseIdxImages(bytes: Uint8Array, file: string, expect: IdxExpect = {}): IdxImages {
  const view = header(bytes, file, IDX_IMAGES_MAGIC, "unsigned-byte images, 3 dimensions");
  const count = view.getUint32(4, false);
  const rows = view.getUint32(8, false);
  const cols = view.getUint32(12, false);
  checkDim(file, "image count", expect.count, count);
  checkDim(file, "image height (rows)", expect.rows, rows);
  checkDim(file, "image width (cols)", expect.cols, cols);
  checkLength(file, bytes, 16 + count * rows * cols, `${count} x ${rows} x ${cols} images`);
  return { count, rows, cols, pixels: bytes.subarray(16) };
}

/**
 * Parses an IDX labels file (magic 0x00000801) from its uncompressed bytes.
 *
 * @param bytes The file's content.
 * @param file The file name, for messages.
 * @param expect Count and number of classes the file must have.
 * @returns The labels; `labels` is a view of `bytes`.
 */
export function parseIdxLabels(bytes: Uint8Array, file: string, expect: IdxExpect = {}): IdxLabels {
  const view = header(bytes, file, IDX_LABELS_MAGIC, "unsigned-byte labels, 1 dimension");
  const count = view.getUint32(4, false);
  checkDim(file, "label count", expect.count, count);
  checkLength(file, bytes, 8 + count, `${count} labels`);
  const labels = bytes.subarray(8);
  if (expect.classes !== undefined) {
    for (let i = 0; i < count; i++) {
      if (labels[i] >= expect.classes) {
        throw new DataError(
          file,
          `${file}: label ${i} is ${labels[i]}: expected a class in 0..${expect.classes - 1}`,
        );
      }
    }
  }
  return { count, labels };
}

/**
 * Reads and parses an IDX images file (plain, or gzipped when the name ends in `.gz`).
 *
 * @param file Path of the file.
 * @param expect Dimensions the file must have.
 * @returns The images.
 */
export function readIdxImages(file: string, expect: IdxExpect = {}): IdxImages {
  return parseIdxImages(readMaybeGzip(file), file, expect);
}

/**
 * Reads and parses an IDX labels file (plain, or gzipped when the name ends in `.gz`).
 *
 * @param file Path of the file.
 * @param expect Count and number of classes the file must have.
 * @returns The labels.
 */
export function readIdxLabels(file: string, expect: IdxExpect = {}): IdxLabels {
  return parseIdxLabels(readMaybeGzip(file), file, expect);
}

/** byte / 255 for every byte value, rounded once to float32. */
const UNIT = Float32Array.from({ length: 256 }, (_, b) => b / 255);

/**
 * Pixels as floats in [0, 1] (byte / 255), in the same order.
 *
 * @param pixels Bytes 0..255.
 * @returns A new Float32Array of the same length.
 */
export function bytesToUnitFloats(pixels: Uint8Array): Float32Array {
  const out = new Float32Array(pixels.length);
  for (let i = 0; i < pixels.length; i++) out[i] = UNIT[pixels[i]];
  return out;
}

/**
 * Encodes images as an IDX file (magic 0x00000803); for tests and tools.
 *
 * @param images Count, rows, cols and count x rows x cols pixel bytes.
 * @returns The file's bytes.
 */
export function encodeIdxImages(images: IdxImages): Uint8Array {
  const out = new Uint8Array(16 + images.pixels.length);
  const view = new DataView(out.buffer);
  view.setUint32(0, IDX_IMAGES_MAGIC, false);
  view.setUint32(4, images.count, false);
  view.setUint32(8, images.rows, false);
  view.setUint32(12, images.cols, false);
  out.set(images.pixels, 16);
  return out;
}

/**
 * Encodes labels as an IDX file (magic 0x00000801); for tests and tools.
 *
 * @param labels The labels.
 * @returns The file's bytes.
 */
export function encodeIdxLabels(labels: Uint8Array): Uint8Array {
  const out = new Uint8Array(8 + labels.length);
  const view = new DataView(out.buffer);
  view.setUint32(0, IDX_LABELS_MAGIC, false);
  view.setUint32(4, labels.length, false);
  out.set(labels, 8);
  return out;
}
