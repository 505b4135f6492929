import assert from "node:assert/strict";
import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { gzipSync } from "node:zlib";
import { encodeIdxLabels } from "../../../lib/data/idx.ts";
import { fetchImageData, locateImageData } from "../../../lib/data/images/mod.ts";
import { dataErrorAsync, realMnistDir } from "../_image_fixtures.ts";
import { env, fakeFetch, tinyIdx, warnings } from "./_fixtures.ts";
import { withTempDir, withTempDirSync } from "../../_temp.ts";

Deno.test("a bad cache entry is reported and skipped (left for fetch to replace); the package is used", () => {
  const real = realMnistDir();
  withTempDirSync("data-test-", (cache) => {
    const bad = join(cache, "mnist", "train-labels-idx1-ubyte");
    mkdirSync(join(cache, "mnist"));
    writeFileSync(bad, new Uint8Array(60008));
    const w = warnings();
    const got = locateImageData("mnist", {
      cacheDir: cache,
      packageDirs: [real],
      env: env(),
      ...w,
    });
    const labels = got.files.find((f) => f.file === "train-labels-idx1-ubyte")!;
    assert.equal(labels.origin, "package");
    assert.equal(labels.source, join(real, "train-labels-idx1-ubyte"));
    assert.equal(w.list.length, 1);
    assert.ok(w.list[0].includes(bad), w.list[0]);
    assert.match(w.list[0], /sha256 mismatch: expected 65a50cbb.*, got [0-9a-f]{64}: ignored/);
    assert.ok(existsSync(bad), "load never deletes");
  });
});

Deno.test("fetch: a bad cache entry is deleted and downloaded again", async () => {
  const { manifest, bytes, mirrors } = tinyIdx();
  await withTempDir("data-test-", async (cache) => {
    mkdirSync(join(cache, "mnist"));
    for (const [file, b] of Object.entries(bytes)) writeFileSync(join(cache, "mnist", file), b);
    const bad = join(cache, "mnist", "t10k-labels-idx1-ubyte");
    writeFileSync(bad, encodeIdxLabels(Uint8Array.of(0, 0)));
    const fake = fakeFetch({
      [`${mirrors[0]}t10k-labels-idx1-ubyte.gz`]: new Uint8Array(
        gzipSync(bytes["t10k-labels-idx1-ubyte"]),
      ),
    });
    const w = warnings();
    const got = await fetchImageData("mnist", {
      manifest,
      cacheDir: cache,
      packageDirs: [],
      env: env(),
      fetch: fake.fn,
      ...w,
    });
    assert.deepEqual(fake.calls, [`${mirrors[0]}t10k-labels-idx1-ubyte.gz`]);
    assert.deepEqual(got.files.map((f) => f.origin), ["cache", "cache", "cache", "download"]);
    assert.equal(w.list.length, 1);
    assert.ok(w.list[0].includes(bad) && w.list[0].endsWith("deleted"), w.list[0]);
    assert.deepEqual(new Uint8Array(readFileSync(bad)), bytes["t10k-labels-idx1-ubyte"]);
  });
});

Deno.test("fetch: a cache that cannot be written stops with an error naming the file", async () => {
  const { manifest, bytes, mirrors } = tinyIdx();
  await withTempDir("data-test-", async (dir) => {
    const notADir = join(dir, "cache");
    writeFileSync(notADir, "a file where the cache directory should be");
    const routes: Record<string, Uint8Array> = {};
    for (const [file, b] of Object.entries(bytes)) {
      routes[`${mirrors[0]}${file}.gz`] = new Uint8Array(gzipSync(b));
    }
    const fake = fakeFetch(routes);
    const e = await dataErrorAsync(() =>
      fetchImageData("mnist", {
        manifest,
        cacheDir: notADir,
        packageDirs: [],
        env: env(),
        fetch: fake.fn,
      })
    );
    assert.match(e.message, /cannot write the cache file .*train-images-idx3-ubyte/);
    assert.equal(fake.calls.length, 1, "no other mirror is tried");
  });
});
