/**
 * What `deno task sweep` prints for the local executor (worker processes
 * here) and for its dry run; `lib/sweep/local_sweep.ts` does the work.
 *
 * @module
 */
import { type BackendChoice, initBackend } from "../runtime/backend.ts";
import { nativeBlas } from "../runtime/blas.ts";
import { type Experiment, resolvePoint } from "../spec/mod.ts";
import {
  classifyPlans,
  countStates,
  damageText,
  estimateRunSeconds,
  formatDuration,
  InSlurmError,
  isFailed,
  planLabel,
  runLocalSweep,
  wallSeconds,
} from "../sweep/mod.ts";
import { printReport, sayer, type SweepContext, sweepProgress } from "./_sweep_context.ts";
import { displayPath, UsageError } from "./common.ts";

/** Whether a backend name runs its matrix products on a native library (for estimates). */
function fastProducts(backend: string): boolean {
  return backend === "tensorflow" || (backend !== "cpu" && nativeBlas() !== null);
}

/** "about 1m10s on 2 workers" for runs of the given estimated seconds. */
function wallText(seconds: readonly number[], workers: number | null, backend: string): string {
  const on = workers === null ? "as Slurm tasks, one after another" : `on ${workers} worker(s)`;
  const total = wallSeconds(seconds, workers ?? 1);
  return `about ${formatDuration(total)} ${on}${
    fastProducts(backend) ? "" : " without a native BLAS"
  } (a rough estimate from the configs' sizes)`;
}

/**
 * `--dry-run` of a sweep over `--max-runs`: its size and an estimate of its
 * wall time from its first run's config, without expanding it.
 */
export function printOversized(
  exp: Experiment,
  size: { points: number; seeds: number; runs: number },
  workers: number | null,
  backend = "auto",
): void {
  const first = exp.oversized?.first ?? exp.sweep[0] ?? {};
  const perRun = estimateRunSeconds(resolvePoint(exp, first), fastProducts(backend));
  const total = perRun * size.runs / (workers ?? 1);
  console.log(
    `${exp.name}: ${size.points} point(s) x ${size.seeds} seed(s) = ${size.runs} runs; at about ` +
      `${formatDuration(perRun)} per run (its first config), about ${formatDuration(total)} ${
        workers === null ? "of Slurm task time" : `on ${workers} worker(s)`
      } (a rough estimate; dry run: nothing written)`,
  );
}

/** `--dry-run`: each run, its state and step, how many a sweep would run, and how long. */
export function dryRunLocal(ctx: SweepContext, workers: number): number {
  const states: string[] = [];
  const seconds: number[] = [];
  const classified = classifyPlans(ctx.plans, ctx.paths.runs, {
    retryFailed: ctx.retryFailed,
    keepDamaged: ctx.keepDamaged,
  });
  const fast = fastProducts(ctx.backend);
  for (const { plan, status: s, kind, damage } of classified) {
    const state = damage?.length ? "damaged" : s?.state ?? "new";
    states.push(state);
    if (kind === "run") seconds.push(estimateRunSeconds(plan.config, fast));
    const step = s?.step !== undefined ? ` step ${s.step}/${plan.config.steps}` : "";
    const why = damage?.length
      ? ` (${damageText(damage)}; ${kind === "run" ? "would be retrained" : "kept"})`
      : "";
    console.log(`${state.padEnd(8)} ${planLabel(plan)}${step}${why}`);
  }
  console.log(
    `${ctx.plans.length} runs: ${countStates(states)}; a sweep would run ${seconds.length} ` +
      `(dry run: nothing written)${
        seconds.length ? `; ${wallText(seconds, workers, ctx.backend)}` : ""
      }`,
  );
  return 0;
}

/** What a local sweep needs beyond the context. */
export interface LocalFlags {
  concurrency: number;
  timeoutSec?: number;
  retries: number;
}

/** Trains the runs here; exits 1 when a run failed, 130 when interrupted. */
export async function sweepLocal(ctx: SweepContext, o: LocalFlags): Promise<number> {
  const { file, exp, paths } = ctx;
  const backend = await initBackend(ctx.backend as BackendChoice);
  const progress = sweepProgress(ctx);
  const log = (s: string) => progress.log(s);
  let sweep;
  try {
    sweep = await runLocalSweep({
      paths,
      all: ctx.all,
      plans: ctx.plans,
      expand: ctx.expand,
      holder: `deno task sweep ${file}`,
      scheduler: {
        backend: backend.name,
        concurrency: o.concurrency,
        timeoutSec: o.timeoutSec,
        retries: o.retries,
        retryFailed: ctx.retryFailed,
        keepDamaged: ctx.keepDamaged,
        checkpointEvery: ctx.checkpointEvery,
        events: progress.events,
      },
      onTaken: (lock) => {
        if (lock.tookOverFrom) {
          log(`took over a stale lock of process ${lock.tookOverFrom.pid} (no longer running)`);
        }
        log(`backend: ${backend.name} (${backend.reason})`);
        log(
          `${exp.name}: ${ctx.plans.length} runs, ${o.concurrency} worker(s) -> ${
            displayPath(paths.runs)
          }`,
        );
      },
      onInterrupt: (count) =>
        log(
          count === 1
            ? "stopping: running runs checkpoint and exit; Ctrl-C again to kill them now"
            : "killing running runs",
        ),
    });
  } catch (e) {
    if (!(e instanceof InSlurmError)) throw e;
    const jobs = e.jobIds;
    throw new UsageError(
      `${e.active.size} run(s) of ${displayPath(paths.runs)} are in Slurm job(s) ${
        jobs.join(", ")
      } that may still run them (${
        [...e.active].slice(0, 3).map(([id, a]) => `${id}: ${a.jobId}_${a.index} ${a.state}`)
          .join(", ")
      }); wait for the job to end (deno task status ${file}) or cancel it (scancel ${
        jobs.join(" ")
      }), then rerun`,
    );
  }
  const { result, seconds } = sweep;
  progress.finish();
  const say = sayer(ctx);
  for (const r of result.retrained) {
    say(`retrained ${r.id} from scratch: its files were damaged (${damageText(r.damage)})`);
  }
  say(
    `sweep ${result.ioFault ? "stopped" : result.interrupted ? "interrupted" : "finished"} in ${
      seconds.toFixed(1)
    } s: ${
      countStates(Object.values(result.states))
    } (${result.ran} ran, ${result.skipped} skipped)`,
  );
  if (result.ioFault) {
    const left = Object.values(result.states).filter((s) => s === "queued").length;
    console.error(
      `error: ${result.ioFault}\n${left} run(s) left queued, each resumes from its last ` +
        `checkpoint: free space (or make the directory writable) and rerun the same command`,
    );
    return 1;
  }
  if (result.interrupted) {
    say("rerun the same command to continue from the checkpoints");
    return 130;
  }
  if (!ctx.noReport) await printReport(ctx, say);
  if (result.damaged.length) {
    console.error(
      `${result.damaged.length} finished run(s) have damaged files (kept: --keep-damaged):`,
    );
    for (const d of result.damaged) console.error(`  ${d.id}: ${damageText(d.damage)}`);
    console.error("they are not evidence; rerun without --keep-damaged to retrain them");
  }
  if (result.failed.length) {
    console.error(`${result.failed.length} run(s) did not finish:`);
    for (const f of result.failed) {
      console.error(`  ${f.id} ${f.state}: ${f.error}\n    see ${f.statusFile} and ${f.log}`);
    }
    if (!ctx.retryFailed && result.failed.some((f) => isFailed(f.state))) {
      console.error("rerun with --retry-failed to try them again");
    }
    return 1;
  }
  return result.damaged.length ? 1 : 0;
}
