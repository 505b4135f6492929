/**
 * What Slurm says about array tasks: parsing `squeue` and `scontrol show
 * job`, and asking them. States come from these two, never from `sacct`
 * (clusters without accounting have none).
 *
 * @module
 */
import { describeOutput, slurmCommand, SlurmError } from "./slurm_command.ts";
import type { SlurmJobRecord } from "./slurm_records.ts";

/** One array task as Slurm reports it. */
export interface SlurmTask {
  jobId: string;
  index: number;
  /** Slurm's state: PENDING, RUNNING, COMPLETED, CANCELLED, TIMEOUT, FAILED, ... */
  state: string;
  /** Why it is pending (or how it ended), `None` when there is nothing to say. */
  reason: string;
  /** `ExitCode` of `scontrol show job` (`code:signal`), where known. */
  exitCode?: string;
  /** The job's name, where known. */
  name?: string;
}

/** States after which a task does nothing more. */
export const SLURM_ENDED_STATES = [
  "COMPLETED",
  "CANCELLED",
  "FAILED",
  "TIMEOUT",
  "NODE_FAIL",
  "PREEMPTED",
  "OUT_OF_MEMORY",
  "BOOT_FAIL",
  "DEADLINE",
  "REVOKED",
  "SPECIAL_EXIT",
];

/** Whether a task in this state may still run (pending, running, completing, ...). */
export function slurmActive(state: string): boolean {
  return !SLURM_ENDED_STATES.includes(state.replace(/[+ ].*$/, ""));
}

/** Array indices of `4`, `2-5`, `2-5%2`, `1,3-4`, `0-10:2`. */
export function expandIndices(spec: string): number[] {
  const out: number[] = [];
  for (const part of spec.replace(/%\d+$/, "").split(",")) {
    const m = /^(\d+)(?:-(\d+)(?::(\d+))?)?$/.exec(part.trim());
    if (!m) continue;
    const from = Number(m[1]);
    const to = m[2] !== undefined ? Number(m[2]) : from;
    const step = m[3] !== undefined ? Math.max(1, Number(m[3])) : 1;
    for (let i = from; i <= to; i += step) out.push(i);
  }
  return out;
}

/** Parses `squeue -h -r -o "%i|%T|%r|%j"` lines (`123_4|RUNNING|None|gan-k-steps`). */
export function parseSqueue(text: string): SlurmTask[] {
  const out: SlurmTask[] = [];
  for (const line of text.split("\n")) {
    const [id, state, reason, ...name] = line.trim().split("|");
    if (!id || !state) continue;
    const m = /^(\d+)_(\[?[\d,%:-]+\]?)$/.exec(id);
    if (!m) continue;
    for (const index of expandIndices(m[2].replace(/^\[|\]$/g, ""))) {
      out.push({
        jobId: m[1],
        index,
        state,
        reason: reason ?? "",
        ...(name.length ? { name: name.join("|") } : {}),
      });
    }
  }
  return out;
}

/** Parses `scontrol -o show job <id>`: one record per line, `Key=Value` words. */
export function parseScontrolJobs(text: string): SlurmTask[] {
  const out: SlurmTask[] = [];
  for (const line of text.split("\n")) {
    const fields: Record<string, string> = {};
    for (const word of line.trim().split(/\s+/)) {
      const eq = word.indexOf("=");
      if (eq > 0 && !(word.slice(0, eq) in fields)) fields[word.slice(0, eq)] = word.slice(eq + 1);
    }
    const jobId = fields.ArrayJobId ?? fields.JobId;
    if (!jobId || !fields.JobState) continue;
    const indices = fields.ArrayTaskId ? expandIndices(fields.ArrayTaskId) : [];
    for (const index of indices) {
      out.push({
        jobId,
        index,
        state: fields.JobState,
        reason: fields.Reason ?? "",
        exitCode: fields.ExitCode,
        ...(fields.JobName !== undefined ? { name: fields.JobName } : {}),
      });
    }
  }
  return out;
}

/** Whether Slurm's task belongs to the recorded job (not another job that reuses its id). */
export function taskOfRecord(task: SlurmTask, record: SlurmJobRecord): boolean {
  return task.jobId === record.jobId &&
    (task.name === undefined || record.jobName === undefined || task.name === record.jobName);
}

/**
 * The tasks of these jobs that Slurm still knows (pending, running, and
 * ended within its `MinJobAge`), from `squeue --states=all`. Tasks of jobs
 * it forgot are absent. Throws {@link SlurmError} when squeue is missing or
 * fails for another reason than unknown job ids.
 */
export async function queryTasks(jobIds: string[]): Promise<SlurmTask[]> {
  if (jobIds.length === 0) return [];
  const out = await slurmCommand("squeue", [
    "--noheader",
    "--array",
    "--states=all",
    `--jobs=${jobIds.join(",")}`,
    "--format=%i|%T|%r|%j",
  ]);
  if (out.code !== 0) {
    // Every id unknown (purged after MinJobAge): squeue says so and exits 1.
    if (/Invalid job id/i.test(out.stderr)) return [];
    throw new SlurmError(`squeue failed (exit ${out.code}):\n${describeOutput(out)}`);
  }
  return parseSqueue(out.stdout).filter((t) => jobIds.includes(t.jobId));
}

/**
 * Every task of one job as `scontrol show job` reports it, exit codes
 * included; empty when Slurm no longer knows the job.
 */
export async function showJob(jobId: string): Promise<SlurmTask[]> {
  const out = await slurmCommand("scontrol", ["--oneliner", "show", "job", jobId]);
  if (out.code !== 0) {
    if (/Invalid job id/i.test(out.stderr)) return [];
    throw new SlurmError(
      `scontrol show job ${jobId} failed (exit ${out.code}):\n${describeOutput(out)}`,
    );
  }
  return parseScontrolJobs(out.stdout).filter((t) => t.jobId === jobId);
}
