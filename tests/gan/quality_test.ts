/**
 * The quality metrics of real (short) runs: an MNIST run logs FID, KID,
 * precision/recall, density/coverage and the classifier Inception Score on
 * a subset during training and the full count at the end, with the
 * held-out references and the memorisation test there; a ring-8 run gets
 * precision/recall and density/coverage in data space; the same seed gives
 * the same values; a config without `quality` logs none of them.
 */
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { train, type TrainState } from "../../lib/gan/train.ts";
import { executeRun } from "../../lib/sweep/run.ts";
import { runPaths } from "../../lib/sweep/store.ts";
import { parseCsv } from "../../lib/io/csv.ts";
import { planStudy } from "../../lib/claims/simulate.ts";
import { currentBackend } from "../../lib/runtime/backend.ts";
import { withTempDir } from "../_temp.ts";
import { metricInfo } from "../../lib/metrics/registry.ts";
import { useBackend } from "../_backend.ts";
import { config } from "../_config.ts";
import { useTinyFeatures } from "../_features.ts";

await useBackend("wasm");
useTinyFeatures();

const MNIST = {
  data: { name: "mnist", trainSize: 2000, validSize: 600, testSize: 100 },
  arch: { name: "mlp", noiseDim: 8, hidden: [32] },
  steps: 20,
  evalEvery: 10,
  batchSize: 32,
  evalSamples: 100,
  quality: {
    samples: 500,
    trainingSamples: 100,
    kidSubsets: 5,
    kidSubsetSize: 50,
    memorisationSamples: 200,
  },
};

Deno.test("quality: an MNIST run logs the feature metrics on a subset during training and in full at the end", async () => {
  const r = await train(config(MNIST));
  assert.equal(r.state, "done");
  const [first, , last] = r.rows;
  for (const row of r.rows) {
    for (
      const m of [
        "fid",
        "kid",
        "kid_sd",
        "precision",
        "recall",
        "density",
        "coverage",
        "inception_score",
      ]
    ) {
      assert.ok(Number.isFinite(row[m]), `${m} at step ${row.step}`);
    }
  }
  for (const m of Object.keys(last)) if (m !== "step") assert.ok(metricInfo(m), m);
  assert.deepEqual([first.n_real, first.n_fake], [100, 100]);
  assert.deepEqual([last.n_real, last.n_fake, last.n_heldout, last.mem_n], [500, 500, 500, 200]);
  assert.equal(first.fid_heldout, undefined);
  assert.equal(first.mem_copy_share, undefined);
  // Held-out images are like training images; 20 steps of G are not.
  assert.ok(last.fid_heldout < last.fid, `${last.fid_heldout} vs ${last.fid}`);
  assert.ok(last.precision_heldout > last.precision);
  assert.ok(last.coverage_heldout > last.coverage);
  assert.ok(last.inception_score_heldout > last.inception_score);
  assert.ok(Math.abs(last.mem_heldout_share - 0.05) < 0.01);
  assert.ok(
    last.mem_ratio > 1,
    `a barely trained G is far from every training image (${last.mem_ratio})`,
  );
  assert.equal(r.nnDistances?.samples.length, 200);
  assert.equal(r.nnDistances?.heldout.length, 200);
  const again = await train(config(MNIST));
  assert.deepEqual(again.rows, r.rows);
});

Deno.test("quality: a ring-8 run gets precision/recall and density/coverage in data space; without quality none", async () => {
  const base = {
    data: { name: "ring-8", trainSize: 256, validSize: 256 },
    arch: { name: "mlp", noiseDim: 2, hidden: [16] },
    steps: 10,
    evalEvery: 5,
    evalSamples: 100,
    batchSize: 32,
  };
  const r = await train(config({ ...base, quality: { samples: 200, trainingSamples: 50 } }));
  const last = r.rows[r.rows.length - 1];
  for (
    const m of [
      "precision",
      "recall",
      "density",
      "coverage",
      "precision_heldout",
      "coverage_heldout",
    ]
  ) {
    assert.ok(Number.isFinite(last[m]), m);
  }
  assert.deepEqual([last.n_real, last.n_fake, last.n_heldout], [200, 200, 200]);
  assert.equal(last.fid, undefined);
  assert.equal(r.rows[0].n_fake, 50);
  const plain = await train(config(base));
  for (const row of plain.rows) assert.equal(row.precision, undefined);
  assert.ok(last.precision_heldout > 0.8, String(last.precision_heldout));
  const only = await train(
    config({
      ...base,
      quality: { metrics: ["density-coverage"], samples: 100, trainingSamples: 0 },
    }),
  );
  assert.deepEqual(
    Object.keys(only.rows[only.rows.length - 1]).filter((k) =>
      /density|coverage|precision|recall/.test(k)
    ),
    ["density", "coverage", "density_heldout", "coverage_heldout"],
  );
  assert.equal(only.rows[0].density, undefined);
});

Deno.test("quality: a run resumed from a checkpoint logs the same quality metrics", async () => {
  const cfg = config({
    data: { name: "ring-8", trainSize: 128, validSize: 128 },
    arch: { name: "mlp", noiseDim: 2, hidden: [16] },
    steps: 12,
    evalEvery: 4,
    evalSamples: 64,
    batchSize: 16,
    quality: { samples: 100, trainingSamples: 40 },
  });
  const checkpoints: TrainState[] = [];
  const whole = await train(cfg, {
    checkpointEvery: 5,
    onCheckpoint: (s) => checkpoints.push(structuredClone(s)),
  });
  const resumed = await train(cfg, { resume: checkpoints[0] });
  assert.deepEqual(resumed.rows, whole.rows);
});

Deno.test("quality: an image run's directory gets nn_distances.csv, one row per sample and held-out image", async () => {
  await withTempDir("quality-run-", async (dir) => {
    const study = planStudy({
      base: {
        ...MNIST,
        steps: 4,
        evalEvery: 4,
        quality: { ...MNIST.quality, metrics: ["memorisation"] },
      },
      seeds: [0],
    });
    const status = await executeRun(study.plans[0], dir, { backend: currentBackend()! });
    assert.equal(status.state, "done", status.error ?? "");
    const rows = parseCsv(readFileSync(runPaths(dir).nnDistances, "utf8"));
    assert.equal(rows.filter((r) => r.set === "sample").length, 200);
    assert.equal(rows.filter((r) => r.set === "heldout").length, 200);
    const final = JSON.parse(readFileSync(runPaths(dir).final, "utf8"));
    assert.equal(final.metrics.mem_n, 200);
  });
});
