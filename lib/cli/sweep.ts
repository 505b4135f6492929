/**
 * `deno task sweep <experiment.ts>`: trains every run of a study that is
 * not finished, in parallel worker processes, then writes its report.
 * Rerunning skips finished runs and resumes unfinished ones from their last
 * checkpoint. With `--executor slurm`, submits the unfinished runs as one
 * sbatch array job instead (see `lib/sweep/slurm.ts`), and with `--wait`
 * follows it to its end.
 *
 * @module
 */
import { cpus } from "node:os";
import { join, resolve } from "node:path";
import {
  type ExpandOptions,
  expandRuns,
  type Experiment,
  loadExperiment,
  type RunPlan,
} from "../spec/mod.ts";
import type { SlurmResources } from "../spec/slurm.ts";
import { BACKEND_CHOICES, type BackendChoice, initBackend } from "../runtime/backend.ts";
import {
  acquireLock,
  classifyPlans,
  isFailed,
  isFinished,
  type OutputPaths,
  outputPaths,
  planLabel,
  prepareRun,
  Progress,
  Scheduler,
  selectPlans,
  writeJson,
} from "../sweep/mod.ts";
import {
  activeSlurmRuns,
  mergeResources,
  readJobRecords,
  renderScript,
  resourcesFromFlags,
  SlurmError,
  type SlurmJobRecord,
  submitArray,
} from "../sweep/mod.ts";
import { type FollowTarget, followTasks } from "../sweep/mod.ts";
import { writeStudyReport } from "./_study_report.ts";
import {
  displayPath,
  expandFlags,
  experimentArg,
  intFlag,
  parseFlags,
  runMain,
  UsageError,
} from "./common.ts";

const USAGE = `usage: deno task sweep <experiment.ts> [options]
  --steps N             override steps in every run (a smoke run; changes run ids)
  --seeds N             use the first N seeds (0..N-1 if the file lists fewer)
  --full                the experiment's full-length protocol (its "full" field)
  --only PATH=VALUE     only runs whose config has this value (repeatable), e.g. --only k=5
  --out DIR             write DIR/runs/<name>/ and DIR/reports/<name>/ (default .)
  --backend NAME        auto | tensorflow | wasm | cpu (default auto)
  --concurrency N       worker processes at once (default: the number of cores);
                        with --executor slurm, array tasks at once (default: no limit)
  --timeout T           kill a run attempt after T (e.g. 900, 90s, 15m, 2h); default none
  --retries N           extra attempts for a failed or timed-out run (default 1)
  --retry-failed        also rerun runs that failed or timed out in an earlier sweep
  --checkpoint-every N  checkpoint every N iterations (default 100)
  --dry-run             list the runs, their ids and which are done; write nothing
  --quiet               no progress output
  --no-report           do not write the report
  --executor NAME       local (worker processes here, the default) | slurm (an sbatch array)
Slurm (--executor slurm; defaults from the experiment file's slurm field):
  --partition P         partition of every task
  --time T              time limit per task, e.g. 30 (minutes), 2:00:00, 1-12:00:00
  --mem M               memory per task, e.g. 4G
  --cpus-per-task N     cores per task
  --gpus N              GPUs per task (--gres=gpu:N)
  --sbatch-arg OPT      one more sbatch option, e.g. --sbatch-arg=--account=lab (repeatable)
  --wait                follow the job with progress until it ends, then write the report
  --poll T              how often --wait asks squeue (default 5s)`;

/** Parses a duration: seconds, or a number with s, m or h. */
export function parseDuration(flag: string, text: string | undefined): number | undefined {
  if (text === undefined) return undefined;
  const m = /^(\d+(?:\.\d+)?)(s|m|h)?$/.exec(text.trim());
  if (!m || Number(m[1]) <= 0) {
    throw new UsageError(
      `--${flag}: got "${text}", expected a duration such as 900, 90s, 15m or 2h`,
    );
  }
  return Number(m[1]) * ({ s: 1, m: 60, h: 3600 }[m[2] as "s" | "m" | "h"] ?? 1);
}

function dryRun(plans: RunPlan[], runsDir: string, retryFailed: boolean): number {
  const counts: Record<string, number> = {};
  let todo = 0;
  for (const { plan, status: s, kind } of classifyPlans(plans, runsDir, { retryFailed })) {
    const state = s?.state ?? "new";
    counts[state] = (counts[state] ?? 0) + 1;
    if (kind === "run") todo++;
    const step = s?.step !== undefined ? ` step ${s.step}/${plan.config.steps}` : "";
    console.log(`${state.padEnd(8)} ${planLabel(plan)}${step}`);
  }
  console.log(
    `${plans.length} runs: ${
      Object.entries(counts).map(([k, v]) => `${v} ${k}`).join(", ")
    }; a sweep would run ${todo} (dry run: nothing written)`,
  );
  return 0;
}

/** The parsed flags of a sweep. */
interface SweepContext {
  file: string;
  exp: Experiment;
  all: RunPlan[];
  plans: RunPlan[];
  paths: OutputPaths;
  expand: ExpandOptions;
  quiet: boolean;
  noReport: boolean;
  retryFailed: boolean;
  checkpointEvery: number;
  concurrency?: number;
  backend: string;
}

/** Entry point. */
export async function main(args: string[]): Promise<number> {
  const { values, positionals } = parseFlags(args, {
    steps: { type: "string" },
    seeds: { type: "string" },
    full: { type: "boolean", default: false },
    only: { type: "string", multiple: true, default: [] },
    out: { type: "string", default: "." },
    backend: { type: "string", default: "auto" },
    concurrency: { type: "string" },
    timeout: { type: "string" },
    retries: { type: "string" },
    "retry-failed": { type: "boolean", default: false },
    "checkpoint-every": { type: "string", default: "100" },
    "dry-run": { type: "boolean", default: false },
    quiet: { type: "boolean", default: false },
    "no-report": { type: "boolean", default: false },
    executor: { type: "string", default: "local" },
    partition: { type: "string" },
    time: { type: "string" },
    mem: { type: "string" },
    "cpus-per-task": { type: "string" },
    gpus: { type: "string" },
    "sbatch-arg": { type: "string", multiple: true, default: [] },
    wait: { type: "boolean", default: false },
    poll: { type: "string" },
    help: { type: "boolean", short: "h", default: false },
  });
  if (values.help) {
    console.log(USAGE);
    return 0;
  }
  const file = experimentArg(positionals, USAGE);
  const executor = values.executor;
  if (executor !== "local" && executor !== "slurm") {
    throw new UsageError(`--executor: got "${executor}", expected local or slurm`);
  }
  const slurmOnly = [
    "partition",
    "time",
    "mem",
    "cpus-per-task",
    "gpus",
    "wait",
    "poll",
  ] as const;
  if (executor === "local") {
    const given: string[] = slurmOnly.filter((f) => values[f] !== undefined && values[f] !== false);
    if (values["sbatch-arg"].length) given.push("sbatch-arg");
    if (given.length) {
      throw new UsageError(
        `--${given[0]} applies to --executor slurm; add --executor slurm or drop it`,
      );
    }
  } else {
    if (values.timeout !== undefined) {
      throw new UsageError(
        "--timeout applies to --executor local; with --executor slurm, set a time limit per task with --time (e.g. --time 2:00:00)",
      );
    }
    if (values.retries !== undefined) {
      throw new UsageError(
        "--retries applies to --executor local; with --executor slurm, rerun the sweep (add --retry-failed for failed runs)",
      );
    }
  }
  if (!(BACKEND_CHOICES as readonly string[]).includes(values.backend)) {
    throw new UsageError(
      `--backend: got "${values.backend}", expected one of ${BACKEND_CHOICES.join(", ")}`,
    );
  }
  const expand = expandFlags(values);
  const concurrency = intFlag("concurrency", values.concurrency);
  const checkpointEvery = intFlag("checkpoint-every", values["checkpoint-every"], 0)!;
  const exp = await loadExperiment(file);
  const all = expandRuns(exp, expand);
  const plans = selectPlans(all, values.only);
  const paths = outputPaths(exp.name, values.out);
  const ctx: SweepContext = {
    file,
    exp,
    all,
    plans,
    paths,
    expand,
    quiet: values.quiet,
    noReport: values["no-report"],
    retryFailed: values["retry-failed"],
    checkpointEvery,
    concurrency,
    backend: values.backend,
  };
  if (executor === "slurm") {
    const fromFlags = resourcesFromFlags({
      partition: values.partition,
      time: values.time,
      mem: values.mem,
      cpusPerTask: values["cpus-per-task"],
      gpus: values.gpus,
      extra: values["sbatch-arg"],
    });
    if (fromFlags.issues.length) {
      throw new UsageError(fromFlags.issues.map((i) => `${i.path}: ${i.message}`).join("\n"));
    }
    // The experiment file's `slurm` field (validated with the experiment).
    const resources = mergeResources(exp.slurm ?? {}, fromFlags.resources);
    const pollSec = parseDuration("poll", values.poll) ?? 5;
    try {
      return await sweepSlurm(ctx, {
        resources,
        wait: values.wait,
        pollMs: pollSec * 1000,
        dryRun: values["dry-run"],
      });
    } catch (e) {
      // Slurm missing or refusing: Slurm's own message, exit 2 (bad input or setup).
      if (e instanceof SlurmError) throw new UsageError(e.message);
      throw e;
    }
  }
  if (values["dry-run"]) return dryRun(plans, paths.runs, values["retry-failed"]);
  return await sweepLocal(ctx, {
    concurrency: concurrency ?? Math.max(1, cpus().length),
    timeoutSec: parseDuration("timeout", values.timeout),
    retries: intFlag("retries", values.retries ?? "1", 0)!,
  });
}

async function sweepLocal(
  ctx: SweepContext,
  o: { concurrency: number; timeoutSec?: number; retries: number },
): Promise<number> {
  const { file, exp, all, plans, paths, expand } = ctx;
  const backend = await initBackend(ctx.backend as BackendChoice);
  const lock = acquireLock(paths.runs, `deno task sweep ${file}`);
  let active;
  try {
    active = await activeSlurmRuns(paths.runs, plans.map((p) => p.id));
  } catch (e) {
    if (!(e instanceof SlurmError)) throw e;
    active = new Map(); // no squeue here: no Slurm job can be running these runs from here
  }
  if (active.size) {
    lock.release();
    const jobs = [...new Set([...active.values()].map((a) => a.jobId))];
    throw new UsageError(
      `${active.size} run(s) of ${displayPath(paths.runs)} are in Slurm job(s) ${
        jobs.join(", ")
      } that may still run them (${
        [...active].slice(0, 3).map(([id, a]) => `${id}: ${a.jobId}_${a.index} ${a.state}`).join(
          ", ",
        )
      }); wait for the job to end (deno task status ${file}) or cancel it (scancel ${
        jobs.join(" ")
      }), then rerun`,
    );
  }
  const mode = ctx.quiet ? "quiet" : Deno.stdout.isTerminal() ? "tty" : "lines";
  const progress = new Progress(mode, plans.length);
  const log = (s: string) => progress.log(s);
  if (lock.tookOverFrom) {
    log(`took over a stale lock of process ${lock.tookOverFrom.pid} (no longer running)`);
  }
  log(`backend: ${backend.name} (${backend.reason})`);
  log(
    `${exp.name}: ${plans.length} runs, ${o.concurrency} worker(s) -> ${displayPath(paths.runs)}`,
  );
  // The report finds the runs of the last sweep through this file.
  writeJson(paths.sweepFile, { expand, runs: all.map((p) => p.id) });

  const scheduler = new Scheduler(paths.runs, {
    backend: backend.name,
    concurrency: o.concurrency,
    timeoutSec: o.timeoutSec,
    retries: o.retries,
    retryFailed: ctx.retryFailed,
    checkpointEvery: ctx.checkpointEvery,
    events: progress.events,
  });
  let interrupts = 0;
  const onInterrupt = () => {
    interrupts++;
    if (interrupts === 1) {
      log("stopping: running runs checkpoint and exit; Ctrl-C again to kill them now");
      scheduler.stop(true);
    } else {
      log("killing running runs");
      scheduler.stop(false);
    }
  };
  Deno.addSignalListener("SIGINT", onInterrupt);
  Deno.addSignalListener("SIGTERM", onInterrupt);
  const t0 = performance.now();
  let result;
  try {
    result = await scheduler.run(plans);
  } finally {
    Deno.removeSignalListener("SIGINT", onInterrupt);
    Deno.removeSignalListener("SIGTERM", onInterrupt);
    lock.release();
  }
  progress.finish();
  const seconds = (performance.now() - t0) / 1000;
  const counts: Record<string, number> = {};
  for (const s of Object.values(result.states)) counts[s] = (counts[s] ?? 0) + 1;
  const say = ctx.quiet ? () => {} : console.log;
  say(
    `sweep ${result.interrupted ? "interrupted" : "finished"} in ${seconds.toFixed(1)} s: ${
      Object.entries(counts).map(([k, v]) => `${v} ${k}`).join(", ")
    } (${result.ran} ran, ${result.skipped} skipped)`,
  );
  if (result.interrupted) {
    say("rerun the same command to continue from the checkpoints");
    return 130;
  }
  if (!ctx.noReport) await report(ctx, say);
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

async function report(ctx: SweepContext, say: (s: string) => void): Promise<void> {
  const r = await writeStudyReport(ctx.exp, ctx.all, ctx.paths);
  say(`report: ${displayPath(ctx.paths.reports)}/ (${r.files.length} files)`);
  for (const c of r.claims) say(`  ${c.id}: ${c.verdict} (${c.evidence.split(". ")[0]})`);
}

/**
 * The Slurm executor: submits every run that is not finished (nor in a
 * Slurm job that may still run it) as one array job; with `--wait`,
 * follows that job and the ones already running the study's runs.
 */
async function sweepSlurm(
  ctx: SweepContext,
  o: { resources: SlurmResources; wait: boolean; pollMs: number; dryRun: boolean },
): Promise<number> {
  const { file, exp, all, plans, paths, expand } = ctx;
  const say = ctx.quiet ? () => {} : console.log;
  const mode = ctx.quiet ? "quiet" : Deno.stdout.isTerminal() ? "tty" : "lines";
  const progress = new Progress(mode, plans.length);
  // The lock keeps a local sweep out while we read states and submit.
  const lock = o.dryRun
    ? null
    : acquireLock(paths.runs, `deno task sweep ${file} --executor slurm`);
  const todo: RunPlan[] = [];
  const following: FollowTarget[] = [];
  let record: SlurmJobRecord | null = null;
  try {
    if (lock?.tookOverFrom) {
      say(`took over a stale lock of process ${lock.tookOverFrom.pid} (no longer running)`);
    }
    const active = await activeSlurmRuns(paths.runs, plans.map((p) => p.id));
    const records = new Map(readJobRecords(paths.runs).map((r) => [r.jobId, r]));
    const counts: Record<string, number> = {};
    const classified = classifyPlans(plans, paths.runs, { retryFailed: ctx.retryFailed }, active);
    for (const { plan, status: s, kind, slurm: inJob } of classified) {
      const state = s?.state ?? "new";
      counts[state] = (counts[state] ?? 0) + 1;
      if (s && kind === "finished") {
        if (o.dryRun) say(`skip ${plan.id}: already ${s.state}`);
        else progress.events.onSkip?.(plan, s);
      } else if (s && kind === "failed") {
        say(`skip ${plan.id}: ${s.state} in an earlier sweep (--retry-failed reruns it)`);
        if (!o.dryRun) progress.events.onSkip?.(plan, s);
      } else if (inJob) {
        say(`skip ${plan.id}: in Slurm job ${inJob.jobId} as task ${inJob.index} (${inJob.state})`);
        following.push({ plan, record: records.get(inJob.jobId)!, index: inJob.index });
      } else {
        todo.push(plan);
        if (o.dryRun) say(`submit ${planLabel(plan)}`);
      }
    }
    if (o.dryRun) {
      say(
        `${plans.length} runs: ${
          Object.entries(counts).map(([k, v]) => `${v} ${k}`).join(", ")
        }; would submit an array of ${todo.length} task(s) (dry run: nothing written)`,
      );
      if (todo.length) {
        say("the sbatch script (JOBID is the job id sbatch gives):");
        say(
          renderScript({
            name: exp.name,
            experiment: resolve(file),
            outRoot: paths.root,
            runsDir: paths.runs,
            tasks: todo.length,
            throttle: ctx.concurrency,
            resources: o.resources,
            backend: ctx.backend,
            checkpointEvery: ctx.checkpointEvery,
          }).replaceAll("$SLURM_ARRAY_JOB_ID.json", "JOBID.json"),
        );
      }
      return 0;
    }
    writeJson(paths.sweepFile, { expand, runs: all.map((p) => p.id) });
    if (todo.length) {
      record = await submitArray({
        name: exp.name,
        experiment: resolve(file),
        outRoot: paths.root,
        runsDir: paths.runs,
        runs: todo.map((p) => p.id),
        expand,
        throttle: ctx.concurrency,
        resources: o.resources,
        backend: ctx.backend,
        checkpointEvery: ctx.checkpointEvery,
        beforeRelease: () => {
          for (const plan of todo) prepareRun(plan, join(paths.runs, plan.id));
        },
      });
      const r = record;
      todo.forEach((plan, index) => following.push({ plan, record: r, index }));
    }
  } finally {
    lock?.release();
  }
  if (record) {
    say(
      `${exp.name}: submitted Slurm job ${record.jobId}: ${record.runs.length} task(s)${
        record.throttle ? `, at most ${record.throttle} at once` : ""
      } -> ${displayPath(paths.runs)}`,
    );
    say(
      `  job record ${displayPath(join(paths.runs, "slurm", `${record.jobId}.json`))}, logs ${
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
    if (!ctx.noReport) await report(ctx, say);
    return finishedExit(ctx);
  }

  // --wait: follow every task that may still run one of our runs.
  const stop = new AbortController();
  const onInterrupt = () => stop.abort();
  Deno.addSignalListener("SIGINT", onInterrupt);
  Deno.addSignalListener("SIGTERM", onInterrupt);
  const t0 = performance.now();
  let result;
  try {
    result = await followTasks(paths.runs, following, {
      intervalMs: o.pollMs,
      events: progress.events,
      onJobs: (line) => progress.log(line),
      signal: stop.signal,
    });
  } finally {
    Deno.removeSignalListener("SIGINT", onInterrupt);
    Deno.removeSignalListener("SIGTERM", onInterrupt);
    progress.finish();
  }
  const jobs = [...new Set(following.map((f) => f.record.jobId))].join(" ");
  if (result.interrupted) {
    say(`stopped following; the Slurm job(s) go on: deno task status ${file}, scancel ${jobs}`);
    return 130;
  }
  const seconds = (performance.now() - t0) / 1000;
  const states: Record<string, number> = {};
  for (const r of result.runs) states[r.state] = (states[r.state] ?? 0) + 1;
  say(
    `Slurm job(s) ${jobs} ended after ${seconds.toFixed(1)} s: ${
      Object.entries(states).map(([k, v]) => `${v} ${k}`).join(", ")
    }`,
  );
  if (!ctx.noReport) await report(ctx, say);
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

if (import.meta.main) await runMain(() => main(Deno.args));
