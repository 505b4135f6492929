/**
 * The worker process: trains one run directory, resuming from its
 * checkpoint, isolated from the sweep and from other runs. Started by the
 * scheduler as `deno run ... lib/sweep/worker.ts <run-dir> --backend NAME
 * --checkpoint-every N`.
 *
 * Protocol: one JSON object per line on stdout (`{"event":"eval",...}`,
 * `{"event":"checkpoint",...}`, `{"event":"io-fault","message":...}`);
 * diagnostics on stderr. Exit 0 when the run is done or diverged, 1 when it
 * failed, 130 when it stopped on SIGTERM after checkpointing, 74
 * ({@link IO_FAULT_EXIT}) when a file-system fault cut it short (it is left
 * queued, to resume from its last checkpoint). SIGINT is ignored (the scheduler decides); a second
 * SIGTERM exits at once. When the scheduler dies (stdin closes) the worker
 * exits too, so no orphan keeps writing.
 *
 * Fault injection for tests: `GAN_HARNESS_FAULT=<throw|hang|exit>:<run-id>:<iteration>[,...]`.
 *
 * @module
 */
import { basename, join } from "node:path";
import { parseArgs } from "node:util";
import type { RunConfig } from "../spec/config.ts";
import { runId } from "../spec/mod.ts";
import { type BackendChoice, initBackend } from "../runtime/backend.ts";
import { executeRun, IO_FAULT_EXIT } from "./run.ts";
import { readJson, toIoError } from "../io/mod.ts";
function emit(event: Record<string, unknown>): void {
  try {
    Deno.stdout.writeSync(new TextEncoder().encode(JSON.stringify(event) + "\n"));
  } catch {
    // The scheduler is gone (broken pipe): stop at once, leaving the last
    // checkpoint for the next sweep, and write nothing more.
    Deno.exit(141);
  }
}

function faultHook(id: string) {
  // A comma-separated list of kind:run-id:iteration.
  const faults = (Deno.env.get("GAN_HARNESS_FAULT") ?? "").split(",").map((f) => f.split(":"))
    .filter(([, target]) => target === id);
  if (faults.length === 0) return undefined;
  return (_kind: string, it: number) => {
    for (const [kind, , at] of faults) {
      if (it !== Number(at)) continue;
      if (kind === "throw") throw new Error(`injected fault at iteration ${it}`);
      if (kind === "exit") Deno.exit(3);
      if (kind === "hang") {
        const until = Date.now() + 3_600_000;
        while (Date.now() < until) {
          // a busy hang that ignores signals, as a stuck native call would
        }
      }
    }
  };
}

/** Entry point. */
export async function main(args: string[]): Promise<number> {
  const { values, positionals } = parseArgs({
    args,
    options: {
      backend: { type: "string", default: "wasm" },
      "checkpoint-every": { type: "string", default: "0" },
    },
    allowPositionals: true,
  });
  const dir = positionals[0];
  const config = readJson<RunConfig>(join(dir, "config.json"));
  if (!config) {
    console.error(`worker: ${dir}/config.json is missing or unreadable`);
    return 1;
  }
  const id = basename(dir);
  if (runId(config) !== id) {
    console.error(`worker: ${dir} holds a config whose run id is ${runId(config)}, not ${id}`);
    return 1;
  }
  let stopping = false;
  Deno.addSignalListener("SIGINT", () => {});
  Deno.addSignalListener("SIGTERM", () => {
    if (stopping) Deno.exit(130);
    stopping = true;
  });
  // Exit with the scheduler: its end of our stdin closes when it dies.
  (async () => {
    const buf = new Uint8Array(64);
    while ((await Deno.stdin.read(buf)) !== null) { /* ignore input */ }
    Deno.exit(stopping ? 130 : 143);
  })();
  const backend = await initBackend(values.backend as BackendChoice);
  const plan = { id, configId: id.replace(/-s\d+$/, ""), seed: config.seed, point: {}, config };
  let status;
  try {
    status = await executeRun(plan, dir, {
      backend,
      checkpointEvery: Number(values["checkpoint-every"]),
      shouldStop: () => stopping,
      onUpdate: faultHook(id),
      onEval: (row) => emit({ event: "eval", step: row.step, metrics: row }),
      onCheckpoint: (iteration) => emit({ event: "checkpoint", step: iteration }),
    });
  } catch (e) {
    const io = toIoError(e);
    if (!io) throw e;
    emit({ event: "io-fault", message: io.message });
    console.error(`worker: ${io.message}`);
    return IO_FAULT_EXIT;
  }
  emit({ event: "end", state: status.state, step: status.step });
  if (status.state === "failed") {
    console.error(status.error);
    return 1;
  }
  return status.state === "queued" ? 130 : 0;
}

if (import.meta.main) Deno.exit(await main(Deno.args));
