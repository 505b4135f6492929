/**
 * A lock on a study's runs directory, so two sweeps never write the same
 * runs. The lock file `runs/<name>/.lock` names the process holding it; a
 * lock left by a process that no longer runs is taken over.
 *
 * @module
 */
import { mkdirSync, rmSync, writeFileSync } from "node:fs";
import { hostname } from "node:os";
import { join } from "node:path";
import { readJson, toIoError } from "../io/mod.ts";
import type { RunStatus } from "./store.ts";

/** Contents of the lock file. */
export interface LockInfo {
  pid: number;
  hostname: string;
  startedAt: string;
  command: string;
}

/** The runs directory is held by another live process. */
export class LockError extends Error {
  /** Who holds the lock. */
  readonly holder: LockInfo;
  constructor(dir: string, holder: LockInfo) {
    super(
      `${dir} is locked by process ${holder.pid} on ${holder.hostname} (\`${holder.command}\`, ` +
        `started ${holder.startedAt}); wait for it to finish or stop it, then rerun`,
    );
    this.name = "LockError";
    this.holder = holder;
  }
}

/** A held lock. */
export interface Lock {
  path: string;
  /** The previous holder when a stale lock was taken over. */
  tookOverFrom?: LockInfo;
  release(): void;
}

/**
 * Whether process `pid` on this host is alive and plausibly a Deno process
 * (so a recycled pid does not hold a lock forever). Asks `ps`; where there
 * is none, sends the harmless SIGCONT to see whether the process exists.
 */
export function processAlive(pid: number): boolean {
  try {
    const out = new Deno.Command("ps", { args: ["-p", String(pid), "-o", "args="] }).outputSync();
    return out.success && /deno/i.test(new TextDecoder().decode(out.stdout));
  } catch (e) {
    if (!(e instanceof Deno.errors.NotFound)) throw e;
  }
  try {
    Deno.kill(pid, "SIGCONT");
    return true;
  } catch {
    return false;
  }
}

/**
 * Whether a run whose status says running has no live worker: its worker
 * ran on this host (or, for statuses that name no host, no Slurm job ran
 * the study) and that process is gone (a sweep killed outright).
 *
 * @param s The run's status.
 * @param slurmJobs Whether Slurm jobs ran the study (their workers live elsewhere).
 * @returns True when the run cannot be running.
 */
export function workerGone(s: RunStatus, slurmJobs: boolean): boolean {
  if (s.state !== "running" || s.pid === undefined) return false;
  if (s.host !== undefined ? s.host !== hostname() : slurmJobs) return false;
  return !processAlive(s.pid);
}

function readLock(path: string): LockInfo | null {
  return readJson<LockInfo>(path);
}

/**
 * Takes the lock of `dir`, creating the directory. Throws {@link LockError}
 * when a live process holds it; takes over a lock whose process is gone.
 */
export function acquireLock(dir: string, command = "deno task sweep"): Lock {
  mkdirSync(dir, { recursive: true });
  const path = join(dir, ".lock");
  const me: LockInfo = {
    pid: Deno.pid,
    hostname: hostname(),
    startedAt: new Date().toISOString(),
    command,
  };
  let tookOverFrom: LockInfo | undefined;
  for (let attempt = 0; attempt < 3; attempt++) {
    try {
      writeFileSync(path, JSON.stringify(me) + "\n", { flag: "wx" });
      return {
        path,
        tookOverFrom,
        release() {
          const held = readLock(path);
          if (held?.pid === me.pid && held.startedAt === me.startedAt) {
            rmSync(path, { force: true });
          }
        },
      };
    } catch (e) {
      if ((e as { code?: string }).code !== "EEXIST") {
        // `wx` created the file before the write failed (a full disk): leave no empty lock.
        rmSync(path, { force: true });
        throw toIoError(e, "lock", path) ?? e;
      }
    }
    const holder = readLock(path);
    if (holder && (holder.hostname !== me.hostname || processAlive(holder.pid))) {
      throw new LockError(dir, holder);
    }
    // Stale (dead process, or a half-written file): take it over.
    tookOverFrom = holder ?? undefined;
    rmSync(path, { force: true });
  }
  throw new Error(`could not take the lock ${path}: it keeps changing hands`);
}
