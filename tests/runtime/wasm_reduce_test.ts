/**
 * The wasm `Sum` and `Mean` kernels against the cpu backend: adjacent axes in every
 * position, keepDims, negative axes, empty reductions, and the cases it
 * hands to the shipped kernel (non-adjacent axes, int32). Both with the
 * native BLAS (when one loads) and in JavaScript.
 */
import assert from "node:assert/strict";
import * as tf from "@tensorflow/tfjs";
import { onCpu, useBackend } from "../_backend.ts";
import { Rng } from "../../lib/runtime/rng.ts";
import { nativeBlas } from "../../lib/runtime/blas.ts";
import { registerWasmSumKernel, sumSplit } from "../../lib/runtime/wasm_reduce.ts";

const CASES: { shape: number[]; axis?: number | number[]; keepDims?: boolean }[] = [
  { shape: [512, 256], axis: 0 },
  { shape: [512, 256], axis: 1 },
  { shape: [512, 1], axis: 0 },
  { shape: [7, 5], axis: [0, 1] },
  { shape: [7, 5] },
  { shape: [4, 6, 5], axis: 1 },
  { shape: [4, 6, 5], axis: [1, 2], keepDims: true },
  { shape: [4, 6, 5], axis: [0, 1] },
  { shape: [4, 6, 5], axis: -1 },
  { shape: [3, 4, 6, 5], axis: [1, 2], keepDims: true },
  { shape: [4, 6, 5], axis: [0, 2] }, // not adjacent: shipped kernel
  { shape: [3, 0, 2], axis: 1 }, // empty reduction: zeros
  { shape: [0, 3], axis: 1 }, // empty output
];

function sums(): Float32Array[] {
  const out: Float32Array[] = [];
  for (const c of CASES) {
    const size = c.shape.reduce((a, b) => a * b, 1);
    const x = new Rng(size, "data").normals(size);
    for (const op of [tf.sum, tf.mean]) {
      out.push(
        tf.tidy(() => Float32Array.from(op(tf.tensor(x, c.shape), c.axis, c.keepDims).dataSync())),
      );
    }
  }
  return out;
}

async function compareWithCpu(label: string) {
  const got = sums();
  const want = await onCpu(sums);
  got.forEach((g, i) => {
    const what = `${label} ${i % 2 ? "mean" : "sum"} ${JSON.stringify(CASES[i >> 1])}`;
    assert.equal(g.length, want[i].length, `${what}: size`);
    g.forEach((v, j) => {
      const w = want[i][j];
      if (Number.isNaN(w)) assert.ok(Number.isNaN(v), `${what}[${j}]: ${v}, expected NaN`);
      else {assert.ok(
          Math.abs(v - w) <= 1e-5 * (1 + Math.abs(w)) * 8,
          `${what}[${j}]: ${v} vs ${w}`,
        );}
    });
  });
}

Deno.test("Sum and Mean agree with the cpu backend over axes, keepDims and empty cases (BLAS and JS)", async () => {
  await useBackend("wasm");
  try {
    if (nativeBlas()) await compareWithCpu("with BLAS");
    else console.log("wasm_reduce_test: no native BLAS; checking the JavaScript path only");
    registerWasmSumKernel(null);
    await compareWithCpu("in JS");
  } finally {
    registerWasmSumKernel(nativeBlas());
  }
  // int32 goes to the shipped kernels.
  const ints = tf.tidy(() => tf.sum(tf.tensor2d([1, 2, 3, 4], [2, 2], "int32"), 0).dataSync());
  assert.deepEqual([...ints], [4, 6]);
  const mean = tf.tidy(() => tf.mean(tf.tensor2d([1, 2, 3, 4], [2, 2], "int32"), 0).dataSync());
  assert.deepEqual([...mean], [2, 3]);
});

Deno.test("sumSplit: adjacent axes split the shape, others are refused", () => {
  assert.deepEqual(sumSplit([2, 3, 4], 1, false), {
    outer: 2,
    reduce: 3,
    inner: 4,
    outShape: [2, 4],
  });
  assert.deepEqual(sumSplit([2, 3, 4], [-1, -2], true)?.outShape, [2, 1, 1]);
  assert.equal(sumSplit([2, 3, 4], [0, 2], false), null);
  assert.deepEqual(sumSplit([2, 3], undefined, false)?.outShape, []);
});
