/** Test helpers for the sweep stage: tiny plans and worker processes. */
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import {
  expandRuns,
  type PartialConfig,
  type RunPlan,
  validateExperiment,
} from "../../lib/spec/mod.ts";
import { prepareRun } from "../../lib/sweep/run.ts";
import { tinyStudy } from "../_tiny.ts";

/** The project root. */
export const ROOT = fileURLToPath(new URL("../..", import.meta.url));

/** Plans of a tiny ring-8 study. */
export function tinyPlans(
  sweep: Record<string, unknown[]> = {},
  seeds = [0],
  base: Record<string, unknown> = {},
): RunPlan[] {
  const spec = tinyStudy({
    name: "tiny",
    steps: 40,
    evalEvery: 10,
    hidden: [16, 16],
    base: base as PartialConfig,
    sweep,
    seeds,
  });
  return expandRuns(validateExperiment(spec));
}

/** Starts a worker on a prepared run directory. */
export function spawnWorker(dir: string, checkpointEvery: number): Deno.ChildProcess {
  return new Deno.Command(Deno.execPath(), {
    args: [
      "run",
      "-A",
      "--quiet",
      join(ROOT, "lib", "sweep", "worker.ts"),
      dir,
      "--backend",
      "wasm",
      "--checkpoint-every",
      String(checkpointEvery),
    ],
    cwd: ROOT,
    stdin: "piped",
    stdout: "piped",
    stderr: "null",
  }).spawn();
}

/** Prepares a run directory for `plan` under `root`. */
export function prepare(root: string, plan: RunPlan): string {
  const dir = join(root, plan.id);
  prepareRun(plan, dir);
  return dir;
}

/** Reads a worker's stdout events until `stop` returns true (or the stream ends). */
export async function readEvents(
  child: Deno.ChildProcess,
  stop: (event: { event: string; step?: number }) => boolean,
): Promise<void> {
  let buffer = "";
  const reader = child.stdout.pipeThrough(new TextDecoderStream()).getReader();
  try {
    while (true) {
      const { value, done } = await reader.read();
      if (done) return;
      buffer += value;
      let nl;
      while ((nl = buffer.indexOf("\n")) >= 0) {
        const line = buffer.slice(0, nl);
        buffer = buffer.slice(nl + 1);
        if (stop(JSON.parse(line))) return;
      }
    }
  } finally {
    reader.releaseLock();
  }
}
