import assert from "node:assert/strict";
import { existsSync, readFileSync, symlinkSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { gzipSync } from "node:zlib";
import { md5, sha256 } from "../../../lib/io/mod.ts";
import { encodeIdxLabels } from "../../../lib/data/idx.ts";
import { fetchImageData, IMAGE_MANIFEST, loadImageData } from "../../../lib/data/images/mod.ts";
import { cifarPixel, dataError, dataErrorAsync, realMnistDir } from "../_image_fixtures.ts";
import { env, fakeFetch, tinyCifar, tinyIdx, warnings } from "./_fixtures.ts";
import { withTempDir } from "../../_temp.ts";

Deno.test("fetch: tries mirrors in order (404, wrong content, good .gz), verifies, caches; then loads", async () => {
  const { manifest, bytes, mirrors } = tinyIdx();
  await withTempDir("data-test-", async (cache) => {
    const routes: Record<string, Uint8Array> = {};
    for (const [file, b] of Object.entries(bytes)) {
      const wrong = b.slice();
      wrong[wrong.length - 1] ^= 0xff;
      routes[`${mirrors[1]}${file}.gz`] = new Uint8Array(gzipSync(wrong));
      routes[`${mirrors[2]}${file}.gz`] = new Uint8Array(gzipSync(b));
    }
    const fake = fakeFetch(routes);
    const progress: string[] = [];
    const opts = { manifest, cacheDir: cache, packageDirs: [], env: env() };
    const got = await fetchImageData("mnist", {
      ...opts,
      fetch: fake.fn,
      onProgress: (m) => progress.push(m),
    });
    assert.equal(fake.calls.length, 12);
    assert.deepEqual(fake.calls.slice(0, 3), mirrors.map((m) => `${m}train-images-idx3-ubyte.gz`));
    assert.ok(got.files.every((f) => f.origin === "download" && f.source.startsWith(mirrors[2])));
    assert.ok(
      progress.some((m) =>
        m.includes(
          `${mirrors[1]}train-labels-idx1-ubyte.gz: sha256 mismatch: expected ${
            sha256(bytes["train-labels-idx1-ubyte"])
          }, got `,
        )
      ),
      progress.join("\n"),
    );
    assert.ok(progress.some((m) => /a\.test.*HTTP 404/.test(m)), progress.join("\n"));
    for (const [file, b] of Object.entries(bytes)) {
      assert.deepEqual(new Uint8Array(readFileSync(join(cache, "mnist", file))), b);
    }
    // second fetch: all from the cache, no network
    const again = await fetchImageData("mnist", { ...opts, fetch: fakeFetch({}).fn });
    assert.ok(again.files.every((f) => f.origin === "cache"));
    const d = loadImageData("mnist", opts);
    assert.deepEqual(d.shape, [2, 2, 1]);
    assert.equal(d.train.count, 3);
    assert.deepEqual(Array.from(d.train.labels), [5, 0, 4]);
    assert.deepEqual(Array.from(d.test.labels), [7, 2]);
    assert.deepEqual(Array.from(d.train.images.subarray(0, 4)), [
      0,
      Math.fround(0.2),
      Math.fround(0.4),
      1,
    ]);
    assert.deepEqual(Array.from(d.test.images.subarray(0, 4)), [1, 0, 0, 1]);
  });
});

Deno.test("fetch: when every location fails, the error names each URL and why (hash expected vs actual)", async () => {
  const { manifest, bytes, mirrors } = tinyIdx();
  await withTempDir("data-test-", async (cache) => {
    const wrong = encodeIdxLabels(Uint8Array.of(1, 1, 1));
    const routes: Record<string, Uint8Array | number | "fail"> = {};
    for (const file of Object.keys(bytes)) {
      routes[`${mirrors[0]}${file}.gz`] = 503;
      routes[`${mirrors[1]}${file}.gz`] = "fail";
      routes[`${mirrors[2]}${file}.gz`] = new Uint8Array(gzipSync(wrong));
    }
    const e = await dataErrorAsync(() =>
      fetchImageData("mnist", {
        manifest,
        cacheDir: cache,
        packageDirs: [],
        env: env(),
        fetch: fakeFetch(routes).fn,
      })
    );
    const file = "train-labels-idx1-ubyte";
    assert.ok(e.message.includes(`${mirrors[0]}${file}.gz: HTTP 503`), e.message);
    assert.ok(e.message.includes(`${mirrors[1]}${file}.gz: fetch failed`), e.message);
    assert.ok(
      e.message.includes(
        `${mirrors[2]}${file}.gz: sha256 mismatch: expected ${sha256(bytes[file])}, got ${
          sha256(wrong)
        }`,
      ),
      e.message,
    );
    assert.ok(
      e.message.includes(
        `${mirrors[2]}train-images-idx3-ubyte.gz: wrong size: expected 28 bytes, got 11`,
      ),
      e.message,
    );
    assert.match(e.message, /Downloads failed/);
    assert.ok(!existsSync(join(cache, "mnist", file)), "nothing unverified is cached");
  });
});

Deno.test("fetch with the real manifest: real labels served gzipped by a fake first mirror, images from a data dir", async () => {
  const real = realMnistDir();
  await withTempDir("data-test-", async (dir) => {
    for (const f of ["train-images-idx3-ubyte", "t10k-images-idx3-ubyte"]) {
      symlinkSync(join(real, f), join(dir, f));
    }
    const routes: Record<string, Uint8Array> = {};
    for (const f of IMAGE_MANIFEST.mnist.files.filter((f) => f.kind === "labels")) {
      routes[f.urls![0]] = new Uint8Array(gzipSync(readFileSync(join(real, f.file))));
    }
    const fake = fakeFetch(routes);
    const cache = join(dir, "cache");
    const got = await fetchImageData("mnist", {
      dataDir: dir,
      cacheDir: cache,
      packageDirs: [],
      env: env(),
      fetch: fake.fn,
    });
    assert.deepEqual(fake.calls, [
      "https://ossci-datasets.s3.amazonaws.com/mnist/train-labels-idx1-ubyte.gz",
      "https://ossci-datasets.s3.amazonaws.com/mnist/t10k-labels-idx1-ubyte.gz",
    ]);
    assert.deepEqual(got.files.map((f) => f.origin), [
      "data-dir",
      "download",
      "data-dir",
      "download",
    ]);
    assert.ok(existsSync(join(cache, "mnist", "t10k-labels-idx1-ubyte")));
  });
});

Deno.test("cifar10: download the archive, check size/md5/sha256, extract to the cache, load HWC", async () => {
  const { manifest, archive, batches, url } = tinyCifar();
  await withTempDir("data-test-", async (cache) => {
    const fake = fakeFetch({ [url]: archive });
    const opts = { manifest, cacheDir: cache, env: env() };
    const got = await fetchImageData("cifar10", { ...opts, fetch: fake.fn });
    assert.deepEqual(fake.calls, [url]);
    assert.ok(got.files.every((f) => f.origin === "download" && f.checked === "archive"));
    assert.equal(got.files[0].source, `${url}:cifar-10-batches-bin/data_batch_1.bin`);
    const recorded = JSON.parse(readFileSync(join(cache, "cifar10", "checksums.json"), "utf8"));
    assert.equal(recorded.archive.sha256, manifest.archive!.sha256);
    assert.equal(recorded.files["test_batch.bin"], sha256(batches.get("test_batch.bin")!));

    const d = loadImageData("cifar10", opts);
    assert.deepEqual(d.shape, [32, 32, 3]);
    assert.equal(d.train.count, 10);
    assert.equal(d.test.count, 2);
    assert.equal(d.train.images.length, 10 * 3072);
    assert.deepEqual(Array.from(d.train.labels), [0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
    assert.deepEqual(Array.from(d.test.labels), [0, 1]);
    // train image 3 is record 1 of data_batch_2 (seed 2): pixel (y 4, x 9), green
    assert.equal(
      d.train.images[3 * 3072 + (4 * 32 + 9) * 3 + 1],
      Math.fround(cifarPixel(1, 1, 4, 9, 2) / 255),
    );
    assert.ok(d.files.every((f) => f.origin === "cache" && f.checked === "sha256"));

    // a corrupted cache entry is never trusted
    const bad = join(cache, "cifar10", "data_batch_3.bin");
    const bytes = new Uint8Array(readFileSync(bad));
    bytes[5] ^= 1;
    writeFileSync(bad, bytes);
    const w = warnings();
    const e = dataError(() => loadImageData("cifar10", { ...opts, ...w }));
    assert.match(e.message, /no verified copy of data_batch_3\.bin \(1 of 6 files\)/);
    assert.ok(e.message.includes("`deno task data cifar10`"));
    assert.ok(
      w.list[0].includes(`${bad}: sha256 mismatch: expected ${recorded.files["data_batch_3.bin"]}`),
    );
    // fetch deletes it and downloads again
    const again = await fetchImageData("cifar10", { ...opts, fetch: fake.fn, onWarning() {} });
    assert.equal(fake.calls.length, 2);
    assert.equal(again.files[2].origin, "download");
    assert.equal(again.files[0].origin, "cache");
    assert.deepEqual(loadImageData("cifar10", opts).train.labels, d.train.labels);
  });
});

Deno.test("cifar10: a downloaded archive that fails its checks is an error naming it, expected and actual", async () => {
  const { archive, url } = tinyCifar();
  await withTempDir("data-test-", async (cache) => {
    const real = IMAGE_MANIFEST.cifar10.archive!.urls[0];
    const e = await dataErrorAsync(() =>
      fetchImageData("cifar10", {
        cacheDir: cache,
        env: env(),
        fetch: fakeFetch({ [real]: archive }).fn,
      })
    );
    assert.ok(
      e.message.includes(`${real}: wrong size: expected 170052171 bytes, got ${archive.length}`),
      e.message,
    );
    const { manifest } = tinyCifar();
    const flipped = archive.slice();
    flipped[archive.length - 10] ^= 1;
    const e2 = await dataErrorAsync(() =>
      fetchImageData("cifar10", {
        manifest,
        cacheDir: cache,
        env: env(),
        fetch: fakeFetch({ [url]: flipped }).fn,
      })
    );
    assert.ok(
      e2.message.includes(
        `${url}: md5 mismatch: expected ${manifest.archive!.md5}, got ${md5(flipped)}`,
      ),
      e2.message,
    );
    assert.ok(!existsSync(join(cache, "cifar10")), "nothing cached");
  });
});
