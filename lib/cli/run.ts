/**
 * `deno task run <experiment.ts>`: trains one config of a study (its base,
 * with `--set path=value` overrides) for one seed, into the same run store
 * the sweep uses, and prints the final metrics. With `--index I`, trains run
 * I of a Slurm array job instead (what each task of `sweep --executor
 * slurm` runs). SIGTERM or Ctrl-C checkpoints and stops the run (exit 130);
 * rerunning resumes it from that checkpoint.
 *
 * @module
 */
import { hostname } from "node:os";
import { join } from "node:path";
import {
  expandRuns,
  loadExperiment,
  type RunPlan,
  SpecError,
  type SweepPoint,
  validateExperiment,
} from "../spec/mod.ts";
import { type BackendChoice, initBackend } from "../runtime/backend.ts";
import { readJson } from "../io/mod.ts";
import {
  classifyRun,
  executeRun,
  InSlurmError,
  type Lock,
  lockRunsHere,
  noteTaskAttempt,
  outputPaths,
  parseAssignment,
  planOfTask,
  readStatus,
  type RunFinal,
  SlurmError,
  type SlurmJobRecord,
  withStopSignals,
} from "../sweep/mod.ts";
import {
  checkStudy,
  LIMIT_FLAGS,
  maximaFromFlags,
  studyLimits,
  sweepSize,
} from "./_study_check.ts";
import {
  checkOutDir,
  displayPath,
  fmt,
  intFlag,
  OUT_FLAG,
  parseCommand,
  runMain,
  TRAIN_FLAGS,
  UsageError,
} from "./common.ts";

const USAGE = `usage: deno task run <experiment.ts> [--set path=value]... [--seed N] [--steps N]
                     [--out DIR] [--backend auto|tensorflow|wasm|cpu] [--checkpoint-every N]
       deno task run <experiment.ts> --index I [--job ID] [--out DIR] [--backend ...]
  e.g. deno task run experiments/k-steps.ts --set k=5 --set optimizer.lr=1e-4 --seed 3
  --index I   train run I of a Slurm array job (runs[I] of runs/<name>/slurm/<ID>.json);
              the job id from --job or $SLURM_ARRAY_JOB_ID
  --max-steps N  refuse a run of more than N iterations (default 1000000)
  --debug     print the stack of an error (a file-system fault is otherwise one line)
  SIGTERM or Ctrl-C writes a checkpoint and stops (exit 130); rerunning resumes from it.`;

/** The expand options of one run with `--steps`, within `--max-steps`. */
function sweepSizeChecked(
  single: Parameters<typeof sweepSize>[0],
  steps: string | undefined,
  maxima: ReturnType<typeof maximaFromFlags>,
): { steps?: number } {
  const expand = { steps: intFlag("steps", steps) };
  sweepSize(single, expand, maxima);
  return expand;
}

/** Entry point. */
export async function main(args: string[]): Promise<number> {
  const command = parseCommand(args, USAGE, {
    set: { type: "string", multiple: true, default: [] },
    seed: { type: "string" },
    steps: { type: "string" },
    ...OUT_FLAG,
    ...TRAIN_FLAGS,
    "max-steps": LIMIT_FLAGS["max-steps"],
    index: { type: "string" },
    job: { type: "string" },
  });
  if (!command) return 0;
  const { values, file } = command;
  const checkpointEvery = intFlag("checkpoint-every", values["checkpoint-every"], 0)!;
  const taskIndex = intFlag("index", values.index, 0);
  if (taskIndex === undefined && values.job !== undefined) {
    throw new UsageError("--job needs --index: the task of the job to run");
  }
  if (taskIndex !== undefined) {
    const clash = (["set", "seed", "steps"] as const).find((f) =>
      f === "set" ? values.set.length > 0 : values[f] !== undefined
    );
    if (clash) {
      throw new UsageError(
        `--${clash} cannot be combined with --index: the job record fixes the run's config`,
      );
    }
  }
  const exp = await loadExperiment(file);
  const runs = outputPaths(exp.name, values.out).runs;
  let plan: RunPlan;
  let lock: Lock | null = null;
  let record: SlurmJobRecord | null = null;
  if (taskIndex !== undefined) {
    const jobId = values.job ?? Deno.env.get("SLURM_ARRAY_JOB_ID");
    if (!jobId) {
      throw new UsageError(
        "--index needs the Slurm job: --job ID, or run inside an array task ($SLURM_ARRAY_JOB_ID)",
      );
    }
    try {
      ({ plan, record } = planOfTask(exp, runs, jobId, taskIndex));
    } catch (e) {
      if (e instanceof SlurmError) throw new UsageError(e.message);
      throw e;
    }
    console.log(
      `slurm job ${jobId} task ${taskIndex} on ${hostname()}: run ${plan.id} of ${exp.name}`,
    );
    const before = readStatus(join(runs, plan.id));
    // The sweep submitted it to run: only a finished run is left alone.
    if (before && classifyRun(before, { retryFailed: true }) === "finished") {
      console.log(`${plan.id} is already ${before.state}; nothing to do`);
      return 0;
    }
  } else {
    const seed = intFlag("seed", values.seed ?? "0", 0)!;
    const point: SweepPoint = Object.fromEntries(
      values.set.map((t) => parseAssignment("set", t)),
    );
    let single;
    try {
      const { axes: _axes, oversized: _oversized, ...spec } = exp;
      single = validateExperiment({ ...spec, sweep: [point], seeds: [seed] });
    } catch (e) {
      if (!(e instanceof SpecError)) throw e;
      const issues = e.issues.map((i) => ({
        ...i,
        path: i.path.replace(/^sweep\[0\]\["([^"]+)"\]/, "--set $1").replace(
          /^sweep\[0\]/,
          "--set",
        ),
      }));
      throw new SpecError(issues, file);
    }
    const maxima = maximaFromFlags(values);
    [plan] = expandRuns(single, sweepSizeChecked(single, values.steps, maxima));
    // One run on this machine: its bounds and its image data, before anything is written.
    checkStudy(file, single, [plan], [plan], studyLimits(maxima, 1), false);
    checkOutDir(values.out, [runs]);
  }
  const backend = await initBackend(values.backend as BackendChoice);
  console.log(`backend: ${backend.name} (${backend.reason})`);
  const dir = join(runs, plan.id);
  if (taskIndex === undefined) {
    // The same lock as a sweep: never train a run a sweep may be training,
    // nor one that a Slurm job may be training.
    try {
      lock = await lockRunsHere(runs, [plan.id], `deno task run ${file}`);
    } catch (e) {
      if (!(e instanceof InSlurmError)) throw e;
      const a = e.active.get(plan.id)!;
      throw new UsageError(
        `run ${plan.id} is task ${a.index} of Slurm job ${a.jobId} (${a.state}); wait for it ` +
          `or cancel it (scancel ${a.jobId}_${a.index}), then rerun`,
      );
    }
  } else if (record) {
    // One line per attempt in the run's worker.log, pointing at the task's output.
    noteTaskAttempt(dir, record, taskIndex);
  }
  console.log(`run ${plan.id} -> ${displayPath(dir)}`);
  // Slurm's scancel and time limit send SIGTERM, Ctrl-C sends SIGINT: checkpoint and stop.
  // A second signal exits at once (the last checkpoint stays).
  let stopping = false;
  const onSignal = (count: number) => {
    if (count > 1) Deno.exit(130);
    stopping = true;
    console.log("stopping: writing a checkpoint");
  };
  let status;
  try {
    status = await withStopSignals(onSignal, () =>
      executeRun(plan, dir, {
        backend,
        checkpointEvery,
        shouldStop: () => stopping,
        onEval: (row) =>
          console.log(`  step ${row.step}: d_loss=${fmt(row.d_loss)} g_loss=${fmt(row.g_loss)}`),
      }));
  } finally {
    lock?.release();
  }
  if (status.state === "queued") {
    console.log(`stopped at step ${status.step}: ${status.note ?? "interrupted"}`);
    return 130;
  }
  console.log(`${status.state} in ${fmt(status.seconds)} s`);
  if (status.state === "failed") {
    console.error(status.error);
    return 1;
  }
  const final = readJson<RunFinal>(join(dir, "final.json"));
  if (final) {
    for (const [k, v] of Object.entries(final.metrics)) console.log(`  ${k} = ${fmt(v)}`);
  }
  return 0;
}

if (import.meta.main) await runMain(() => main(Deno.args));
