/**
 * The local scheduler: runs planned runs in separate worker processes, at
 * most `concurrency` at a time. A crash, out-of-memory or hang in one run
 * never takes down the sweep or another run. Runs past `timeoutSec` are
 * killed and marked `timeout`; failed and timed-out runs are retried with
 * exponential backoff (diverged is a result, never retried). `stop()` stops
 * scheduling and asks running workers to checkpoint and exit; `stop(false)`
 * kills them at once. A finished run whose files are damaged is retrained
 * from scratch (or, with `keepDamaged`, left alone and listed). A
 * file-system fault (a full or read-only disk) stops the sweep as a first
 * Ctrl-C does: the run it cut short is left queued with a note, the others
 * checkpoint, and the result says what failed where.
 *
 * @module
 */
import { closeSync, openSync, readFileSync, writeSync } from "node:fs";
import { dirname as dirnameOf, join } from "node:path";
import { fileURLToPath } from "node:url";
import type { RunPlan } from "../spec/mod.ts";
import type { MetricRow } from "../gan/train.ts";
import { PROJECT_ROOT } from "../runtime/backend.ts";
import { IO_FAULT_EXIT, prepareRun } from "./run.ts";
import { processAlive } from "./lock.ts";
import { toIoError, writeJson, writeJsonOnFullDisk } from "../io/mod.ts";
import { readStatus, runPaths, type RunState, type RunStatus } from "./store.ts";
import { classifyPlans, isFailed, isFinished } from "./classify.ts";
import { type Damage, resetDamagedRun } from "./verify.ts";

/** Progress events. */
export interface SchedulerEvents {
  onSkip?(plan: RunPlan, status: RunStatus): void;
  onStart?(plan: RunPlan, attempt: number): void;
  onEval?(plan: RunPlan, row: MetricRow): void;
  onEnd?(plan: RunPlan, status: RunStatus): void;
  onRetry?(plan: RunPlan, status: RunStatus, delayMs: number): void;
}

/** Options of a {@link Scheduler}. */
export interface SchedulerOptions {
  /** Backend name every worker uses (`tensorflow`, `wasm` or `cpu`). */
  backend: string;
  /** Worker processes at once. */
  concurrency: number;
  /** Seconds one attempt may run before it is killed (`timeout`); 0 = none. */
  timeoutSec?: number;
  /** Extra attempts for a failed or timed-out run. */
  retries?: number;
  /** Rerun runs that failed or timed out in an earlier sweep. */
  retryFailed?: boolean;
  /** Leave finished runs with damaged files alone (default: retrain them from scratch). */
  keepDamaged?: boolean;
  /** Checkpoint every this many iterations. */
  checkpointEvery?: number;
  /** Delay before retry number `n` (1-based); default 1 s * 2^(n-1). */
  backoffMs?: (n: number) => number;
  events?: SchedulerEvents;
}

/** What a sweep did. */
export interface SweepResult {
  /** Final state of every planned run. */
  states: Record<string, RunState>;
  /** Runs that ended failed or timed out, with their error and where to read more. */
  failed: { id: string; state: RunState; error: string; statusFile: string; log: string }[];
  skipped: number;
  ran: number;
  /** True when stopped before every run finished. */
  interrupted: boolean;
  /** Finished runs with damaged files, left alone (`keepDamaged`). */
  damaged: { id: string; damage: Damage[] }[];
  /** Finished runs with damaged files, retrained from scratch. */
  retrained: { id: string; damage: Damage[] }[];
  /** The file-system fault that stopped the sweep (one line), when one did. */
  ioFault?: string;
}

const WORKER = fileURLToPath(new URL("./worker.ts", import.meta.url));
/**
 * Flags of a worker process: its permissions, and V8 on one thread (no
 * background GC or compiler threads), so N workers use N cores and do not
 * slow each other down.
 */
export const WORKER_FLAGS = [
  "--allow-read",
  "--allow-write",
  "--allow-env",
  "--allow-sys",
  "--allow-ffi",
  "--v8-flags=--single-threaded",
];
/** Environment that keeps native math libraries on one thread per worker. */
export const SINGLE_THREAD_ENV: Record<string, string> = {
  OMP_NUM_THREADS: "1",
  OPENBLAS_NUM_THREADS: "1",
  MKL_NUM_THREADS: "1",
  TF_NUM_INTRAOP_THREADS: "1",
  TF_NUM_INTEROP_THREADS: "1",
};

function firstLine(text: string | undefined): string {
  return (text ?? "").split("\n").find((l) => l.trim().length > 0) ?? "";
}

function logTail(path: string, lines = 5): string {
  try {
    return readFileSync(path, "utf8").trimEnd().split("\n").slice(-lines).join("\n");
  } catch {
    return "";
  }
}

/**
 * Appends to a worker.log; a full disk loses the text rather than stop
 * reading the worker's output (a worker blocked on a full pipe would hang).
 */
function logWrite(fd: number, data: string | Uint8Array): void {
  try {
    if (typeof data === "string") writeSync(fd, data);
    else writeSync(fd, data);
  } catch {
    // the run's status says what went wrong
  }
}

/** Kills a leftover worker process and waits until it is gone. */
async function killOrphan(pid: number): Promise<void> {
  if (!processAlive(pid)) return;
  try {
    Deno.kill(pid, "SIGKILL");
  } catch {
    return;
  }
  for (let i = 0; i < 100 && processAlive(pid); i++) {
    await new Promise((r) => setTimeout(r, 50));
  }
}

/** Runs plans in worker processes. */
export class Scheduler {
  #options: SchedulerOptions;
  #runsDir: string;
  #children = new Map<string, Deno.ChildProcess>();
  #stopping: "no" | "graceful" | "now" = "no";
  #wake: (() => void) | null = null;

  constructor(runsDir: string, options: SchedulerOptions) {
    this.#runsDir = runsDir;
    this.#options = options;
  }

  /** Stops scheduling; running workers checkpoint and exit (or die at once). */
  stop(graceful = true): void {
    if (graceful && this.#stopping === "no") {
      this.#stopping = "graceful";
      for (const c of this.#children.values()) this.#signal(c, "SIGTERM");
    } else {
      this.#stopping = "now";
      for (const c of this.#children.values()) this.#signal(c, "SIGKILL");
    }
    this.#wake?.();
  }

  /** Whether {@link Scheduler.stop} was called. */
  get stopping(): boolean {
    return this.#stopping !== "no";
  }

  #signal(child: Deno.ChildProcess, sig: Deno.Signal) {
    try {
      child.kill(sig);
    } catch {
      // already gone
    }
  }

  /** Runs every plan that is not finished; resolves when all are settled or stopped. */
  async run(plans: RunPlan[]): Promise<SweepResult> {
    const ev = this.#options.events ?? {};
    const result: SweepResult = {
      states: {},
      failed: [],
      skipped: 0,
      ran: 0,
      interrupted: false,
      damaged: [],
      retrained: [],
    };
    const queue: { plan: RunPlan; attempt: number; notBefore: number }[] = [];
    const classified = classifyPlans(plans, this.#runsDir, {
      retryFailed: this.#options.retryFailed,
      keepDamaged: this.#options.keepDamaged,
    });
    for (const { plan, status, kind, damage } of classified) {
      const dir = join(this.#runsDir, plan.id);
      if (kind === "damaged") {
        result.damaged.push({ id: plan.id, damage: damage! });
        result.skipped++;
        continue;
      }
      if (status && kind !== "run") {
        result.states[plan.id] = status.state;
        result.skipped++;
        if (kind === "failed") this.#recordFailure(result, plan, status);
        ev.onSkip?.(plan, status);
        continue;
      }
      if (damage?.length) {
        resetDamagedRun(dir, status, damage);
        result.retrained.push({ id: plan.id, damage });
      } else if (status?.state === "running" && status.pid !== undefined) {
        // We hold the lock, so a worker still running here is an orphan of a
        // sweep that died: stop it before its run is started again.
        await killOrphan(status.pid);
      }
      prepareRun(plan, dir);
      queue.push({ plan, attempt: 1, notBefore: 0 });
    }
    const running = new Set<Promise<void>>();
    const concurrency = Math.max(1, this.#options.concurrency);
    while ((queue.length > 0 || running.size > 0)) {
      if (this.#stopping !== "no") {
        if (running.size === 0) break;
      } else {
        const now = Date.now();
        while (running.size < concurrency) {
          const i = queue.findIndex((q) => q.notBefore <= now);
          if (i < 0) break;
          const [item] = queue.splice(i, 1);
          const p: Promise<void> = this.#attempt(item.plan, item.attempt).then((status) => {
            running.delete(p);
            result.states[item.plan.id] = status.state;
            if (item.attempt === 1) result.ran++;
            if (status.ioFault) {
              // A full or read-only disk fails every run alike: stop as a first Ctrl-C does.
              result.ioFault ??= status.ioFault;
              ev.onEnd?.(item.plan, status);
              this.stop(true);
              return;
            }
            const retries = this.#options.retries ?? 0;
            if (
              isFailed(status.state) && item.attempt <= retries &&
              this.#stopping === "no"
            ) {
              const delay = (this.#options.backoffMs ?? ((n) => 1000 * 2 ** (n - 1)))(
                item.attempt,
              );
              ev.onRetry?.(item.plan, status, delay);
              queue.push({
                plan: item.plan,
                attempt: item.attempt + 1,
                notBefore: Date.now() + delay,
              });
            } else {
              if (isFailed(status.state)) {
                this.#recordFailure(result, item.plan, status);
              }
              ev.onEnd?.(item.plan, status);
            }
          });
          running.add(p);
        }
      }
      if (queue.length === 0 && running.size === 0) break;
      // Sleep until a worker ends, a retry is due, or stop() is called.
      // Only a free worker slot makes a queued retry's due time matter.
      const due = queue.length && this.#stopping === "no" && running.size < concurrency
        ? Math.max(0, Math.min(...queue.map((q) => q.notBefore)) - Date.now())
        : 3_600_000;
      let timer: ReturnType<typeof setTimeout> | undefined;
      await Promise.race([
        ...running,
        new Promise<void>((r) => {
          this.#wake = r;
          timer = setTimeout(r, Math.min(due + 5, 3_600_000));
        }),
      ]);
      clearTimeout(timer);
      this.#wake = null;
    }
    for (const { plan } of queue) {
      result.states[plan.id] ??= "queued";
    }
    result.interrupted = this.#stopping !== "no" && result.ioFault === undefined &&
      Object.values(result.states).some((s) => !isFinished(s));
    return result;
  }

  #recordFailure(result: SweepResult, plan: RunPlan, status: RunStatus) {
    const paths = runPaths(join(this.#runsDir, plan.id));
    result.failed.push({
      id: plan.id,
      state: status.state,
      error: firstLine(status.error),
      statusFile: paths.status,
      log: paths.log,
    });
  }

  /**
   * One attempt of a run; a file-system fault, in the worker or here, gives
   * the run left queued (resumable) with `ioFault` set.
   */
  async #attempt(
    plan: RunPlan,
    attempt: number,
  ): Promise<RunStatus & { ioFault?: string }> {
    const paths = runPaths(join(this.#runsDir, plan.id));
    try {
      return await this.#spawn(plan, attempt);
    } catch (e) {
      const io = toIoError(e);
      if (!io) throw e;
      return this.#cutShort(paths.status, attempt, io.message);
    }
  }

  /** Leaves a run queued with a note after a file-system fault, as far as the disk allows. */
  #cutShort(statusFile: string, attempt: number, fault: string): RunStatus & { ioFault: string } {
    const before = readStatus(dirnameOf(statusFile)) ?? { state: "queued", attempts: attempt };
    const out: RunStatus = {
      ...before,
      state: "queued",
      note: `cut short by a file-system fault (${fault}); resumes from its last checkpoint`,
    };
    delete out.pid;
    delete out.host;
    try {
      writeJsonOnFullDisk(statusFile, out);
    } catch {
      // The disk refuses this too: status.json still says running with a pid that is gone,
      // which `status` shows as interrupted and the next sweep resumes.
    }
    return { ...out, ioFault: fault };
  }

  async #spawn(plan: RunPlan, attempt: number): Promise<RunStatus & { ioFault?: string }> {
    const dir = join(this.#runsDir, plan.id);
    const paths = runPaths(dir);
    const ev = this.#options.events ?? {};
    ev.onStart?.(plan, attempt);
    let log: number;
    try {
      log = openSync(paths.log, "a");
      writeSync(log, `--- attempt ${attempt} at ${new Date().toISOString()}\n`);
    } catch (e) {
      throw toIoError(e, "write", paths.log) ?? e;
    }
    writeSync(log, `--- attempt ${attempt} at ${new Date().toISOString()}\n`);
    const child = new Deno.Command(Deno.execPath(), {
      args: [
        "run",
        ...WORKER_FLAGS,
        "--quiet",
        "--config",
        join(PROJECT_ROOT, "deno.json"),
        WORKER,
        dir,
        "--backend",
        this.#options.backend,
        "--checkpoint-every",
        String(this.#options.checkpointEvery ?? 0),
      ],
      cwd: PROJECT_ROOT,
      env: { ...SINGLE_THREAD_ENV, NO_COLOR: "1" },
      stdin: "piped",
      stdout: "piped",
      stderr: "piped",
    }).spawn();
    this.#children.set(plan.id, child);
    let timedOut = false;
    const timeoutSec = this.#options.timeoutSec ?? 0;
    const timer = timeoutSec > 0
      ? setTimeout(() => {
        timedOut = true;
        this.#signal(child, "SIGKILL");
      }, timeoutSec * 1000)
      : undefined;
    let ioFault: string | undefined;
    const readOut = (async () => {
      let buffer = "";
      for await (const chunk of child.stdout.pipeThrough(new TextDecoderStream())) {
        buffer += chunk;
        let nl;
        while ((nl = buffer.indexOf("\n")) >= 0) {
          const line = buffer.slice(0, nl);
          buffer = buffer.slice(nl + 1);
          try {
            const msg = JSON.parse(line);
            if (msg.event === "eval") ev.onEval?.(plan, msg.metrics);
            if (msg.event === "io-fault") ioFault = String(msg.message);
          } catch {
            logWrite(log, line + "\n");
          }
        }
      }
    })();
    const readErr = (async () => {
      for await (const chunk of child.stderr) logWrite(log, chunk);
    })();
    const exit = await child.status;
    clearTimeout(timer);
    await Promise.allSettled([readOut, readErr]);
    try {
      await child.stdin.close();
    } catch {
      // already closed
    }
    this.#children.delete(plan.id);
    closeSync(log);
    if (exit.code === IO_FAULT_EXIT || ioFault !== undefined) {
      return this.#cutShort(paths.status, attempt, ioFault ?? "the worker hit a file-system fault");
    }
    const status = readStatus(dir) ?? { state: "queued", attempts: attempt };
    if (timedOut) {
      const out: RunStatus = {
        ...status,
        state: "timeout",
        finishedAt: new Date().toISOString(),
        error: `exceeded --timeout ${timeoutSec} s at step ${status.step ?? 0}; killed`,
      };
      delete out.pid;
      delete out.host;
      writeJson(paths.status, out);
      return out;
    }
    if (exit.success && isFinished(status.state)) return status;
    if (status.state === "failed" || status.state === "queued") return status;
    // The worker died without saying why (killed, out of memory, crashed).
    const how = exit.signal ? `was killed by ${exit.signal}` : `exited with code ${exit.code}`;
    const tail = logTail(paths.log);
    const out: RunStatus = {
      ...status,
      state: this.#stopping === "now" ? "queued" : "failed",
      finishedAt: new Date().toISOString(),
      error: `worker ${how} at step ${status.step ?? 0}${
        tail ? `; worker.log ends:\n${tail}` : ""
      }`,
    };
    delete out.pid;
    delete out.host;
    writeJson(paths.status, out);
    return out;
  }
}
