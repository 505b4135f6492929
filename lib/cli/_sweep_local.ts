/**
 * What `deno task sweep` prints for the local executor (worker processes
 * here) and for its dry run; `lib/sweep/local_sweep.ts` does the work.
 *
 * @module
 */
import { type BackendChoice, initBackend } from "../runtime/backend.ts";
import {
  classifyPlans,
  countStates,
  InSlurmError,
  isFailed,
  planLabel,
  runLocalSweep,
} from "../sweep/mod.ts";
import { printReport, sayer, type SweepContext, sweepProgress } from "./_sweep_context.ts";
import { displayPath, UsageError } from "./common.ts";

/** `--dry-run`: each run, its state and step, and how many a sweep would run. */
export function dryRunLocal(ctx: SweepContext): number {
  const states: string[] = [];
  let todo = 0;
  const classified = classifyPlans(ctx.plans, ctx.paths.runs, { retryFailed: ctx.retryFailed });
  for (const { plan, status: s, kind } of classified) {
    const state = s?.state ?? "new";
    states.push(state);
    if (kind === "run") todo++;
    const step = s?.step !== undefined ? ` step ${s.step}/${plan.config.steps}` : "";
    console.log(`${state.padEnd(8)} ${planLabel(plan)}${step}`);
  }
  console.log(
    `${ctx.plans.length} runs: ${
      countStates(states)
    }; a sweep would run ${todo} (dry run: nothing written)`,
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
  say(
    `sweep ${result.interrupted ? "interrupted" : "finished"} in ${seconds.toFixed(1)} s: ${
      countStates(Object.values(result.states))
    } (${result.ran} ran, ${result.skipped} skipped)`,
  );
  if (result.interrupted) {
    say("rerun the same command to continue from the checkpoints");
    return 130;
  }
  if (!ctx.noReport) await printReport(ctx, say);
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
  return 0;
}
