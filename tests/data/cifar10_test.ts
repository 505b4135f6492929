import assert from "node:assert/strict";
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { gzipSync } from "node:zlib";
import {
  checkCifar10,
  CIFAR10_CLASSES,
  CIFAR10_RECORD_BYTES,
  CIFAR10_SHAPE,
  decodeCifar10Into,
  parseCifar10,
  readCifar10,
  readTar,
  readTarFile,
} from "../../lib/data/cifar10.ts";
import { cifarPixel, dataError, makeCifarBatch, makeTar } from "./_image_fixtures.ts";
import { withTempDirSync } from "../_temp.ts";

Deno.test("a small batch file: labels, and CHW bytes become HWC floats in [0, 1]", () => {
  withTempDirSync("data-test-", (tmp) => {
    const file = join(tmp, "data_batch_1.bin");
    writeFileSync(file, makeCifarBatch(3));
    const batch = readCifar10(file, { count: 3 });
    assert.equal(batch.count, 3);
    assert.deepEqual(Array.from(batch.labels), [0, 1, 2]);
    assert.equal(batch.images.length, 3 * 32 * 32 * 3);
    for (const [i, y, x] of [[0, 0, 0], [1, 5, 7], [2, 31, 31], [2, 0, 31]]) {
      for (let c = 0; c < 3; c++) {
        const at = i * 3072 + (y * 32 + x) * 3 + c;
        assert.equal(
          batch.images[at],
          Math.fround(cifarPixel(i, c, y, x) / 255),
          `${i} ${y} ${x} ${c}`,
        );
      }
    }
    assert.ok(batch.images.every((v) => v >= 0 && v <= 1));
    assert.deepEqual(CIFAR10_SHAPE, [32, 32, 3]);
    assert.equal(CIFAR10_CLASSES.length, 10);
  });
});

Deno.test("a gzipped batch file reads the same", () => {
  withTempDirSync("data-test-", (tmp) => {
    const bytes = makeCifarBatch(2, 3);
    writeFileSync(join(tmp, "test_batch.bin.gz"), gzipSync(bytes));
    const a = readCifar10(join(tmp, "test_batch.bin.gz"));
    const b = parseCifar10(bytes, "mem");
    assert.deepEqual(a.images, b.images);
    assert.deepEqual(Array.from(a.labels), [3, 4]);
  });
});

Deno.test("decodeCifar10Into fills a larger array at an offset", () => {
  const out = { images: new Float32Array(5 * 3072), labels: new Uint8Array(5) };
  assert.equal(decodeCifar10Into(makeCifarBatch(2), "a", out, 0), 2);
  assert.equal(decodeCifar10Into(makeCifarBatch(3, 5), "b", out, 2), 3);
  assert.deepEqual(Array.from(out.labels), [0, 1, 5, 6, 7]);
  assert.equal(out.images[2 * 3072 + 1], Math.fround(cifarPixel(0, 1, 0, 0, 5) / 255));
  assert.throws(() => decodeCifar10Into(makeCifarBatch(1), "c", out, 5), RangeError);
});

Deno.test("wrong length: names the file, expected and actual bytes", () => {
  const bytes = makeCifarBatch(2);
  const e = dataError(() =>
    checkCifar10(bytes.subarray(0, bytes.length - 1), "x/data_batch_2.bin")
  );
  assert.match(e.message, /^x\/data_batch_2\.bin: wrong byte length/);
  assert.match(e.message, /multiple of 3073/);
  assert.match(e.message, /got 6145/);
  const counted = dataError(() => checkCifar10(bytes, "f.bin", { count: 10000 }));
  assert.match(
    counted.message,
    /expected 30730000 bytes \(10000 records of 3073\), got 6146 \(truncated\)/,
  );
  assert.match(dataError(() => checkCifar10(new Uint8Array(0), "e.bin")).message, /got 0/);
  assert.equal(CIFAR10_RECORD_BYTES, 3073);
});

Deno.test("a label outside 0..9 is an error naming the file and the record", () => {
  const bytes = makeCifarBatch(3);
  bytes[2 * 3073] = 10;
  const e = dataError(() => parseCifar10(bytes, "f.bin"));
  assert.match(
    e.message,
    /f\.bin: record 2 \(byte 6146\) has label 10: expected a class in 0\.\.9/,
  );
});

Deno.test("readTar: regular members by path; directories skipped; only the wanted ones", () => {
  const a = makeCifarBatch(1);
  const b = new TextEncoder().encode("airplane\nautomobile\n");
  const tar = makeTar(
    [["cifar-10-batches-bin/data_batch_1.bin", a], ["cifar-10-batches-bin/batches.meta.txt", b]],
    ["cifar-10-batches-bin/"],
  );
  const all = readTar(tar, "t.tar");
  assert.deepEqual([...all.keys()].sort(), [
    "cifar-10-batches-bin/batches.meta.txt",
    "cifar-10-batches-bin/data_batch_1.bin",
  ]);
  assert.deepEqual(all.get("cifar-10-batches-bin/data_batch_1.bin"), a);
  assert.deepEqual(all.get("cifar-10-batches-bin/batches.meta.txt"), b);
  const some = readTar(tar, "t.tar", new Set(["cifar-10-batches-bin/data_batch_1.bin"]));
  assert.deepEqual([...some.keys()], ["cifar-10-batches-bin/data_batch_1.bin"]);
  withTempDirSync("data-test-", (tmp) => {
    writeFileSync(join(tmp, "a.tar.gz"), gzipSync(tar));
    assert.equal(readTarFile(join(tmp, "a.tar.gz")).size, 2);
  });
});

Deno.test("readTar: a bad header checksum or a truncated archive names the archive", () => {
  const tar = makeTar([["x.bin", makeCifarBatch(1)]]);
  const bad = tar.slice();
  bad[0] ^= 1;
  assert.match(
    dataError(() => readTar(bad, "c.tar")).message,
    /^c\.tar: bad tar header at byte 0: checksum/,
  );
  assert.match(
    dataError(() => readTar(tar.subarray(0, 2000), "c.tar")).message,
    /^c\.tar: truncated tar archive: member x\.bin needs 3073 bytes/,
  );
  assert.match(
    dataError(() => readTar(tar.subarray(0, 512 + 3584 + 100), "c.tar")).message,
    /truncated tar archive: ends inside a header/,
  );
});
