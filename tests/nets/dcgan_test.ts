/**
 * DCGAN nets: output shapes for 28x28x1 and 32x32x3, G's values in (0, 1),
 * a gradient for every variable (cpu; on wasm once `lib/runtime/wasm_conv.ts`
 * provides `Conv2DBackpropFilter`), batch norm, the shape check, seeded init.
 * Small base widths keep these fast.
 */
import assert from "node:assert/strict";
import { existsSync } from "node:fs";
import { fileURLToPath } from "node:url";
import * as tf from "@tensorflow/tfjs";
import { Rng } from "../../lib/runtime/rng.ts";
import {
  batchNormalize,
  createDcganDiscriminator,
  createDcganGenerator,
  DCGAN_SHAPES,
  dcganSupports,
} from "../../lib/nets/dcgan.ts";
import { type Net, parameterCount } from "../../lib/nets/net.ts";
import { useBackend } from "../_backend.ts";

type Shape = [number, number, number];
const NOISE = 8;
const C = 4;

function pair(shape: Shape, seed: number, prefix: string, batchNorm = true): { g: Net; d: Net } {
  const rng = new Rng(seed, "init");
  const g = createDcganGenerator({ noiseDim: NOISE, shape, channels: C, name: `${prefix}G`, rng });
  const d = createDcganDiscriminator({ shape, channels: C, batchNorm, name: `${prefix}D`, rng });
  return { g, d };
}

function noise(batch: number, seed = 1): tf.Tensor2D {
  return tf.tensor2d(new Rng(seed, "noise").normals(batch * NOISE), [batch, NOISE]);
}

Deno.test("dcganSupports: 28x28 and 32x32 with any channel count; a sentence otherwise", () => {
  assert.deepEqual(DCGAN_SHAPES, [[28, 28], [32, 32]]);
  for (const ok of [[28, 28, 1], [28, 28, 3], [32, 32, 3], [32, 32, 1]]) {
    assert.equal(dcganSupports(ok), null, `${ok}`);
  }
  const accepted = /accepted: \[28, 28, c\] or \[32, 32, c\] with c a positive integer/;
  const cases: [number[], RegExp][] = [
    [
      [30, 30, 1],
      /image shape \[30, 30, 1\] is not supported \(height x width must be 28 x 28 or 32 x 32\)/,
    ],
    [[28, 32, 1], /\[28, 32, 1\] is not supported/],
    [[64, 64, 3], /\[64, 64, 3\] is not supported/],
    [[28, 28, 0], /\[28, 28, 0\] is not supported \(channels must be a positive integer\)/],
    [[28, 28, 1.5], /channels must be a positive integer/],
    [[28, 28], /\[28, 28\] is not supported \(expected \[height, width, channels\]\)/],
  ];
  for (const [shape, re] of cases) {
    const msg = dcganSupports(shape);
    assert.ok(msg !== null && re.test(msg) && accepted.test(msg), `${shape}: ${msg}`);
  }
});

Deno.test("dcgan: constructors reject unsupported shapes and widths with the net's name", async () => {
  await useBackend("cpu");
  const rng = new Rng(1);
  assert.throws(
    () => createDcganGenerator({ noiseDim: 4, shape: [30, 30, 1], name: "Gx", rng }),
    /^RangeError: Gx: dcgan: image shape \[30, 30, 1\] is not supported/,
  );
  assert.throws(
    () => createDcganDiscriminator({ shape: [28, 28, 1], channels: 0, name: "Dx", rng }),
    /Dx: channels must be a positive integer/,
  );
  assert.throws(
    () => createDcganGenerator({ noiseDim: 0, shape: [28, 28, 1], name: "Gy", rng }),
    /Gy: noiseDim must be a positive integer/,
  );
});

const CASES: { shape: Shape; gShapes: number[][]; dShapes: number[][] }[] = [
  {
    shape: [28, 28, 1],
    // dense 8 -> 7x7x2C, bn0, deconv1 -> 14x14xC, bn1, deconv2 -> 28x28x1 + bias
    gShapes: [[NOISE, 7 * 7 * 2 * C], [2 * C], [2 * C], [5, 5, C, 2 * C], [C], [C], [5, 5, 1, C], [
      1,
    ]],
    // conv1 (bias), conv2 (bn), dense
    dShapes: [[5, 5, 1, C], [C], [5, 5, C, 2 * C], [2 * C], [2 * C], [7 * 7 * 2 * C, 1], [1]],
  },
  {
    shape: [32, 32, 3],
    gShapes: [
      [NOISE, 4 * 4 * 4 * C],
      [4 * C],
      [4 * C],
      [5, 5, 2 * C, 4 * C],
      [2 * C],
      [2 * C],
      [5, 5, C, 2 * C],
      [C],
      [C],
      [5, 5, 3, C],
      [3],
    ],
    dShapes: [
      [5, 5, 3, C],
      [C],
      [5, 5, C, 2 * C],
      [2 * C],
      [2 * C],
      [5, 5, 2 * C, 4 * C],
      [4 * C],
      [4 * C],
      [4 * 4 * 4 * C, 1],
      [1],
    ],
  },
];

for (const { shape, gShapes, dShapes } of CASES) {
  const label = shape.join("x");
  Deno.test(`dcgan ${label}: output shapes, G in (0, 1), variable layout`, async () => {
    await useBackend("cpu");
    const { g, d } = pair(shape, 3, `shape${label}`);
    assert.deepEqual(g.variables.map((v) => v.shape), gShapes);
    assert.deepEqual(d.variables.map((v) => v.shape), dShapes);
    const dim = shape[0] * shape[1] * shape[2];
    const z = noise(3);
    const x = g.apply(z);
    assert.deepEqual(x.shape, [3, dim]);
    const pixels = x.dataSync();
    assert.ok(pixels.every((p) => p > 0 && p < 1), "G's pixels in (0, 1)");
    const logits = d.apply(x);
    assert.deepEqual(logits.shape, [3, 1]);
    assert.ok(logits.dataSync().every(Number.isFinite));
    const plain = createDcganDiscriminator({
      shape,
      channels: C,
      batchNorm: false,
      name: `shape${label}Dplain`,
      rng: new Rng(3),
    });
    // Without batch norm every convolution has a bias and no bn variables.
    assert.ok(plain.variables.every((v) => !v.name.includes("/bn")));
    assert.equal(
      plain.variables.filter((v) => /conv\d\/b$/.test(v.name)).length,
      gShapes.length > 8 ? 3 : 2,
    );
    assert.deepEqual(plain.apply(x).shape, [3, 1]);
    assert.equal(
      parameterCount(g),
      gShapes.reduce((s, sh) => s + sh.reduce((a, b) => a * b, 1), 0),
    );
    tf.dispose([z, x, logits]);
    [g, d, plain].forEach((n) => n.dispose());
  });

  Deno.test(`dcgan ${label}: every variable of G and D gets a gradient (cpu)`, async () => {
    await useBackend("cpu");
    const { g, d } = pair(shape, 4, `grad${label}`);
    const dim = shape[0] * shape[1] * shape[2];
    const z = noise(2);
    const real = tf.tensor2d(new Rng(5).uniforms(2 * dim), [2, dim]);
    const before = tf.memory().numTensors;
    const dOut = tf.variableGrads(() => {
      const fake = g.apply(z);
      return tf.add(
        tf.mean(tf.softplus(tf.neg(d.apply(real)))),
        tf.mean(tf.softplus(d.apply(fake))),
      );
    }, d.variables);
    const gOut = tf.variableGrads(
      () => tf.mean(tf.softplus(tf.neg(d.apply(g.apply(z))))),
      g.variables,
    );
    for (const [net, grads] of [[d, dOut.grads], [g, gOut.grads]] as const) {
      for (const v of net.variables) {
        const grad = grads[v.name];
        assert.ok(grad !== undefined, `${v.name}: no gradient`);
        const data = grad.dataSync();
        assert.ok(data.every(Number.isFinite), `${v.name}: finite`);
        assert.ok(data.some((x) => x !== 0), `${v.name}: not all zero`);
      }
    }
    tf.dispose([
      dOut.value,
      gOut.value,
      ...Object.values(dOut.grads),
      ...Object.values(gOut.grads),
    ]);
    assert.equal(tf.memory().numTensors, before, "no leaked tensors");
    tf.dispose([z, real]);
    g.dispose();
    d.dispose();
  });
}

Deno.test("batchNormalize: per channel mean 0 and variance 1, then scale and offset", async () => {
  await useBackend("cpu");
  const rng = new Rng(6);
  // 4 x 3 x 3 x 2 with very different channel statistics.
  const raw = rng.normals(72);
  for (let i = 0; i < 72; i += 2) {
    raw[i] = 5 + 3 * raw[i];
    raw[i + 1] = -2 + 0.1 * raw[i + 1];
  }
  const x = tf.tensor4d(raw, [4, 3, 3, 2]);
  const stats = (t: tf.Tensor) => {
    const { mean, variance } = tf.moments(t, [0, 1, 2]);
    return { mean: Array.from(mean.dataSync()), variance: Array.from(variance.dataSync()) };
  };
  const n = stats(batchNormalize(x));
  n.mean.forEach((m) => assert.ok(Math.abs(m) < 1e-5, `mean ${m}`));
  // The epsilon 1e-5 shifts the variance by about eps / var.
  assert.ok(Math.abs(n.variance[0] - 1) < 1e-4, `var ${n.variance[0]}`);
  assert.ok(Math.abs(n.variance[1] - 1) < 2e-3, `var ${n.variance[1]}`);
  const s = stats(batchNormalize(x, tf.tensor1d([2, 0.5]), tf.tensor1d([1, -3])));
  assert.ok(Math.abs(s.mean[0] - 1) < 1e-5 && Math.abs(s.mean[1] + 3) < 1e-5);
  assert.ok(Math.abs(s.variance[0] - 4) < 1e-3 && Math.abs(s.variance[1] - 0.25) < 1e-3);
  // 2-D input: statistics over the batch.
  const m2 = stats(
    batchNormalize(tf.tensor2d([1, 10, 3, 20, 5, 60], [3, 2])).reshape([3, 1, 1, 2]),
  );
  m2.mean.forEach((m) => assert.ok(Math.abs(m) < 1e-5));
  m2.variance.forEach((v) => assert.ok(Math.abs(v - 1) < 1e-3));
});

Deno.test("dcgan: seeded init (N(0, 0.02) weights, zero biases, BN scale 1), same seed same weights", async () => {
  await useBackend("cpu");
  const a = pair([28, 28, 1], 7, "detA");
  const b = pair([28, 28, 1], 7, "detB");
  const c = pair([28, 28, 1], 8, "detC");
  const all = (p: { g: Net; d: Net }) => [...p.g.variables, ...p.d.variables];
  all(a).forEach((v, i) => assert.deepEqual(all(b)[i].dataSync(), v.dataSync(), v.name));
  assert.notDeepEqual(a.g.variables[0].dataSync(), c.g.variables[0].dataSync());
  // G's dense weights are the first draws of the stream.
  const dense = a.g.variables[0].dataSync();
  assert.deepEqual(Array.from(dense), Array.from(new Rng(7, "init").normals(dense.length, 0.02)));
  const sd = Math.sqrt(Array.from(dense).reduce((s, x) => s + x * x, 0) / dense.length);
  assert.ok(Math.abs(sd - 0.02) < 0.002, `sd ${sd}`);
  for (const v of all(a)) {
    const data = v.dataSync();
    if (/\/b$|\/offset$/.test(v.name)) assert.ok(data.every((x) => x === 0), v.name);
    if (v.name.endsWith("/scale")) assert.ok(data.every((x) => x === 1), v.name);
  }
  [a, b, c].forEach((p) => {
    p.g.dispose();
    p.d.dispose();
  });
});

Deno.test("dcgan: forward passes on wasm agree with cpu", async () => {
  const outputs: Record<string, Float32Array[]> = {};
  for (const backend of ["cpu", "wasm"] as const) {
    await useBackend(backend);
    outputs[backend] = [];
    for (const shape of [[28, 28, 1], [32, 32, 3]] as Shape[]) {
      const { g, d } = pair(shape, 9, `fw${backend}${shape[0]}`);
      const z = noise(2);
      outputs[backend].push(
        tf.tidy(() => g.apply(z).dataSync() as Float32Array),
        tf.tidy(() => d.apply(g.apply(z)).dataSync() as Float32Array),
      );
      z.dispose();
      g.dispose();
      d.dispose();
    }
  }
  outputs.cpu.forEach((ref, k) => {
    ref.forEach((v, i) => {
      assert.ok(
        Math.abs(outputs.wasm[k][i] - v) < 1e-4,
        `output ${k}[${i}]: ${outputs.wasm[k][i]} vs ${v}`,
      );
    });
  });
});

Deno.test("dcgan: gradient penalty (second-order) through D without batch norm (cpu)", async () => {
  await useBackend("cpu");
  const d = createDcganDiscriminator({
    shape: [28, 28, 1],
    channels: C,
    batchNorm: false,
    name: "gpD",
    rng: new Rng(10, "init"),
  });
  const x = tf.tensor2d(new Rng(11).uniforms(2 * 784), [2, 784]);
  const { value, grads } = tf.variableGrads(() => {
    const dx = tf.grad((t: tf.Tensor) => tf.sum(d.apply(t as tf.Tensor2D)))(x);
    return tf.mean(tf.square(tf.sub(tf.sqrt(tf.sum(tf.square(dx), 1)), 1))) as tf.Scalar;
  }, d.variables);
  assert.ok(Number.isFinite(value.dataSync()[0]));
  for (const v of d.variables) {
    // D is piecewise linear: biases move it, not (away from kinks) its input gradient.
    if (v.name.endsWith("/b")) continue;
    const data = grads[v.name]?.dataSync();
    assert.ok(
      data !== undefined && data.every(Number.isFinite) && data.some((g) => g !== 0),
      v.name,
    );
  }
  tf.dispose([x, value, ...Object.values(grads)]);
  d.dispose();
});

// Training on wasm needs Conv2DBackpropFilter, which tfjs-backend-wasm 4.22
// lacks; lib/runtime/wasm_conv.ts registers it. This test runs only where
// that file exists, and compares every gradient with the cpu backend's.
const WASM_CONV = new URL("../../lib/runtime/wasm_conv.ts", import.meta.url);
const HAS_WASM_CONV = existsSync(fileURLToPath(WASM_CONV));

Deno.test({
  name: "dcgan: gradients on wasm agree with cpu (needs lib/runtime/wasm_conv.ts)",
  ignore: !HAS_WASM_CONV,
  fn: async () => {
    const grads: Record<string, Float32Array[]> = {};
    for (const backend of ["cpu", "wasm"] as const) {
      await useBackend(backend);
      if (backend === "wasm") {
        // A computed specifier: the module is optional and not type-checked here.
        const mod = await import(WASM_CONV.href) as { registerWasmConvKernels?: () => void };
        assert.equal(typeof mod.registerWasmConvKernels, "function");
        mod.registerWasmConvKernels!();
      }
      grads[backend] = [];
      for (const shape of [[28, 28, 1], [32, 32, 3]] as Shape[]) {
        const { g, d } = pair(shape, 12, `wg${backend}${shape[0]}`);
        const dim = shape[0] * shape[1] * shape[2];
        const z = noise(2);
        const real = tf.tensor2d(new Rng(13).uniforms(2 * dim), [2, dim]);
        const dOut = tf.variableGrads(
          () =>
            tf.add(
              tf.mean(tf.softplus(tf.neg(d.apply(real)))),
              tf.mean(tf.softplus(d.apply(g.apply(z)))),
            ),
          d.variables,
        );
        const gOut = tf.variableGrads(
          () => tf.mean(tf.softplus(tf.neg(d.apply(g.apply(z))))),
          g.variables,
        );
        for (const [net, out] of [[d, dOut], [g, gOut]] as const) {
          for (const v of net.variables) {
            grads[backend].push(out.grads[v.name].dataSync() as Float32Array);
          }
          tf.dispose([out.value, ...Object.values(out.grads)]);
        }
        tf.dispose([z, real]);
        g.dispose();
        d.dispose();
      }
    }
    grads.cpu.forEach((ref, k) => {
      const scale = Math.max(...Array.from(ref, Math.abs));
      ref.forEach((v, i) => {
        const w = grads.wasm[k][i];
        assert.ok(Math.abs(w - v) <= 1e-3 * scale + 1e-6, `gradient ${k}[${i}]: ${w} vs ${v}`);
      });
    });
  },
});
