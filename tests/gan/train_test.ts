import assert from "node:assert/strict";
import * as tf from "@tensorflow/tfjs";
import { train, type UpdateKind } from "../../lib/gan/train.ts";
import { config } from "../_config.ts";
import { useBackend } from "../_backend.ts";

await useBackend("wasm");

const tiny = {
  data: { name: "ring-8", trainSize: 64, validSize: 128 },
  arch: { name: "mlp", noiseDim: 2, hidden: [16, 16] },
  batchSize: 32,
  steps: 12,
  evalEvery: 4,
  evalSamples: 200,
};

Deno.test("Algorithm 1: k D updates then gSteps G updates, every iteration", async () => {
  const trace: string[] = [];
  const result = await train(config({ ...tiny, steps: 3, k: 2, gSteps: 3 }), {
    onUpdate: (kind: UpdateKind, it: number) => trace.push(`${kind}${it}`),
  });
  assert.deepEqual(trace, [
    ..."D1 D1 G1 G1 G1 D2 D2 G2 G2 G2 D3 D3 G3 G3 G3".split(" "),
  ]);
  assert.equal(result.dUpdates, 6);
  assert.equal(result.gUpdates, 9);
});

Deno.test("train: evaluates at 0, every evalEvery and at the end, with every metric", async () => {
  const result = await train(config({ ...tiny, steps: 10, evalEvery: 4 }));
  assert.deepEqual(result.rows.map((r) => r.step), [0, 4, 8, 10]);
  for (const key of ["d_loss", "g_loss", "d_gap", "r_t", "value", "modes", "hq_share"]) {
    assert.ok(Number.isFinite(result.rows[3][key]), `${key} = ${result.rows[3][key]}`);
  }
  assert.equal(result.samples.length, 200 * 2);
  assert.equal(result.state, "done");
});

Deno.test("train: the same seed gives bit-identical metrics; another seed differs (wasm)", async () => {
  const a = await train(config(tiny, 1));
  const b = await train(config(tiny, 1));
  const c = await train(config(tiny, 2));
  assert.deepEqual(a.rows, b.rows);
  assert.deepEqual(a.samples, b.samples);
  assert.notDeepEqual(a.rows.at(-1), c.rows.at(-1));
});

Deno.test("train: the same seed gives bit-identical metrics on the cpu backend too", async () => {
  await useBackend("cpu");
  try {
    const a = await train(config(tiny, 1));
    const b = await train(config(tiny, 1));
    assert.deepEqual(a.rows, b.rows);
  } finally {
    await useBackend("wasm");
  }
});

Deno.test("train: a run whose loss becomes NaN is diverged, not failed", async () => {
  const result = await train(config({ ...tiny, optimizer: { name: "sgd", lr: 1e30 } }));
  assert.equal(result.state, "diverged");
  assert.match(result.reason ?? "", /became|non-finite/);
});

Deno.test("train: a 1-D non-saturating GAN halves its JS estimate within 300 steps", async () => {
  const result = await train(config({
    data: { name: "gaussian-1d", trainSize: 2048, validSize: 512, mean: 4, std: 0.5 },
    arch: { name: "mlp", noiseDim: 1, hidden: [32, 32] },
    loss: "non-saturating",
    optimizer: { name: "adam", lr: 2e-3, beta1: 0.5 },
    batchSize: 64,
    steps: 300,
    evalEvery: 100,
    evalSamples: 2000,
  }, 0));
  const js = result.rows.map((r) => r.js);
  assert.ok(js[js.length - 1] < js[0] / 2, `JS went ${js.map((v) => v.toFixed(3)).join(" -> ")}`);
  assert.ok(result.rows.every((r) => Number.isFinite(r.dstar_err)));
});

Deno.test("train: leaves no tensors behind", async () => {
  const before = tf.memory().numTensors;
  await train(config(tiny));
  assert.equal(tf.memory().numTensors, before);
});

Deno.test("train: gSteps 0 freezes G (its samples never change) while D trains", async () => {
  const trace: string[] = [];
  const result = await train(
    config({ ...tiny, gSteps: 0, steps: 8, evalEvery: 4 }),
    { onUpdate: (kind: UpdateKind) => trace.push(kind) },
  );
  assert.equal(result.gUpdates, 0);
  assert.equal(result.dUpdates, 8);
  assert.ok(trace.every((k) => k === "D"));
  const first = await train(config({ ...tiny, gSteps: 0, steps: 1, evalEvery: 1 }));
  assert.deepEqual(result.samples, first.samples);
});

Deno.test("train: a linear G on 1-D Gaussian noise measures D against the analytic D*", async () => {
  const partial = {
    data: { name: "gaussian-1d", trainSize: 256, validSize: 128, mean: 1.5, std: 1 },
    arch: { name: "mlp", noiseDim: 1, hidden: [8], gHidden: [] },
    gSteps: 0,
    batchSize: 32,
    steps: 2,
    evalEvery: 1,
    evalSamples: 50,
  };
  const linear = await train(config(partial));
  // With only 50 samples a KDE of p_g would differ from the closed form.
  const kde = await train(config({ ...partial, arch: { ...partial.arch, gHidden: [1] } }));
  assert.ok(linear.rows.every((r) => Number.isFinite(r.dstar_err)));
  assert.notEqual(linear.rows[0].dstar_err, kde.rows[0].dstar_err);
});

Deno.test("train: a 1-D run returns D and D* on the evaluation grid, D* within [0, 1]", async () => {
  const result = await train(config({
    data: { name: "gaussian-1d", trainSize: 128, validSize: 64 },
    arch: { name: "mlp", noiseDim: 1, hidden: [8] },
    batchSize: 32,
    steps: 3,
    evalEvery: 3,
    evalSamples: 100,
  }));
  const curve = result.discriminator!;
  assert.equal(curve.x.length, 201);
  assert.equal(curve.d.length, 201);
  assert.ok(curve.dStar.every((v) => v >= 0 && v <= 1));
  assert.ok(curve.d.every((v) => v > 0 && v < 1));
  const ring = await train(config(tiny));
  assert.equal(ring.discriminator, undefined);
});

Deno.test("simultaneous update: one D and one G update per iteration, deterministic, unlike alternating", async () => {
  const trace: string[] = [];
  const sim = config({ ...tiny, steps: 3, update: "simultaneous" });
  const a = await train(sim, {
    onUpdate: (kind: UpdateKind, it: number) => trace.push(`${kind}${it}`),
  });
  assert.deepEqual(trace, "D1 G1 D2 G2 D3 G3".split(" "));
  assert.equal(a.dUpdates, 3);
  assert.equal(a.gUpdates, 3);
  const b = await train(sim);
  assert.deepEqual(a.rows, b.rows);
  const alt = await train(config({ ...tiny, steps: 3 }));
  assert.notDeepEqual(alt.rows[alt.rows.length - 1], a.rows[a.rows.length - 1]);
});

Deno.test("simultaneous update: G's gradient comes from D before D's update", async () => {
  // dLossScale scales D's gradient only, so with SGD it changes D's first update. G's first
  // update sees that new D under the alternating update, and the old D under the simultaneous one.
  const sgd = { name: "sgd", lr: 0.1, momentum: 0 };
  const gAfter = async (update: string, dLossScale: number) => {
    const r = await train(
      config({ ...tiny, optimizer: sgd, steps: 1, evalEvery: 1, update, dLossScale }),
    );
    return r.final.tensors.slice(0, 6).map((t) => Array.from(t.data));
  };
  assert.deepEqual(await gAfter("simultaneous", 1), await gAfter("simultaneous", 100));
  assert.notDeepEqual(await gAfter("alternating", 1), await gAfter("alternating", 100));
});
