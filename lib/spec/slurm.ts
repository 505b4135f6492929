/**
 * The `slurm` field of an experiment file: Slurm resources of every array
 * task of `sweep --executor slurm`. Depends on `lib/spec/schema.ts` only,
 * so the experiment schema can validate the field with it.
 *
 * @module
 */
import { type Issue, type Schema, validateValue } from "./schema.ts";

/**
 * Slurm resources of every array task: the `slurm` field of an experiment
 * file, or the sweep's flags (`--partition`, `--time`, `--mem`,
 * `--cpus-per-task`, `--gpus`, `--sbatch-arg`), flags winning.
 */
export interface SlurmResources {
  /** `--partition`: one partition or a comma-separated list. */
  partition?: string;
  /** `--time`: a Slurm time limit per task, e.g. `30` (minutes), `2:00:00`, `1-12:00:00`. */
  time?: string;
  /** `--mem`: memory per task, e.g. `4G`, `500M`, `16000` (megabytes). */
  mem?: string;
  /** `--cpus-per-task`. */
  cpusPerTask?: number;
  /** GPUs per task, as `--gres=gpu:N` (0: none). */
  gpus?: number;
  /** More sbatch options, one per item, e.g. `["--account=lab", "--qos=short"]`. */
  extra?: string[];
}

const TIME =
  /^(?:\d+|\d+:\d{1,2}|\d+:\d{1,2}:\d{1,2}|\d+-\d{1,2}|\d+-\d{1,2}:\d{1,2}|\d+-\d{1,2}:\d{1,2}:\d{1,2}|UNLIMITED|INFINITE)$/;

/**
 * The schema of {@link SlurmResources}, for `validateValue` of
 * `lib/spec/schema.ts`: every field optional, unknown fields named with a
 * "did you mean".
 */
export const SLURM_SCHEMA: Schema = {
  kind: "object",
  optional: ["partition", "time", "mem", "cpusPerTask", "gpus", "extra"],
  fields: {
    partition: {
      kind: "string",
      pattern: /^[A-Za-z0-9_.-]+(?:,[A-Za-z0-9_.-]+)*$/,
      hint: 'a partition name or a comma-separated list, e.g. "gpu"',
    },
    time: {
      kind: "string",
      pattern: TIME,
      hint: 'a Slurm time limit such as "30" (minutes), "45:00", "2:00:00" or "1-12:00:00"',
    },
    mem: {
      kind: "string",
      pattern: /^\d+[KMGT]?$/i,
      hint: 'memory per task such as "4G", "500M" or "16000" (megabytes)',
    },
    cpusPerTask: { kind: "int", min: 1 },
    gpus: { kind: "int", min: 0 },
    extra: {
      kind: "array",
      of: {
        kind: "string",
        pattern: /^--?[A-Za-z][^\n\r]*$/,
        hint: 'one sbatch option per item, e.g. "--account=lab"',
      },
    },
  },
};

/**
 * Validates the `slurm` field of an experiment file. Returns one issue per
 * problem (path such as `slurm.time`, the value, what is accepted); none
 * when `value` is undefined.
 */
export function validateSlurmResources(value: unknown, path = "slurm"): Issue[] {
  const issues: Issue[] = [];
  if (value !== undefined) validateValue(value, SLURM_SCHEMA, path, issues);
  return issues;
}
