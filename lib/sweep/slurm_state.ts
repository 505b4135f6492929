/**
 * The Slurm state of a study's runs: each run's task in the latest job that
 * holds it (from the job records) and that task's state (from `squeue`).
 *
 * @module
 */
import type { ActiveSlurmTask } from "./classify.ts";
import { readJobRecords, type SlurmJobRecord } from "./slurm_records.ts";
import { queryTasks, slurmActive, type SlurmTask, taskOfRecord } from "./slurm_queue.ts";
import { SlurmError } from "./slurm_command.ts";

/** A run's place in the latest job that holds it. */
export interface RunSlurmState {
  record: SlurmJobRecord;
  index: number;
  /** Null when Slurm no longer knows the task (ended long ago, or another cluster). */
  task: SlurmTask | null;
}

/**
 * For each run id, its task in the latest job that holds it and that task's
 * Slurm state. Queries only the latest job of each run.
 */
export async function slurmStateOfRuns(
  runsDir: string,
  ids: string[],
): Promise<Map<string, RunSlurmState>> {
  const latest = new Map<string, { record: SlurmJobRecord; index: number }>();
  const wanted = new Set(ids);
  for (const record of readJobRecords(runsDir)) {
    record.runs.forEach((id, index) => {
      if (wanted.has(id)) latest.set(id, { record, index });
    });
  }
  const jobIds = [...new Set([...latest.values()].map((l) => l.record.jobId))];
  const tasks = await queryTasks(jobIds);
  const byKey = new Map(tasks.map((t) => [`${t.jobId}_${t.index}`, t]));
  const out = new Map<string, RunSlurmState>();
  for (const [id, l] of latest) {
    const task = byKey.get(`${l.record.jobId}_${l.index}`);
    out.set(id, { ...l, task: task && taskOfRecord(task, l.record) ? task : null });
  }
  return out;
}

/**
 * Runs of `ids` that sit in a job Slurm may still run (pending, running,
 * completing), with that job's id and the task's state.
 */
export async function activeSlurmRuns(
  runsDir: string,
  ids: string[],
): Promise<Map<string, ActiveSlurmTask>> {
  const out = new Map<string, ActiveSlurmTask>();
  if (readJobRecords(runsDir).length === 0) return out;
  for (const [id, s] of await slurmStateOfRuns(runsDir, ids)) {
    if (s.task && slurmActive(s.task.state)) {
      out.set(id, { jobId: s.record.jobId, index: s.index, state: s.task.state });
    }
  }
  return out;
}

/**
 * {@link activeSlurmRuns}, or none where Slurm cannot be asked (no squeue
 * here: no Slurm job can be running these runs from here).
 */
export async function activeSlurmRunsIfKnown(
  runsDir: string,
  ids: string[],
): Promise<Map<string, ActiveSlurmTask>> {
  try {
    return await activeSlurmRuns(runsDir, ids);
  } catch (e) {
    if (!(e instanceof SlurmError)) throw e;
    return new Map();
  }
}
