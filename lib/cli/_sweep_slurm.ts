/**
 * What `deno task sweep --executor slurm` prints: the runs skipped, the
 * submitted job (or the dry run's script), and with `--wait` the jobs'
 * progress and how their runs ended. `lib/sweep/slurm_sweep.ts` does the
 * work.
 *
 * @module
 */
import { resolve } from "node:path";
import type { SlurmResources } from "../spec/slurm.ts";
import {
  type ClassifiedPlan,
  classifyPlans,
  countStates,
  damageText,
  followSlurmSweep,
  isFailed,
  isFinished,
  jobRecordPath,
  planLabel,
  type Progress,
  renderScript,
  submitSlurmSweep,
} from "../sweep/mod.ts";
import { printReport, sayer, type SweepContext, sweepProgress } from "./_sweep_context.ts";
import { displayPath } from "./common.ts";

/** What a Slurm sweep needs beyond the context. */
export interface SlurmFlags {
  resources: SlurmResources;
  wait: boolean;
  pollMs: number;
  dryRun: boolean;
}

/** The line for each plan a Slurm sweep skips (or, in a dry run, submits). */
function sayPlans(
  classified: ClassifiedPlan[],
  dryRun: boolean,
  say: (s: string) => void,
  progress: Progress,
): void {
  for (const { plan, status: s, kind, slurm, damage } of classified) {
    if (kind === "damaged") {
      say(`skip ${plan.id}: its files are damaged (${damageText(damage!)}); kept (--keep-damaged)`);
    } else if (kind === "run" && damage?.length) {
      say(`${dryRun ? "would retrain" : "retrain"} ${plan.id} from scratch: ${damageText(damage)}`);
    } else if (s && kind === "finished") {
      if (dryRun) say(`skip ${plan.id}: already ${s.state}`);
      else progress.events.onSkip?.(plan, s);
    } else if (s && kind === "failed") {
      say(`skip ${plan.id}: ${s.state} in an earlier sweep (--retry-failed reruns it)`);
      if (!dryRun) progress.events.onSkip?.(plan, s);
    } else if (slurm) {
      say(`skip ${plan.id}: in Slurm job ${slurm.jobId} as task ${slurm.index} (${slurm.state})`);
    } else if (dryRun) say(`submit ${planLabel(plan)}`);
  }
}

/**
 * Submits every run the classification leaves to run as one array job;
 * with `--wait`, follows it and the jobs already running the study's runs.
 */
export async function sweepSlurm(ctx: SweepContext, o: SlurmFlags): Promise<number> {
  const { file, exp, paths } = ctx;
  const say = sayer(ctx);
  const progress = sweepProgress(ctx);
  const job = {
    name: exp.name,
    experiment: resolve(file),
    throttle: ctx.concurrency,
    resources: o.resources,
    backend: ctx.backend,
    checkpointEvery: ctx.checkpointEvery,
  };
  const { classified, todo, record, following } = await submitSlurmSweep({
    paths,
    all: ctx.all,
    plans: ctx.plans,
    expand: ctx.expand,
    retryFailed: ctx.retryFailed,
    keepDamaged: ctx.keepDamaged,
    dryRun: o.dryRun,
    holder: `deno task sweep ${file} --executor slurm`,
    job,
    onLocked: (lock) => {
      if (lock.tookOverFrom) {
        say(`took over a stale lock of process ${lock.tookOverFrom.pid} (no longer running)`);
      }
    },
    onClassified: (plans) => sayPlans(plans, o.dryRun, say, progress),
  });
  if (o.dryRun) {
    const states = classified.map((c) => c.status?.state ?? "new");
    say(
      `${ctx.plans.length} runs: ${
        countStates(states)
      }; would submit an array of ${todo.length} task(s) (dry run: nothing written)`,
    );
    if (todo.length) {
      say("the sbatch script (JOBID is the job id sbatch gives):");
      const script = renderScript({
        ...job,
        outRoot: paths.root,
        runsDir: paths.runs,
        tasks: todo.length,
      });
      say(script.replaceAll("$SLURM_ARRAY_JOB_ID.json", "JOBID.json"));
    }
    return 0;
  }
  if (record) {
    say(
      `${exp.name}: submitted Slurm job ${record.jobId}: ${record.runs.length} task(s)${
        record.throttle ? `, at most ${record.throttle} at once` : ""
      } -> ${displayPath(paths.runs)}`,
    );
    say(
      `  job record ${displayPath(jobRecordPath(paths.runs, record.jobId))}, logs ${
        displayPath(record.log.replace("%a", "<index>"))
      }`,
    );
    // The job id alone on the last line of stdout, for scripts.
    if (!o.wait) console.log(`job ${record.jobId}`);
  } else if (following.length) {
    say(`${exp.name}: nothing new to submit; ${following.length} run(s) are in Slurm jobs`);
  } else {
    say(`${exp.name}: nothing to submit: every run is finished (or failed; see --retry-failed)`);
  }
  if (!o.wait && following.length) {
    say(
      `follow it with: deno task status ${file}${
        record ? ` (or squeue -j ${record.jobId}); stop it with scancel ${record.jobId}` : ""
      }`,
    );
    say(`rerun with --wait to follow it here; the report: deno task report ${file}`);
    return 0;
  }
  if (following.length === 0) {
    if (!ctx.noReport) await printReport(ctx, say);
    return finishedExit(ctx);
  }

  // --wait: follow every task that may still run one of our runs.
  let result;
  try {
    result = await followSlurmSweep(paths.runs, following, {
      pollMs: o.pollMs,
      events: progress.events,
      onJobs: (line) => progress.log(line),
    });
  } finally {
    progress.finish();
  }
  const jobs = [...new Set(following.map((f) => f.record.jobId))].join(" ");
  if (result.interrupted) {
    say(`stopped following; the Slurm job(s) go on: deno task status ${file}, scancel ${jobs}`);
    return 130;
  }
  say(
    `Slurm job(s) ${jobs} ended after ${result.seconds.toFixed(1)} s: ${
      countStates(result.runs.map((r) => r.state))
    }`,
  );
  if (!ctx.noReport) await printReport(ctx, say);
  const bad = result.runs.filter((r) => !isFinished(r.state));
  if (bad.length) {
    console.error(`${bad.length} run(s) did not finish:`);
    for (const r of bad) {
      console.error(
        `  ${r.id} ${r.state} (Slurm ${r.jobId}_${r.index} ${r.slurmState ?? "?"}): ${r.error}` +
          `\n    see ${r.statusFile} and ${r.log}`,
      );
    }
    if (!ctx.retryFailed && bad.some((r) => isFailed(r.state))) {
      console.error("rerun with --retry-failed to try the failed ones again");
    }
    return 1;
  }
  return finishedExit(ctx);
}

/** 1 when a planned run failed or timed out (skipped as such), else 0. */
function finishedExit(ctx: SweepContext): number {
  const failed = classifyPlans(ctx.plans, ctx.paths.runs).filter((c) => c.kind === "failed");
  if (failed.length === 0) return 0;
  console.error(`${failed.length} run(s) failed or timed out in an earlier sweep:`);
  for (const { plan, status: s } of failed) {
    console.error(`  ${plan.id} ${s!.state}: ${(s!.error ?? "").split("\n")[0]}`);
  }
  console.error("rerun with --retry-failed to try them again");
  return 1;
}
