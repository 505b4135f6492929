/**
 * The run store: one directory per run under `runs/<experiment>/<run-id>/`,
 * every file written atomically (temp file + rename) so that a killed
 * process never leaves a half-written file that a later step trusts.
 *
 * @module
 */
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { parseNumberRows, readJson, toCsv } from "../io/mod.ts";
import type { RunConfig } from "../spec/config.ts";
import type { RunHealth } from "../metrics/health.ts";

/** States a run can be in. */
export const RUN_STATES = ["queued", "running", "done", "failed", "diverged", "timeout"] as const;
/** A run state. */
export type RunState = typeof RUN_STATES[number];

/** States a sweep never reruns: results. */
export const FINISHED_STATES: readonly RunState[] = ["done", "diverged"];
/** States rerun only with `retryFailed`. */
export const FAILED_STATES: readonly RunState[] = ["failed", "timeout"];

/** Whether a run in this state is finished (done or diverged). */
export function isFinished(state: string): boolean {
  return (FINISHED_STATES as readonly string[]).includes(state);
}

/** Whether a run in this state failed or timed out. */
export function isFailed(state: string): boolean {
  return (FAILED_STATES as readonly string[]).includes(state);
}

/** Contents of `status.json`. */
export interface RunStatus {
  state: RunState;
  /** How many times the run was started. */
  attempts: number;
  /** ISO times. */
  queuedAt?: string;
  startedAt?: string;
  finishedAt?: string;
  /** Wall-clock seconds of the last attempt. */
  seconds?: number;
  /** Iterations done so far. */
  step?: number;
  /** Error text for failed runs; the reason for diverged ones. */
  error?: string;
  /** Backend the run trained on. */
  backend?: string;
  /** Process id of the worker while running. */
  pid?: number;
  /** The host the worker runs on, while running (its pid means something only there). */
  host?: string;
  /** The iteration the last attempt resumed from. */
  resumedFrom?: number;
  /** A remark: an interruption, an ignored checkpoint. */
  note?: string;
}

/** Contents of `final.json`. */
export interface RunFinal {
  /** The last iteration evaluated. */
  step: number;
  /** Final metric values (the last evaluation). */
  metrics: Record<string, number>;
  /**
   * The run's health checks at the end (`lib/metrics/health.ts`): a run
   * that failed one is not evidence. Reports recompute it from the metrics.
   */
  health?: RunHealth;
}

/** One run as read back from the store. */
export interface RunRecord {
  id: string;
  dir: string;
  config: RunConfig;
  status: RunStatus;
  /** Null unless the run finished (done or diverged). */
  final: RunFinal | null;
  /** Rows of metrics.csv (step and metric columns), empty if absent. */
  curves: Record<string, number>[];
}

/**
 * Serialises metric rows as CSV (columns from the first row; NaN as an
 * empty cell, see lib/io's CSV convention); no rows give an empty file.
 */
export function metricsToCsv(rows: Record<string, number>[]): string {
  return rows.length === 0 ? "" : toCsv(rows, Object.keys(rows[0]));
}

/**
 * Parses metrics.csv back into rows: empty cells and `NaN` (the spelling
 * of older run directories) are NaN.
 */
export function parseMetricsCsv(text: string): Record<string, number>[] {
  return parseNumberRows(text);
}

/** Paths of one run's files. */
export function runPaths(dir: string) {
  return {
    config: join(dir, "config.json"),
    status: join(dir, "status.json"),
    metrics: join(dir, "metrics.csv"),
    final: join(dir, "final.json"),
    manifest: join(dir, "manifest.json"),
    samples: join(dir, "samples.csv"),
    /** Image data: a grid of generator samples. */
    samplesPng: join(dir, "samples.png"),
    /** Image data: samples, each beside its nearest training image (Figure 2). */
    neighboursPng: join(dir, "samples_nn.png"),
    checkpoint: join(dir, "checkpoint.bin"),
    discriminator: join(dir, "discriminator.csv"),
    /** Image data with the memorisation test: nearest-training-image distances. */
    nnDistances: join(dir, "nn_distances.csv"),
    log: join(dir, "worker.log"),
  };
}

/** The `status.json` of a run directory, or null when it has none. */
export function readStatus(dir: string): RunStatus | null {
  return readJson<RunStatus>(runPaths(dir).status);
}

/** Reads one run directory; null when it has no config. */
export function readRun(dir: string, id: string): RunRecord | null {
  const p = runPaths(dir);
  const config = readJson<RunConfig>(p.config);
  if (!config) return null;
  const status = readStatus(dir) ?? { state: "queued", attempts: 0 };
  const final = status.state === "done" || status.state === "diverged"
    ? readJson<RunFinal>(p.final)
    : null;
  let curves: Record<string, number>[] = [];
  if (existsSync(p.metrics)) curves = parseMetricsCsv(readFileSync(p.metrics, "utf8"));
  return { id, dir, config, status, final, curves };
}

/** Reads every run under `runs/<experiment>/`, sorted by id. */
export function readRuns(experimentDir: string): RunRecord[] {
  if (!existsSync(experimentDir)) return [];
  const out: RunRecord[] = [];
  for (const e of readdirSync(experimentDir, { withFileTypes: true })) {
    if (!e.isDirectory()) continue;
    const r = readRun(join(experimentDir, e.name), e.name);
    if (r) out.push(r);
  }
  return out.sort((a, b) => a.id.localeCompare(b.id));
}
