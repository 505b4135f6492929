/**
 * The Parzen baselines at test size: the training-images row is the paper's
 * protocol applied to training images (checked against `parzenEstimate`
 * called directly), the k-means row comes from `kmeans` with the config's
 * seed; both are cached with a checksum, read back without computing, and
 * a corrupt or stale cache entry is recomputed, never used.
 */
import assert from "node:assert/strict";
import { readFileSync, writeFileSync } from "node:fs";
import {
  baselineCachePath,
  type ParzenBaselineConfig,
  parzenBaselines,
  readBaselineCache,
  studyBaselineConfig,
} from "../../lib/baselines/mod.ts";
import { parzenEstimate } from "../../lib/metrics/parzen.ts";
import { kmeans } from "../../lib/metrics/kmeans.ts";
import { loadImageData } from "../../lib/data/images/load.ts";
import { useBackend } from "../_backend.ts";
import { withTempDir } from "../_temp.ts";
import { config } from "../_config.ts";

await useBackend("wasm");

const SMALL: ParzenBaselineConfig = {
  dataset: "mnist",
  samples: 200,
  validPoints: 100,
  testPoints: 150,
  trainSize: 1000,
  kmeansIterations: 3,
  seed: 0,
};

Deno.test("parzenBaselines: training images and k-means centres under the paper's protocol, cached and read back", async () => {
  await withTempDir("baselines-", (dir) => {
    const log: string[] = [];
    const b = parzenBaselines(SMALL, { cacheDir: dir, log: (l) => log.push(l) })!;
    assert.match(log[0], /not computed yet/);
    const d = loadImageData("mnist");
    const rows = (a: Float32Array, from: number, n: number) => ({
      data: a.subarray(from * 784, (from + n) * 784),
      rows: n,
      cols: 784,
    });
    const valid = rows(d.train.images, 50_000, 100);
    const test = rows(d.test.images, 0, 150);
    const direct = parzenEstimate(rows(d.train.images, 0, 200), valid, test);
    assert.equal(b.training.mean, direct.mean);
    assert.equal(b.training.sigma, direct.sigma);
    const km = kmeans(rows(d.train.images, 0, 1000), 200, { seed: 0, maxIterations: 3 });
    const kmDirect = parzenEstimate({ data: km.centres, rows: 200, cols: 784 }, valid, test);
    assert.equal(b.kmeans.mean, kmDirect.mean);
    assert.equal(b.kmeans.iterations, km.iterations);
    const again = parzenBaselines(SMALL, { cacheDir: dir, compute: false });
    assert.deepEqual(again, b);
    assert.equal(parzenBaselines({ ...SMALL, seed: 1 }, { cacheDir: dir, compute: false }), null);
  });
});

Deno.test("parzenBaselines: a corrupt cache entry fails its checksum and is recomputed, never used", async () => {
  await withTempDir("baselines-", (dir) => {
    const b = parzenBaselines(SMALL, { cacheDir: dir, log: () => {} })!;
    const path = baselineCachePath(SMALL, dir);
    const text = readFileSync(path, "utf8");
    writeFileSync(path, text.replace(/"mean": [0-9.-]+/, '"mean": 999'));
    const problem = readBaselineCache(path, SMALL);
    assert.ok("problem" in problem && /fails its checksum \(corrupt\)/.test(problem.problem));
    writeFileSync(path, "{ not json");
    assert.match((readBaselineCache(path, SMALL) as { problem: string }).problem, /does not parse/);
    const log: string[] = [];
    const again = parzenBaselines(SMALL, { cacheDir: dir, log: (l) => log.push(l) })!;
    assert.match(log[0], /does not parse \(corrupt\)/);
    assert.equal(again.training.mean, b.training.mean);
  });
});

Deno.test("studyBaselineConfig: the first image config with parzen sets the sizes", () => {
  const plain = config({ data: { name: "ring-8" } });
  const withParzen = config({
    data: { name: "mnist", trainSize: 20_000 },
    parzen: { samples: 5_000, validPoints: 500, testPoints: 2_000 },
  });
  assert.equal(studyBaselineConfig([plain]), null);
  assert.deepEqual(studyBaselineConfig([plain, withParzen]), {
    dataset: "mnist",
    samples: 5_000,
    validPoints: 500,
    testPoints: 2_000,
    trainSize: 20_000,
    kmeansIterations: 10,
    seed: 0,
  });
});
