/**
 * Slurm resources of every task from the command line (`--partition`,
 * `--time`, ...) and their merge with the experiment file's `slurm` field.
 *
 * @module
 */
import { type Issue, validateValue } from "../spec/schema.ts";
import { SLURM_SCHEMA, type SlurmResources } from "../spec/slurm.ts";

/** The flags of {@link SlurmResources}, by field. */
export const SLURM_FLAGS = {
  partition: "partition",
  time: "time",
  mem: "mem",
  cpusPerTask: "cpus-per-task",
  gpus: "gpus",
  extra: "sbatch-arg",
} as const;

/**
 * Resources from command-line flag values (strings, as parsed): issues name
 * the flag (`--time`), the value and what is accepted.
 */
export function resourcesFromFlags(
  flags: {
    partition?: string;
    time?: string;
    mem?: string;
    cpusPerTask?: string;
    gpus?: string;
    extra?: string[];
  },
): { resources: SlurmResources; issues: Issue[] } {
  const raw: Record<string, unknown> = {};
  const issues: Issue[] = [];
  for (const key of ["partition", "time", "mem"] as const) {
    if (flags[key] !== undefined) raw[key] = flags[key];
  }
  for (const key of ["cpusPerTask", "gpus"] as const) {
    const v = flags[key];
    if (v === undefined) continue;
    raw[key] = /^-?\d+$/.test(v.trim()) ? Number(v) : v;
  }
  if (flags.extra?.length) raw.extra = flags.extra;
  const found: Issue[] = [];
  validateValue(raw, SLURM_SCHEMA, "", found);
  for (const i of found) {
    const [field] = i.path.split(/[.[]/);
    const flag = SLURM_FLAGS[field as keyof SlurmResources] ?? field;
    issues.push({ path: `--${flag}`, message: i.message });
  }
  return { resources: raw as SlurmResources, issues };
}

/** `base` with every field `over` sets replaced; `extra` lists are joined. */
export function mergeResources(base: SlurmResources, over: SlurmResources): SlurmResources {
  const out: SlurmResources = { ...base };
  for (const [k, v] of Object.entries(over)) {
    if (v !== undefined && k !== "extra") (out as Record<string, unknown>)[k] = v;
  }
  const extra = [...(base.extra ?? []), ...(over.extra ?? [])];
  if (extra.length) out.extra = extra;
  else delete out.extra;
  return out;
}
