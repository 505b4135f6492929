/**
 * The fused Adam update: bit-identical to the written-out tfjs ops on wasm
 * and on cpu, over several steps and hyper-parameters.
 */
import assert from "node:assert/strict";
import * as tf from "@tensorflow/tfjs";
import { onCpu, useBackend } from "../_backend.ts";
import { Rng } from "../../lib/runtime/rng.ts";
import {
  ADAM_UPDATE,
  type AdamStep,
  adamUpdate,
  registerWasmAdamKernel,
  unregisterWasmAdamKernel,
} from "../../lib/runtime/fused_adam.ts";

/** Runs `steps` updates from fixed inputs; returns the final v, m, s. */
function run(steps: number, hyper: Omit<AdamStep, "c1" | "c2">): Float32Array[] {
  const rng = new Rng(3, "fused-adam-test");
  const n = 1031;
  let v: tf.Tensor = tf.tensor1d(rng.normals(n));
  let m: tf.Tensor = tf.zeros([n]);
  let s: tf.Tensor = tf.zeros([n]);
  for (let t = 1; t <= steps; t++) {
    const g = tf.tensor1d(rng.normals(n, t === 2 ? 1e-4 : 3));
    const h = { ...hyper, c1: 1 - hyper.beta1 ** t, c2: 1 - hyper.beta2 ** t };
    const [nv, nm, ns] = adamUpdate(v, m, s, g, h);
    tf.dispose([v, m, s, g]);
    [v, m, s] = [nv, nm, ns];
  }
  const out = [v, m, s].map((x) => Float32Array.from(x.dataSync()));
  tf.dispose([v, m, s]);
  return out;
}

const HYPERS = [
  { lr: 2e-4, beta1: 0.5, beta2: 0.999, eps: 1e-8 },
  { lr: 1e-3, beta1: 0.9, beta2: 0.99, eps: 1e-7 },
];

Deno.test("fused Adam on wasm is bit-identical to the tfjs ops on wasm and on cpu", async () => {
  await useBackend("wasm");
  assert.ok(tf.getKernel(ADAM_UPDATE, "wasm"), "initBackend registers the fused kernel");
  for (const hyper of HYPERS) {
    const fused = run(4, hyper);
    unregisterWasmAdamKernel();
    let ops: Float32Array[];
    try {
      ops = run(4, hyper);
    } finally {
      registerWasmAdamKernel();
    }
    const cpu = await onCpu(() => run(4, hyper));
    for (let i = 0; i < 3; i++) {
      assert.deepEqual(fused[i], ops[i], `output ${i} vs wasm ops (${JSON.stringify(hyper)})`);
      assert.deepEqual(fused[i], cpu[i], `output ${i} vs cpu ops (${JSON.stringify(hyper)})`);
    }
  }
});

Deno.test("fused Adam refuses operands of different shapes", async () => {
  await useBackend("wasm");
  const h = { lr: 1, beta1: 0.5, beta2: 0.9, eps: 1e-8, c1: 0.5, c2: 0.1 };
  assert.throws(
    () => tf.tidy(() => adamUpdate(tf.zeros([3]), tf.zeros([3]), tf.zeros([2]), tf.zeros([3]), h)),
    /share one shape/,
  );
});
