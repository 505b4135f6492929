/**
 * FlatNet, the hand-written net of the fast training steps, against the
 * tfjs nets it stands in for: the same parameters and the same dropout
 * stream give the same outputs, parameter gradients and input gradients
 * (within float32 rounding), for a maxout D with dropout and MLPs with every
 * activation; masks are drawn as tfjs passes draw them; gradients go into a
 * sink as alpha * grad + beta * target; a backward pass over some rows of
 * the forward pass is that of those rows alone. Skipped only where no
 * native BLAS loads.
 */
import assert from "node:assert/strict";
import * as tf from "@tensorflow/tfjs";
import { nativeBlas } from "../../lib/runtime/blas.ts";
import { Rng } from "../../lib/runtime/rng.ts";
import { createMaxout } from "../../lib/nets/maxout.ts";
import { createMlp } from "../../lib/nets/mlp.ts";
import type { Net } from "../../lib/nets/net.ts";
import { type FlatLayerSpec, FlatNet } from "../../lib/nets/flat_net.ts";
import type { FlatActivation } from "../../lib/nets/flat_ops.ts";
import { useBackend } from "../_backend.ts";

await useBackend("wasm");
const blas = nativeBlas();
if (!blas) console.log("flat_net_test: skipped, no native BLAS");
const ignore = blas === null;

/** max |a - b| over max |b| (1 when b is all zeros). */
function relErr(a: ArrayLike<number>, b: ArrayLike<number>): number {
  assert.equal(a.length, b.length);
  let num = 0, den = 0;
  for (let i = 0; i < a.length; i++) {
    num = Math.max(num, Math.abs(a[i] - b[i]));
    den = Math.max(den, Math.abs(b[i]));
  }
  return num / (den || 1);
}

function loadParams(net: Net, flat: FlatNet): void {
  net.variables.forEach((v, i) => flat.params.set(v.dataSync() as Float32Array, flat.offsets[i]));
}

/** tfjs: the output of `net` on x (with dropout from `rng` when given), and the gradients of sum(out * dy). */
function tfjsPass(
  net: Net,
  x: Float32Array,
  rows: number,
  cols: number,
  dy: Float32Array,
  rng?: Rng,
) {
  const xt = tf.tensor2d(x, [rows, cols]);
  const dyt = tf.tensor2d(dy, [rows, dy.length / rows]);
  let out: Float32Array = new Float32Array(0);
  const f = (xin: tf.Tensor) =>
    tf.tidy(() => {
      const y = net.apply(xin as tf.Tensor2D, rng ? { dropout: rng } : {});
      out = y.dataSync() as Float32Array;
      return tf.sum(tf.mul(y, dyt)) as tf.Scalar;
    });
  const state = rng?.state();
  const { grads, value } = tf.variableGrads(() => f(xt), net.variables);
  if (rng && state) rng.setState(state);
  const dx = tf.grad(f)(xt);
  const result = {
    out,
    params: net.variables.map((v) => grads[v.name].dataSync() as Float32Array),
    dx: dx.dataSync() as Float32Array,
  };
  tf.dispose([xt, dyt, dx, value, ...Object.values(grads)]);
  return result;
}

/** The same through a FlatNet: output, parameter gradients (per variable) and input gradient. */
function flatPass(flat: FlatNet, x: Float32Array, rows: number, dy: Float32Array, rng?: Rng) {
  if (rng) flat.drawMasks(rng, [rows]);
  const out = flat.forward(x, rows, rng !== undefined).slice();
  const target = new Float32Array(flat.params.length);
  const dx = new Float32Array(rows * flat.inputWidth);
  flat.backward(0, rows, dy, { params: { alpha: 1, beta: 0, target }, inputGrad: dx });
  const params = flat.offsets.map((o, i) =>
    target.slice(o, o + flat.shapes[i].reduce((a, b) => a * b, 1))
  );
  return { out, params, dx };
}

Deno.test({
  name:
    "FlatNet: a maxout D with dropout gives tfjs's output and gradients, drawing the same masks",
  ignore,
  fn() {
    const d = createMaxout({
      sizes: [12, 5, 4, 1],
      pieces: 3,
      inputKeep: 0.8,
      hiddenKeep: 0.5,
      init: { kind: "uniform", scale: 0.5 },
      name: "flat_maxout",
      rng: new Rng(1, "init"),
    });
    // Non-zero biases, so their gradients and the bias broadcast are exercised.
    d.variables.forEach((v, i) => {
      if (i % 2 === 1) v.assign(tf.tensor(new Rng(9 + i).uniforms(v.size, -0.3, 0.3), v.shape));
    });
    const specs: FlatLayerSpec[] = [
      { in: 12, out: 5, pieces: 3, keep: 0.8 },
      { in: 5, out: 4, pieces: 3, keep: 0.5 },
      { in: 4, out: 1, keep: 0.5 },
    ];
    const flat = new FlatNet(specs, 16, blas!);
    assert.deepEqual(flat.shapes, d.variables.map((v) => v.shape));
    loadParams(d, flat);
    const rows = 7;
    const x = new Rng(2).uniforms(rows * 12);
    const dy = new Rng(3).uniforms(rows, -1, 1);
    for (const seed of [4, 5]) {
      const r1 = new Rng(seed, "dropout");
      const r2 = new Rng(seed, "dropout");
      const want = tfjsPass(d, x, rows, 12, dy, r1);
      const got = flatPass(flat, x, rows, dy, r2);
      assert.deepEqual(r2.state(), r1.state(), "the same draws from the dropout stream");
      assert.ok(relErr(got.out, want.out) < 1e-5, `output ${relErr(got.out, want.out)}`);
      got.params.forEach((g, i) =>
        assert.ok(
          relErr(g, want.params[i]) < 1e-5,
          `${d.variables[i].name} ${relErr(g, want.params[i])}`,
        )
      );
      assert.ok(relErr(got.dx, want.dx) < 1e-5, `input gradient ${relErr(got.dx, want.dx)}`);
    }
    // Without masks: inference, no draws.
    const r = new Rng(6);
    const before = r.state();
    const want = tfjsPass(d, x, rows, 12, dy);
    const got = flatPass(flat, x, rows, dy);
    assert.deepEqual(r.state(), before);
    assert.ok(relErr(got.out, want.out) < 1e-5);
    assert.ok(relErr(got.dx, want.dx) < 1e-5);
    d.dispose();
  },
});

for (
  const [activation, output] of [
    ["relu", "sigmoid"],
    ["leaky-relu", "linear"],
    ["tanh", "tanh"],
  ] as const
) {
  Deno.test({
    name: `FlatNet: an MLP (${activation}, ${output} output) gives tfjs's output and gradients`,
    ignore,
    fn() {
      const sizes = [6, 9, 8, 5];
      const g = createMlp({
        sizes,
        activation,
        outputActivation: output,
        init: { kind: "uniform", scale: 0.6 },
        outputBias: new Rng(7).uniforms(5, -1, 1),
        name: `flat_mlp_${activation}`,
        rng: new Rng(8, "init"),
      });
      const specs = sizes.slice(1).map((out, i) => ({
        in: sizes[i],
        out,
        activation: (i + 2 === sizes.length ? output : activation) as FlatActivation,
      }));
      const flat = new FlatNet(specs, 10, blas!);
      loadParams(g, flat);
      const rows = 10;
      const x = new Rng(9).normals(rows * 6);
      const dy = new Rng(10).uniforms(rows * 5, -1, 1);
      const want = tfjsPass(g, x, rows, 6, dy);
      const got = flatPass(flat, x, rows, dy);
      assert.ok(relErr(got.out, want.out) < 1e-5, `output ${relErr(got.out, want.out)}`);
      got.params.forEach((p, i) =>
        assert.ok(
          relErr(p, want.params[i]) < 1e-5,
          `${g.variables[i].name} ${relErr(p, want.params[i])}`,
        )
      );
      assert.ok(relErr(got.dx, want.dx) < 1e-5, `input gradient ${relErr(got.dx, want.dx)}`);
      g.dispose();
    },
  });
}

Deno.test({
  name: "FlatNet: gradients go to the sink as alpha * grad + beta * target",
  ignore,
  fn() {
    const flat = new FlatNet([{ in: 3, out: 4, activation: "relu" }, { in: 4, out: 2 }], 5, blas!);
    flat.params.set(new Rng(11).uniforms(flat.params.length, -1, 1));
    const x = new Rng(12).uniforms(15);
    const dy = new Rng(13).uniforms(10, -1, 1);
    flat.forward(x, 5, false);
    const grad = new Float32Array(flat.params.length);
    flat.backward(0, 5, dy, { params: { alpha: 1, beta: 0, target: grad } });
    const start = new Rng(14).uniforms(flat.params.length);
    const target = start.slice();
    flat.backward(0, 5, dy, { params: { alpha: -0.1, beta: 0.5, target } });
    for (let i = 0; i < target.length; i++) {
      const want = -0.1 * grad[i] + 0.5 * start[i];
      assert.ok(Math.abs(target[i] - want) < 1e-6, `${i}: ${target[i]} vs ${want}`);
    }
    // beta 0 ignores what the target held, NaN included.
    const nan = new Float32Array(flat.params.length).fill(NaN);
    flat.backward(0, 5, dy, { params: { alpha: 1, beta: 0, target: nan } });
    assert.ok(nan.every(Number.isFinite));
    assert.throws(
      () => flat.backward(0, 5, dy, { params: { alpha: 1, beta: 0, target: new Float32Array(3) } }),
      /the gradient target has 3 values, need 26/,
    );
  },
});

Deno.test({
  name: "FlatNet: masks in segments, and a backward pass over some rows equals those rows alone",
  ignore,
  fn() {
    const specs: FlatLayerSpec[] = [
      { in: 8, out: 3, pieces: 2, keep: 0.8 },
      { in: 3, out: 1, keep: 0.5 },
    ];
    const both = new FlatNet(specs, 12, blas!);
    const alone = new FlatNet(specs, 6, blas!);
    both.params.set(new Rng(15).uniforms(both.params.length, -1, 1));
    alone.params.set(both.params);
    const x = new Rng(16).uniforms(12 * 8);
    // Two segments of 6 rows: the second's masks are what a second pass would draw.
    const r1 = new Rng(17);
    both.drawMasks(r1, [6, 6]);
    const out = both.forward(x, 12, true).slice();
    const r2 = new Rng(17);
    alone.drawMasks(r2, [6]);
    alone.forward(x.subarray(0, 48), 6, true);
    alone.drawMasks(r2, [6]);
    const second = alone.forward(x.subarray(48), 6, true).slice();
    assert.deepEqual(r1.state(), r2.state());
    assert.ok(relErr(out.subarray(6), second) < 1e-6);
    const dy = new Rng(18).uniforms(6, -1, 1);
    const dxBoth = new Float32Array(48);
    const dxAlone = new Float32Array(48);
    const gBoth = new Float32Array(both.params.length);
    const gAlone = new Float32Array(both.params.length);
    both.backward(6, 6, dy, { params: { alpha: 1, beta: 0, target: gBoth }, inputGrad: dxBoth });
    alone.backward(0, 6, dy, { params: { alpha: 1, beta: 0, target: gAlone }, inputGrad: dxAlone });
    assert.ok(relErr(dxBoth, dxAlone) < 1e-6);
    assert.ok(relErr(gBoth, gAlone) < 1e-6);
    assert.throws(() => both.backward(10, 6, dy), /rows 10\.\.15 are not in the last forward pass/);
  },
});

Deno.test({
  name: "FlatNet: bad layers and sizes are errors that say what is wrong",
  ignore,
  fn() {
    assert.throws(() => new FlatNet([], 4, blas!), /at least one layer/);
    assert.throws(
      () => new FlatNet([{ in: 3, out: 0 }], 4, blas!),
      /layer 0: out must be a positive integer, got 0/,
    );
    assert.throws(
      () => new FlatNet([{ in: 3, out: 4 }, { in: 5, out: 1 }], 4, blas!),
      /layer 1: in is 5, but the previous layer gives 4/,
    );
    assert.throws(
      () => new FlatNet([{ in: 3, out: 4, keep: 0 }], 4, blas!),
      /keep must be in \(0, 1\]/,
    );
    assert.throws(
      () => new FlatNet([{ in: 3, out: 4, pieces: 0 }], 4, blas!),
      /pieces must be a positive integer/,
    );
    assert.throws(
      () => new FlatNet([{ in: 3, out: 4, activation: "swish" as FlatActivation }], 4, blas!),
      /activation must be one of linear, relu, leaky-relu, tanh, sigmoid, got swish/,
    );
    assert.throws(
      () => new FlatNet([{ in: 3, out: 4 }], 0, blas!),
      /maxRows must be a positive integer/,
    );
    const net = new FlatNet([{ in: 3, out: 2 }], 4, blas!);
    assert.throws(() => net.forward(new Float32Array(15), 5, false), /5 rows, at most 4/);
    assert.throws(
      () => net.forward(new Float32Array(5), 2, false),
      /x has 5 values, need 2 rows of 3/,
    );
    assert.throws(() => net.drawMasks(new Rng(1), [3, 3]), /6 rows, at most 4/);
  },
});
