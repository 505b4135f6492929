/**
 * Training one GAN run: Algorithm 1 of Goodfellow et al. (2014). For each
 * iteration, `k` times: a fresh minibatch of data and of noise, one update
 * of D; then `gSteps` times: a fresh minibatch of noise, one update of G
 * (`gSteps: 0` freezes G, to train D alone against a fixed G).
 * Metrics are computed every `evalEvery` iterations (and at 0 and the end)
 * on fixed evaluation sets, from separate random streams, so evaluating
 * never changes what training draws.
 *
 * @module
 */
import * as tf from "@tensorflow/tfjs";
import { gHidden, type RunConfig } from "../spec/config.ts";
import { Rng, type RngState } from "../runtime/rng.ts";
import { loadDataset } from "../data/dataset.ts";
import type { Dataset } from "../data/types.ts";
import { BatchSampler, type BatchSamplerState } from "../data/batches.ts";
import type { ApplyOptions, Net } from "../nets/mlp.ts";
import { discriminatorLoss, generatorLoss, gradientPenalty } from "./losses.ts";
import { createOptimizer, type Optimizer } from "./optimizers.ts";
import { buildNets } from "./nets.ts";
import { nearestNeighbours } from "../metrics/nearest.ts";
import { parzenEstimate } from "../metrics/parzen.ts";
import {
  classCoverage,
  discriminatorStats,
  dStarMaxError,
  evalGrid,
  jsDivergence1d,
  modeCoverage,
  optimalD,
  sigmoid,
  valueEstimate,
} from "../metrics/mod.ts";

/** One evaluation: `step` plus named metric values. */
export type MetricRow = Record<string, number>;

/** Which update ran, for tracing Algorithm 1. */
export type UpdateKind = "D" | "G";

/**
 * Everything needed to continue a run exactly where it stopped: weights,
 * optimiser state, random streams and the metrics so far. Resuming from it
 * gives bit-identical results to a run never interrupted.
 */
export interface TrainState {
  /** Iterations completed. */
  iteration: number;
  /** Evaluations so far. */
  rows: MetricRow[];
  /** The noise stream. */
  noise: RngState;
  /** The minibatch order. */
  order: BatchSamplerState;
  /** The dropout stream (absent in checkpoints of older versions: nets without dropout). */
  dropout?: RngState;
  /** Updates applied by D's and G's optimisers. */
  dIterations: number;
  gIterations: number;
  /** G's variables, D's variables, G's optimiser slots, D's optimiser slots, in order. */
  tensors: { shape: number[]; data: Float32Array }[];
}

/** Callbacks into the loop, and checkpoint/resume options. */
export interface TrainHooks {
  /** After every evaluation (progress, logging). */
  onEval?(row: MetricRow): void;
  /** After every parameter update of D or G. */
  onUpdate?(kind: UpdateKind, iteration: number): void;
  /** Continue from this state instead of from scratch. */
  resume?: TrainState;
  /** Call {@link TrainHooks.onCheckpoint} every this many iterations (0: never). */
  checkpointEvery?: number;
  /** Receives checkpoints (every `checkpointEvery` iterations and on a stop). */
  onCheckpoint?(state: TrainState): void;
  /** Checked after every iteration: true stops with a checkpoint (`interrupted`). */
  shouldStop?(): boolean;
}

/** The outcome of {@link train}. */
export interface TrainResult {
  /**
   * `done`; `diverged` when a loss or metric became NaN or infinite;
   * `interrupted` when {@link TrainHooks.shouldStop} asked to stop.
   */
  state: "done" | "diverged" | "interrupted";
  /** Why the run diverged. */
  reason?: string;
  /** One row per evaluation. */
  rows: MetricRow[];
  /** Generator samples at the last evaluation (evalSamples x dim). */
  samples: Float32Array;
  /** For 1-D data: D and D* on the evaluation grid at the last evaluation. */
  discriminator?: DiscriminatorCurve;
  /** Data dimension. */
  dim: number;
  /** Updates applied to D and to G. */
  dUpdates: number;
  gUpdates: number;
  /** The state at the end (final weights included). */
  final: TrainState;
}

/** Largest number of training reals D is evaluated on (points). */
const MAX_EVAL_TRAIN = 10_000;
/** Training images the class of an image sample is taken from (its nearest one's label). */
const MAX_CLASS_REFS = 5_000;
/** Rows per call when D or G is applied to many images (batch norm sees batches this size). */
const IMAGE_CHUNK = 500;

/** Metrics every run logs, in column order. */
export const COMMON_METRICS = [
  "d_loss",
  "g_loss",
  "d_real_train",
  "d_real_valid",
  "d_fake",
  "d_gap",
  "acc_real_train",
  "acc_real_valid",
  "acc_fake",
  "r_t",
  "value",
  "g_grad_norm",
  "d_grad_norm",
] as const;

function noise(config: RunConfig, rng: Rng, n: number): Float32Array {
  const size = n * config.arch.noiseDim;
  return config.arch.noise === "uniform" ? rng.uniforms(size, -1, 1) : rng.normals(size);
}

/**
 * `net` applied to the rows of `x` in inference mode; in chunks of `chunk`
 * rows when given (images: bounded memory, and batch norm sees batches).
 */
function outputsOf(net: Net, x: Float32Array, dim: number, chunk?: number): Float32Array {
  const n = x.length / dim;
  const size = chunk ?? n;
  const parts: Float32Array[] = [];
  for (let i = 0; i < n; i += size) {
    const rows = Math.min(size, n - i);
    const part = x.subarray(i * dim, (i + rows) * dim);
    parts.push(
      tf.tidy(() => net.apply(tf.tensor2d(part, [rows, dim])).dataSync() as Float32Array),
    );
  }
  if (parts.length === 1) return parts[0];
  const out = new Float32Array(parts.reduce((a, p) => a + p.length, 0));
  let offset = 0;
  for (const p of parts) {
    out.set(p, offset);
    offset += p.length;
  }
  return out;
}

function globalNorm(grads: tf.NamedTensorMap): number {
  return tf.tidy(() => {
    const squares = Object.values(grads).map((g) => tf.sum(tf.square(g)));
    return Math.sqrt(tf.addN(squares).dataSync()[0]);
  });
}

/** The GAN of a config: nets, optimisers and the two update rules. */
class Gan {
  readonly g: Net;
  readonly d: Net;
  readonly gOpt: Optimizer;
  readonly dOpt: Optimizer;
  readonly config: RunConfig;
  readonly dim: number;
  /** Draws D's dropout masks in training updates (unused by nets without dropout). */
  readonly dropout: Rng;

  constructor(config: RunConfig, data: Dataset) {
    this.config = config;
    this.dim = data.dim;
    const nets = buildNets(config, data, new Rng(config.seed, "init"));
    this.g = nets.g;
    this.d = nets.d;
    this.dropout = new Rng(config.seed, "dropout");
    // Each of D's and G's optimisers counts epochs in its own updates.
    const updatesPerEpoch = data.trainSize / config.batchSize;
    this.gOpt = createOptimizer(config.optimizer, this.g.variables, { updatesPerEpoch });
    this.dOpt = createOptimizer(config.optimizer, this.d.variables, { updatesPerEpoch });
  }

  /** G(z) as a tensor (caller disposes). */
  generate(z: Float32Array): tf.Tensor2D {
    const m = z.length / this.config.arch.noiseDim;
    return tf.tidy(() => this.g.apply(tf.tensor2d(z, [m, this.config.arch.noiseDim])));
  }

  /** D's apply options: dropout from the run's stream in training updates, none in evaluation. */
  mode(training: boolean): ApplyOptions {
    return training ? { dropout: this.dropout } : {};
  }

  /**
   * D's loss and its gradients for D's variables; G's output is a constant.
   * For `wasserstein-gp`, `eps` (one interpolation weight per row) adds the
   * gradient penalty times `gpWeight` (default 10). `beforeFake` runs
   * between D's pass on the reals and on the fakes (the simultaneous update
   * reads the dropout stream there).
   */
  dGrads(
    x: Float32Array,
    z: Float32Array,
    eps: Float32Array | undefined,
    training: boolean,
    beforeFake?: () => void,
  ) {
    const fake = this.generate(z);
    const m = x.length / this.dim;
    const real = tf.tensor2d(x, [m, this.dim]);
    const epsT = this.config.loss === "wasserstein-gp" && eps ? tf.tensor2d(eps, [m, 1]) : null;
    const mode = this.mode(training);
    const out = tf.variableGrads(() => {
      const realLogits = this.d.apply(real, mode);
      beforeFake?.();
      const unscaled = discriminatorLoss(this.config.loss, realLogits, this.d.apply(fake, mode));
      const scale = this.config.dLossScale;
      const loss = scale === undefined ? unscaled : tf.mul(scale, unscaled) as tf.Scalar;
      if (!epsT) return loss;
      const penalty = gradientPenalty((t) => this.d.apply(t, mode), real, fake, epsT);
      return tf.add(loss, tf.mul(this.config.gpWeight ?? 10, penalty)) as tf.Scalar;
    }, this.d.variables);
    tf.dispose([fake, real, ...(epsT ? [epsT] : [])]);
    return out;
  }

  /** G's loss and its gradients for G's variables. */
  gGrads(z: Float32Array, training: boolean) {
    const mode = this.mode(training);
    return tf.variableGrads(() => {
      const fake = this.generate(z);
      return generatorLoss(this.config.loss, this.d.apply(fake, mode));
    }, this.g.variables);
  }

  step(
    opt: Optimizer,
    vars: tf.Variable[],
    result: { value: tf.Scalar; grads: tf.NamedTensorMap },
  ) {
    opt.apply(vars.map((v) => result.grads[v.name]));
    result.value.dispose();
    tf.dispose(result.grads);
  }

  /**
   * p_g in closed form when G is linear (no hidden layer) on 1-D Gaussian
   * noise: G(z) = w z + b gives N(b, w^2). Null otherwise.
   */
  gaussianG(): { mean: number; std: number } | null {
    const { arch } = this.config;
    if (arch.name !== "mlp" || gHidden(arch).length > 0) return null;
    if ((arch.output ?? "linear") !== "linear" || arch.noise !== "gaussian" || this.dim !== 1) {
      return null;
    }
    const [w, b] = this.g.variables.map((v) => v.dataSync());
    let variance = 0;
    for (const x of w) variance += x * x;
    return { mean: b[0], std: Math.sqrt(variance) };
  }

  /** Every tensor of the state, in checkpoint order. */
  stateVariables(): tf.Variable[] {
    return [...this.g.variables, ...this.d.variables, ...this.gOpt.slots(), ...this.dOpt.slots()];
  }

  dispose() {
    this.g.dispose();
    this.d.dispose();
    this.gOpt.dispose();
    this.dOpt.dispose();
  }
}

/** Fixed evaluation inputs, drawn once from the `eval` stream. */
interface EvalSet {
  noise: Float32Array;
  /** Interpolation weights of the gradient penalty on the evaluation batch. */
  eps: Float32Array;
  trainReals: Float32Array;
  /** Held-out reals D is evaluated on. */
  validReals: Float32Array;
  grid: Float32Array | null;
  /** Image data: training images that give samples their class, and their labels. */
  classRefs?: { images: Float32Array; labels: Uint8Array };
}

/** D and D* on the evaluation grid of a 1-D run (see {@link TrainResult.discriminator}). */
export interface DiscriminatorCurve {
  x: number[];
  /** D's output (probability). */
  d: number[];
  /** D* = p_data / (p_data + p_g). */
  dStar: number[];
}

function evaluate(gan: Gan, data: Dataset, ev: EvalSet, step: number, final: boolean): {
  row: MetricRow;
  samples: Float32Array;
  discriminator?: DiscriminatorCurve;
} {
  const { config, dim } = gan;
  const chunk = data.truth.kind === "images" ? IMAGE_CHUNK : undefined;
  const samples = outputsOf(gan.g, ev.noise, config.arch.noiseDim, chunk);
  const lTrain = outputsOf(gan.d, ev.trainReals, dim, chunk);
  const lValid = outputsOf(gan.d, ev.validReals, dim, chunk);
  const lFake = outputsOf(gan.d, samples, dim, chunk);
  const s = discriminatorStats(lTrain, lValid, lFake);
  const m = Math.min(config.batchSize, data.validSize, ev.noise.length / config.arch.noiseDim);
  const zBatch = ev.noise.subarray(0, m * config.arch.noiseDim);
  const d = gan.dGrads(data.valid.subarray(0, m * dim), zBatch, ev.eps.subarray(0, m), false);
  const g = gan.gGrads(zBatch, false);
  const row: MetricRow = {
    step,
    d_loss: d.value.dataSync()[0],
    g_loss: g.value.dataSync()[0],
    d_real_train: s.dRealTrain,
    d_real_valid: s.dRealValid,
    d_fake: s.dFake,
    d_gap: s.dGap,
    acc_real_train: s.accRealTrain,
    acc_real_valid: s.accRealValid,
    acc_fake: s.accFake,
    r_t: s.rT,
    value: valueEstimate(lValid, lFake),
    g_grad_norm: globalNorm(g.grads),
    d_grad_norm: globalNorm(d.grads),
  };
  tf.dispose([d.value, g.value]);
  tf.dispose(d.grads);
  tf.dispose(g.grads);
  const truth = data.truth;
  if (truth.kind === "images") {
    Object.assign(row, imageMetrics(gan, data, ev, samples, final));
    return { row, samples };
  }
  if (truth.kind === "gaussian-1d") {
    const grid = ev.grid!;
    const dGrid = Float32Array.from(outputsOf(gan.d, grid, 1), sigmoid);
    const options = { gaussianG: gan.gaussianG() ?? undefined };
    row.js = jsDivergence1d(samples, truth.mean, truth.std);
    row.dstar_err = dStarMaxError(dGrid, grid, truth.mean, truth.std, samples, options);
    const dStar = optimalD(grid, truth.mean, truth.std, samples, options);
    return {
      row,
      samples,
      discriminator: { x: Array.from(grid), d: Array.from(dGrid), dStar: Array.from(dStar) },
    };
  } else {
    const cov = modeCoverage(samples, truth.centres, truth.std);
    row.modes = cov.modes;
    row.hq_share = cov.hqShare;
    row.mode_kl = cov.modeKl;
  }
  return { row, samples };
}

/**
 * Metrics of image samples: `modes` (classes that received a sample, the
 * class of a sample being its nearest training image's label), `mode_kl`
 * (KL of the class shares from uniform), `nn_dist` (mean Euclidean distance
 * to the nearest of those training images), and at the final evaluation of
 * a config with `parzen`, the paper's Parzen-window estimate on the test
 * set: `parzen_ll`, `parzen_se`, `parzen_sigma`.
 */
function imageMetrics(
  gan: Gan,
  data: Dataset,
  ev: EvalSet,
  samples: Float32Array,
  final: boolean,
): MetricRow {
  const { dim, config } = gan;
  const refs = ev.classRefs!;
  const n = samples.length / dim;
  const nn = nearestNeighbours(
    { data: samples, rows: n, cols: dim },
    { data: refs.images, rows: refs.labels.length, cols: dim },
  );
  const labels = Array.from(nn.index, (i) => refs.labels[i]);
  const cov = classCoverage(labels, data.truth.kind === "images" ? data.truth.classes : 10);
  let dist = 0;
  for (const v of nn.distance) dist += v;
  const row: MetricRow = { modes: cov.modes, mode_kl: cov.modeKl, nn_dist: dist / n };
  if (final && config.parzen && data.test) {
    const p = config.parzen;
    const z = noise(config, new Rng(config.seed, "parzen"), p.samples);
    const fakes = outputsOf(gan.g, z, config.arch.noiseDim, IMAGE_CHUNK);
    const est = parzenEstimate(
      { data: fakes, rows: p.samples, cols: dim },
      { data: data.valid.subarray(0, p.validPoints * dim), rows: p.validPoints, cols: dim },
      { data: data.test.subarray(0, p.testPoints * dim), rows: p.testPoints, cols: dim },
      { testEverySigma: false },
    );
    row.parzen_ll = est.mean;
    row.parzen_se = est.se;
    row.parzen_sigma = est.sigma;
  }
  return row;
}

function firstNonFinite(row: MetricRow, samples: Float32Array): string | null {
  for (const key of ["d_loss", "g_loss", "value", "g_grad_norm", "d_grad_norm"]) {
    if (!Number.isFinite(row[key])) return `${key} became ${row[key]} at step ${row.step}`;
  }
  for (let i = 0; i < samples.length; i++) {
    if (!Number.isFinite(samples[i])) {
      return `generator samples became non-finite at step ${row.step}`;
    }
  }
  return null;
}

/** Trains one run to the end (or until it diverges or is asked to stop). */
export async function train(config: RunConfig, hooks: TrainHooks = {}): Promise<TrainResult> {
  const data = loadDataset(config.data, config.seed);
  const gan = new Gan(config, data);
  const dim = gan.dim;
  const evalRng = new Rng(config.seed, "eval");
  const truth = data.truth;
  const images = truth.kind === "images";
  // Images: D is evaluated on as many reals as samples (a maxout D on 10,000 images is slow).
  const nTrainEval = Math.min(data.trainSize, images ? config.evalSamples : MAX_EVAL_TRAIN);
  const nValidEval = images ? Math.min(data.validSize, config.evalSamples) : data.validSize;
  const nRefs = Math.min(data.trainSize, MAX_CLASS_REFS);
  const ev: EvalSet = {
    noise: noise(config, evalRng, config.evalSamples),
    eps: evalRng.uniforms(config.batchSize),
    trainReals: data.train.subarray(0, nTrainEval * dim),
    validReals: data.valid.subarray(0, nValidEval * dim),
    grid: truth.kind === "gaussian-1d" ? evalGrid(truth.mean, truth.std) : null,
    ...(truth.kind === "images"
      ? {
        classRefs: {
          images: data.train.subarray(0, nRefs * dim),
          labels: truth.trainLabels.subarray(0, nRefs),
        },
      }
      : {}),
  };
  const batches = new BatchSampler(data.train, dim, new Rng(config.seed, "order"));
  const noiseRng = new Rng(config.seed, "noise");
  const m = config.batchSize;
  const rows: MetricRow[] = [];
  let samples: Float32Array = new Float32Array(0);
  let discriminator: DiscriminatorCurve | undefined;
  let reason: string | null = null;
  let start = 1;

  const record = (step: number) => {
    const out = evaluate(gan, data, ev, step, step === config.steps);
    rows.push(out.row);
    samples = out.samples;
    discriminator = out.discriminator;
    hooks.onEval?.(out.row);
    reason = firstNonFinite(out.row, out.samples);
  };
  const snapshot = (iteration: number): TrainState => ({
    iteration,
    rows: rows.map((r) => ({ ...r })),
    noise: noiseRng.state(),
    order: batches.state(),
    dropout: gan.dropout.state(),
    dIterations: gan.dOpt.iterations,
    gIterations: gan.gOpt.iterations,
    tensors: gan.stateVariables().map((v) => ({
      shape: v.shape.slice(),
      data: Float32Array.from(v.dataSync() as Float32Array),
    })),
  });

  try {
    if (hooks.resume) {
      restore(gan, hooks.resume, noiseRng, batches);
      rows.push(...hooks.resume.rows.map((r) => ({ ...r })));
      start = hooks.resume.iteration + 1;
    } else {
      record(0);
    }
    const every = hooks.checkpointEvery ?? 0;
    let stopped = false;
    let completed = start - 1;
    for (let it = start; it <= config.steps && reason === null; it++) {
      if (config.update === "simultaneous") {
        simultaneousStep(gan, batches.next(m), noise(config, noiseRng, m), noiseRng);
        hooks.onUpdate?.("D", it);
        hooks.onUpdate?.("G", it);
      }
      for (let j = 0; j < (config.update === "simultaneous" ? 0 : config.k); j++) {
        const x = batches.next(m);
        const z = noise(config, noiseRng, m);
        // Drawn only for wasserstein-gp, so the other losses' streams are unchanged.
        const eps = config.loss === "wasserstein-gp" ? noiseRng.uniforms(m) : undefined;
        gan.step(gan.dOpt, gan.d.variables, gan.dGrads(x, z, eps, true));
        hooks.onUpdate?.("D", it);
      }
      for (let j = 0; j < (config.update === "simultaneous" ? 0 : config.gSteps); j++) {
        const z = noise(config, noiseRng, m);
        gan.step(gan.gOpt, gan.g.variables, gan.gGrads(z, true));
        hooks.onUpdate?.("G", it);
      }
      if (it % config.evalEvery === 0 || it === config.steps) {
        record(it);
        // Let timers and signal handlers run between evaluations.
        await new Promise((r) => setTimeout(r, 0));
      }
      completed = it;
      if (it === config.steps || reason !== null) break;
      if (hooks.shouldStop?.()) {
        hooks.onCheckpoint?.(snapshot(it));
        stopped = true;
        break;
      }
      if (every > 0 && it % every === 0) hooks.onCheckpoint?.(snapshot(it));
    }
    if (samples.length === 0) {
      // Resumed from a checkpoint taken after the last evaluation: evaluate
      // again for the samples and D's curve (the row itself is already kept).
      const out = evaluate(gan, data, ev, completed, false);
      samples = out.samples;
      discriminator = out.discriminator;
    }
    const final = snapshot(completed);
    return {
      state: stopped ? "interrupted" : reason === null ? "done" : "diverged",
      ...(reason !== null ? { reason } : {}),
      rows,
      samples,
      ...(discriminator ? { discriminator } : {}),
      dim,
      dUpdates: gan.dOpt.iterations,
      gUpdates: gan.gOpt.iterations,
      final,
    };
  } finally {
    gan.dispose();
  }
}

/**
 * One iteration of the public code's update (`AdversaryCost2` of
 * goodfeli/adversarial): D's and G's gradients both from the parameters
 * before the update, from one minibatch of noise, G's objective seeing D
 * with the same dropout masks as D's pass on the fakes; then both updates.
 */
function simultaneousStep(gan: Gan, x: Float32Array, z: Float32Array, noiseRng: Rng): void {
  const m = x.length / gan.dim;
  const eps = gan.config.loss === "wasserstein-gp" ? noiseRng.uniforms(m) : undefined;
  let fakeMasks: RngState | null = null;
  const d = gan.dGrads(x, z, eps, true, () => (fakeMasks = gan.dropout.state()));
  const after = gan.dropout.state();
  gan.dropout.setState(fakeMasks!);
  const g = gan.gGrads(z, true);
  gan.dropout.setState(after);
  gan.step(gan.dOpt, gan.d.variables, d);
  gan.step(gan.gOpt, gan.g.variables, g);
}

/** Puts a checkpointed state back into the nets, optimisers and streams. */
function restore(gan: Gan, state: TrainState, noiseRng: Rng, batches: BatchSampler): void {
  const vars = gan.stateVariables();
  if (state.tensors.length !== vars.length) {
    throw new Error(
      `checkpoint holds ${state.tensors.length} tensors, this config needs ${vars.length}`,
    );
  }
  vars.forEach((v, i) => {
    const t = state.tensors[i];
    if (t.shape.join("x") !== v.shape.join("x")) {
      throw new Error(
        `checkpoint tensor ${i} has shape [${t.shape}], this config needs [${v.shape}]`,
      );
    }
    const value = tf.tensor(t.data, t.shape);
    v.assign(value);
    value.dispose();
  });
  gan.dOpt.setIterations(state.dIterations);
  gan.gOpt.setIterations(state.gIterations);
  noiseRng.setState(state.noise);
  batches.setState(state.order);
  if (state.dropout) gan.dropout.setState(state.dropout);
}
