/**
 * Matrix products of the wasm backend on native BLAS (`BatchMatMul` and
 * `_FusedMatMul`) against a float64 JavaScript reference: shapes,
 * transposes, batch dimensions and their broadcasting, empty and vector
 * cases, fused bias of several shapes and every fused activation. (Never
 * against the shipped wasm `_FusedMatMul`, which is wrong with a bias and a
 * transpose.) Also: how `initBackend` reports the BLAS and turns it off.
 * Skipped (with a message) only where no BLAS library loads.
 */
import assert from "node:assert/strict";
import * as tf from "@tensorflow/tfjs";
import { onCpu, useBackend } from "../_backend.ts";
import { initBackend } from "../../lib/runtime/backend.ts";
import { blasStatus, nativeBlas } from "../../lib/runtime/blas.ts";
import { nativeMatmulActive } from "../../lib/runtime/wasm_matmul.ts";
import { Rng } from "../../lib/runtime/rng.ts";

const blas = nativeBlas();
if (!blas) {
  const status = blasStatus();
  console.log(
    `wasm_matmul_test: skipped, no native BLAS: ${"reason" in status ? status.reason : ""}`,
  );
}
const ignore = blas === null;
const rng = new Rng(11, "wasm-matmul-test");

type Act = "linear" | "relu" | "relu6" | "elu" | "leakyrelu" | "prelu" | "sigmoid";

function activate(v: number, act: Act, alpha: number, w: number): number {
  switch (act) {
    case "linear":
      return v;
    case "relu":
      return Math.max(v, 0);
    case "relu6":
      return Math.min(Math.max(v, 0), 6);
    case "elu":
      return v >= 0 ? v : Math.exp(v) - 1;
    case "leakyrelu":
      return v < 0 ? alpha * v : v;
    case "prelu":
      return v < 0 ? w * v : v;
    case "sigmoid":
      return 1 / (1 + Math.exp(-v));
  }
}

/** Index of `out` (a multi-index into outShape) in a tensor of `shape` broadcast to it. */
function broadcastIndex(index: number[], shape: number[]): number {
  let flat = 0;
  const off = index.length - shape.length;
  for (let i = 0; i < shape.length; i++) {
    flat = flat * shape[i] + (shape[i] === 1 ? 0 : index[off + i]);
  }
  return flat;
}

interface Case {
  a: number[];
  b: number[];
  transA?: boolean;
  transB?: boolean;
  bias?: number[];
  act?: Act;
  prelu?: number[];
}

/** Reference product (float64) of random operands; returns [want, outShape]. */
function reference(
  c: Case,
  a: Float32Array,
  b: Float32Array,
  bias?: Float32Array,
  prelu?: Float32Array,
): { want: Float64Array; shape: number[]; k: number } {
  const ra = c.a.length;
  const rb = c.b.length;
  const m = c.transA ? c.a[ra - 1] : c.a[ra - 2];
  const k = c.transA ? c.a[ra - 2] : c.a[ra - 1];
  const n = c.transB ? c.b[rb - 2] : c.b[rb - 1];
  const aBatch = c.a.slice(0, -2);
  const bBatch = c.b.slice(0, -2);
  const rank = Math.max(aBatch.length, bBatch.length);
  const outBatch: number[] = [];
  for (let i = 0; i < rank; i++) {
    const da = aBatch[aBatch.length - rank + i] ?? 1;
    const db = bBatch[bBatch.length - rank + i] ?? 1;
    outBatch.push(Math.max(da, db));
  }
  const shape = [...outBatch, m, n];
  const total = shape.reduce((x, y) => x * y, 1);
  const want = new Float64Array(total);
  const index = new Array(shape.length).fill(0);
  for (let f = 0; f < total; f++) {
    let rem = f;
    for (let d = shape.length - 1; d >= 0; d--) {
      index[d] = rem % shape[d];
      rem = Math.floor(rem / shape[d]);
    }
    const bi = index.slice(0, -2);
    const [i, j] = index.slice(-2);
    const aBase = broadcastIndex([...bi, 0, 0], [...aBatch, 1, 1]) * (m * k);
    const bBase = broadcastIndex([...bi, 0, 0], [...bBatch, 1, 1]) * (k * n);
    let s = 0;
    for (let p = 0; p < k; p++) {
      const av = c.transA ? a[aBase + p * m + i] : a[aBase + i * k + p];
      const bv = c.transB ? b[bBase + j * k + p] : b[bBase + p * n + j];
      s += av * bv;
    }
    if (bias) s += bias[broadcastIndex(index, c.bias!)];
    const w = prelu ? prelu[broadcastIndex(index, c.prelu!)] : 0;
    want[f] = activate(s, c.act ?? "linear", 0.3, w);
  }
  return { want, shape, k };
}

function check(c: Case) {
  const size = (s: number[]) => s.reduce((x, y) => x * y, 1);
  const a = rng.normals(size(c.a));
  const b = rng.normals(size(c.b));
  const bias = c.bias ? rng.normals(size(c.bias)) : undefined;
  const prelu = c.prelu ? rng.uniforms(size(c.prelu), 0, 0.5) : undefined;
  const { want, shape, k } = reference(c, a, b, bias, prelu);
  const what = JSON.stringify(c);
  const got = tf.tidy(() => {
    const at = tf.tensor(a, c.a);
    const bt = tf.tensor(b, c.b);
    const fused = c.bias !== undefined || c.act !== undefined;
    const y = fused
      ? tf.fused.matMul({
        a: at,
        b: bt,
        transposeA: c.transA,
        transposeB: c.transB,
        bias: bias ? tf.tensor(bias, c.bias!) : undefined,
        activation: c.act,
        preluActivationWeights: prelu ? tf.tensor(prelu, c.prelu!) : undefined,
        leakyreluAlpha: 0.3,
      })
      : tf.matMul(at, bt, c.transA, c.transB);
    assert.deepEqual(y.shape, shape, `${what}: shape`);
    return y.dataSync() as Float32Array;
  });
  const tol = 1e-5 * Math.sqrt(Math.max(k, 1)) * 4;
  for (let i = 0; i < want.length; i++) {
    if (!(Math.abs(got[i] - want[i]) <= tol * (1 + Math.abs(want[i])))) {
      assert.fail(`${what}: element ${i} is ${got[i]}, expected ${want[i]}`);
    }
  }
}

Deno.test({
  name: "BatchMatMul on BLAS: 2-D with every transpose, vectors, empty and k = 0",
  ignore,
  async fn() {
    await useBackend("wasm");
    assert.ok(nativeMatmulActive(), "initBackend should have registered the native matmul");
    for (const [m, k, n] of [[5, 7, 3], [1, 9, 4], [6, 8, 1], [1, 1, 1], [64, 100, 48]]) {
      for (const transA of [false, true]) {
        for (const transB of [false, true]) {
          check({
            a: transA ? [k, m] : [m, k],
            b: transB ? [n, k] : [k, n],
            transA,
            transB,
          });
        }
      }
    }
    check({ a: [0, 4], b: [4, 3] });
    const zeroK = tf.tidy(() => tf.matMul(tf.zeros([3, 0]), tf.zeros([0, 2])).dataSync());
    assert.deepEqual([...zeroK], [0, 0, 0, 0, 0, 0]);
  },
});

Deno.test({
  name: "BatchMatMul on BLAS: batch dimensions, broadcast between a and b, higher ranks",
  ignore,
  async fn() {
    await useBackend("wasm");
    check({ a: [3, 4, 5], b: [3, 5, 2] });
    check({ a: [3, 5, 4], b: [3, 2, 5], transA: true, transB: true });
    check({ a: [3, 4, 5], b: [1, 5, 2] }); // b shared: one stacked product
    check({ a: [1, 4, 5], b: [3, 5, 2], transB: false }); // a shared
    check({ a: [2, 1, 4, 5], b: [3, 5, 6] }); // [2,1] x [3] -> [2,3]
    check({ a: [2, 1, 5, 4], b: [1, 3, 6, 5], transA: true, transB: true });
    check({ a: [4, 5], b: [2, 3, 5, 2] }); // rank 2 against rank 4
    check({ a: [2, 3, 1, 5], b: [2, 3, 5, 1] }); // 1x1 results per batch
  },
});

Deno.test({
  name: "_FusedMatMul on BLAS: bias of several shapes with transposes, every activation",
  ignore,
  async fn() {
    await useBackend("wasm");
    for (const transA of [false, true]) {
      for (const transB of [false, true]) {
        const a = transA ? [6, 4] : [4, 6];
        const b = transB ? [5, 6] : [6, 5];
        check({ a, b, transA, transB, bias: [5] });
        check({ a, b, transA, transB, bias: [4, 5], act: "relu" });
        check({ a, b, transA, transB, bias: [1], act: "sigmoid" });
        check({ a, b, transA, transB, bias: [4, 1], act: "leakyrelu" });
      }
    }
    for (const act of ["linear", "relu", "relu6", "elu", "leakyrelu", "sigmoid"] as const) {
      check({ a: [3, 7, 9], b: [3, 9, 4], bias: [4], act });
    }
    check({ a: [7, 9], b: [9, 4], act: "prelu", prelu: [4] });
    check({ a: [7, 9], b: [9, 4], bias: [4], act: "prelu", prelu: [7, 4] });
    check({ a: [2, 7, 9], b: [9, 4], bias: [2, 1, 4], act: "relu6" });
    // relu6 must clip: scale inputs up so values exceed 6.
    const clipped = tf.tidy(() =>
      tf.fused.matMul({ a: tf.fill([2, 3], 3), b: tf.fill([3, 2], 1), activation: "relu6" })
        .dataSync()
    );
    assert.deepEqual([...clipped], [6, 6, 6, 6]);
  },
});

Deno.test({
  name: "gradients through fused matMul with bias and transposes agree with the cpu backend",
  ignore,
  async fn() {
    await useBackend("wasm");
    const a = rng.normals(6 * 4);
    const b = rng.normals(5 * 6);
    const bias = rng.normals(5);
    const grads = () =>
      tf.tidy(() => {
        const f = (x: tf.Tensor, y: tf.Tensor, z: tf.Tensor) =>
          tf.sum(tf.square(
            tf.fused.matMul({
              a: x,
              b: y,
              transposeA: true,
              transposeB: true,
              bias: z,
              // linear: tfjs fuses only linear products when taking gradients
            }),
          ));
        const [ga, gb, gz] = tf.grads(f)([
          tf.tensor2d(a, [6, 4]),
          tf.tensor2d(b, [5, 6]),
          tf.tensor1d(bias),
        ]);
        return [ga.dataSync(), gb.dataSync(), gz.dataSync()].map((x) => Float32Array.from(x));
      });
    const onWasm = grads();
    const cpu = await onCpu(grads);
    onWasm.forEach((g, i) => {
      g.forEach((v, j) => {
        const w = cpu[i][j];
        assert.ok(Math.abs(v - w) <= 1e-4 * (1 + Math.abs(w)), `grad ${i}[${j}]: ${v} vs ${w}`);
      });
    });
  },
});

Deno.test({
  name:
    "initBackend reports the BLAS in its reason, and nativeBlas: false restores the shipped products",
  ignore,
  async fn() {
    const info = await initBackend("wasm");
    try {
      assert.ok(info.blas?.includes(blas!.path), `blas: ${info.blas}`);
      assert.ok(info.reason.includes(blas!.path), info.reason);
      assert.ok(nativeMatmulActive());
      const off = await initBackend("wasm", { nativeBlas: false });
      assert.equal(off.blas, undefined);
      assert.match(off.reason, /native BLAS turned off/);
      assert.ok(!nativeMatmulActive());
      // The shipped product still multiplies correctly.
      const y = tf.tidy(() => tf.matMul(tf.tensor2d([1, 2, 3, 4], [2, 2]), tf.eye(2)).dataSync());
      assert.deepEqual([...y], [1, 2, 3, 4]);
    } finally {
      await initBackend("wasm");
    }
    assert.ok(nativeMatmulActive());
  },
});
