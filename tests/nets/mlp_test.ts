/**
 * createMlp: the default (Glorot, linear output) is bit-identical to the
 * code before output activations, uniform init and output biases existed;
 * the options give the paper's generator; marginalBias round-trips.
 */
import assert from "node:assert/strict";
import * as tf from "@tensorflow/tfjs";
import { Rng } from "../../lib/runtime/rng.ts";
import { type Activation, createMlp, marginalBias } from "../../lib/nets/mlp.ts";
import { useBackend } from "../_backend.ts";

/**
 * Outputs of createMlp({ sizes: [3, 5, 4, 2], activation, name: "G",
 * rng: new Rng(7, "init") }) on X on the cpu backend, recorded with the code
 * before this change. (The wasm backend's matrix product depends on the
 * kernels registered, native BLAS or not, so there the net is compared
 * with the old forward pass instead.)
 */
const BEFORE_CPU: Record<Activation, number[]> = {
  "relu": [0.679053544998169, -0.3537672162055969, 0.4110744893550873, -0.43370330333709717],
  "leaky-relu": [0.7204191088676453, -0.3856441080570221, 0.39677414298057556, -0.3956827223300934],
  "tanh": [0.7607433795928955, -0.47515857219696045, 0.44020015001296997, -0.4223698675632477],
};
const X = [0.5, -1, 2, 1.5, 0.25, -0.75];

/** The forward pass of createMlp before this change, on the given variables. */
function oldForward(vars: tf.Variable[], x: tf.Tensor2D, activation: Activation): tf.Tensor2D {
  let h = x;
  for (let i = 0; i < vars.length; i += 2) {
    const z = tf.add(tf.matMul(h, vars[i] as tf.Tensor2D), vars[i + 1]) as tf.Tensor2D;
    if (i + 2 === vars.length) h = z;
    else if (activation === "relu") h = tf.relu(z);
    else if (activation === "leaky-relu") h = tf.leakyRelu(z, 0.2);
    else h = tf.tanh(z);
  }
  return h;
}

for (const backend of ["wasm", "cpu"] as const) {
  Deno.test(`createMlp default: bit-identical to the code before the options (${backend})`, async () => {
    await useBackend(backend);
    for (const activation of ["relu", "leaky-relu", "tanh"] as const) {
      const rng = new Rng(7, "init");
      const net = createMlp({ sizes: [3, 5, 4, 2], activation, name: "G", rng });
      assert.deepEqual(
        net.variables.map((v) => v.name),
        ["G/dense0/w", "G/dense0/b", "G/dense1/w", "G/dense1/b", "G/dense2/w", "G/dense2/b"],
      );
      // Glorot-uniform weights drawn layer by layer, zero biases.
      const ref = new Rng(7, "init");
      [[3, 5], [5, 4], [4, 2]].forEach(([fanIn, fanOut], i) => {
        const limit = Math.sqrt(6 / (fanIn + fanOut));
        const w = ref.uniforms(fanIn * fanOut, -limit, limit);
        assert.deepEqual(Array.from(net.variables[2 * i].dataSync()), Array.from(w));
        assert.ok(net.variables[2 * i + 1].dataSync().every((b) => b === 0));
      });
      // The init stream advanced by exactly the weight draws.
      assert.deepEqual(rng.state(), ref.state());
      const y = tf.tidy(() => net.apply(tf.tensor2d(X, [2, 3])).dataSync());
      const old = tf.tidy(() =>
        oldForward(net.variables, tf.tensor2d(X, [2, 3]), activation).dataSync()
      );
      assert.deepEqual(Array.from(y), Array.from(old), `${activation}: old forward pass`);
      if (backend === "cpu") assert.deepEqual(Array.from(y), BEFORE_CPU[activation], activation);
      // The MLP has no dropout: a dropout stream changes nothing and is not drawn from.
      const drop = new Rng(1, "dropout");
      const y2 = tf.tidy(() => net.apply(tf.tensor2d(X, [2, 3]), { dropout: drop }).dataSync());
      assert.deepEqual(Array.from(y2), Array.from(y));
      assert.deepEqual(drop.state(), new Rng(1, "dropout").state());
      net.dispose();
    }
  });
}

Deno.test("createMlp: sigmoid and tanh outputs are the activation of the linear output", async () => {
  await useBackend("wasm");
  const make = (outputActivation?: "linear" | "sigmoid" | "tanh") =>
    createMlp({
      sizes: [3, 6, 4],
      activation: "relu",
      outputActivation,
      name: `mlp_out_${outputActivation}`,
      rng: new Rng(3, "init"),
    });
  const x = tf.tensor2d(X, [2, 3]);
  const linear = make("linear");
  const sig = make("sigmoid");
  const tanh = make("tanh");
  const a = linear.apply(x).dataSync();
  const s = sig.apply(x).dataSync();
  const t = tanh.apply(x).dataSync();
  a.forEach((v, i) => {
    assert.ok(Math.abs(s[i] - 1 / (1 + Math.exp(-v))) < 1e-6, `sigmoid ${i}`);
    assert.ok(s[i] > 0 && s[i] < 1);
    assert.ok(Math.abs(t[i] - Math.tanh(v)) < 1e-6, `tanh ${i}`);
  });
  tf.dispose([x]);
  [linear, sig, tanh].forEach((n) => n.dispose());
});

Deno.test("createMlp: uniform init within ±scale, zero biases, outputBias on the last layer", async () => {
  await useBackend("wasm");
  const bias = Float32Array.from([0.5, -1, 2]);
  const net = createMlp({
    sizes: [10, 40, 3],
    activation: "relu",
    outputActivation: "sigmoid",
    init: { kind: "uniform", scale: 0.05 },
    outputBias: bias,
    name: "mlp_uniform",
    rng: new Rng(2, "init"),
  });
  const [w0, b0, w1, b1] = net.variables.map((v) => v.dataSync());
  for (const w of [w0, w1]) {
    assert.ok(w.every((v) => Math.abs(v) <= 0.05));
    assert.ok(w.some((v) => Math.abs(v) > 0.045), "spread over the whole range");
  }
  assert.deepEqual(Array.from(w0), Array.from(new Rng(2, "init").uniforms(400, -0.05, 0.05)));
  assert.ok(b0.every((v) => v === 0));
  assert.deepEqual(Array.from(b1), Array.from(bias));
  // With zero input the output is sigmoid(bias).
  const y = tf.tidy(() => net.apply(tf.zeros([1, 10])).dataSync());
  bias.forEach((b, i) => assert.ok(Math.abs(y[i] - 1 / (1 + Math.exp(-b))) < 1e-6));
  net.dispose();
  assert.throws(
    () =>
      createMlp({
        sizes: [2, 3],
        activation: "relu",
        outputBias: new Float32Array(2),
        name: "mlp_bad_bias",
        rng: new Rng(1),
      }),
    /outputBias has 2 entries, expected 3/,
  );
});

Deno.test("marginalBias: sigmoid(bias) is each pixel's mean, clipped to (eps, 1 - eps)", () => {
  // 4 images of 5 pixels; pixel 3 is always 0, pixel 4 always 1.
  const images = Float32Array.from([
    [0, 0.5, 1, 0, 1],
    [1, 0.25, 1, 0, 1],
    [0, 0.75, 0, 0, 1],
    [1, 0.5, 0.2, 0, 1],
  ].flat());
  const mean = [0.5, 0.5, 0.55, 0, 1];
  const bias = marginalBias(images, 5);
  const sigmoid = (b: number) => 1 / (1 + Math.exp(-b));
  for (const j of [0, 1, 2]) assert.ok(Math.abs(sigmoid(bias[j]) - mean[j]) < 1e-6, `pixel ${j}`);
  assert.ok(Math.abs(bias[0]) < 1e-7);
  assert.ok(Math.abs(bias[3] - Math.log(1e-7 / (1 - 1e-7))) < 1e-4, "clipped at eps");
  assert.ok(Math.abs(bias[4] + bias[3]) < 1e-4, "clipped at 1 - eps");
  const loose = marginalBias(images, 5, 0.01);
  assert.ok(Math.abs(sigmoid(loose[3]) - 0.01) < 1e-6);
  assert.ok(Math.abs(sigmoid(loose[4]) - 0.99) < 1e-6);
  assert.throws(() => marginalBias(images, 3), /not a positive whole number of rows/);
  assert.throws(() => marginalBias(images, 5, 0), /eps/);
});
