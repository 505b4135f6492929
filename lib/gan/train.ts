/**
 * The training loop of one run. Each iteration is one of two update rules:
 *
 * - `alternating`, Algorithm 1 of Goodfellow et al. (2014): `k` times a
 *   fresh minibatch of data and of noise and one update of D; then
 *   `gSteps` times a fresh minibatch of noise and one update of G
 *   (`gSteps: 0` freezes G, to train D alone against a fixed G);
 * - `simultaneous`, the paper's public code: D's and G's gradients from one
 *   minibatch and the parameters before the update, then both updates.
 *
 * Runs of arch `maxout` take both on the hand-written steps of
 * `fast_steps.ts` where they exist (see `Gan.fast`), others in tfjs ops.
 *
 * Metrics are computed every `evalEvery` iterations (and at 0 and the end)
 * on fixed evaluation sets (`evaluate.ts`); checkpoints (`checkpoint.ts`)
 * let a run resume bit-identically.
 *
 * @module
 */
import type { RunConfig } from "../spec/config.ts";
import { Rng, type RngState } from "../runtime/rng.ts";
import { loadDataset } from "../data/dataset.ts";
import { BatchSampler } from "../data/batches.ts";
import { Gan, noise } from "./gan.ts";
import {
  type DiscriminatorCurve,
  evaluate,
  firstNonFinite,
  makeEvalSet,
  type MetricRow,
} from "./evaluate.ts";
import { type LoopStreams, restore, snapshot, type TrainState } from "./checkpoint.ts";

export type { DiscriminatorCurve, MetricRow } from "./evaluate.ts";
export type { TrainState } from "./checkpoint.ts";

/** Which update ran, for tracing Algorithm 1. */
export type UpdateKind = "D" | "G";

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
  /** Image runs with the memorisation test: the final evaluation's nearest-training distances. */
  nnDistances?: { samples: Float32Array; heldout: Float32Array };
  /** Data dimension. */
  dim: number;
  /** Updates applied to D and to G. */
  dUpdates: number;
  gUpdates: number;
  /** The state at the end (final weights included). */
  final: TrainState;
}

/** Trains one run to the end (or until it diverges or is asked to stop). */
export async function train(config: RunConfig, hooks: TrainHooks = {}): Promise<TrainResult> {
  const data = loadDataset(config.data, config.seed);
  const gan = new Gan(config, data);
  const ev = makeEvalSet(config, data);
  const streams: LoopStreams = {
    noise: new Rng(config.seed, "noise"),
    batches: new BatchSampler(data.train, gan.dim, new Rng(config.seed, "order")),
  };
  const rows: MetricRow[] = [];
  let samples: Float32Array = new Float32Array(0);
  let discriminator: DiscriminatorCurve | undefined;
  let nnDistances: TrainResult["nnDistances"];
  let reason: string | null = null;
  let start = 1;

  const record = (step: number) => {
    gan.syncVariables();
    const out = evaluate(gan, data, ev, step, step === config.steps);
    rows.push(out.row);
    samples = out.samples;
    discriminator = out.discriminator;
    nnDistances = out.nnDistances;
    hooks.onEval?.(out.row);
    reason = firstNonFinite(out.row, out.samples);
  };

  try {
    if (hooks.resume) {
      restore(gan, streams, hooks.resume);
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
        simultaneousIteration(gan, streams);
        hooks.onUpdate?.("D", it);
        hooks.onUpdate?.("G", it);
      } else {
        alternatingIteration(gan, streams, (kind) => hooks.onUpdate?.(kind, it));
      }
      if (it % config.evalEvery === 0 || it === config.steps) {
        record(it);
        // Let timers and signal handlers run between evaluations.
        await new Promise((r) => setTimeout(r, 0));
      }
      completed = it;
      if (it === config.steps || reason !== null) break;
      if (hooks.shouldStop?.()) {
        hooks.onCheckpoint?.(snapshot(gan, streams, it, rows));
        stopped = true;
        break;
      }
      if (every > 0 && it % every === 0) hooks.onCheckpoint?.(snapshot(gan, streams, it, rows));
    }
    if (samples.length === 0) {
      // Resumed from a checkpoint taken after the last evaluation: evaluate
      // again for the samples and D's curve (the row itself is already kept).
      gan.syncVariables();
      const out = evaluate(gan, data, ev, completed, false);
      samples = out.samples;
      discriminator = out.discriminator;
    }
    return {
      state: stopped ? "interrupted" : reason === null ? "done" : "diverged",
      ...(reason !== null ? { reason } : {}),
      rows,
      samples,
      ...(discriminator ? { discriminator } : {}),
      ...(nnDistances ? { nnDistances } : {}),
      dim: gan.dim,
      dUpdates: gan.dOpt.iterations,
      gUpdates: gan.gOpt.iterations,
      final: snapshot(gan, streams, completed, rows),
    };
  } finally {
    gan.dispose();
  }
}

/**
 * One iteration of Algorithm 1: `k` updates of D, each on a fresh minibatch
 * of data and of noise; then `gSteps` updates of G, each on fresh noise.
 */
export function alternatingIteration(
  gan: Gan,
  streams: LoopStreams,
  onUpdate: (kind: UpdateKind) => void,
): void {
  const { config } = gan;
  const m = config.batchSize;
  for (let j = 0; j < config.k; j++) {
    const x = streams.batches.next(m);
    const z = noise(config, streams.noise, m);
    // Drawn only for wasserstein-gp, so the other losses' streams are unchanged.
    const eps = config.loss === "wasserstein-gp" ? streams.noise.uniforms(m) : undefined;
    if (gan.fast) gan.fast.dStep(x, z);
    else gan.stepD(gan.dGrads(x, z, eps, true));
    onUpdate("D");
  }
  for (let j = 0; j < config.gSteps; j++) {
    const z = noise(config, streams.noise, m);
    if (gan.fast) gan.fast.gStep(z);
    else gan.stepG(gan.gGrads(z, true));
    onUpdate("G");
  }
}

/**
 * One iteration of the public code's update (`AdversaryCost2` of
 * goodfeli/adversarial): D's and G's gradients both from the parameters
 * before the update, from one minibatch of noise, G's objective seeing D
 * with the same dropout masks as D's pass on the fakes; then both updates.
 */
export function simultaneousIteration(gan: Gan, streams: LoopStreams): void {
  const m = gan.config.batchSize;
  const x = streams.batches.next(m);
  const z = noise(gan.config, streams.noise, m);
  const eps = gan.config.loss === "wasserstein-gp" ? streams.noise.uniforms(m) : undefined;
  if (gan.fast) gan.fast.simultaneous(x, z);
  else tfjsSimultaneousUpdate(gan, x, z, eps);
}

/**
 * The simultaneous update in tfjs ops (the runs without fast steps; also
 * what benchmarks compare the fast steps with): reals `x`, noise `z`, and
 * for wasserstein-gp the interpolation weights `eps`.
 */
export function tfjsSimultaneousUpdate(
  gan: Gan,
  x: Float32Array,
  z: Float32Array,
  eps: Float32Array | undefined,
): void {
  let fakeMasks: RngState | null = null;
  const d = gan.dGrads(x, z, eps, true, () => (fakeMasks = gan.dropout.state()));
  const after = gan.dropout.state();
  gan.dropout.setState(fakeMasks!);
  const g = gan.gGrads(z, true);
  gan.dropout.setState(after);
  gan.stepD(d);
  gan.stepG(g);
}
