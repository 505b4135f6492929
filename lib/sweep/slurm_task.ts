/**
 * One task of a Slurm array job (`deno task run <experiment> --index I`):
 * which run it trains, found through the job record, and the line each of
 * its attempts leaves in the run's `worker.log`.
 *
 * @module
 */
import { appendFileSync, mkdirSync } from "node:fs";
import { hostname } from "node:os";
import { join } from "node:path";
import { expandRuns, type Experiment, type RunConfig, runId, type RunPlan } from "../spec/mod.ts";
import { readJson } from "../io/mod.ts";
import { runPaths } from "./store.ts";
import { SlurmError } from "./slurm_command.ts";
import { jobRecordPath, runOfTask, type SlurmJobRecord, taskLogPath } from "./slurm_records.ts";

/** The plan of run `id` from its directory's config (written when the sweep submitted it). */
function planOfRunDir(dir: string, id: string): RunPlan | null {
  const config = readJson<RunConfig>(runPaths(dir).config);
  if (!config || runId(config) !== id) return null;
  return { id, configId: id.replace(/-s\d+$/, ""), seed: config.seed, point: {}, config };
}

/**
 * The run of array task `index` of job `jobId`: its plan, from the
 * experiment as the job record expanded it, or, where the experiment file
 * changed since the submission, from the run directory's config. Throws
 * {@link SlurmError} when neither has it.
 */
export function planOfTask(
  exp: Experiment,
  runsDir: string,
  jobId: string,
  index: number,
): { plan: RunPlan; record: SlurmJobRecord } {
  const id = runOfTask(runsDir, jobId, index);
  const record = readJson<SlurmJobRecord>(jobRecordPath(runsDir, jobId))!;
  const fromExp = expandRuns(exp, record.expand).find((p) => p.id === id);
  if (fromExp) return { plan: fromExp, record };
  // The experiment file changed since the submission: the run directory still says what to train.
  const fromDir = planOfRunDir(join(runsDir, id), id);
  if (fromDir) return { plan: fromDir, record };
  throw new SlurmError(
    `--index ${index}: run ${id} of job ${jobId} is neither in the experiment file any more ` +
      `nor has ${join(runsDir, id, "config.json")}`,
  );
}

/**
 * Appends one line per attempt of task `index` to the run's `worker.log`,
 * pointing at the task's output. Best effort: the log is a convenience.
 */
export function noteTaskAttempt(dir: string, record: SlurmJobRecord, index: number): void {
  try {
    mkdirSync(dir, { recursive: true });
    appendFileSync(
      runPaths(dir).log,
      `--- slurm job ${record.jobId} task ${index} on ${hostname()} at ${
        new Date().toISOString()
      }; output in ${taskLogPath(record, index)}\n`,
    );
  } catch {
    // the log is a convenience
  }
}
