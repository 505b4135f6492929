/**
 * Executing one planned run into its directory: config, status, manifest,
 * metrics over steps, final metrics and generator samples, each written
 * atomically.
 *
 * @module
 */
import { existsSync } from "node:fs";
import type { RunPlan } from "../spec/experiment.ts";
import { canonicalJson } from "../spec/experiment.ts";
import type { BackendInfo } from "../runtime/backend.ts";
import { makeDataset } from "../data/synthetic.ts";
import { type MetricRow, train } from "../gan/train.ts";
import { buildManifest } from "./manifest.ts";
import {
  metricsToCsv,
  readJson,
  type RunFinal,
  runPaths,
  type RunStatus,
  writeAtomic,
  writeJson,
} from "./store.ts";
import type { RunConfig } from "../spec/config.ts";

/** Options for {@link executeRun}. */
export interface ExecuteOptions {
  backend: BackendInfo;
  /** Called after every evaluation. */
  onEval?(row: MetricRow): void;
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
  const head = dim === 1 ? "x" : "x,y";
  const lines = [head];
  for (let i = 0; i < n; i++) {
    lines.push(Array.from(samples.subarray(i * dim, (i + 1) * dim), String).join(","));
  }
  return lines.join("\n") + "\n";
}

/** Trains one run and writes every file of its directory. */
export async function executeRun(
  plan: RunPlan,
  dir: string,
  options: ExecuteOptions,
): Promise<RunStatus> {
  prepareRun(plan, dir);
  const p = runPaths(dir);
  const before = readJson<RunStatus>(p.status) ?? { state: "queued", attempts: 0 };
  const started = performance.now();
  const status: RunStatus = {
    ...before,
    state: "running",
    attempts: before.attempts + 1,
    startedAt: new Date().toISOString(),
    backend: options.backend.name,
    step: 0,
  };
  delete status.error;
  delete status.finishedAt;
  writeJson(p.status, status);
  const rows: MetricRow[] = [];
  try {
    writeJson(p.manifest, buildManifest(options.backend, makeDataset(plan.config.data, plan.seed)));
    const result = await train(plan.config, {
      onEval(row) {
        rows.push(row);
        writeAtomic(p.metrics, metricsToCsv(rows));
        writeJson(p.status, { ...status, step: row.step });
        options.onEval?.(row);
      },
    });
    const last = result.rows[result.rows.length - 1];
    const { step, ...metrics } = last;
    const final: RunFinal = { step, metrics };
    writeAtomic(p.samples, samplesCsv(result.samples, result.dim));
    writeJson(p.final, final);
    const done: RunStatus = {
      ...status,
      state: result.state,
      step,
      finishedAt: new Date().toISOString(),
      seconds: (performance.now() - started) / 1000,
      ...(result.reason ? { error: result.reason } : {}),
    };
    writeJson(p.status, done);
    return done;
  } catch (e) {
    const failed: RunStatus = {
      ...status,
      state: "failed",
      step: rows.length ? rows[rows.length - 1].step : 0,
      finishedAt: new Date().toISOString(),
      seconds: (performance.now() - started) / 1000,
      error: e instanceof Error ? (e.stack ?? e.message) : String(e),
    };
    writeJson(p.status, failed);
    return failed;
  }
}
