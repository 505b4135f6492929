/**
 * The Slurm executor: a sweep as one sbatch array job, one task per
 * unfinished run. Each task runs `deno task run <experiment> --index
 * $SLURM_ARRAY_TASK_ID` against the same runs directory (a shared file
 * system), with the same atomic files, checkpoints and resume as a local
 * run.
 *
 * What a submission leaves in `runs/<name>/slurm/`: `<jobid>.json` (the job
 * record: the run id of every array index, the settings the tasks use),
 * `<jobid>.sbatch` (the script as submitted) and `<jobid>_<index>.log` (each
 * task's output). The job is submitted held, recorded, then released, so no
 * task starts before its record exists.
 *
 * Job states come from `squeue` and `scontrol show job`, never from `sacct`
 * (clusters without accounting have none), and the run files.
 *
 * @module
 */
import { existsSync, readdirSync, renameSync, rmSync } from "node:fs";
import { hostname } from "node:os";
import { join, resolve } from "node:path";
import type { ExpandOptions } from "../spec/mod.ts";
import { type Issue, validateValue } from "../spec/schema.ts";
import { PROJECT_ROOT } from "../runtime/backend.ts";
import { SINGLE_THREAD_ENV, WORKER_FLAGS } from "./scheduler.ts";
import { readJson, writeAtomic, writeJson } from "./store.ts";
import { SLURM_SCHEMA, type SlurmResources } from "../spec/slurm.ts";

export { SLURM_SCHEMA, type SlurmResources, validateSlurmResources } from "../spec/slurm.ts";

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

/** Slurm is missing, refused a request, or its answer could not be read. */
export class SlurmError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "SlurmError";
  }
}

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

/** What a Slurm command printed. */
interface CommandOutput {
  code: number;
  stdout: string;
  stderr: string;
}

const HINT =
  "install Slurm's client commands or run where they are (on this project's machines: scripts/slurm/start-local.sh)";

/** Runs a Slurm command; a missing command is a {@link SlurmError}. */
export async function slurmCommand(command: string, args: string[]): Promise<CommandOutput> {
  let out;
  try {
    out = await new Deno.Command(command, {
      args,
      stdin: "null",
      stdout: "piped",
      stderr: "piped",
    }).output();
  } catch (e) {
    if (e instanceof Deno.errors.NotFound) {
      throw new SlurmError(`${command} not found on PATH: --executor slurm needs it; ${HINT}`);
    }
    throw e;
  }
  const dec = new TextDecoder();
  return { code: out.code, stdout: dec.decode(out.stdout), stderr: dec.decode(out.stderr) };
}

function said(out: CommandOutput): string {
  return (out.stderr.trim() || out.stdout.trim() || `exit code ${out.code}`).split("\n")
    .map((l) => `  ${l}`).join("\n");
}

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
    throw new SlurmError(`sbatch refused the job array (exit ${sub.code}):\n${said(sub)}`);
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
      `scontrol release ${jobId} failed (exit ${rel.code}); the job was cancelled:\n${said(rel)}`,
    );
  }
  return record;
}

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
    throw new SlurmError(`squeue failed (exit ${out.code}):\n${said(out)}`);
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
    throw new SlurmError(`scontrol show job ${jobId} failed (exit ${out.code}):\n${said(out)}`);
  }
  return parseScontrolJobs(out.stdout).filter((t) => t.jobId === jobId);
}

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
): Promise<Map<string, { jobId: string; index: number; state: string }>> {
  const out = new Map<string, { jobId: string; index: number; state: string }>();
  if (readJobRecords(runsDir).length === 0) return out;
  for (const [id, s] of await slurmStateOfRuns(runsDir, ids)) {
    if (s.task && slurmActive(s.task.state)) {
      out.set(id, { jobId: s.record.jobId, index: s.index, state: s.task.state });
    }
  }
  return out;
}

/** Counts by state, e.g. `2 RUNNING, 1 PENDING`. */
export function countStates(states: string[]): string {
  const counts = new Map<string, number>();
  for (const s of states) counts.set(s, (counts.get(s) ?? 0) + 1);
  return [...counts].map(([k, v]) => `${v} ${k}`).join(", ");
}
