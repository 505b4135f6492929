/**
 * Submitting a sweep's runs as one sbatch array job. The job is submitted
 * held, recorded (`runs/<name>/slurm/<jobid>.json` and `<jobid>.sbatch`),
 * then released, so no task starts before its record exists.
 *
 * @module
 */
import { renameSync, rmSync } from "node:fs";
import { hostname } from "node:os";
import { join, resolve } from "node:path";
import type { ExpandOptions } from "../spec/mod.ts";
import { writeAtomic, writeJson } from "../io/mod.ts";
import { describeOutput, slurmCommand, SlurmError } from "./slurm_command.ts";
import { jobRecordPath, slurmDir, type SlurmJobRecord } from "./slurm_records.ts";
import { jobName, renderScript, type ScriptOptions } from "./slurm_script.ts";

/** The job id in `sbatch --parsable` output (`123` or `123;cluster`). */
export function parseSbatchJobId(stdout: string): string {
  const line = stdout.trim().split("\n").pop() ?? "";
  const m = /^(\d+)(?:;\S+)?$/.exec(line.trim()) ?? /Submitted batch job (\d+)/.exec(stdout);
  if (!m) throw new SlurmError(`could not read a job id in sbatch's answer: ${stdout.trim()}`);
  return m[1];
}

/** What {@link submitArray} needs: the script's options, the runs and what to record. */
export interface SubmitOptions extends Omit<ScriptOptions, "tasks"> {
  /** One task per run id, in this order. */
  runs: string[];
  expand: ExpandOptions;
  /** Called while the job is held, after its record is written (e.g. to prepare run directories). */
  beforeRelease?(record: SlurmJobRecord): void;
}

/**
 * Submits the array: writes the script, `sbatch --parsable --hold`, writes
 * the job record, calls `beforeRelease`, then `scontrol release`. Throws {@link SlurmError} with
 * Slurm's own message when a command is missing or refuses (a job whose
 * record could not be written is cancelled).
 */
export async function submitArray(o: SubmitOptions): Promise<SlurmJobRecord> {
  if (o.runs.length === 0) throw new SlurmError("no runs to submit");
  const dir = slurmDir(o.runsDir);
  const script = renderScript({ ...o, tasks: o.runs.length });
  const draft = join(dir, `submit-${Date.now()}-${Deno.pid}.sbatch`);
  writeAtomic(draft, script);
  let sub;
  try {
    sub = await slurmCommand("sbatch", ["--parsable", "--hold", draft]);
  } catch (e) {
    rmSync(draft, { force: true });
    throw e;
  }
  if (sub.code !== 0) {
    rmSync(draft, { force: true });
    throw new SlurmError(
      `sbatch refused the job array (exit ${sub.code}):\n${describeOutput(sub)}`,
    );
  }
  const jobId = parseSbatchJobId(sub.stdout);
  const scriptPath = join(dir, `${jobId}.sbatch`);
  const record: SlurmJobRecord = {
    jobId,
    jobName: jobName(o.name),
    submittedAt: new Date().toISOString(),
    host: hostname(),
    experiment: resolve(o.experiment),
    expand: o.expand,
    runs: o.runs,
    backend: o.backend,
    checkpointEvery: o.checkpointEvery,
    ...(o.throttle !== undefined && o.throttle < o.runs.length ? { throttle: o.throttle } : {}),
    resources: o.resources,
    script: scriptPath,
    log: join(dir, `${jobId}_%a.log`),
  };
  try {
    renameSync(draft, scriptPath);
    writeJson(jobRecordPath(o.runsDir, jobId), record);
    o.beforeRelease?.(record);
  } catch (e) {
    await slurmCommand("scancel", [jobId]).catch(() => {});
    throw e;
  }
  const rel = await slurmCommand("scontrol", ["release", jobId]);
  if (rel.code !== 0) {
    await slurmCommand("scancel", [jobId]).catch(() => {});
    throw new SlurmError(
      `scontrol release ${jobId} failed (exit ${rel.code}); the job was cancelled:\n${
        describeOutput(rel)
      }`,
    );
  }
  return record;
}
