/**
 * The wasm element-wise kernels (`Tanh`, `LeakyRelu`, `Identity`, the fused
 * tanh and leakyRelu gradients) against the cpu backend: values including
 * signed zeros, infinities and NaN, first and second-order gradients, and
 * that an aliased identity frees its memory.
 */
import assert from "node:assert/strict";
import * as tf from "@tensorflow/tfjs";
import { onCpu, useBackend } from "../_backend.ts";
import { Rng } from "../../lib/runtime/rng.ts";
import {
  LEAKY_RELU_GRAD,
  TANH_GRAD,
  wasmElementwiseActive,
} from "../../lib/runtime/wasm_elementwise.ts";

const rng = new Rng(5, "wasm-elementwise-test");

function assertClose(got: ArrayLike<number>, want: ArrayLike<number>, tol: number, what: string) {
  assert.equal(got.length, want.length, `${what}: length`);
  for (let i = 0; i < want.length; i++) {
    const [g, w] = [got[i], want[i]];
    if (Number.isNaN(w)) {
      assert.ok(Number.isNaN(g), `${what}[${i}]: ${g}, expected NaN`);
      continue;
    }
    if (g === w) continue;
    assert.ok(Math.abs(g - w) <= tol * (1 + Math.abs(w)), `${what}[${i}]: ${g}, expected ${w}`);
  }
}

const SPECIAL = [0, -0, 1e-8, -1e-8, 1e-3, -1e-3, 0.5, -0.5, 8.9, -8.9, 9.5, -9.5, 30, -30];
const EDGES = [Infinity, -Infinity, NaN];

function inputs(): Float32Array {
  return Float32Array.from([...SPECIAL, ...EDGES, ...rng.normals(997, 3)]);
}

Deno.test("the kernels are registered on wasm", async () => {
  await useBackend("wasm");
  assert.ok(wasmElementwiseActive());
  assert.ok(tf.getKernel(TANH_GRAD, "wasm") && tf.getKernel(LEAKY_RELU_GRAD, "wasm"));
});

Deno.test("Tanh agrees with the cpu backend to a few float32 ulp, edges included", async () => {
  await useBackend("wasm");
  const x = inputs();
  const got = tf.tidy(() => tf.tanh(tf.tensor1d(x)).dataSync());
  const want = await onCpu(() => tf.tidy(() => tf.tanh(tf.tensor1d(x)).dataSync()));
  assertClose(got, want, 4e-7, "tanh");
  assert.ok(Object.is(got[1], -0) || got[1] === 0, "tanh(-0)");
  assert.equal(got[SPECIAL.length], 1);
  assert.equal(got[SPECIAL.length + 1], -1);
});

Deno.test("LeakyRelu is float32 x < 0 ? alpha x : x exactly and agrees with the cpu backend", async () => {
  await useBackend("wasm");
  const x = inputs();
  for (const alpha of [0.2, 0.01, 1.5]) {
    const got = tf.tidy(() => tf.leakyRelu(tf.tensor1d(x), alpha).dataSync());
    const a = Math.fround(alpha);
    for (let i = 0; i < x.length; i++) {
      const want = x[i] < 0 ? Math.fround(a * x[i]) : x[i];
      assert.ok(Object.is(got[i], want), `alpha ${alpha}, x ${x[i]}: ${got[i]} vs ${want}`);
    }
    // The cpu backend multiplies by alpha in float64: at most one float32 ulp apart.
    const cpu = await onCpu(() => tf.tidy(() => tf.leakyRelu(tf.tensor1d(x), alpha).dataSync()));
    assertClose(got, cpu, 1.2e-7, `leakyRelu ${alpha} vs cpu`);
  }
});

Deno.test("first and second-order gradients of tanh and leakyRelu agree with the cpu backend", async () => {
  await useBackend("wasm");
  const x = Float32Array.from([...SPECIAL, ...rng.normals(300, 2)]);
  const w = rng.normals(x.length);
  // f(x) = sum(w * tanh(leakyRelu(x))); its gradient; and the gradient of
  // the squared gradient norm (a second-order gradient, as WGAN-GP takes).
  const compute = () =>
    tf.tidy(() => {
      const wt = tf.tensor1d(w);
      const f = (t: tf.Tensor) => tf.sum(tf.mul(wt, tf.tanh(tf.leakyRelu(t, 0.2))));
      const g = tf.grad(f);
      const gg = tf.grad((t: tf.Tensor) => tf.sum(tf.square(g(t))));
      const xt = tf.tensor1d(x);
      return [g(xt).dataSync(), gg(xt).dataSync()].map((d) => Float32Array.from(d));
    });
  const got = compute();
  const want = await onCpu(compute);
  assertClose(got[0], want[0], 1e-6, "first-order");
  assertClose(got[1], want[1], 1e-5, "second-order");
});

Deno.test("the fused gradient kernels match their formulas elementwise", async () => {
  await useBackend("wasm");
  const n = 257;
  const dy = rng.normals(n);
  const x = Float32Array.from([...SPECIAL, ...rng.normals(n - SPECIAL.length)]);
  const y = Float32Array.from(x, Math.tanh); // float32 values, as tfjs keeps them
  const [tg, lg] = tf.tidy(() => {
    const e = tf.engine();
    const t = e.runKernel(TANH_GRAD, { dy: tf.tensor1d(dy), y: tf.tensor1d(y) }) as tf.Tensor;
    const l = e.runKernel(LEAKY_RELU_GRAD, { dy: tf.tensor1d(dy), x: tf.tensor1d(x) }, {
      alpha: 0.2,
    }) as tf.Tensor;
    return [t.dataSync(), l.dataSync()];
  });
  for (let i = 0; i < n; i++) {
    const f = Math.fround;
    assert.ok(Object.is(tg[i], f(f(1 - f(y[i] * y[i])) * dy[i])), `tanh grad ${i}`);
    const want = x[i] > 0 ? dy[i] : Math.fround(Math.fround(0.2) * dy[i]);
    assert.ok(Object.is(lg[i], want), `leakyRelu grad at x=${x[i]}: ${lg[i]} vs ${want}`);
  }
});

Deno.test("Identity and same-dtype Cast share memory and free it once every alias is gone", async () => {
  await useBackend("wasm");
  const backend = tf.backend() as unknown as { numDataIds(): number };
  const before = backend.numDataIds();
  const a = tf.tensor1d([1, 2, 3]);
  const b = tf.clone(a);
  assert.equal(backend.numDataIds(), before + 1, "clone aliases its input");
  a.dispose();
  assert.deepEqual([...b.dataSync()], [1, 2, 3]);
  b.dispose();
  assert.equal(backend.numDataIds(), before);
  // Strings and ints still clone.
  const strings = tf.tensor1d(["x", "y"]);
  const s = tf.clone(strings);
  assert.deepEqual(s.dataSync(), ["x", "y"]);
  tf.dispose([strings, s]);
  const ints = tf.tensor1d([4, 5], "int32");
  const i = tf.clone(ints);
  ints.dispose();
  assert.deepEqual([...i.dataSync()], [4, 5]);
  // Cast to the same dtype aliases; to another converts.
  const c = tf.cast(i, "int32");
  assert.equal(backend.numDataIds(), before + 1);
  const f = tf.cast(i, "float32");
  assert.equal(f.dtype, "float32");
  assert.deepEqual([...f.dataSync()], [4, 5]);
  // (The shipped wasm Cast gave [0, 2, 255, 0] here.)
  const floats = tf.tensor1d([0, 2.5, -1, -0]);
  const bools = tf.cast(floats, "bool");
  assert.deepEqual([...bools.dataSync()], [0, 1, 1, 0]);
  tf.dispose([i, c, f, floats, bools]);
  assert.equal(backend.numDataIds(), before);
});
