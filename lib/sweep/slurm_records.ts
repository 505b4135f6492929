/**
 * Job records: what a submission writes in `runs/<name>/slurm/<jobid>.json`
 * (the run id of every array index, the settings its tasks use), where a
 * study's Slurm files live, and reading the records back.
 *
 * @module
 */
import { existsSync, readdirSync } from "node:fs";
import { join } from "node:path";
import type { ExpandOptions } from "../spec/mod.ts";
import type { SlurmResources } from "../spec/slurm.ts";
import { readJson } from "../io/mod.ts";
import { SlurmError } from "./slurm_command.ts";

/** What a submission records in `runs/<name>/slurm/<jobid>.json`. */
export interface SlurmJobRecord {
  /** Slurm's job id of the array. */
  jobId: string;
  /** The job's name, `gan-<study>`: a job id Slurm reuses for another job is told apart by it. */
  jobName: string;
  /** ISO time of the submission. */
  submittedAt: string;
  /** Where it was submitted from. */
  host: string;
  /** The experiment file (absolute). */
  experiment: string;
  /** The `--steps`/`--seeds` of the sweep. */
  expand: ExpandOptions;
  /** The run id of array index i is `runs[i]`. */
  runs: string[];
  /** Backend every task asks for (`auto`, `tensorflow`, `wasm`, `cpu`). */
  backend: string;
  /** Checkpoint every this many iterations. */
  checkpointEvery: number;
  /** Tasks at once (`%N` of `--array`); absent: as many as Slurm gives. */
  throttle?: number;
  /** Resources of every task. */
  resources: SlurmResources;
  /** The sbatch script as submitted. */
  script: string;
  /** Output of task i: this pattern with `%a` replaced by i. */
  log: string;
}

/** `runs/<name>/slurm/`. */
export function slurmDir(runsDir: string): string {
  return join(runsDir, "slurm");
}

/** The job record of `jobId`. */
export function jobRecordPath(runsDir: string, jobId: string): string {
  return join(slurmDir(runsDir), `${jobId}.json`);
}

/** The output file of task `index` of a job. */
export function taskLogPath(record: SlurmJobRecord, index: number): string {
  return record.log.replace("%a", String(index));
}

/** Every job record of a study, oldest submission first. */
export function readJobRecords(runsDir: string): SlurmJobRecord[] {
  const dir = slurmDir(runsDir);
  if (!existsSync(dir)) return [];
  const out: SlurmJobRecord[] = [];
  for (const f of readdirSync(dir)) {
    if (!f.endsWith(".json")) continue;
    const r = readJson<SlurmJobRecord>(join(dir, f));
    if (r && typeof r.jobId === "string" && Array.isArray(r.runs)) out.push(r);
  }
  return out.sort((a, b) =>
    a.submittedAt.localeCompare(b.submittedAt) ||
    a.jobId.localeCompare(b.jobId, "en", { numeric: true })
  );
}

/** The run id of task `index` of job `jobId`, from its record. */
export function runOfTask(runsDir: string, jobId: string, index: number): string {
  const path = jobRecordPath(runsDir, jobId);
  const record = readJson<SlurmJobRecord>(path);
  if (!record) {
    throw new SlurmError(
      `--job ${jobId}: no job record ${path}; the job was submitted for another --out or study`,
    );
  }
  if (!Number.isInteger(index) || index < 0 || index >= record.runs.length) {
    throw new SlurmError(
      `--index ${index}: job ${jobId} has ${record.runs.length} tasks, indices 0 to ${
        record.runs.length - 1
      } (${path})`,
    );
  }
  return record.runs[index];
}
