/**
 * Taking a study's runs for training on this machine: the lock on its runs
 * directory, refused while a Slurm job may still run one of the runs (a
 * task there and a worker here would write the same run).
 *
 * @module
 */
import type { ActiveSlurmTask } from "./classify.ts";
import { acquireLock, type Lock } from "./lock.ts";
import { activeSlurmRunsIfKnown } from "./slurm_state.ts";

/** Runs to train here sit in Slurm jobs that may still run them. */
export class InSlurmError extends Error {
  /** Each such run's task, by run id. */
  readonly active: ReadonlyMap<string, ActiveSlurmTask>;
  /** The ids of their jobs, each once. */
  readonly jobIds: string[];
  constructor(runsDir: string, active: ReadonlyMap<string, ActiveSlurmTask>) {
    const jobIds = [...new Set([...active.values()].map((a) => a.jobId))];
    super(`${active.size} run(s) of ${runsDir} are in Slurm job(s) ${jobIds.join(", ")}`);
    this.name = "InSlurmError";
    this.active = active;
    this.jobIds = jobIds;
  }
}

/**
 * Takes the lock of `runsDir` for `holder` (the command, for the lock
 * file), then makes sure no Slurm job may still run one of `ids` (where
 * Slurm can be asked). Throws `LockError` when another process holds
 * the lock and {@link InSlurmError} (the lock released) when a job holds a
 * run.
 */
export async function lockRunsHere(runsDir: string, ids: string[], holder: string): Promise<Lock> {
  const lock = acquireLock(runsDir, holder);
  try {
    const active = await activeSlurmRunsIfKnown(runsDir, ids);
    if (active.size) throw new InSlurmError(runsDir, active);
  } catch (e) {
    lock.release();
    throw e;
  }
  return lock;
}
