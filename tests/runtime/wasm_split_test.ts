/**
 * The wasm `SplitV` kernel (block copies on the heap) against the cpu
 * backend: every axis, equal and explicit sizes (with -1), float32, int32
 * and bool tensors, a negative axis; the maxout pooling that uses it; and
 * the errors tfjs gives for sizes that do not add up.
 */
import assert from "node:assert/strict";
import * as tf from "@tensorflow/tfjs";
import { isWasmKernelReplaced } from "../../lib/runtime/wasm_kernel_util.ts";
import { splitSizes } from "../../lib/runtime/wasm_split.ts";
import { maxoutPool } from "../../lib/nets/maxout.ts";
import { Rng } from "../../lib/runtime/rng.ts";
import { onCpu, useBackend } from "../_backend.ts";

await useBackend("wasm");

function splitBoth(
  shape: number[],
  dtype: "float32" | "int32" | "bool",
  sizes: number | number[],
  axis: number,
) {
  const n = shape.reduce((a, b) => a * b, 1);
  const values = Array.from(new Rng(n).uniforms(n, -50, 50), (v) => Math.round(v));
  const run = () =>
    tf.tidy(() => {
      const x = tf.tensor(values, shape, dtype);
      return tf.split(x, Array.isArray(sizes) ? [...sizes] : sizes, axis).map((t) => ({
        shape: t.shape,
        dtype: t.dtype,
        values: Array.from(t.dataSync()),
      }));
    });
  return { wasm: run(), cpu: onCpu(run) };
}

Deno.test("SplitV on wasm: the cpu backend's pieces for every axis, size list and dtype", async () => {
  assert.ok(isWasmKernelReplaced("SplitV"));
  const cases: [number[], "float32" | "int32" | "bool", number | number[], number][] = [
    [[6, 15], "float32", 5, 1],
    [[6, 15], "float32", 3, 0],
    [[4, 6, 10], "float32", [2, -1, 5], 2],
    [[4, 6, 10], "int32", [1, 3, 2], 1],
    [[4, 6, 10], "bool", 2, 0],
    [[3, 8], "float32", 2, -1],
    [[12], "float32", [4, 8], 0],
  ];
  for (const [shape, dtype, sizes, axis] of cases) {
    const { wasm, cpu } = splitBoth(shape, dtype, sizes, axis);
    assert.deepEqual(wasm, await cpu, `${shape} ${dtype} ${sizes} axis ${axis}`);
  }
});

Deno.test("SplitV on wasm: maxout pooling and its gradient are the cpu backend's", async () => {
  const z = new Rng(3).normals(50 * 60);
  const pool = () =>
    tf.tidy(() => {
      const t = tf.tensor2d(z, [50, 60]);
      const out = maxoutPool(t, 5);
      const dz = tf.grad((x: tf.Tensor) => tf.sum(tf.square(maxoutPool(x as tf.Tensor2D, 5))))(t);
      return [Array.from(out.dataSync()), Array.from(dz.dataSync())];
    });
  assert.deepEqual(pool(), await onCpu(pool));
});

Deno.test("splitSizes: equal pieces, a -1 for the rest, and tfjs's errors", () => {
  assert.deepEqual(splitSizes(12, 3), [4, 4, 4]);
  assert.deepEqual(splitSizes(12, [2, -1, 3]), [2, 7, 3]);
  assert.throws(() => splitSizes(10, 3), /3 splits do not evenly divide the axis \(10\)/);
  assert.throws(() => splitSizes(10, [-1, -1]), /only one negative value/);
  assert.throws(() => splitSizes(10, [3, 3]), /the sizes \[3,3\] do not add up to the axis \(10\)/);
});
