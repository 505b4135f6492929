/**
 * Benchmark: one GAN training step in this harness against PyTorch, on one
 * CPU thread each, in the same run.
 *
 * - `mlp_gan`: the reference MLP GAN of PAPER.md (Z 100, hidden 256, 784
 *   outputs, batch 512, Adam 2e-4; G Linear-ReLU x2 -> Linear-Tanh; D
 *   Linear-LeakyReLU(0.2) x2 -> Linear logit; BCE with logits). One step: a
 *   D update on real and detached fake, then a G update on fresh noise.
 *   Target: at most 1.5x PyTorch (aim 1.0x).
 * - `dcgan`: the DCGAN of `lib/nets/dcgan.ts` on 28x28x1 (MNIST-shaped)
 *   images, batch 64, base width 64, the same losses and step.
 *
 * Ours runs on the wasm backend with the kernels `initBackend` registers
 * (native BLAS when it loads); PyTorch runs `bench/torch_step.py` under
 * Debian's `python3-torch`, installed with apt-get when missing (as root),
 * with one thread (`torch.set_num_threads(1)`, `OPENBLAS_NUM_THREADS=1`).
 * The two sides run in short interleaved blocks (PyTorch in one persistent
 * process, `bench/torch_step.py --serve`), the order alternating round by
 * round (ABBA), against drift in a shared machine's speed; each side's time
 * is the median over all its steps, and the range of the per-round ratios
 * is printed as the noise. Per-step times go to `reports/bench/step.csv`.
 *
 * Run alone: `deno run -A bench/step.ts [--json] [--case mlp_gan|dcgan]
 * [--steps N] [--baseline]`; `--json` prints one object and also measures
 * the sweep's speed-up with 2 workers over 1 (`workers_2_vs_1`);
 * `--baseline` also times a few steps with the
 * shipped wasm kernels (no native BLAS, none of `wasm_kernels.ts`; the
 * convolution kernels stay, the shipped backend cannot train a DCGAN
 * without them), the figure before issue 8.
 *
 * @module
 */
import { throughputBench } from "./throughput.ts";
import * as tf from "@tensorflow/tfjs";
import { existsSync } from "node:fs";
import { join } from "node:path";
import { parseArgs } from "node:util";
import { toCsv, writeAtomic } from "../lib/io/mod.ts";
import { currentBackend, initBackend, PROJECT_ROOT } from "../lib/runtime/backend.ts";
import { Rng } from "../lib/runtime/rng.ts";
import { createMlp } from "../lib/nets/mlp.ts";
import type { Net } from "../lib/nets/net.ts";
import { createDcganDiscriminator, createDcganGenerator } from "../lib/nets/dcgan.ts";
import { discriminatorLoss, generatorLoss } from "../lib/gan/losses.ts";
import { createOptimizer, type Optimizer } from "../lib/gan/optimizers.ts";
import type { AdamConfig } from "../lib/spec/config.ts";
import { registerWasmKernels, restoreShippedWasmKernels } from "../lib/runtime/wasm_kernels.ts";

/** The benchmark's cases. */
export const STEP_CASES = ["mlp_gan", "dcgan"] as const;
/** One case of {@link STEP_CASES}. */
export type StepCase = typeof STEP_CASES[number];

/** One case measured on both sides. */
export interface StepCaseResult {
  /** Our median ms per step over both our blocks. */
  ours_ms: number;
  /** PyTorch's median ms per step over both its blocks; null when PyTorch is unavailable. */
  torch_ms: number | null;
  /** ours_ms / torch_ms; null without PyTorch. */
  ratio: number | null;
  /** Median of each of our interleaved blocks, in run order. */
  ours_blocks: number[];
  /** Median of each PyTorch block, in run order (empty without PyTorch). */
  torch_blocks: number[];
  /** With `--baseline`: median ms per step with the shipped wasm kernels. */
  baseline_ms?: number;
}

/** The benchmark's result, by case. */
export type StepBenchResult = Partial<Record<StepCase, StepCaseResult>>;

/** Options of {@link stepBench}. */
export interface StepBenchOptions {
  cases?: readonly StepCase[];
  /** Timed steps per side (default 40 for mlp_gan, 12 for dcgan), in interleaved blocks. */
  steps?: number;
  /** Also time the shipped wasm kernels (slow: a few steps). */
  baseline?: boolean;
  /** Print progress lines (default true). */
  verbose?: boolean;
}

/** A training step of the harness, ready to run. */
export interface HarnessStep {
  /** One D update then one G update. */
  step(): void;
  dispose(): void;
}

const ADAM: AdamConfig = { name: "adam", lr: 2e-4, beta1: 0.5, beta2: 0.999, eps: 1e-8 };
const Z = 100;
const DEFAULT_STEPS: Record<StepCase, number> = { mlp_gan: 40, dcgan: 12 };

/** A GAN step over nets `g` and `d`: D on real and detached fake, then G on fresh noise. */
function ganStep(g: Net, d: Net, batch: number, real: tf.Tensor2D, seed: number): HarnessStep {
  const gOpt: Optimizer = createOptimizer(ADAM, g.variables);
  const dOpt: Optimizer = createOptimizer(ADAM, d.variables);
  const noise = new Rng(seed, "bench-noise");
  const update = (opt: Optimizer, vars: tf.Variable[], f: () => tf.Scalar) => {
    const { value, grads } = tf.variableGrads(f, vars);
    opt.apply(vars.map((v) => grads[v.name]));
    value.dispose();
    tf.dispose(grads);
  };
  return {
    step() {
      const fake = tf.tidy(() => g.apply(tf.tensor2d(noise.normals(batch * Z), [batch, Z])));
      update(
        dOpt,
        d.variables,
        () => discriminatorLoss("non-saturating", d.apply(real), d.apply(fake)),
      );
      fake.dispose();
      const z = tf.tensor2d(noise.normals(batch * Z), [batch, Z]);
      update(gOpt, g.variables, () => generatorLoss("non-saturating", d.apply(g.apply(z))));
      z.dispose();
    },
    dispose() {
      for (const x of [g, d, gOpt, dOpt]) x.dispose();
      real.dispose();
    },
  };
}

/** The reference MLP-GAN step (see the module doc) on the current backend. */
export function createMlpGanStep(seed = 0): HarnessStep {
  const rng = new Rng(seed, "bench-init");
  const g = createMlp({
    sizes: [Z, 256, 256, 784],
    activation: "relu",
    outputActivation: "tanh",
    name: "G",
    rng,
  });
  const d = createMlp({ sizes: [784, 256, 256, 1], activation: "leaky-relu", name: "D", rng });
  const real = tf.tensor2d(rng.uniforms(512 * 784, -1, 1), [512, 784]);
  return ganStep(g, d, 512, real, seed);
}

/** The DCGAN step (28x28x1, batch 64, base width 64) on the current backend. */
export function createDcganStep(seed = 0): HarnessStep {
  const rng = new Rng(seed, "bench-init");
  const shape = [28, 28, 1] as const;
  const g = createDcganGenerator({ noiseDim: Z, shape, name: "G", rng });
  const d = createDcganDiscriminator({ shape, name: "D", rng });
  const real = tf.tensor2d(rng.uniforms(64 * 784), [64, 784]);
  return ganStep(g, d, 64, real, seed);
}

const BUILDERS: Record<StepCase, (seed?: number) => HarnessStep> = {
  mlp_gan: createMlpGanStep,
  dcgan: createDcganStep,
};

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const mid = s.length >> 1;
  return s.length % 2 ? s[mid] : (s[mid - 1] + s[mid]) / 2;
}

/** Per-step times (ms) of `steps` steps after `warmup` untimed ones. */
export function timeSteps(h: HarnessStep, steps: number, warmup: number): number[] {
  for (let i = 0; i < warmup; i++) h.step();
  const times: number[] = [];
  for (let i = 0; i < steps; i++) {
    const t0 = performance.now();
    h.step();
    times.push(performance.now() - t0);
  }
  return times;
}

/** The Python interpreter for PyTorch: `GAN_HARNESS_PYTHON`, else Debian's /usr/bin/python3. */
export function pythonPath(): string {
  const fromEnv = Deno.env.get("GAN_HARNESS_PYTHON");
  if (fromEnv) return fromEnv;
  return existsSync("/usr/bin/python3") ? "/usr/bin/python3" : "python3";
}

const TORCH_PACKAGES = ["python3-torch", "libopenblas0-pthread"];

async function run(cmd: string, args: string[], env?: Record<string, string>) {
  try {
    const out = await new Deno.Command(cmd, { args, env, stdout: "piped", stderr: "piped" })
      .output();
    const dec = new TextDecoder();
    return { code: out.code, stdout: dec.decode(out.stdout), stderr: dec.decode(out.stderr) };
  } catch (e) {
    return { code: -1, stdout: "", stderr: e instanceof Error ? e.message : String(e) };
  }
}

/**
 * Makes sure PyTorch imports in {@link pythonPath}; when it does not and
 * apt-get is there (as root), installs Debian's `python3-torch` with a real
 * BLAS (`libopenblas0-pthread`; with only the reference BLAS PyTorch is
 * about 20x slower and the ratio would mean nothing). Returns null when
 * ready, else one line saying what is missing and how to install it.
 */
export async function ensureTorch(
  log: (line: string) => void = console.log,
): Promise<string | null> {
  const py = pythonPath();
  const probe = () => run(py, ["-c", "import torch"]);
  if ((await probe()).code === 0) return null;
  const hint = `PyTorch is not importable by ${py}; install it with ` +
    `\`apt-get install -y --no-install-recommends ${TORCH_PACKAGES.join(" ")}\` ` +
    "(or point GAN_HARNESS_PYTHON at a python3 that has torch)";
  const isRoot = Deno.uid?.() === 0;
  if (!isRoot || !existsSync("/usr/bin/apt-get")) return hint;
  log(`  installing ${TORCH_PACKAGES.join(", ")} with apt-get (PyTorch is missing)...`);
  const env = { DEBIAN_FRONTEND: "noninteractive" };
  const args = ["install", "-y", "--no-install-recommends", ...TORCH_PACKAGES];
  let r = await run("apt-get", args, env);
  if (r.code !== 0) {
    await run("apt-get", ["update"], env);
    r = await run("apt-get", args, env);
  }
  if (r.code !== 0 || (await probe()).code !== 0) {
    const why = r.stderr.trim().split("\n").pop() ?? "";
    return `${hint}; apt-get failed${why ? `: ${why}` : ""}`;
  }
  return null;
}

/** A PyTorch process serving timed blocks of one case (see `bench/torch_step.py --serve`). */
export interface TorchServer {
  /** PyTorch's version and the BLAS libraries its process loaded. */
  about: string;
  /** Runs `n` steps; returns each one's ms. */
  run(n: number): Promise<number[]>;
  close(): Promise<void>;
}

/** Starts `bench/torch_step.py --serve` for a case on one thread; resolves once warmed up. */
export async function startTorch(
  c: StepCase | "paper_mnist",
  warmup: number,
): Promise<TorchServer> {
  const script = join(PROJECT_ROOT, "bench", "torch_step.py");
  const child = new Deno.Command(pythonPath(), {
    args: [script, "--case", c, "--warmup", String(warmup), "--serve"],
    env: { OMP_NUM_THREADS: "1", OPENBLAS_NUM_THREADS: "1", MKL_NUM_THREADS: "1" },
    stdin: "piped",
    stdout: "piped",
    stderr: "piped",
  }).spawn();
  const lines = child.stdout.pipeThrough(new TextDecoderStream()).getReader();
  const stderr = new Response(child.stderr).text();
  const writer = child.stdin.getWriter();
  let buffered = "";
  const nextJson = async (): Promise<Record<string, unknown>> => {
    while (!buffered.includes("\n")) {
      const { value, done } = await lines.read();
      if (done) {
        const status = await child.status;
        const why = (await stderr).trim().split("\n").pop() ?? "";
        let parsed: Record<string, unknown> = {};
        try {
          parsed = JSON.parse(buffered.trim() || "{}");
        } catch {
          // not JSON: the stderr line says more
        }
        throw new Error(
          `bench/torch_step.py --case ${c} stopped (exit ${status.code}): ${parsed.error ?? why}`,
        );
      }
      buffered += value;
    }
    const i = buffered.indexOf("\n");
    const line = buffered.slice(0, i);
    buffered = buffered.slice(i + 1);
    return JSON.parse(line);
  };
  const ready = await nextJson();
  const encoder = new TextEncoder();
  return {
    about: `torch ${ready.torch}, BLAS ${ready.blas_lib}`,
    async run(n) {
      await writer.write(encoder.encode(`${n}\n`));
      return (await nextJson()).ms as number[];
    },
    async close() {
      await writer.write(encoder.encode("\n"));
      await writer.close();
      await child.status;
      await stderr;
      lines.releaseLock();
    },
  };
}

function fmt(x: number | null | undefined, digits = 1): string {
  return x === null || x === undefined ? "-" : x.toFixed(digits);
}

/** Steps per interleaved block. */
const CHUNK: Record<StepCase, number> = { mlp_gan: 5, dcgan: 2 };

/**
 * Runs the cases, each as rounds of a short block of ours and a short block
 * of PyTorch's (order alternating, ABBA), prints ms per step, the ratio and
 * the noise (the spread of the per-round ratios), writes
 * `reports/bench/step.csv` and returns the figures.
 */
export async function stepBench(options: StepBenchOptions = {}): Promise<StepBenchResult> {
  const verbose = options.verbose ?? true;
  const log = (line: string) => {
    if (verbose) console.log(line);
  };
  const cases = options.cases ?? STEP_CASES;
  const info = currentBackend()?.name === "wasm" ? currentBackend()! : await initBackend("wasm");
  log(`step: GAN training steps, ours (${info.reason}) vs PyTorch, one thread each`);
  const torchMissing = await ensureTorch(log);
  if (torchMissing) log(`  PyTorch side skipped: ${torchMissing}`);
  const result: StepBenchResult = {};
  const rows: { case: string; side: string; round: number; ms_per_step: number }[] = [];
  for (const c of cases) {
    const steps = options.steps ?? DEFAULT_STEPS[c];
    const chunk = Math.min(CHUNK[c], steps);
    const rounds = Math.max(2, Math.ceil(steps / chunk));
    const warmup = Math.max(2, chunk);
    const h = BUILDERS[c]();
    const torch = torchMissing ? null : await startTorch(c, warmup);
    const ours: number[][] = [];
    const theirs: number[][] = [];
    try {
      const before = tf.memory().numTensors;
      timeSteps(h, 0, warmup);
      for (let r = 0; r < rounds; r++) {
        const oursFirst = r % 2 === 0;
        if (oursFirst) ours.push(timeSteps(h, chunk, 0));
        if (torch) theirs.push(await torch.run(chunk));
        if (!oursFirst) ours.push(timeSteps(h, chunk, 0));
      }
      const leaked = tf.memory().numTensors - before;
      if (leaked !== 0) throw new Error(`${c}: the harness step leaked ${leaked} tensors`);
    } finally {
      await torch?.close();
    }
    let baseline: number | undefined;
    if (options.baseline) {
      restoreShippedWasmKernels();
      try {
        baseline = median(timeSteps(h, Math.min(steps, 5), 1));
      } finally {
        registerWasmKernels();
      }
    }
    h.dispose();
    const oursMs = median(ours.flat());
    const torchMs = theirs.length ? median(theirs.flat()) : null;
    const roundRatios = theirs.map((t, i) => median(ours[i]) / median(t));
    const r: StepCaseResult = {
      ours_ms: oursMs,
      torch_ms: torchMs,
      ratio: torchMs === null ? null : oursMs / torchMs,
      ours_blocks: ours.map(median),
      torch_blocks: theirs.map(median),
      ...(baseline === undefined ? {} : { baseline_ms: baseline }),
    };
    result[c] = r;
    const row = (side: string, round: number, ms: number) =>
      rows.push({ case: c, side, round, ms_per_step: ms });
    ours.forEach((t, i) => t.forEach((ms) => row("ours", i, ms)));
    theirs.forEach((t, i) => t.forEach((ms) => row("torch", i, ms)));
    if (baseline !== undefined) row("shipped-wasm", 0, baseline);
    const target = c === "mlp_gan" && r.ratio !== null
      ? ` (${r.ratio <= 1.5 ? "meets" : "misses"} the target of 1.5x; aim 1.0x)`
      : "";
    const noise = roundRatios.length
      ? `; per-round ratios ${fmt(Math.min(...roundRatios), 2)}-${fmt(Math.max(...roundRatios), 2)}`
      : "";
    log(
      `  ${c}: ours ${fmt(oursMs)} ms/step, PyTorch ${fmt(torchMs)} ms/step, ratio ${
        fmt(r.ratio, 2)
      }x${target}`,
    );
    log(`    ${rounds} interleaved rounds of ${chunk} steps each side${noise}`);
    if (torch) log(`    ${torch.about}`);
    if (torch && /\/blas\/libblas|none found/.test(torch.about)) {
      log(
        "    warning: PyTorch runs on the reference BLAS, about 20x slower than a real one; " +
          "install libopenblas0-pthread (apt-get) for a meaningful ratio",
      );
    }
    if (baseline !== undefined) {
      log(
        `    shipped wasm kernels (before native BLAS): ${fmt(baseline)} ms/step (${
          fmt(baseline / oursMs)
        }x ours)`,
      );
    }
  }
  const dir = join(PROJECT_ROOT, "reports", "bench");
  writeAtomic(join(dir, "step.csv"), toCsv(rows, ["case", "side", "round", "ms_per_step"]));
  log(`  per-step times: ${join("reports", "bench", "step.csv")}`);
  return result;
}

if (import.meta.main) {
  const { values } = parseArgs({
    args: Deno.args,
    options: {
      json: { type: "boolean", default: false },
      case: { type: "string", multiple: true },
      steps: { type: "string" },
      baseline: { type: "boolean", default: false },
    },
  });
  const cases = (values.case ?? [...STEP_CASES]) as StepCase[];
  const bad = cases.filter((c) => !(STEP_CASES as readonly string[]).includes(c));
  if (bad.length) {
    console.error(`--case: unknown ${bad.join(", ")}; cases: ${STEP_CASES.join(", ")}`);
    Deno.exit(2);
  }
  const steps = values.steps === undefined ? undefined : Number(values.steps);
  if (steps !== undefined && !(Number.isInteger(steps) && steps > 0)) {
    console.error(`--steps: got ${values.steps}, expected a positive integer`);
    Deno.exit(2);
  }
  const result = await stepBench({
    cases,
    steps,
    baseline: values.baseline,
    verbose: !values.json,
  });
  if (values.json) {
    // The issue's summary object: the step cases plus the sweep's 2-worker speed-up.
    const workers = await throughputBench({ verbose: false });
    console.log(JSON.stringify({ ...result, workers_2_vs_1: workers }));
  }
}
