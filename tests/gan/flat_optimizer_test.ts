/**
 * The optimisers of the fast steps against the tfjs optimisers of
 * `optimizers.ts` on the same gradients: SGD with the paper's schedules
 * (its velocity update folded into the sink) and Adam (bit for bit), the
 * update count kept in the tfjs optimiser. Skipped only where no native
 * BLAS loads.
 */
import assert from "node:assert/strict";
import * as tf from "@tensorflow/tfjs";
import { createOptimizer } from "../../lib/gan/optimizers.ts";
import { createFlatOptimizer } from "../../lib/gan/flat_optimizer.ts";
import type { OptimizerConfig } from "../../lib/spec/config.ts";
import { nativeBlas } from "../../lib/runtime/blas.ts";
import { Rng } from "../../lib/runtime/rng.ts";
import { useBackend } from "../_backend.ts";

await useBackend("wasm");
const blas = nativeBlas();
const ignore = blas === null;
if (ignore) console.log("flat_optimizer_test: skipped, no native BLAS");

const N = 50;
const STEPS = 12;

/** Runs both optimisers on the same gradients; returns the weights, state and counts of both. */
function both(config: OptimizerConfig) {
  const init = new Rng(1).uniforms(N, -1, 1);
  const w = tf.variable(tf.tensor1d(init));
  const tfOpt = createOptimizer(config, [w], { updatesPerEpoch: 3 });
  const counter = createOptimizer(config, [tf.variable(tf.zeros([1]))], { updatesPerEpoch: 3 });
  const params = init.slice();
  const flat = createFlatOptimizer(config, params, counter, 3, blas!);
  const rng = new Rng(2);
  for (let s = 0; s < STEPS; s++) {
    const g = rng.uniforms(N, -1, 1);
    const gt = tf.tensor1d(g);
    tfOpt.apply([gt]);
    gt.dispose();
    // What a FlatNet backward pass writes into the sink.
    const sink = flat.sink();
    for (let i = 0; i < N; i++) {
      sink.target[i] = sink.alpha * g[i] + (sink.beta === 0 ? 0 : sink.beta * sink.target[i]);
    }
    flat.apply();
  }
  const out = {
    tfjs: w.dataSync().slice(),
    flat: params,
    tfjsState: tfOpt.slots().map((s) => s.dataSync().slice()),
    flatState: flat.state,
    counts: [tfOpt.iterations, counter.iterations],
  };
  tfOpt.dispose();
  w.dispose();
  return out;
}

Deno.test({
  name: "flat SGD: the tfjs optimiser's updates with the paper's schedules, velocity in the sink",
  ignore,
  fn() {
    const r = both({
      name: "sgd",
      lr: 0.1,
      momentum: 0.5,
      lrDecay: 1.01,
      lrMin: 0.095,
      momentumEnd: 0.9,
      momentumRampEpochs: 2,
    });
    assert.deepEqual(r.counts, [STEPS, STEPS]);
    for (let i = 0; i < N; i++) {
      assert.ok(Math.abs(r.flat[i] - r.tfjs[i]) < 1e-5, `w[${i}] ${r.flat[i]} vs ${r.tfjs[i]}`);
      const v = [r.flatState[0][i], r.tfjsState[0][i]];
      assert.ok(Math.abs(v[0] - v[1]) < 1e-5, `v[${i}] ${v[0]} vs ${v[1]}`);
    }
  },
});

Deno.test({
  name: "flat Adam: bit-identical to the tfjs optimiser, moments included",
  ignore,
  fn() {
    const r = both({ name: "adam", lr: 0.01, beta1: 0.5, beta2: 0.999, eps: 1e-8 });
    assert.deepEqual(r.counts, [STEPS, STEPS]);
    assert.deepEqual(Array.from(r.flat), Array.from(r.tfjs));
    assert.deepEqual(r.flatState.map((s) => Array.from(s)), r.tfjsState.map((s) => Array.from(s)));
  },
});

Deno.test({
  name: "flat optimisers: layers updated early through done give the same update, each range once",
  ignore,
  fn() {
    for (
      const config of [
        { name: "sgd", lr: 0.1, momentum: 0.5 },
        { name: "adam", lr: 0.01, beta1: 0.5, beta2: 0.999, eps: 1e-8 },
      ] as OptimizerConfig[]
    ) {
      const runs = [false, true].map((early) => {
        const params = new Rng(3).uniforms(N, -1, 1);
        const counter = createOptimizer(config, [tf.variable(tf.zeros([1]))]);
        const opt = createFlatOptimizer(config, params, counter, 1, blas!);
        const rng = new Rng(4);
        for (let s = 0; s < 3; s++) {
          const g = rng.uniforms(N, -1, 1);
          const sink = opt.sink();
          for (let i = 0; i < N; i++) {
            sink.target[i] = sink.alpha * g[i] + (sink.beta === 0 ? 0 : sink.beta * sink.target[i]);
          }
          if (early) {
            sink.done!(30, 50);
            sink.done!(30, 50); // twice: still once
            sink.done!(0, 10);
          }
          opt.apply();
        }
        assert.equal(counter.iterations, 3);
        return params;
      });
      assert.deepEqual(Array.from(runs[1]), Array.from(runs[0]), config.name);
    }
    const counter = createOptimizer({ name: "sgd", lr: 0.1, momentum: 0 }, [
      tf.variable(tf.zeros([1])),
    ]);
    const opt = createFlatOptimizer(
      { name: "sgd", lr: 0.1, momentum: 0 },
      new Float32Array(4),
      counter,
      1,
      blas!,
    );
    assert.throws(() => opt.apply(), /no gradient was taken \(call sink\(\) first\)/);
  },
});
