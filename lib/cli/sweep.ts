/**
 * `deno task sweep <experiment.ts>`: trains every run of a study that is
 * not finished, in parallel worker processes, then writes its report.
 * Rerunning skips finished runs and resumes unfinished ones from their last
 * checkpoint. With `--executor slurm`, submits the unfinished runs as one
 * sbatch array job instead (see `lib/sweep/slurm_sweep.ts`), and with `--wait`
 * follows it to its end.
 *
 * @module
 */
import { cpus } from "node:os";
import { join } from "node:path";
import { expandRuns, loadExperiment } from "../spec/mod.ts";
import { BACKEND_CHOICES } from "../runtime/backend.ts";
import {
  isFinished,
  mergeResources,
  outputPaths,
  readStatus,
  resourcesFromFlags,
  selectPlans,
  SlurmError,
} from "../sweep/mod.ts";
import type { SweepContext } from "./_sweep_context.ts";
import { dryRunLocal, printOversized, sweepLocal } from "./_sweep_local.ts";
import { sweepSlurm } from "./_sweep_slurm.ts";
import {
  checkStudy,
  LIMIT_FLAGS,
  maximaFromFlags,
  studyLimits,
  sweepSize,
  tooManyRuns,
} from "./_study_check.ts";
import {
  checkOutDir,
  EXPAND_FLAGS,
  expandFlags,
  intFlag,
  ONLY_FLAG,
  OUT_FLAG,
  parseCommand,
  parseDuration,
  runMain,
  TRAIN_FLAGS,
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
  --dry-run             list the runs, their ids and which are done, and estimate the wall
                        time; write nothing
  --max-runs N          refuse a sweep of more than N runs (default 10000)
  --max-steps N         refuse runs of more than N iterations (default 1000000)
  --keep-damaged        leave finished runs whose files are damaged alone (default: retrain them)
  --quiet               no progress output
  --no-report           do not write the report
  --debug               print the stack of an error (a file-system fault is otherwise one line)
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

/** Entry point. */
export async function main(args: string[]): Promise<number> {
  const command = parseCommand(args, USAGE, {
    ...EXPAND_FLAGS,
    ...ONLY_FLAG,
    ...OUT_FLAG,
    ...TRAIN_FLAGS,
    ...LIMIT_FLAGS,
    "keep-damaged": { type: "boolean", default: false },
    concurrency: { type: "string" },
    timeout: { type: "string" },
    retries: { type: "string" },
    "retry-failed": { type: "boolean", default: false },
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
  });
  if (!command) return 0;
  const { values, file } = command;
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
  const maxima = maximaFromFlags(values);
  const workers = concurrency ?? Math.max(1, cpus().length);
  const timeoutSec = parseDuration("timeout", values.timeout);
  const retries = intFlag("retries", values.retries ?? "1", 0)!;
  const pollSec = parseDuration("poll", values.poll) ?? 5;
  const exp = await loadExperiment(file, { maxPoints: maxima.maxRuns });
  const size = sweepSize(exp, expand, maxima);
  if (size.tooMany) {
    if (values["dry-run"]) {
      printOversized(exp, size, executor === "local" ? workers : null, values.backend);
    }
    throw tooManyRuns(file, size, maxima.maxRuns);
  }
  const all = expandRuns(exp, { ...expand, maxRuns: maxima.maxRuns });
  const plans = selectPlans(all, values.only);
  const paths = outputPaths(exp.name, values.out);
  checkOutDir(values.out);
  const slurmFlags = executor === "slurm"
    ? resourcesFromFlags({
      partition: values.partition,
      time: values.time,
      mem: values.mem,
      cpusPerTask: values["cpus-per-task"],
      gpus: values.gpus,
      extra: values["sbatch-arg"],
    })
    : null;
  if (slurmFlags?.issues.length) {
    throw new UsageError(slurmFlags.issues.map((i) => `${i.path}: ${i.message}`).join("\n"));
  }
  const resources = slurmFlags ? mergeResources(exp.slurm ?? {}, slurmFlags.resources) : null;
  // Everything about the study is checked before anything is written or trained.
  const toTrain = plans.filter((p) => {
    const s = readStatus(join(paths.runs, p.id));
    return !s || !isFinished(s.state);
  });
  checkStudy(
    file,
    exp,
    all,
    toTrain,
    studyLimits(maxima, executor === "local" ? workers : null, resources?.mem),
  );
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
    keepDamaged: values["keep-damaged"],
    checkpointEvery,
    concurrency,
    backend: values.backend,
  };
  if (resources) {
    // The experiment file's `slurm` field (validated with the experiment), flags over it.
    if (!values["dry-run"]) checkOutDir(values.out, [paths.runs]);
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
  if (values["dry-run"]) return dryRunLocal(ctx, workers);
  checkOutDir(values.out, [paths.runs]);
  return await sweepLocal(ctx, { concurrency: workers, timeoutSec, retries });
}

if (import.meta.main) await runMain(() => main(Deno.args));
