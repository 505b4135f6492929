/**
 * Benchmark: one update of `experiments/paper-mnist.ts` (the paper's MNIST
 * nets: ReLU G 100-1200-1200-784, maxout D 240x5-240x5 with dropout; batch
 * 100; SGD with momentum and the paper's schedules; the simultaneous update
 * with D's loss halved) against the floor of its own matrix products, and
 * against PyTorch.
 *
 * - `update`: one iteration of the training loop as a run takes it
 *   (`simultaneousIteration`: the minibatch, the noise, the dropout masks,
 *   both gradients, both optimiser updates), with the fast steps of
 *   `lib/gan/fast_steps.ts`.
 * - `matmul`: the matrix products of that same update replayed alone on
 *   copies of their data (`blas_replay.ts`: every product the update calls,
 *   recorded once), in the same run. Target: update / matmul at most 1.3.
 * - `torch`: the same nets and update in PyTorch on one thread
 *   (`bench/torch_step.py --case paper_mnist`), installed as `step` does.
 * - with `--baseline`: the same update in tfjs ops (`tfjsSimultaneousUpdate`,
 *   what runs used before the fast steps), and the time its matrix-product
 *   kernels took inside it.
 *
 * The sides run in short interleaved blocks, the order reversed every round
 * (ABBA), against the drift of a shared machine; each figure is the median
 * over all its steps, and the range of the per-round ratios is printed as
 * the noise. Then one evaluation (as at every `evalEvery`) and one
 * checkpoint (snapshot and encoding, as every 100 iterations in a sweep)
 * are timed, and printed per update at the study's cadence.
 *
 * Run alone: `deno run -A bench/paper_mnist.ts [--json] [--steps N] [--baseline]`.
 *
 * @module
 */
import * as tf from "@tensorflow/tfjs";
import process from "node:process";
import { parseArgs } from "node:util";
import experiment from "../experiments/paper-mnist.ts";
import { resolveConfig, type RunConfig } from "../lib/spec/config.ts";
import { currentBackend, initBackend } from "../lib/runtime/backend.ts";
import { nativeBlas } from "../lib/runtime/blas.ts";
import { Rng } from "../lib/runtime/rng.ts";
import { loadDataset } from "../lib/data/dataset.ts";
import { BatchSampler } from "../lib/data/batches.ts";
import { Gan, noise } from "../lib/gan/gan.ts";
import { simultaneousIteration, tfjsSimultaneousUpdate } from "../lib/gan/train.ts";
import { evaluate, makeEvalSet } from "../lib/gan/evaluate.ts";
import { encodeCheckpoint, type LoopStreams, snapshot } from "../lib/gan/checkpoint.ts";
import { productReplay, RecordingBlas } from "./blas_replay.ts";
import { ensureTorch, startTorch, type TorchServer } from "./step.ts";

/** What {@link paperMnistBench} measured (milliseconds unless said otherwise). */
export interface PaperMnistBenchResult {
  /** Median ms of one update (fast steps). */
  update_ms: number;
  /** Median ms of the update's matrix products alone. */
  matmul_ms: number;
  /** update_ms / matmul_ms (target: at most 1.3). */
  ratio: number;
  /** The range of the per-round update / matmul ratios. */
  ratio_range: [number, number];
  /**
   * The same ratio in CPU time of this process (all blocks summed): what
   * the two sides cost, without the time other processes took the core.
   */
  ratio_cpu: number;
  /** Matrix products per update and their multiply-adds. */
  products: number;
  madds: number;
  /** PyTorch's median ms per update; null when PyTorch is unavailable. */
  torch_ms: number | null;
  /** update_ms / torch_ms. */
  torch_ratio: number | null;
  /** With `--baseline`: the update in tfjs ops, and its matrix-product kernels inside it. */
  tfjs_ms?: number;
  tfjs_matmul_ms?: number;
  /** tfjs_ms / tfjs_matmul_ms. */
  tfjs_ratio?: number;
  /** One evaluation (as at every evalEvery), and per update at the study's evalEvery. */
  eval_ms: number;
  eval_per_update_ms: number;
  /** One checkpoint (snapshot and encoding), and per update at a sweep's 100 iterations. */
  checkpoint_ms: number;
  checkpoint_per_update_ms: number;
}

/** Options of {@link paperMnistBench}. */
export interface PaperMnistBenchOptions {
  /** Timed updates per side (default 40), in interleaved blocks of 2. */
  steps?: number;
  /** Also time the update in tfjs ops (the figure before the fast steps). */
  baseline?: boolean;
  /** Print progress lines (default true). */
  verbose?: boolean;
}

const CHUNK = 2;
/** Iterations between checkpoints in a sweep (`deno task sweep`'s default). */
const CHECKPOINT_EVERY = 100;

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const mid = s.length >> 1;
  return s.length % 2 ? s[mid] : (s[mid - 1] + s[mid]) / 2;
}

function timed(n: number, f: () => void): number[] {
  const out: number[] = [];
  for (let i = 0; i < n; i++) {
    const t0 = performance.now();
    f();
    out.push(performance.now() - t0);
  }
  return out;
}

/** CPU milliseconds of this process so far (user + system, every thread). */
function cpuMs(): number {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1000;
}

/** Runs `n` steps; their wall times, and the CPU time of the whole block added to `cpu`. */
function timedCpu(n: number, f: () => void, cpu: { ms: number; steps: number }): number[] {
  const c0 = cpuMs();
  const out = timed(n, f);
  cpu.ms += cpuMs() - c0;
  cpu.steps += n;
  return out;
}

/** Sums the time spent in the wasm matrix-product kernels while `f` runs. */
function withMatmulTimer<T>(f: (elapsed: () => number) => T): T {
  const configs = ["BatchMatMul", "_FusedMatMul"]
    .map((k) => tf.getKernel(k, "wasm"))
    .filter((k): k is tf.KernelConfig => k !== undefined);
  const originals = configs.map((k) => k.kernelFunc);
  let total = 0;
  configs.forEach((k, i) => {
    const inner = originals[i];
    (k as { kernelFunc: tf.KernelFunc }).kernelFunc = ((args: Parameters<tf.KernelFunc>[0]) => {
      const t0 = performance.now();
      const out = inner(args);
      total += performance.now() - t0;
      return out;
    }) as tf.KernelFunc;
  });
  try {
    return f(() => total);
  } finally {
    configs.forEach((k, i) => ((k as { kernelFunc: tf.KernelFunc }).kernelFunc = originals[i]));
  }
}

/** The study's base config, seed 0. */
export function paperMnistConfig(): RunConfig {
  const issues: { path: string; message: string }[] = [];
  const config = resolveConfig(experiment.base, "base", issues);
  if (issues.length) throw new Error(`paper-mnist: ${issues[0].path}: ${issues[0].message}`);
  return { ...config, seed: 0 };
}

const fmt = (x: number | null | undefined, digits = 1) =>
  x === null || x === undefined ? "-" : x.toFixed(digits);

/** Runs the benchmark (see the module doc), prints the figures and returns them. */
export async function paperMnistBench(
  options: PaperMnistBenchOptions = {},
): Promise<PaperMnistBenchResult> {
  const log = (line: string) => {
    if (options.verbose ?? true) console.log(line);
  };
  const info = currentBackend()?.name === "wasm" ? currentBackend()! : await initBackend("wasm");
  const native = nativeBlas();
  if (!native) {
    throw new Error(
      `paper-mnist bench: the fast steps need a native BLAS (${info.reason}); on Debian: apt-get install libopenblas0-serial`,
    );
  }
  const config = paperMnistConfig();
  const data = loadDataset(config.data, config.seed);
  const recorder = new RecordingBlas(native);
  const gan = new Gan(config, data, { blas: recorder });
  if (!gan.fast) throw new Error("paper-mnist bench: the run has no fast steps");
  const streams: LoopStreams = {
    noise: new Rng(config.seed, "noise"),
    batches: new BatchSampler(data.train, gan.dim, new Rng(config.seed, "order")),
  };
  const m = config.batchSize;
  const update = () => simultaneousIteration(gan, streams);
  const tfjsUpdate = () => {
    const x = streams.batches.next(m);
    const z = noise(config, streams.noise, m);
    tfjsSimultaneousUpdate(gan, x, z, undefined);
  };
  log(
    `paper-mnist: one update of experiments/paper-mnist.ts (batch ${m}, maxout D, ReLU G, ` +
      `SGD, simultaneous) vs its own matrix products and PyTorch, one thread each (${info.reason})`,
  );
  const torchMissing = await ensureTorch(log);
  if (torchMissing) log(`  PyTorch side skipped: ${torchMissing}`);

  timed(3, update);
  recorder.recording = true;
  update();
  recorder.recording = false;
  const replay = productReplay(native, recorder.calls);
  timed(2, () => replay.run());

  const steps = options.steps ?? 40;
  const rounds = Math.max(2, Math.ceil(steps / CHUNK));
  const torch: TorchServer | null = torchMissing ? null : await startTorch("paper_mnist", CHUNK);
  const ours: number[][] = [];
  const floor: number[][] = [];
  const oursCpu = { ms: 0, steps: 0 };
  const floorCpu = { ms: 0, steps: 0 };
  const theirs: number[][] = [];
  const tfjsTimes: number[] = [];
  let tfjsMatmul = 0;
  try {
    for (let r = 0; r < rounds; r++) {
      const blocks: (() => Promise<void>)[] = [
        () => Promise.resolve(void ours.push(timedCpu(CHUNK, update, oursCpu))),
        () => Promise.resolve(void floor.push(timedCpu(CHUNK, () => replay.run(), floorCpu))),
      ];
      if (torch) blocks.push(async () => void theirs.push(await torch.run(CHUNK)));
      if (options.baseline) {
        blocks.push(() => {
          // The tfjs steps read the variables; the fast steps read them back after.
          gan.syncVariables();
          tfjsUpdate();
          withMatmulTimer((elapsed) => {
            tfjsTimes.push(...timed(CHUNK, tfjsUpdate));
            tfjsMatmul += elapsed();
          });
          gan.variablesAssigned();
          update();
          return Promise.resolve();
        });
      }
      if (r % 2 === 1) blocks.reverse();
      for (const block of blocks) await block();
    }
  } finally {
    await torch?.close();
  }

  gan.syncVariables();
  const ev = makeEvalSet(config, data);
  let t0 = performance.now();
  evaluate(gan, data, ev, 1, false);
  const evalMs = performance.now() - t0;
  t0 = performance.now();
  const bytes = encodeCheckpoint(snapshot(gan, streams, 1, []));
  const checkpointMs = performance.now() - t0;
  gan.dispose();

  const updateMs = median(ours.flat());
  const matmulMs = median(floor.flat());
  const torchMs = theirs.length ? median(theirs.flat()) : null;
  const roundRatios = ours.map((o, i) => median(o) / median(floor[i]));
  const result: PaperMnistBenchResult = {
    update_ms: updateMs,
    matmul_ms: matmulMs,
    ratio: updateMs / matmulMs,
    ratio_range: [Math.min(...roundRatios), Math.max(...roundRatios)],
    ratio_cpu: (oursCpu.ms / oursCpu.steps) / (floorCpu.ms / floorCpu.steps),
    products: replay.count,
    madds: replay.madds,
    torch_ms: torchMs,
    torch_ratio: torchMs === null ? null : updateMs / torchMs,
    eval_ms: evalMs,
    eval_per_update_ms: evalMs / config.evalEvery,
    checkpoint_ms: checkpointMs,
    checkpoint_per_update_ms: checkpointMs / CHECKPOINT_EVERY,
  };
  if (options.baseline && tfjsTimes.length) {
    const tfjsMs = median(tfjsTimes);
    const tfjsMatmulMs = tfjsMatmul / tfjsTimes.length;
    Object.assign(result, {
      tfjs_ms: tfjsMs,
      tfjs_matmul_ms: tfjsMatmulMs,
      tfjs_ratio: tfjsMs / tfjsMatmulMs,
    });
  }
  const verdict = result.ratio <= 1.3 ? "meets" : "misses";
  const gflop = (2 * replay.madds / 1e9).toFixed(2);
  log(
    `  update ${fmt(updateMs)} ms; its ${replay.count} matrix products alone ${fmt(matmulMs)} ms ` +
      `(${gflop} GFLOP, ${fmt(2 * replay.madds / matmulMs / 1e6)} GFLOP/s); ratio ${
        fmt(result.ratio, 2)
      }x (${verdict} the target of 1.3x; per-round ${fmt(result.ratio_range[0], 2)}-${
        fmt(result.ratio_range[1], 2)
      }; in CPU time ${fmt(result.ratio_cpu, 2)}x)`,
  );
  log(
    `  PyTorch ${fmt(torchMs)} ms/update; ours / PyTorch ${fmt(result.torch_ratio, 2)}x` +
      (torch ? ` (${torch.about})` : ""),
  );
  if (result.tfjs_ms !== undefined) {
    log(
      `  before (the update in tfjs ops): ${fmt(result.tfjs_ms)} ms, of which matrix-product ` +
        `kernels ${fmt(result.tfjs_matmul_ms)} ms (ratio ${fmt(result.tfjs_ratio, 2)}x); ` +
        `the fast steps are ${fmt(result.tfjs_ms / updateMs, 2)}x faster`,
    );
  }
  log(
    `  one evaluation ${fmt(evalMs)} ms (${fmt(result.eval_per_update_ms, 2)} ms per update at ` +
      `evalEvery ${config.evalEvery}); one checkpoint (${(bytes.length / 1e6).toFixed(0)} MB) ` +
      `${fmt(checkpointMs)} ms (${fmt(result.checkpoint_per_update_ms, 2)} ms per update every ` +
      `${CHECKPOINT_EVERY})`,
  );
  log(`    ${rounds} interleaved rounds of ${CHUNK} updates each side`);
  return result;
}

if (import.meta.main) {
  const { values } = parseArgs({
    args: Deno.args,
    options: {
      json: { type: "boolean", default: false },
      steps: { type: "string" },
      baseline: { type: "boolean", default: false },
    },
  });
  const steps = values.steps === undefined ? undefined : Number(values.steps);
  if (steps !== undefined && !(Number.isInteger(steps) && steps > 0)) {
    console.error(`--steps: got ${values.steps}, expected a positive integer`);
    Deno.exit(2);
  }
  const result = await paperMnistBench({ steps, baseline: values.baseline, verbose: !values.json });
  if (values.json) console.log(JSON.stringify({ paper_mnist: result }));
}
