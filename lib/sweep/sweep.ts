/**
 * Running every planned run of a study, one after another, skipping runs
 * that already finished (done or diverged: both are results). A run that
 * throws is marked failed and the sweep carries on.
 *
 * @module
 */
import { join } from "node:path";
import type { ExpandOptions, RunPlan } from "../spec/experiment.ts";
import type { BackendInfo } from "../runtime/backend.ts";
import type { MetricRow } from "../gan/train.ts";
import { executeRun } from "./run.ts";
import { readJson, type RunState, type RunStatus, writeJson } from "./store.ts";
import type { OutputPaths } from "./paths.ts";

/** States that count as finished: the sweep never reruns them. */
export const FINISHED_STATES: readonly RunState[] = ["done", "diverged"];

/** Progress events of a sweep. */
export interface SweepEvents {
  onSkip?(plan: RunPlan, status: RunStatus, index: number, total: number): void;
  onStart?(plan: RunPlan, index: number, total: number): void;
  onEval?(plan: RunPlan, row: MetricRow): void;
  onEnd?(plan: RunPlan, status: RunStatus, index: number, total: number): void;
}

/** What a sweep did. */
export interface SweepResult {
  /** Final state of every planned run. */
  states: Record<string, RunState>;
  /** Runs that failed, with their status files. */
  failed: { id: string; statusFile: string; error: string }[];
  skipped: number;
  ran: number;
}

/** The status of a run directory, or null. */
export function runStatus(dir: string): RunStatus | null {
  return readJson<RunStatus>(join(dir, "status.json"));
}

/** Runs every plan in order; finished runs are skipped. */
export async function runSweep(
  plans: RunPlan[],
  paths: OutputPaths,
  options: { backend: BackendInfo; expand: ExpandOptions; events?: SweepEvents },
): Promise<SweepResult> {
  const ev = options.events ?? {};
  writeJson(paths.sweepFile, { expand: options.expand, runs: plans.map((p) => p.id) });
  const result: SweepResult = { states: {}, failed: [], skipped: 0, ran: 0 };
  for (const [i, plan] of plans.entries()) {
    const dir = join(paths.runs, plan.id);
    const before = runStatus(dir);
    if (before && FINISHED_STATES.includes(before.state)) {
      result.states[plan.id] = before.state;
      result.skipped++;
      ev.onSkip?.(plan, before, i, plans.length);
      continue;
    }
    ev.onStart?.(plan, i, plans.length);
    const status = await executeRun(plan, dir, {
      backend: options.backend,
      onEval: (row) => ev.onEval?.(plan, row),
    });
    result.ran++;
    result.states[plan.id] = status.state;
    if (status.state === "failed") {
      result.failed.push({
        id: plan.id,
        statusFile: join(dir, "status.json"),
        error: (status.error ?? "").split("\n")[0],
      });
    }
    ev.onEnd?.(plan, status, i, plans.length);
  }
  return result;
}
