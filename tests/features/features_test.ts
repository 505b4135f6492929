/**
 * The feature network cache: a test-sized network is trained, cached with
 * its config and checksum, read back unchanged; a corrupt or stale entry is
 * reported and rebuilt, never used; a lock left by a dead process is taken
 * over.
 */
import assert from "node:assert/strict";
import { existsSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import {
  extractFeatures,
  featureCacheDir,
  loadFeatureNet,
  readFeatureCache,
  setFeatureDefaults,
  shiftInto,
  withCacheLock,
} from "../../lib/features/mod.ts";
import { loadImageData } from "../../lib/data/images/load.ts";
import { Rng } from "../../lib/runtime/rng.ts";
import { useBackend } from "../_backend.ts";
import { TINY_FEATURES } from "../_features.ts";
import { withTempDir } from "../_temp.ts";

await useBackend("wasm");

const mnist = loadImageData("mnist");
const probe = mnist.test.images.subarray(0, 50 * 784);

function features(dir: string, log: string[], config = TINY_FEATURES) {
  const r = loadFeatureNet("mnist", {
    cacheDir: dir,
    config,
    log: (l) => log.push(l),
    retrain: false,
  });
  return { ...r, probe: extractFeatures(r.net, probe, 50).features };
}

Deno.test("features: a network is trained once, cached with its config and checksum, and read back unchanged", async () => {
  await withTempDir("feat-", (dir) => {
    const log: string[] = [];
    const first = features(dir, log);
    assert.equal(first.trained, true);
    assert.match(log[0], /no cached network/);
    assert.match(log[log.length - 1], /test accuracy \d+\.\d\d%, trained in/);
    assert.ok(first.meta.testAccuracy > 0.6, `accuracy ${first.meta.testAccuracy}`);
    const meta = JSON.parse(readFileSync(join(featureCacheDir("mnist", dir), "net.json"), "utf8"));
    assert.deepEqual(meta.config, TINY_FEATURES);
    assert.match(meta.weightsSha256, /^[0-9a-f]{64}$/);
    assert.equal(meta.data.length, 4);
    const cached = readFeatureCache(featureCacheDir("mnist", dir), TINY_FEATURES, mnist.files);
    assert.ok("net" in cached, JSON.stringify(cached));
    const again = extractFeatures(cached.net, probe, 50).features;
    assert.deepEqual(again, first.probe);
    cached.net.dispose();
  });
});

Deno.test("features: a corrupt weights file fails its checksum and is rebuilt, never used", async () => {
  await withTempDir("feat-", (dir) => {
    const log: string[] = [];
    const good = features(dir, log);
    const weights = join(featureCacheDir("mnist", dir), "weights.bin");
    const bytes = readFileSync(weights);
    bytes[100] ^= 0xff;
    writeFileSync(weights, bytes);
    const problem = readFeatureCache(featureCacheDir("mnist", dir), TINY_FEATURES, mnist.files);
    assert.ok("problem" in problem && /fails its checksum \(corrupt\)/.test(problem.problem));
    // A new process: nothing loaded yet.
    setFeatureDefaults({});
    const log2: string[] = [];
    const rebuilt = features(dir, log2);
    assert.equal(rebuilt.trained, true);
    assert.match(log2[0], /weights.bin fails its checksum \(corrupt\).*; training it/);
    assert.deepEqual(rebuilt.probe, good.probe);
    assert.ok("net" in readFeatureCache(featureCacheDir("mnist", dir), TINY_FEATURES, mnist.files));
  });
});

Deno.test("features: a stale entry (another config, other data files) is reported and retrained", async () => {
  await withTempDir("feat-", (dir) => {
    features(dir, []);
    const cacheDir = featureCacheDir("mnist", dir);
    const other = { ...TINY_FEATURES, epochs: 3 };
    const stale = readFeatureCache(cacheDir, other, mnist.files);
    assert.ok("problem" in stale);
    assert.match(stale.problem, /stale: trained with epochs 2 -> 3/);
    const files = mnist.files.map((f, i) => (i === 0 ? { ...f, sha256: "0".repeat(64) } : f));
    const moved = readFeatureCache(cacheDir, TINY_FEATURES, files);
    assert.ok("problem" in moved && /other data files/.test(moved.problem));
    const log: string[] = [];
    const r = features(dir, log, { ...TINY_FEATURES, trainImages: 2000 });
    assert.equal(r.trained, true);
    assert.match(log[0], /stale: trained with trainImages 3000 -> 2000; training it/);
  });
});

Deno.test("withCacheLock: a lock left by a process that no longer runs is taken over; the lock is released", async () => {
  await withTempDir("lock-", (dir) => {
    writeFileSync(join(dir, ".lock"), JSON.stringify({ pid: 2 ** 22 + 12345 }));
    assert.equal(withCacheLock(dir, () => existsSync(join(dir, ".lock"))), true);
    assert.equal(existsSync(join(dir, ".lock")), false);
  });
});

Deno.test("shiftInto: moves an image by whole pixels and fills with 0", () => {
  const img = Float32Array.from({ length: 16 }, (_, i) => i + 1); // 4x4x1
  const config = {
    shape: { ...TINY_FEATURES.shape, image: [4, 4, 1] as [number, number, number] },
    shift: 1,
  };
  const seen = new Set<string>();
  const rng = new Rng(3, "t");
  for (let t = 0; t < 60; t++) {
    const out = new Float32Array(16);
    shiftInto(img, out, 0, config, rng);
    // Find the shift from where pixel 6 (row 1, col 1) went.
    const at = out.indexOf(6);
    const dy = Math.floor(at / 4) - 1;
    const dx = (at % 4) - 1;
    seen.add(`${dy},${dx}`);
    for (let y = 0; y < 4; y++) {
      for (let x = 0; x < 4; x++) {
        const sy = y - dy;
        const sx = x - dx;
        const want = sy >= 0 && sy < 4 && sx >= 0 && sx < 4 ? img[sy * 4 + sx] : 0;
        assert.equal(out[y * 4 + x], want);
      }
    }
  }
  assert.equal(seen.size, 9);
});
