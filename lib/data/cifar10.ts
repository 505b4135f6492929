/**
 * The CIFAR-10 binary format (Krizhevsky 2009): each batch file is a run of
 * 3073-byte records, one label byte (0..9) and 3072 pixel bytes, the red,
 * green and blue 32 x 32 planes in turn (CHW, rows top to bottom). Readers
 * convert to HWC floats in [0, 1] and throw a {@link DataError} naming the
 * file on a bad length or label. Also a minimal reader for the tar archive
 * the batches ship in (`cifar-10-binary.tar.gz`).
 *
 * @module
 */
import { DataError, readMaybeGzip } from "./idx.ts";

/** Height, width and channels of a CIFAR-10 image. */
export const CIFAR10_SHAPE: [number, number, number] = [32, 32, 3];
/** Pixel bytes per image (3 x 32 x 32). */
export const CIFAR10_PIXELS = 3072;
/** Bytes per record: one label byte and the pixels. */
export const CIFAR10_RECORD_BYTES = 1 + CIFAR10_PIXELS;
/** Records in each of the six upstream batch files. */
export const CIFAR10_BATCH_RECORDS = 10000;
/** Class names, by label. */
export const CIFAR10_CLASSES = [
  "airplane",
  "automobile",
  "bird",
  "cat",
  "deer",
  "dog",
  "frog",
  "horse",
  "ship",
  "truck",
] as const;

/** Images and labels of a CIFAR-10 batch file. */
export interface Cifar10Batch {
  /** Number of images. */
  count: number;
  /** count x 3072 floats in [0, 1], each image row-major HWC (32 x 32 x 3). */
  images: Float32Array;
  /** count labels in 0..9. */
  labels: Uint8Array;
}

/** byte / 255 for every byte value, rounded once to float32. */
const UNIT = Float32Array.from({ length: 256 }, (_, b) => b / 255);

/**
 * Checks a batch file's bytes: a whole number of 3073-byte records (exactly
 * `expect.count` of them when given) and every label in 0..9.
 *
 * @param bytes The file's content.
 * @param file The file name, for messages.
 * @param expect Number of records the file must hold.
 * @returns The number of records.
 */
export function checkCifar10(
  bytes: Uint8Array,
  file: string,
  expect: { count?: number } = {},
): number {
  if (expect.count !== undefined && bytes.length !== expect.count * CIFAR10_RECORD_BYTES) {
    throw new DataError(
      file,
      `${file}: wrong byte length: expected ${
        expect.count * CIFAR10_RECORD_BYTES
      } bytes (${expect.count} records of ${CIFAR10_RECORD_BYTES}), got ${bytes.length} (${
        bytes.length < expect.count * CIFAR10_RECORD_BYTES ? "truncated" : "trailing bytes"
      })`,
    );
  }
  if (bytes.length === 0 || bytes.length % CIFAR10_RECORD_BYTES !== 0) {
    throw new DataError(
      file,
      `${file}: wrong byte length: expected a positive multiple of ${CIFAR10_RECORD_BYTES} (1 label byte + 3072 pixel bytes per record), got ${bytes.length}`,
    );
  }
  const count = bytes.length / CIFAR10_RECORD_BYTES;
  for (let i = 0; i < count; i++) {
    const label = bytes[i * CIFAR10_RECORD_BYTES];
    if (label >= CIFAR10_CLASSES.length) {
      throw new DataError(
        file,
        `${file}: record ${i} (byte ${
          i * CIFAR10_RECORD_BYTES
        }) has label ${label}: expected a class in 0..9; is this a CIFAR-10 binary batch?`,
      );
    }
  }
  return count;
}

/**
 * Decodes a checked batch file into `out` starting at image `at`: labels to
 * `out.labels[at..]`, pixels to `out.images[at * 3072..]` as HWC floats.
 *
 * @param bytes The file's content.
 * @param file The file name, for messages.
 * @param out Arrays with room for the file's images.
 * @param at Index of the first image to write.
 * @returns The number of images written.
 */
export function decodeCifar10Into(
  bytes: Uint8Array,
  file: string,
  out: { images: Float32Array; labels: Uint8Array },
  at = 0,
): number {
  const count = checkCifar10(bytes, file);
  if (out.labels.length < at + count || out.images.length < (at + count) * CIFAR10_PIXELS) {
    throw new RangeError(`${file}: no room for ${count} images at index ${at}`);
  }
  const plane = 1024;
  for (let i = 0; i < count; i++) {
    const rec = i * CIFAR10_RECORD_BYTES;
    out.labels[at + i] = bytes[rec];
    const src = rec + 1;
    const dst = (at + i) * CIFAR10_PIXELS;
    for (let p = 0; p < plane; p++) {
      const o = dst + 3 * p;
      out.images[o] = UNIT[bytes[src + p]];
      out.images[o + 1] = UNIT[bytes[src + plane + p]];
      out.images[o + 2] = UNIT[bytes[src + 2 * plane + p]];
    }
  }
  return count;
}

/**
 * Parses a CIFAR-10 batch file's bytes.
 *
 * @param bytes The file's content.
 * @param file The file name, for messages.
 * @param expect Number of records the file must hold.
 * @returns Its images (HWC floats in [0, 1]) and labels.
 */
export function parseCifar10(
  bytes: Uint8Array,
  file: string,
  expect: { count?: number } = {},
): Cifar10Batch {
  const count = checkCifar10(bytes, file, expect);
  const out = { images: new Float32Array(count * CIFAR10_PIXELS), labels: new Uint8Array(count) };
  decodeCifar10Into(bytes, file, out);
  return { count, ...out };
}

/**
 * Reads a CIFAR-10 batch file (gunzipped first when the name ends in `.gz`).
 *
 * @param file Path of the file.
 * @param expect Number of records the file must hold.
 * @returns Its images (HWC floats in [0, 1]) and labels.
 */
export function readCifar10(file: string, expect: { count?: number } = {}): Cifar10Batch {
  return parseCifar10(readMaybeGzip(file), file, expect);
}

function tarString(block: Uint8Array, start: number, length: number): string {
  let end = start;
  while (end < start + length && block[end] !== 0) end++;
  return new TextDecoder().decode(block.subarray(start, end));
}

function tarOctal(block: Uint8Array, start: number, length: number): number {
  const text = tarString(block, start, length).trim();
  return text === "" ? 0 : parseInt(text, 8);
}

/**
 * The regular files of an uncompressed tar archive (ustar or GNU), by member
 * path. Checks each header's checksum; a truncated archive or a bad header is
 * a {@link DataError} naming the archive.
 *
 * @param bytes The archive's (uncompressed) bytes.
 * @param file The archive's name, for messages.
 * @param wanted Only these member paths (default: every regular file).
 * @returns Views of the members' content.
 */
export function readTar(
  bytes: Uint8Array,
  file: string,
  wanted?: ReadonlySet<string>,
): Map<string, Uint8Array> {
  const members = new Map<string, Uint8Array>();
  let offset = 0;
  let longName: string | undefined;
  while (offset + 512 <= bytes.length) {
    const block = bytes.subarray(offset, offset + 512);
    if (block.every((b) => b === 0)) return members;
    let sum = 0;
    for (let i = 0; i < 512; i++) sum += i >= 148 && i < 156 ? 32 : block[i];
    const stored = tarOctal(block, 148, 8);
    if (stored !== sum) {
      throw new DataError(
        file,
        `${file}: bad tar header at byte ${offset}: checksum expected ${stored}, got ${sum}`,
      );
    }
    const size = tarOctal(block, 124, 12);
    const type = String.fromCharCode(block[156] || 48);
    const prefix = tarString(block, 345, 155);
    const name = longName ?? (prefix ? `${prefix}/` : "") + tarString(block, 0, 100);
    longName = undefined;
    const start = offset + 512;
    if (start + size > bytes.length) {
      throw new DataError(
        file,
        `${file}: truncated tar archive: member ${name} needs ${size} bytes at ${start}, the archive has ${bytes.length}`,
      );
    }
    const content = bytes.subarray(start, start + size);
    if (type === "L") longName = tarString(content, 0, content.length);
    else if ((type === "0" || type === "7") && (!wanted || wanted.has(name))) {
      members.set(name, content);
    }
    offset = start + Math.ceil(size / 512) * 512;
  }
  if (offset !== bytes.length) {
    throw new DataError(file, `${file}: truncated tar archive: ends inside a header`);
  }
  return members;
}

/**
 * Reads members of a tar file (gunzipped first when the name ends in `.gz`).
 *
 * @param file Path of the archive.
 * @param wanted Only these member paths (default: every regular file).
 * @returns The members' content.
 */
export function readTarFile(file: string, wanted?: ReadonlySet<string>): Map<string, Uint8Array> {
  return readTar(readMaybeGzip(file), file, wanted);
}
