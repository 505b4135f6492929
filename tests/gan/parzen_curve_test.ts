/**
 * The Parzen estimate during training (parzen.every): logged at step 0, at
 * every evaluation whose step is a multiple of `every`, and at the last;
 * the paper's protocol on the first `trainingPoints` test images, the full
 * protocol (`parzen_ll`) still only at the end; registered metrics; a
 * resumed run logs the same curve.
 */
import assert from "node:assert/strict";
import { train, type TrainState } from "../../lib/gan/train.ts";
import { Gan, noise, outputsOf } from "../../lib/gan/gan.ts";
import { restore } from "../../lib/gan/checkpoint.ts";
import { parzenCurveDue } from "../../lib/gan/parzen_curve.ts";
import { parzenEstimate } from "../../lib/metrics/parzen.ts";
import { metricInfo, metricsOfStage } from "../../lib/metrics/registry.ts";
import { loadDataset } from "../../lib/data/dataset.ts";
import { BatchSampler } from "../../lib/data/batches.ts";
import { Rng } from "../../lib/runtime/rng.ts";
import { config } from "../_config.ts";
import { useBackend } from "../_backend.ts";

await useBackend("wasm");

const tiny = {
  data: { name: "mnist", trainSize: 300, validSize: 100, testSize: 100 },
  arch: { name: "maxout", noiseDim: 8, gHidden: [16], dUnits: [8, 8], pieces: 3 },
  dLossScale: 0.5,
  update: "simultaneous",
  optimizer: { name: "sgd", lr: 0.1, momentum: 0.5 },
  batchSize: 20,
  steps: 7,
  evalEvery: 2,
  evalSamples: 40,
  parzen: { samples: 60, validPoints: 30, testPoints: 50, every: 4, trainingPoints: 20 },
};

Deno.test("parzen curve: at step 0, multiples of parzen.every and the last; parzen_ll only at the end", async () => {
  const c = config(tiny);
  const result = await train(c);
  assert.deepEqual(result.rows.map((r) => r.step), [0, 2, 4, 6, 7]);
  const curve = result.rows.filter((r) => "parzen_curve_ll" in r).map((r) => r.step);
  assert.deepEqual(curve, [0, 4, 7]);
  assert.deepEqual(result.rows.map((r) => parzenCurveDue(c, r.step)), [
    true,
    false,
    true,
    false,
    true,
  ]);
  for (const r of result.rows.filter((r) => "parzen_curve_ll" in r)) {
    assert.ok(Number.isFinite(r.parzen_curve_ll) && r.parzen_curve_se > 0, `step ${r.step}`);
    assert.ok(r.parzen_curve_sigma >= 0.1 - 1e-12 && r.parzen_curve_sigma <= 1 + 1e-12);
  }
  assert.deepEqual(result.rows.filter((r) => "parzen_ll" in r).map((r) => r.step), [7]);
  // The curve moves as G trains.
  assert.notEqual(result.rows[0].parzen_curve_ll, result.rows[4].parzen_curve_ll);

  // The last point is the protocol on the first trainingPoints test images, from the final G.
  const data = loadDataset(c.data, c.seed);
  const gan = new Gan(c, data);
  const streams = {
    noise: new Rng(c.seed, "noise"),
    batches: new BatchSampler(data.train, gan.dim, new Rng(c.seed, "order")),
  };
  restore(gan, streams, result.final);
  const fakes = outputsOf(gan.g, noise(c, new Rng(c.seed, "parzen"), 60), 8, 500);
  const dim = 784;
  const est = parzenEstimate(
    { data: fakes, rows: 60, cols: dim },
    { data: data.valid.subarray(0, 30 * dim), rows: 30, cols: dim },
    { data: data.test!.subarray(0, 20 * dim), rows: 20, cols: dim },
    { testEverySigma: false },
  );
  gan.dispose();
  const last = result.rows[4];
  assert.equal(last.parzen_curve_ll, est.mean);
  assert.equal(last.parzen_curve_se, est.se);
  assert.equal(last.parzen_curve_sigma, est.sigma);
  assert.notEqual(last.parzen_curve_ll, last.parzen_ll, "20 test images, not 50");
});

Deno.test("parzen curve: trainingPoints above testPoints uses testPoints; every 0 logs none", async () => {
  const many = await train(config({
    ...tiny,
    steps: 2,
    parzen: { ...tiny.parzen, every: 2, trainingPoints: 5000 },
  }));
  const last = many.rows[many.rows.length - 1];
  assert.equal(last.parzen_curve_ll, last.parzen_ll, "both on the 50 test images");
  const none = await train(config({ ...tiny, steps: 2, parzen: { ...tiny.parzen, every: 0 } }));
  assert.ok(none.rows.every((r) => !("parzen_curve_ll" in r)));
});

Deno.test("parzen curve: registered, and a resumed run logs the same curve", async () => {
  assert.deepEqual(metricsOfStage("parzen-curve"), [
    "parzen_curve_ll",
    "parzen_curve_se",
    "parzen_curve_sigma",
  ]);
  assert.equal(metricInfo("parzen_curve_ll")?.direction, "higher");
  const c = config(tiny);
  const full = await train(c);
  let saved: TrainState | null = null;
  await train(c, {
    checkpointEvery: 5,
    onCheckpoint: (s) => (saved ??= s),
    shouldStop: () => saved !== null,
  });
  const resumed = await train(c, { resume: saved! });
  assert.deepEqual(resumed.rows, full.rows);
});

Deno.test("an image run whose G diverges is diverged, not failed (no image metrics of NaN samples)", async () => {
  const result = await train(config({
    ...tiny,
    steps: 6,
    evalEvery: 2,
    parzen: { ...tiny.parzen, every: 2 },
    // Step sizes far too large: the weights, then G's samples, become NaN.
    dOptimizer: { lr: 1e20 },
    gOptimizer: { lr: 1e20 },
  }));
  assert.equal(result.state, "diverged");
  assert.match(result.reason!, /became (NaN|Infinity|-Infinity)|non-finite/);
  const last = result.rows[result.rows.length - 1];
  assert.ok(!("modes" in last) && !("parzen_curve_ll" in last));
});
