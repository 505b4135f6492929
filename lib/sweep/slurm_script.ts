/**
 * The sbatch array script of a Slurm sweep: one task per run, each `exec`ing
 * `lib/cli/run.ts --index $SLURM_ARRAY_TASK_ID` against the study's runs
 * directory.
 *
 * @module
 */
import { join } from "node:path";
import type { SlurmResources } from "../spec/slurm.ts";
import { PROJECT_ROOT } from "../runtime/backend.ts";
import { SINGLE_THREAD_ENV, WORKER_FLAGS } from "./scheduler.ts";
import { slurmDir } from "./slurm_records.ts";

/** Single-quotes a word for bash. */
export function shellQuote(word: string): string {
  return /^[A-Za-z0-9_@%+=:,./-]+$/.test(word) ? word : `'${word.replaceAll("'", `'\\''`)}'`;
}

/** `#SBATCH` option lines for the resources. */
export function resourceOptions(r: SlurmResources): string[] {
  const out: string[] = [];
  if (r.partition) out.push(`--partition=${r.partition}`);
  if (r.time) out.push(`--time=${r.time}`);
  if (r.mem) out.push(`--mem=${r.mem}`);
  if (r.cpusPerTask) out.push(`--cpus-per-task=${r.cpusPerTask}`);
  if (r.gpus) out.push(`--gres=gpu:${r.gpus}`);
  out.push(...(r.extra ?? []));
  return out;
}

/** `--array` of `n` tasks, at most `throttle` at once. */
export function arraySpec(n: number, throttle?: number): string {
  const range = n === 1 ? "0" : `0-${n - 1}`;
  return throttle !== undefined && throttle < n ? `${range}%${throttle}` : range;
}

/** What {@link renderScript} needs. */
export interface ScriptOptions {
  /** The study's name (the job is called `gan-<name>`). */
  name: string;
  /** The experiment file (absolute). */
  experiment: string;
  /** The output root of `--out` (absolute). */
  outRoot: string;
  /** The study's runs directory (absolute). */
  runsDir: string;
  /** Array tasks. */
  tasks: number;
  throttle?: number;
  resources: SlurmResources;
  backend: string;
  checkpointEvery: number;
  /** The Deno executable the tasks run (default: this one). */
  deno?: string;
  /** The project root (default: this checkout). */
  projectRoot?: string;
}

/** The Slurm job name of a study's arrays. */
export function jobName(study: string): string {
  return `gan-${study}`;
}

/** Permissions of an array task: those of `deno task run`. */
export const TASK_FLAGS = [...WORKER_FLAGS, "--allow-run"];

/**
 * The sbatch array script. Each task `exec`s Deno on `lib/cli/run.ts`
 * (what `deno task run` runs, without the task runner between Slurm and the
 * process, so scancel's and the time limit's SIGTERM reach it and it
 * checkpoints).
 */
export function renderScript(o: ScriptOptions): string {
  const root = o.projectRoot ?? PROJECT_ROOT;
  const deno = o.deno ?? Deno.execPath();
  const q = (s: string) => s.includes(" ") ? `"${s}"` : s;
  const options = [
    `--job-name=${jobName(o.name)}`,
    `--array=${arraySpec(o.tasks, o.throttle)}`,
    `--output=${q(join(slurmDir(o.runsDir), "%A_%a.log"))}`,
    "--open-mode=append",
    `--chdir=${q(root)}`,
    ...resourceOptions(o.resources),
  ];
  const env = { ...SINGLE_THREAD_ENV, NO_COLOR: "1", DENO_NO_UPDATE_CHECK: "1" };
  const command = [
    deno,
    "run",
    ...TASK_FLAGS,
    "--quiet",
    "--config",
    join(root, "deno.json"),
    join(root, "lib", "cli", "run.ts"),
    o.experiment,
  ].map(shellQuote).join(" ");
  const args = [
    "--out",
    o.outRoot,
    "--backend",
    o.backend,
    "--checkpoint-every",
    String(o.checkpointEvery),
  ].map(shellQuote).join(" ");
  return [
    "#!/bin/bash",
    ...options.map((opt) => `#SBATCH ${opt}`),
    "#",
    `# Written by \`deno task sweep ${o.experiment} --executor slurm\`. Task i trains the run`,
    `# runs[i] of ${join(slurmDir(o.runsDir), "$SLURM_ARRAY_JOB_ID.json")}: the same as`,
    `# \`deno task run ${o.experiment} --index i\`, resuming from the run's checkpoint.`,
    "set -eu",
    ...Object.entries(env).map(([k, v]) => `export ${k}=${shellQuote(v)}`),
    `exec ${command} \\`,
    `  --index "$SLURM_ARRAY_TASK_ID" --job "$SLURM_ARRAY_JOB_ID" ${args}`,
    "",
  ].join("\n");
}
