import assert from "node:assert/strict";
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { gzipSync } from "node:zlib";
import {
  bytesToUnitFloats,
  encodeIdxImages,
  encodeIdxLabels,
  IDX_IMAGES_MAGIC,
  IDX_LABELS_MAGIC,
  parseIdxImages,
  parseIdxLabels,
  readIdxImages,
  readIdxLabels,
} from "../../lib/data/idx.ts";
import { dataError, realMnistDir } from "./_image_fixtures.ts";
import { withTempDirSync } from "../_temp.ts";

const PIXELS = Uint8Array.from({ length: 2 * 3 * 4 }, (_, i) => i * 10);
const SMALL = encodeIdxImages({ count: 2, rows: 3, cols: 4, pixels: PIXELS });

Deno.test("real MNIST: train header 60000 x 28 x 28, first labels 5 0 4 1 9 2 1 3 1 4", () => {
  const dir = realMnistDir();
  const images = readIdxImages(join(dir, "train-images-idx3-ubyte"));
  assert.deepEqual([images.count, images.rows, images.cols], [60000, 28, 28]);
  assert.equal(images.pixels.length, 60000 * 784);
  const labels = readIdxLabels(join(dir, "train-labels-idx1-ubyte"), {
    count: 60000,
    classes: 10,
  });
  assert.deepEqual(Array.from(labels.labels.subarray(0, 10)), [5, 0, 4, 1, 9, 2, 1, 3, 1, 4]);
  const test = readIdxLabels(join(dir, "t10k-labels-idx1-ubyte"));
  assert.equal(test.count, 10000);
  assert.deepEqual(Array.from(test.labels.subarray(0, 5)), [7, 2, 1, 0, 4]);
});

Deno.test("real MNIST slice: the first image survives a round trip through a small IDX file", () => {
  const dir = realMnistDir();
  const all = readIdxImages(join(dir, "t10k-images-idx3-ubyte"), { count: 10000, rows: 28 });
  withTempDirSync("data-test-", (tmp) => {
    const slice = { count: 3, rows: 28, cols: 28, pixels: all.pixels.slice(0, 3 * 784) };
    const file = join(tmp, "slice-idx3-ubyte.gz");
    writeFileSync(file, gzipSync(encodeIdxImages(slice)));
    const back = readIdxImages(file, { count: 3, rows: 28, cols: 28 });
    assert.deepEqual(back.pixels, slice.pixels);
    const max = Math.max(...back.pixels);
    assert.equal(max, 255);
  });
});

Deno.test("small IDX files, plain and gzipped, read back exactly", () => {
  withTempDirSync("data-test-", (tmp) => {
    writeFileSync(join(tmp, "img"), SMALL);
    writeFileSync(join(tmp, "img.gz"), gzipSync(SMALL));
    writeFileSync(join(tmp, "lab.gz"), gzipSync(encodeIdxLabels(Uint8Array.of(3, 1, 4))));
    for (const name of ["img", "img.gz"]) {
      const images = readIdxImages(join(tmp, name), { count: 2, rows: 3, cols: 4 });
      assert.deepEqual([images.count, images.rows, images.cols], [2, 3, 4]);
      assert.deepEqual(images.pixels, PIXELS);
    }
    const labels = readIdxLabels(join(tmp, "lab.gz"), { count: 3, classes: 10 });
    assert.deepEqual(Array.from(labels.labels), [3, 1, 4]);
  });
});

Deno.test("header is big-endian: magic 2051 / 2049 and dimensions", () => {
  assert.deepEqual(Array.from(SMALL.subarray(0, 16)), [
    0,
    0,
    8,
    3,
    0,
    0,
    0,
    2,
    0,
    0,
    0,
    3,
    0,
    0,
    0,
    4,
  ]);
  assert.equal(IDX_IMAGES_MAGIC, 2051);
  assert.equal(IDX_LABELS_MAGIC, 2049);
  assert.deepEqual(Array.from(encodeIdxLabels(Uint8Array.of(7)).subarray(0, 8)), [
    0,
    0,
    8,
    1,
    0,
    0,
    0,
    1,
  ]);
});

Deno.test("bytesToUnitFloats: byte / 255 in [0, 1]", () => {
  const f = bytesToUnitFloats(Uint8Array.of(0, 51, 255));
  assert.equal(f[0], 0);
  assert.equal(f[1], Math.fround(0.2));
  assert.equal(f[2], 1);
});

Deno.test("corrupt magic: names the file, the expected and the actual magic", () => {
  const bad = SMALL.slice();
  bad[3] = 0x04;
  const e = dataError(() => parseIdxImages(bad, "x/train-images-idx3-ubyte"));
  assert.match(e.message, /^x\/train-images-idx3-ubyte: bad magic number/);
  assert.match(e.message, /expected 0x00000803 \(2051/);
  assert.match(e.message, /got 0x00000804 \(2052\)/);
  assert.equal(e.file, "x/train-images-idx3-ubyte");
});

Deno.test("magic hints: a labels file read as images, a gzip file not named .gz", () => {
  const labels = encodeIdxLabels(Uint8Array.of(1, 2));
  assert.match(dataError(() => parseIdxImages(labels, "f")).message, /IDX labels file/);
  assert.match(dataError(() => parseIdxLabels(SMALL, "f")).message, /IDX images file/);
  const gz = new Uint8Array(gzipSync(SMALL));
  assert.match(dataError(() => parseIdxImages(gz, "f")).message, /gzip-compressed/);
});

Deno.test("wrong dimensions: expected vs actual", () => {
  assert.match(
    dataError(() => parseIdxImages(SMALL, "f", { rows: 28 })).message,
    /f: wrong image height \(rows\): expected 28, got 3/,
  );
  assert.match(
    dataError(() => parseIdxImages(SMALL, "f", { cols: 28 })).message,
    /wrong image width \(cols\): expected 28, got 4/,
  );
  assert.match(
    dataError(() => parseIdxImages(SMALL, "f", { count: 60000 })).message,
    /wrong image count: expected 60000, got 2/,
  );
  assert.match(
    dataError(() => parseIdxLabels(encodeIdxLabels(Uint8Array.of(1)), "f", { count: 2 })).message,
    /wrong label count: expected 2, got 1/,
  );
});

Deno.test("truncated files and trailing bytes: expected vs actual byte length", () => {
  const short = dataError(() => parseIdxImages(SMALL.subarray(0, SMALL.length - 1), "f"));
  assert.match(
    short.message,
    /f: wrong byte length for 2 x 3 x 4 images: expected 40 bytes, got 39 \(truncated\)/,
  );
  const long = new Uint8Array(SMALL.length + 2);
  long.set(SMALL);
  assert.match(dataError(() => parseIdxImages(long, "f")).message, /got 42 \(trailing bytes\)/);
  assert.match(
    dataError(() => parseIdxImages(SMALL.subarray(0, 10), "f")).message,
    /truncated IDX header: expected 16 bytes, got 10/,
  );
  assert.match(
    dataError(() => parseIdxLabels(new Uint8Array(2), "f")).message,
    /too short for an IDX header: expected at least 8 bytes, got 2/,
  );
});

Deno.test("a truncated .gz file is an error naming it", () => {
  withTempDirSync("data-test-", (tmp) => {
    const gz = gzipSync(SMALL);
    const file = join(tmp, "cut.gz");
    writeFileSync(file, gz.subarray(0, gz.length - 12));
    const e = dataError(() => readIdxImages(file));
    assert.ok(e.message.startsWith(`${file}: cannot gunzip`), e.message);
    const notGz = join(tmp, "plain.gz");
    writeFileSync(notGz, SMALL);
    assert.match(dataError(() => readIdxImages(notGz)).message, /not gzip data/);
  });
});

Deno.test("labels out of range for the number of classes", () => {
  const e = dataError(() =>
    parseIdxLabels(encodeIdxLabels(Uint8Array.of(1, 12)), "f", { classes: 10 })
  );
  assert.match(e.message, /f: label 1 is 12: expected a class in 0..9/);
});
