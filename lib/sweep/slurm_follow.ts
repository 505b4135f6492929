/**
 * Following Slurm array tasks until they end (`sweep --executor slurm
 * --wait`): polls `squeue` for the tasks' states and reads the runs'
 * `status.json` and `metrics.csv` for their progress, and reports both
 * through the scheduler's progress events, so a Slurm sweep shows the same
 * progress as a local one.
 *
 * @module
 */
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import type { RunPlan } from "../spec/mod.ts";
import type { MetricRow } from "../gan/train.ts";
import type { SchedulerEvents } from "./scheduler.ts";
import { classifyRun } from "./classify.ts";
import { parseMetricsCsv, readStatus, runPaths, type RunState, type RunStatus } from "./store.ts";
import { countStates } from "./progress.ts";
import { SlurmError } from "./slurm_command.ts";
import { type SlurmJobRecord, taskLogPath } from "./slurm_records.ts";
import { queryTasks, showJob, slurmActive, type SlurmTask, taskOfRecord } from "./slurm_queue.ts";

/** One run followed: its plan and its task. */
export interface FollowTarget {
  plan: RunPlan;
  record: SlurmJobRecord;
  index: number;
}

/** Options of {@link followTasks}. */
export interface FollowOptions {
  /** Milliseconds between polls (default 5000). */
  intervalMs?: number;
  /** Progress of runs, as the local scheduler reports it. */
  events?: SchedulerEvents;
  /** A line about the jobs, when their state counts change. */
  onJobs?(line: string): void;
  /** Stops following (the jobs go on) when aborted. */
  signal?: AbortSignal;
  /** Consecutive squeue failures tolerated before giving up (default 5). */
  maxErrors?: number;
}

/** How a run's task ended. */
export interface FollowedRun {
  id: string;
  jobId: string;
  index: number;
  /** The run's state in `status.json` once its task ended. */
  state: RunState | "missing";
  /** Slurm's last state of the task (`COMPLETED`, `CANCELLED`, `TIMEOUT`, ...), if known. */
  slurmState?: string;
  /** `ExitCode` of the task, if known. */
  exitCode?: string;
  /** The first line of the run's error, or of its note. */
  error: string;
  /** The task's output. */
  log: string;
  statusFile: string;
}

/** What {@link followTasks} saw. */
export interface FollowResult {
  runs: FollowedRun[];
  /** True when stopped through the signal before every task ended. */
  interrupted: boolean;
}

function lastRow(dir: string): MetricRow | undefined {
  const p = runPaths(dir).metrics;
  if (!existsSync(p)) return undefined;
  try {
    const rows = parseMetricsCsv(readFileSync(p, "utf8"));
    return rows[rows.length - 1] as MetricRow | undefined;
  } catch {
    return undefined;
  }
}

function firstLine(text: string | undefined): string {
  return (text ?? "").split("\n").find((l) => l.trim().length > 0) ?? "";
}

/**
 * Follows tasks until every one has ended in Slurm (or Slurm has forgotten
 * it), reporting starts, evaluations and ends of their runs. Throws
 * {@link SlurmError} when squeue keeps failing.
 */
export async function followTasks(
  runsDir: string,
  targets: FollowTarget[],
  options: FollowOptions = {},
): Promise<FollowResult> {
  const ev = options.events ?? {};
  const interval = options.intervalMs ?? 5000;
  const jobIds = [...new Set(targets.map((t) => t.record.jobId))];
  const key = (jobId: string, index: number) => `${jobId}_${index}`;
  const seen = new Map<string, { status: RunStatus | null; step?: number; started: boolean }>();
  for (const t of targets) {
    seen.set(t.plan.id, { status: readStatus(join(runsDir, t.plan.id)), started: false });
  }
  const ended = new Map<string, FollowedRun>();
  const lastTask = new Map<string, SlurmTask>();
  let errors = 0;
  let jobLine = "";
  let emptyPolls = 0;
  const finish = (t: FollowTarget, task: SlurmTask | undefined) => {
    const dir = join(runsDir, t.plan.id);
    const status = readStatus(dir);
    const s = seen.get(t.plan.id)!;
    const state = status?.state ?? "missing";
    // Neither finished nor failed: the task ended before its run did.
    const unfinished = classifyRun(status) === "run";
    const why = unfinished
      ? `slurm task ${task?.state ?? "ended"}${
        task?.exitCode && task.exitCode !== "0:0" ? ` (exit ${task.exitCode})` : ""
      } with the run ${state}${status?.step !== undefined ? ` at step ${status.step}` : ""}; ` +
        "rerun the sweep to resume it from its checkpoint"
      : firstLine(status?.error ?? status?.note);
    const run: FollowedRun = {
      id: t.plan.id,
      jobId: t.record.jobId,
      index: t.index,
      state,
      slurmState: task?.state,
      exitCode: task?.exitCode,
      error: why,
      log: taskLogPath(t.record, t.index),
      statusFile: runPaths(dir).status,
    };
    ended.set(t.plan.id, run);
    if (!s.started && status) ev.onStart?.(t.plan, status.attempts);
    const shown: RunStatus = status
      ? { ...status, ...(unfinished ? { error: why } : {}) }
      : { state: "queued", attempts: 0, error: why };
    ev.onEnd?.(t.plan, shown);
  };
  let interrupted = false;
  while (ended.size < targets.length) {
    if (options.signal?.aborted) {
      interrupted = true;
      break;
    }
    let tasks: SlurmTask[];
    try {
      tasks = await queryTasks(jobIds);
      errors = 0;
    } catch (e) {
      if (!(e instanceof SlurmError) || ++errors >= (options.maxErrors ?? 5)) throw e;
      await sleep(interval, options.signal);
      continue;
    }
    const records = new Map(targets.map((t) => [t.record.jobId, t.record]));
    tasks = tasks.filter((t) => taskOfRecord(t, records.get(t.jobId)!));
    const byKey = new Map(tasks.map((t) => [key(t.jobId, t.index), t]));
    for (const t of tasks) lastTask.set(key(t.jobId, t.index), t);
    emptyPolls = tasks.length === 0 ? emptyPolls + 1 : 0;
    const line = jobIds.map((id) => {
      const mine = tasks.filter((t) => t.jobId === id);
      return `slurm job ${id}: ${mine.length ? countStates(mine.map((t) => t.state)) : "gone"}`;
    }).join("; ");
    if (line !== jobLine) {
      jobLine = line;
      options.onJobs?.(line);
    }
    for (const t of targets) {
      if (ended.has(t.plan.id)) continue;
      const task = byKey.get(key(t.record.jobId, t.index));
      const dir = join(runsDir, t.plan.id);
      const status = readStatus(dir);
      const s = seen.get(t.plan.id)!;
      if (status?.state === "running" && task && !s.started) {
        s.started = true;
        ev.onStart?.(t.plan, status.attempts);
      }
      if (s.started && status?.step !== undefined && status.step !== s.step) {
        s.step = status.step;
        const row = lastRow(dir);
        if (row) ev.onEval?.(t.plan, row);
      }
      // A task Slurm no longer lists ended long ago (or, polled twice with
      // nothing listed, its whole job did).
      if ((task && !slurmActive(task.state)) || (!task && emptyPolls >= 2)) {
        finish(t, task ?? lastTask.get(key(t.record.jobId, t.index)));
      }
    }
    if (ended.size < targets.length) await sleep(interval, options.signal);
  }
  // Exit codes of ended tasks, where Slurm still has them.
  if (!interrupted) {
    for (const jobId of jobIds) {
      let shown: SlurmTask[] = [];
      try {
        shown = await showJob(jobId);
      } catch {
        // exit codes are a nicety
      }
      for (const task of shown) {
        for (const run of ended.values()) {
          if (run.jobId === task.jobId && run.index === task.index) run.exitCode = task.exitCode;
        }
      }
    }
  }
  const runs = targets.map((t) => ended.get(t.plan.id)).filter((r): r is FollowedRun => !!r);
  return { runs, interrupted };
}

function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    if (signal?.aborted) return resolve();
    const timer = setTimeout(done, ms);
    function done() {
      clearTimeout(timer);
      signal?.removeEventListener("abort", done);
      resolve();
    }
    signal?.addEventListener("abort", done);
  });
}
