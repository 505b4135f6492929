/**
 * Executing one run into its directory: config, status, manifest, metrics
 * over steps, checkpoints, final metrics and generator samples, each written
 * atomically. A run with a checkpoint resumes from it. A finished run
 * records the size and sha256 of what it wrote in its manifest (`outputs`,
 * checked by `verify.ts`). A file-system fault (no space, read-only) cuts
 * the run short: it is left queued, with a note saying so, to resume from
 * its last checkpoint, and the fault is thrown as an `IoError`.
 *
 * @module
 */
import { existsSync, readFileSync } from "node:fs";
import { hostname } from "node:os";
import { toCsv } from "../io/mod.ts";
import type { RunPlan } from "../spec/mod.ts";
import { canonicalJson } from "../spec/mod.ts";
import type { RunConfig } from "../spec/config.ts";
import type { BackendInfo } from "../runtime/backend.ts";
import { loadDataset } from "../data/dataset.ts";
import type { Dataset } from "../data/types.ts";
import { encodePng, imageGrid, pairImages } from "../data/image_grid.ts";
import { nearestNeighbours } from "../metrics/nearest.ts";
import { assessHealth, healthContextOf } from "../metrics/health.ts";
import { type MetricRow, train, type TrainHooks, type TrainState } from "../gan/train.ts";
import { decodeCheckpoint, encodeCheckpoint } from "../gan/checkpoint.ts";
import { buildManifest } from "./manifest.ts";
import {
  isIoFault,
  readJson,
  toIoError,
  writeAtomic,
  writeJson,
  writeJsonOnFullDisk,
} from "../io/mod.ts";
import { metricsToCsv, type RunFinal, runPaths, type RunStatus } from "./store.ts";
import type { Manifest } from "./manifest.ts";
import { recordOutputs } from "./verify.ts";

/**
 * The exit code of a worker (or `deno task run`) whose run a file-system
 * fault cut short (sysexits' EX_IOERR): the run is left queued, resumable.
 */
export const IO_FAULT_EXIT = 74;

/** Options for {@link executeRun}. */
export interface ExecuteOptions {
  backend: BackendInfo;
  /** Called after every evaluation. */
  onEval?(row: MetricRow): void;
  /** Called after every checkpoint written. */
  onCheckpoint?(iteration: number): void;
  /** Write a checkpoint every this many iterations (0: only on a stop and at the end). */
  checkpointEvery?: number;
  /** Checked after every iteration; true checkpoints and stops the run. */
  shouldStop?(): boolean;
  /** Extra training hooks (tests inject faults through `onUpdate`). */
  onUpdate?: TrainHooks["onUpdate"];
}

/** Writes `config.json` and a queued status unless the run already has them. */
export function prepareRun(plan: RunPlan, dir: string): void {
  const p = runPaths(dir);
  const existing = readJson<RunConfig>(p.config);
  if (existing && canonicalJson(existing) !== canonicalJson(plan.config)) {
    throw new Error(
      `${p.config} holds a different config than run ${plan.id} expects; move the directory away and rerun`,
    );
  }
  if (!existing) writeJson(p.config, plan.config);
  if (!existsSync(p.status)) {
    writeJson(p.status, { state: "queued", attempts: 0, queuedAt: new Date().toISOString() });
  }
}

function samplesCsv(samples: Float32Array, dim: number, limit = 1000): string {
  const n = Math.min(limit, samples.length / dim);
  const rows = Array.from(
    { length: n },
    (_, i) => dim === 1 ? { x: samples[i] } : { x: samples[2 * i], y: samples[2 * i + 1] },
  );
  return toCsv(rows, dim === 1 ? ["x"] : ["x", "y"]);
}

/**
 * `nn_distances.csv`: one row per sample and per held-out image of the
 * memorisation test, `set` (`sample` or `heldout`) and `distance` to the
 * nearest training image.
 */
function nnDistancesCsv(nn: { samples: Float32Array; heldout: Float32Array }): string {
  const rows = [
    ...Array.from(nn.samples, (d) => ({ set: "sample", distance: d })),
    ...Array.from(nn.heldout, (d) => ({ set: "heldout", distance: d })),
  ];
  return toCsv(rows, ["set", "distance"]);
}

/** Samples in the grid of `samples.png`. */
const GRID_SAMPLES = 100;
/** Sample/neighbour pairs in `samples_nn.png`. */
const NEIGHBOUR_PAIRS = 30;

/**
 * Writes the image files of an image run: `samples.png` (up to 100 samples,
 * 10 per row) and `samples_nn.png` (30 samples, each beside its nearest
 * image of the whole training set, 3 pairs per row: Figure 2 of the paper;
 * not for non-finite samples).
 */
function writeImageGrids(dir: string, samples: Float32Array, data: Dataset): void {
  const p = runPaths(dir);
  const size = data.dim;
  const count = Math.min(GRID_SAMPLES, samples.length / size);
  const grid = imageGrid(samples.subarray(0, count * size), data.shape, { columns: 10 });
  writeAtomic(p.samplesPng, encodePng(grid));
  const pairs = Math.min(NEIGHBOUR_PAIRS, samples.length / size);
  const chosen = samples.subarray(0, pairs * size);
  // A diverged G's non-finite samples have no nearest neighbours.
  if (!chosen.every(Number.isFinite)) return;
  const nn = nearestNeighbours(
    { data: chosen, rows: pairs, cols: size },
    { data: data.train, rows: data.trainSize, cols: size },
  );
  const neighbours = new Float32Array(pairs * size);
  nn.index.forEach((j, i) =>
    neighbours.set(data.train.subarray(j * size, (j + 1) * size), i * size)
  );
  const paired = pairImages(chosen, neighbours, size);
  writeAtomic(p.neighboursPng, encodePng(imageGrid(paired, data.shape, { columns: 6 })));
}

/**
 * Reads a run's checkpoint. A missing one gives null; an unreadable one
 * (or one of another config) gives null and a note: it is never trusted.
 */
export function readCheckpoint(dir: string): { state: TrainState | null; note?: string } {
  const p = runPaths(dir);
  if (!existsSync(p.checkpoint)) return { state: null };
  try {
    return { state: decodeCheckpoint(readFileSync(p.checkpoint)) };
  } catch (e) {
    const msg = e instanceof Error ? e.message : String(e);
    return { state: null, note: `ignored unreadable checkpoint (${msg}); started from scratch` };
  }
}

/** Trains one run (resuming from its checkpoint) and writes every file of its directory. */
export async function executeRun(
  plan: RunPlan,
  dir: string,
  options: ExecuteOptions,
): Promise<RunStatus> {
  prepareRun(plan, dir);
  const p = runPaths(dir);
  const before = readJson<RunStatus>(p.status) ?? { state: "queued", attempts: 0 };
  const started = performance.now();
  const checkpoint = readCheckpoint(dir);
  const resume = checkpoint.state;
  const status: RunStatus = {
    ...before,
    state: "running",
    attempts: before.attempts + 1,
    startedAt: new Date().toISOString(),
    backend: options.backend.name,
    step: resume?.iteration ?? 0,
    pid: Deno.pid,
    host: hostname(),
  };
  for (const key of ["error", "finishedAt", "seconds", "note"] as const) delete status[key];
  if (resume) status.resumedFrom = resume.iteration;
  else delete status.resumedFrom;
  if (checkpoint.note) status.note = checkpoint.note;
  writeJson(p.status, status);
  const rows: MetricRow[] = resume ? resume.rows.map((r) => ({ ...r })) : [];
  const finish = (extra: Partial<RunStatus>, onFullDisk = false): RunStatus => {
    const out: RunStatus = {
      ...status,
      finishedAt: new Date().toISOString(),
      seconds: (performance.now() - started) / 1000,
      ...extra,
    };
    delete out.pid;
    delete out.host;
    if (onFullDisk) writeJsonOnFullDisk(p.status, out);
    else writeJson(p.status, out);
    return out;
  };
  try {
    const data = loadDataset(plan.config.data, plan.seed);
    writeJson(p.manifest, buildManifest(options.backend, data));
    const result = await train(plan.config, {
      resume: resume ?? undefined,
      checkpointEvery: options.checkpointEvery ?? 0,
      shouldStop: options.shouldStop,
      onUpdate: options.onUpdate,
      onEval(row) {
        rows.push(row);
        writeAtomic(p.metrics, metricsToCsv(rows));
        writeJson(p.status, { ...status, step: row.step });
        options.onEval?.(row);
      },
      onCheckpoint(state) {
        writeAtomic(p.checkpoint, encodeCheckpoint(state));
        writeAtomic(p.metrics, metricsToCsv(state.rows));
        options.onCheckpoint?.(state.iteration);
      },
    });
    if (result.state === "interrupted") {
      return finish({
        state: "queued",
        step: result.final.iteration,
        note: `interrupted at step ${result.final.iteration}; resumes from its checkpoint`,
      });
    }
    writeAtomic(p.metrics, metricsToCsv(result.rows));
    writeAtomic(p.checkpoint, encodeCheckpoint(result.final));
    const { step, ...metrics } = result.rows[result.rows.length - 1];
    if (data.truth.kind === "images") writeImageGrids(dir, result.samples, data);
    else writeAtomic(p.samples, samplesCsv(result.samples, result.dim));
    if (result.nnDistances) writeAtomic(p.nnDistances, nnDistancesCsv(result.nnDistances));
    if (result.discriminator) {
      const { x, d, dStar } = result.discriminator;
      const rows = x.map((v, i) => ({ x: v, d: d[i], d_star: dStar[i] }));
      writeAtomic(p.discriminator, toCsv(rows, ["x", "d", "d_star"]));
    }
    const start = result.rows.find((r) => r.step === 0);
    const health = assessHealth(metrics, start, healthContextOf(plan.config));
    writeJson(p.final, { step, metrics, health } satisfies RunFinal);
    // What the run wrote, so that a damaged file is found later (verify.ts).
    const manifest = readJson<Manifest>(p.manifest);
    if (manifest) writeJson(p.manifest, { ...manifest, outputs: recordOutputs(dir) });
    return finish({
      state: result.state,
      step,
      ...(result.reason ? { error: result.reason } : {}),
    });
  } catch (e) {
    if (isIoFault(e)) {
      const io = toIoError(e)!;
      try {
        finish({
          state: "queued",
          step: rows.length ? rows[rows.length - 1].step : status.step,
          note: `cut short by a file-system fault (${io.message}); resumes from its last ` +
            `checkpoint`,
        }, true);
      } catch {
        // The status cannot be written either: it still says running, with a pid that is
        // gone, which `status` shows and the next sweep resumes.
      }
      throw io;
    }
    return finish({
      state: "failed",
      step: rows.length ? rows[rows.length - 1].step : 0,
      error: e instanceof Error ? (e.stack ?? e.message) : String(e),
    });
  }
}
