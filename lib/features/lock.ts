/**
 * A lock file for one cache entry, so that two processes that need the
 * same feature network (two sweep workers starting at once) train it once:
 * the first creates `<dir>/.lock` and trains; the others wait until it is
 * gone and then read the cache. A lock whose process no longer runs is
 * taken over.
 *
 * @module
 */
import { mkdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";

/** Whether a process with this id runs (signal 0 semantics through SIGCONT, harmless). */
function alive(pid: number): boolean {
  if (pid === Deno.pid) return true;
  try {
    Deno.kill(pid, "SIGCONT");
    return true;
  } catch {
    return false;
  }
}

function sleep(ms: number): void {
  Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ms);
}

function holder(path: string): number | null {
  try {
    const pid = Number(JSON.parse(readFileSync(path, "utf8")).pid);
    return Number.isInteger(pid) ? pid : null;
  } catch {
    return null;
  }
}

/** Options of {@link withCacheLock}. */
export interface CacheLockOptions {
  /** Told once when the lock is held by another process. */
  onWait?: (pid: number) => void;
  /** Give up after this many seconds of waiting (default 3600). */
  timeoutSeconds?: number;
  /** Seconds between checks (default 1). */
  pollSeconds?: number;
}

/**
 * Runs `f` holding `<dir>/.lock` (created when missing), waiting while
 * another live process holds it.
 *
 * @param dir The cache entry's folder.
 * @param f What to do under the lock.
 * @param options Waiting.
 * @returns What `f` returns.
 * @throws Error after the timeout, naming the holder.
 */
export function withCacheLock<T>(dir: string, f: () => T, options: CacheLockOptions = {}): T {
  mkdirSync(dir, { recursive: true });
  const path = join(dir, ".lock");
  const deadline = Date.now() + 1000 * (options.timeoutSeconds ?? 3600);
  const poll = 1000 * (options.pollSeconds ?? 1);
  let told = false;
  for (;;) {
    try {
      writeFileSync(path, JSON.stringify({ pid: Deno.pid, startedAt: new Date().toISOString() }), {
        flag: "wx",
      });
      break;
    } catch (e) {
      if ((e as { code?: string }).code !== "EEXIST") throw e;
    }
    let pid = holder(path);
    if (pid === null) {
      // Just created by another process and not written yet, or left empty by a crash.
      sleep(Math.min(poll, 200));
      pid = holder(path);
    }
    if (pid === null || !alive(pid)) {
      rmSync(path, { force: true });
      continue;
    }
    if (Date.now() > deadline) {
      throw new Error(`${path} is still held by process ${pid}; stop it or remove the file`);
    }
    if (!told) {
      options.onWait?.(pid);
      told = true;
    }
    sleep(poll);
  }
  try {
    return f();
  } finally {
    if (holder(path) === Deno.pid) rmSync(path, { force: true });
  }
}
