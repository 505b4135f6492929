/**
 * Profile of one DCGAN training step on the tfjs `wasm` backend, to measure
 * the convolution kernels of `wasm_conv.ts` against the shipped ones, with
 * the shipped wasm matrix product and with native BLAS (`wasm_matmul.ts`).
 *
 * The step (batch 64, MNIST-sized): G is dense(100 -> 7x7x128) -> batchNorm
 * -> relu -> conv2dTranspose 5x5 stride 2 (14x14x64) -> batchNorm -> relu ->
 * conv2dTranspose 5x5 stride 2 (28x28x1) -> sigmoid; D is conv 5x5 stride 2
 * (64) -> leakyRelu -> conv 5x5 stride 2 (128) -> batchNorm -> leakyRelu ->
 * flatten -> dense 1. One D update (BCE on real and fake logits) and one G
 * update (minimax: minimise log(1 - D(G(z)))), each through
 * `tf.variableGrads` and Adam.
 *
 * It first times each convolution kernel alone on the step's shapes, shipped
 * against im2col, then whole steps under each configuration, interleaved
 * step by step in one process so the ratios hold on a shared machine. Run it with
 *
 *     deno run --allow-read --allow-env --allow-sys --allow-ffi bench/conv_profile.ts [--rounds N] [--reps N]
 *
 * @module
 */
import * as tf from "@tensorflow/tfjs";
import { parseArgs } from "node:util";
import { initBackend } from "../lib/runtime/backend.ts";
import { Rng } from "../lib/runtime/rng.ts";
import {
  registerWasmConvKernels,
  restoreShippedWasmConvKernels,
  type WasmConvKernelName,
} from "../lib/runtime/wasm_conv.ts";
import { registerNativeMatmul, unregisterNativeMatmul } from "../lib/runtime/wasm_matmul.ts";

/** One kernel set to time. */
export interface DcganConfig {
  /** Label in the results. */
  name: string;
  /** Matrix products on native BLAS (skipped where none loads). */
  blas: boolean;
  /** Kernels of `wasm_conv.ts` to use; the others are the shipped ones. */
  convKernels: readonly WasmConvKernelName[];
}

/** The configurations timed by default. */
export const DCGAN_CONFIGS: readonly DcganConfig[] = [
  {
    name: "wasm matmul, shipped Conv2D+BackpropInput",
    blas: false,
    convKernels: ["Conv2DBackpropFilter"],
  },
  {
    name: "wasm matmul, im2col Conv2D+BackpropInput",
    blas: false,
    convKernels: ["Conv2D", "Conv2DBackpropInput", "Conv2DBackpropFilter"],
  },
  {
    name: "BLAS matmul, shipped Conv2D+BackpropInput",
    blas: true,
    convKernels: ["Conv2DBackpropFilter"],
  },
  {
    name: "BLAS matmul, im2col BackpropInput only",
    blas: true,
    convKernels: ["Conv2DBackpropInput", "Conv2DBackpropFilter"],
  },
  {
    name: "BLAS matmul, im2col Conv2D+BackpropInput",
    blas: true,
    convKernels: ["Conv2D", "Conv2DBackpropInput", "Conv2DBackpropFilter"],
  },
];

/** Timing of one configuration. */
export interface DcganTiming {
  /** The configuration's label. */
  name: string;
  /** Milliseconds of every timed step, all rounds. */
  stepMs: number[];
  /** Median of {@link DcganTiming.stepMs}. */
  medianMs: number;
  /** Median over rounds of (first configuration's step time / this one's). */
  speedup: number;
  /** Kernel time of one profiled step by kernel name, largest first (ms, calls). */
  kernels: { name: string; ms: number; calls: number }[];
  /** Sum of the kernel times of the profiled step (ms). */
  profiledKernelMs: number;
  /** Wall time of the profiled step (ms). */
  profiledWallMs: number;
}

const BATCH = 64;
const NOISE = 100;

type Vars = Record<string, tf.Variable>;

function variable(rng: Rng, shape: number[], std: number): tf.Variable {
  const n = shape.reduce((p, d) => p * d, 1);
  const values = std === 0
    ? new Float32Array(n)
    : Float32Array.from(rng.normals(n), (v) => v * std);
  return tf.variable(tf.tensor(values, shape), true);
}

function ones(shape: number[]): tf.Variable {
  return tf.variable(tf.ones(shape), true);
}

function buildNets(seed: number): { g: Vars; d: Vars } {
  const rng = new Rng(seed, "dcgan-profile");
  const g: Vars = {
    w0: variable(rng, [NOISE, 7 * 7 * 128], 0.02),
    gamma0: ones([128]),
    beta0: variable(rng, [128], 0),
    f1: variable(rng, [5, 5, 64, 128], 0.02),
    gamma1: ones([64]),
    beta1: variable(rng, [64], 0),
    f2: variable(rng, [5, 5, 1, 64], 0.02),
    b2: variable(rng, [1], 0),
  };
  const d: Vars = {
    f1: variable(rng, [5, 5, 1, 64], 0.02),
    b1: variable(rng, [64], 0),
    f2: variable(rng, [5, 5, 64, 128], 0.02),
    gamma2: ones([128]),
    beta2: variable(rng, [128], 0),
    w3: variable(rng, [7 * 7 * 128, 1], 0.02),
    b3: variable(rng, [1], 0),
  };
  return { g, d };
}

function batchNorm(x: tf.Tensor, axes: number[], gamma: tf.Tensor, beta: tf.Tensor): tf.Tensor {
  const { mean, variance } = tf.moments(x, axes);
  return tf.batchNorm(x, mean, variance, beta, gamma, 1e-5);
}

function generator(g: Vars, z: tf.Tensor): tf.Tensor4D {
  let h: tf.Tensor = tf.reshape(tf.matMul(z as tf.Tensor2D, g.w0), [BATCH, 7, 7, 128]);
  h = tf.relu(batchNorm(h, [0, 1, 2], g.gamma0, g.beta0));
  h = tf.conv2dTranspose(h as tf.Tensor4D, g.f1 as tf.Tensor4D, [BATCH, 14, 14, 64], 2, "same");
  h = tf.relu(batchNorm(h, [0, 1, 2], g.gamma1, g.beta1));
  h = tf.conv2dTranspose(h as tf.Tensor4D, g.f2 as tf.Tensor4D, [BATCH, 28, 28, 1], 2, "same");
  return tf.sigmoid(tf.add(h, g.b2)) as tf.Tensor4D;
}

function discriminator(d: Vars, x: tf.Tensor4D): tf.Tensor {
  let h: tf.Tensor = tf.conv2d(x, d.f1 as tf.Tensor4D, 2, "same");
  h = tf.leakyRelu(tf.add(h, d.b1), 0.2);
  h = tf.conv2d(h as tf.Tensor4D, d.f2 as tf.Tensor4D, 2, "same");
  h = tf.leakyRelu(batchNorm(h, [0, 1, 2], d.gamma2, d.beta2), 0.2);
  return tf.add(tf.matMul(tf.reshape(h, [BATCH, -1]), d.w3), d.b3);
}

function named(grads: tf.NamedTensorMap): { name: string; tensor: tf.Tensor }[] {
  return Object.entries(grads).map(([name, tensor]) => ({ name, tensor }));
}

/** A DCGAN with its optimisers and fixed inputs, ready to step. */
interface Dcgan {
  step(): number;
  dispose(): void;
}

function makeDcgan(seed: number): Dcgan {
  const { g, d } = buildNets(seed);
  const rng = new Rng(seed, "dcgan-inputs");
  const real = tf.tensor4d(Float32Array.from(rng.uniforms(BATCH * 28 * 28)), [BATCH, 28, 28, 1]);
  const z = tf.tensor2d(Float32Array.from(rng.normals(BATCH * NOISE)), [BATCH, NOISE]);
  const onesT = tf.ones([BATCH, 1]);
  const zerosT = tf.zeros([BATCH, 1]);
  const optD = tf.train.adam(2e-4, 0.5);
  const optG = tf.train.adam(2e-4, 0.5);
  const dList = Object.values(d);
  const gList = Object.values(g);
  return {
    step(): number {
      return tf.tidy(() => {
        const fake = generator(g, z);
        const dOut = tf.variableGrads(() =>
          tf.add(
            tf.losses.sigmoidCrossEntropy(onesT, discriminator(d, real)),
            tf.losses.sigmoidCrossEntropy(zerosT, discriminator(d, fake)),
          ) as tf.Scalar, dList);
        optD.applyGradients(named(dOut.grads));
        // Minimax G loss: mean log(1 - D(G(z))) = mean(-softplus(logit)).
        const gOut = tf.variableGrads(
          () => tf.mean(tf.neg(tf.softplus(discriminator(d, generator(g, z))))) as tf.Scalar,
          gList,
        );
        optG.applyGradients(named(gOut.grads));
        return dOut.value.dataSync()[0] + gOut.value.dataSync()[0];
      });
    },
    dispose(): void {
      tf.dispose([...dList, ...gList, real, z, onesT, zerosT]);
      optD.dispose();
      optG.dispose();
    },
  };
}

function useConfig(config: DcganConfig, blasAvailable: boolean): boolean {
  if (config.blas && !blasAvailable) return false;
  if (config.blas) registerNativeMatmul();
  else unregisterNativeMatmul();
  restoreShippedWasmConvKernels(["Conv2D", "Conv2DBackpropInput"]);
  registerWasmConvKernels({ kernels: config.convKernels });
  return true;
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
}

function kernelTotals(
  prof: Awaited<ReturnType<typeof tf.profile>>,
): { name: string; ms: number; calls: number }[] {
  const byName = new Map<string, { ms: number; calls: number }>();
  for (const k of prof.kernels) {
    const e = byName.get(k.name) ?? { ms: 0, calls: 0 };
    e.ms += typeof k.kernelTimeMs === "number" ? k.kernelTimeMs : 0;
    e.calls++;
    byName.set(k.name, e);
  }
  return [...byName].map(([name, e]) => ({ name, ...e })).sort((a, b) => b.ms - a.ms);
}

/**
 * Times one DCGAN step (one D and one G update, batch 64) on wasm under each
 * configuration, interleaved step by step: after one untimed warm-up round,
 * each of `rounds` rounds runs one step of every configuration (the order
 * rotating from round to round), so a change in machine load hits all
 * configurations alike; `speedups` are per-round ratios to the first
 * configuration. Then profiles one step per configuration with `tf.profile`.
 * Leaves the project's default kernels registered (all of `wasm_conv.ts`,
 * BLAS where it loads).
 */
export async function profileDcganStep(
  options: { rounds?: number; configs?: readonly DcganConfig[]; log?: boolean } = {},
): Promise<{ blas: string | null; timings: DcganTiming[] }> {
  const { rounds = 5, configs = DCGAN_CONFIGS, log = false } = options;
  const info = await initBackend("wasm");
  const blas = info.blas ?? null;
  const active = configs.filter((c) => !c.blas || blas !== null);
  const nets = active.map(() => makeDcgan(1));
  const times = active.map(() => [] as number[]);
  for (let r = -1; r < rounds; r++) {
    const row: string[] = [];
    for (let j = 0; j < active.length; j++) {
      const i = (j + Math.max(0, r)) % active.length;
      useConfig(active[i], blas !== null);
      const t0 = performance.now();
      nets[i].step();
      const ms = performance.now() - t0;
      if (r >= 0) times[i].push(ms);
      row[i] = ms.toFixed(0);
    }
    if (log) console.error(`${r < 0 ? "warm-up" : `round ${r + 1}`}: ${row.join(", ")} ms`);
  }
  const timings: DcganTiming[] = [];
  for (let i = 0; i < active.length; i++) {
    useConfig(active[i], blas !== null);
    const t0 = performance.now();
    const prof = await tf.profile(() => {
      nets[i].step();
    });
    const wall = performance.now() - t0;
    const kernels = kernelTotals(prof);
    timings.push({
      name: active[i].name,
      stepMs: times[i],
      medianMs: median(times[i]),
      speedup: median(times[i].map((t, r) => times[0][r] / t)),
      kernels,
      profiledKernelMs: kernels.reduce((s, k) => s + k.ms, 0),
      profiledWallMs: wall,
    });
  }
  for (const n of nets) n.dispose();
  registerWasmConvKernels();
  if (blas !== null) registerNativeMatmul();
  return { blas, timings };
}

/** One convolution of the DCGAN step, timed alone. */
export interface ConvKernelTiming {
  /** Kernel and shapes. */
  name: string;
  /** Median ms with the shipped wasm kernel (null for Conv2DBackpropFilter, which has none). */
  shippedMs: number | null;
  /** Median ms with the im2col kernel of `wasm_conv.ts`. */
  im2colMs: number;
  /** Whether the matrix products ran on native BLAS. */
  blas: boolean;
}

/**
 * Times the six convolutions of the DCGAN step (each kernel on the shapes of
 * both layers) with the shipped and the im2col kernels, alternating call by
 * call, `reps` calls each, on the shipped wasm matrix product and on BLAS
 * where it loads.
 */
export async function profileConvKernels(reps = 9): Promise<ConvKernelTiming[]> {
  const info = await initBackend("wasm");
  const big = { x: [BATCH, 14, 14, 64], f: [5, 5, 64, 128], y: [BATCH, 7, 7, 128] };
  const small = { x: [BATCH, 28, 28, 1], f: [5, 5, 1, 64], y: [BATCH, 14, 14, 64] };
  const attrs = { strides: 2, pad: "same", dataFormat: "NHWC" };
  const rng = new Rng(3, "conv-kernels");
  const t = (shape: number[]) =>
    tf.tensor(Float32Array.from(rng.normals(shape.reduce((p, d) => p * d, 1))), shape);
  const cases: { name: string; kernel: WasmConvKernelName; run: () => tf.Tensor }[] = [];
  for (
    const [label, s] of [["14x14x64 -> 7x7x128", big], ["28x28x1 -> 14x14x64", small]] as const
  ) {
    const x = t([...s.x]);
    const f = t([...s.f]);
    const dy = t([...s.y]);
    const run = (name: string, inputs: tf.NamedTensorMap, extra: Record<string, unknown>) => () =>
      tf.engine().runKernel(
        name,
        inputs,
        { ...attrs, ...extra } as unknown as tf.NamedAttrMap,
      ) as tf.Tensor;
    cases.push(
      {
        name: `Conv2D ${label}`,
        kernel: "Conv2D",
        run: run("Conv2D", { x, filter: f }, { dilations: 1 }),
      },
      {
        name: `Conv2DBackpropInput ${label}`,
        kernel: "Conv2DBackpropInput",
        run: run("Conv2DBackpropInput", { dy, filter: f }, { inputShape: s.x }),
      },
      {
        name: `Conv2DBackpropFilter ${label}`,
        kernel: "Conv2DBackpropFilter",
        run: run("Conv2DBackpropFilter", { x, dy }, { filterShape: s.f }),
      },
    );
  }
  const time = (f: () => tf.Tensor) => {
    const t0 = performance.now();
    const out = f();
    out.dataSync();
    const ms = performance.now() - t0;
    out.dispose();
    return ms;
  };
  const results: ConvKernelTiming[] = [];
  for (const useBlas of info.blas ? [false, true] : [false]) {
    if (useBlas) registerNativeMatmul();
    else unregisterNativeMatmul();
    for (const c of cases) {
      const shipped: number[] = [];
      const ours: number[] = [];
      const hasShipped = c.kernel !== "Conv2DBackpropFilter";
      for (let r = -1; r < reps; r++) {
        if (hasShipped) {
          restoreShippedWasmConvKernels([c.kernel]);
          const ms = time(c.run);
          if (r >= 0) shipped.push(ms);
        }
        registerWasmConvKernels({ kernels: [c.kernel] });
        const ms = time(c.run);
        if (r >= 0) ours.push(ms);
      }
      results.push({
        name: c.name,
        shippedMs: hasShipped ? median(shipped) : null,
        im2colMs: median(ours),
        blas: useBlas,
      });
    }
  }
  registerWasmConvKernels();
  if (info.blas) registerNativeMatmul();
  return results;
}

if (import.meta.main) {
  const { values } = parseArgs({
    options: { rounds: { type: "string", default: "5" }, reps: { type: "string", default: "9" } },
  });
  const kernels = await profileConvKernels(Number(values.reps));
  console.log("Convolution kernels alone (median ms, shipped vs im2col, alternating calls):");
  for (const k of kernels) {
    const shipped = k.shippedMs === null ? "none" : k.shippedMs.toFixed(1);
    const ratio = k.shippedMs === null ? "" : ` (${(k.shippedMs / k.im2colMs).toFixed(1)}x)`;
    console.log(
      `  ${k.blas ? "BLAS" : "wasm"} matmul  ${k.name.padEnd(42)} shipped ${
        shipped.padStart(7)
      }  im2col ${k.im2colMs.toFixed(1).padStart(6)}${ratio}`,
    );
  }
  const { blas, timings } = await profileDcganStep({ rounds: Number(values.rounds), log: true });
  console.log(`\nDCGAN step, batch ${BATCH}, wasm backend; BLAS: ${blas ?? "none loaded"}`);
  for (const t of timings) {
    console.log(
      `\n${t.name}: median ${t.medianMs.toFixed(0)} ms/step, ${
        t.speedup.toFixed(2)
      }x the first (median of per-round ratios); steps ${
        t.stepMs.map((s) => s.toFixed(0)).join(" ")
      }`,
    );
    console.log(
      `  profiled step: wall ${t.profiledWallMs.toFixed(0)} ms, kernels ${
        t.profiledKernelMs.toFixed(0)
      } ms`,
    );
    for (const k of t.kernels.slice(0, 12)) {
      console.log(
        `  ${k.name.padEnd(24)} ${k.ms.toFixed(1).padStart(8)} ms ${
          (100 * k.ms / t.profiledKernelMs).toFixed(1).padStart(5)
        }%  ${k.calls} calls`,
      );
    }
  }
}
