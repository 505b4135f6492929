/**
 * `deno task status <experiment.ts>`: a table of the study's runs and their
 * states. Where the study was submitted to Slurm (`sweep --executor
 * slurm`), a `slurm` column gives each run's task in its latest job and
 * that task's state from `squeue`. Exits 1 while any run failed or timed
 * out.
 *
 * @module
 */
import { expandRuns, loadExperiment } from "../spec/mod.ts";
import { classifyPlans, outputPaths, selectPlans } from "../sweep/mod.ts";
import {
  countStates,
  readJobRecords,
  type RunSlurmState,
  SlurmError,
  slurmStateOfRuns,
} from "../sweep/mod.ts";
import { EXPAND_FLAGS, expandFlags, ONLY_FLAG, OUT_FLAG, parseCommand, runMain } from "./common.ts";

const USAGE =
  `usage: deno task status <experiment.ts> [--steps N] [--seeds N] [--full] [--only PATH=VALUE] [--out DIR]
  by default for the --steps/--seeds of the last sweep (runs/<name>/sweep.json);
  runs submitted to Slurm also show their task's state (squeue)`;

function slurmCell(s: RunSlurmState | undefined): string {
  if (!s) return "";
  const id = `${s.record.jobId}_${s.index}`;
  if (!s.task) return `${id} ended`;
  const reason = s.task.reason && s.task.reason !== "None" && s.task.state === "PENDING"
    ? ` (${s.task.reason})`
    : "";
  return `${id} ${s.task.state}${reason}`;
}

function pad(rows: string[][]): string {
  const widths = rows[0].map((_, i) => Math.max(...rows.map((r) => r[i].length)));
  return rows.map((r) => r.map((c, i) => c.padEnd(widths[i])).join("  ").trimEnd()).join("\n");
}

/** Entry point. */
export async function main(args: string[]): Promise<number> {
  const command = parseCommand(args, USAGE, { ...EXPAND_FLAGS, ...ONLY_FLAG, ...OUT_FLAG });
  if (!command) return 0;
  const { values, file } = command;
  const exp = await loadExperiment(file);
  const paths = outputPaths(exp.name, values.out);
  const plans = selectPlans(expandRuns(exp, expandFlags(values, paths.sweepFile)), values.only);
  let slurm: Map<string, RunSlurmState> | null = null;
  let slurmNote = "";
  if (readJobRecords(paths.runs).length) {
    try {
      slurm = await slurmStateOfRuns(paths.runs, plans.map((p) => p.id));
    } catch (e) {
      if (!(e instanceof SlurmError)) throw e;
      slurm = new Map();
      slurmNote = `Slurm states unknown: ${e.message.split("\n")[0]}`;
    }
  }
  const rows = [[
    "run",
    ...exp.axes,
    "seed",
    "state",
    ...(slurm ? ["slurm"] : []),
    "attempts",
    "step",
    "seconds",
    "error",
  ]];
  const classified = classifyPlans(plans, paths.runs);
  const states = classified.map((c) => c.status?.state ?? "missing");
  classified.forEach(({ plan, status: s }, i) => {
    const state = states[i];
    rows.push([
      plan.id,
      ...exp.axes.map((a) => JSON.stringify(plan.point[a] ?? "")),
      String(plan.seed),
      state,
      ...(slurm ? [slurmCell(slurm.get(plan.id))] : []),
      String(s?.attempts ?? 0),
      `${s?.step ?? 0}/${plan.config.steps}`,
      s?.seconds !== undefined ? s.seconds.toFixed(1) : "",
      (s?.error ?? s?.note ?? "").split("\n")[0].slice(0, 80),
    ]);
  });
  console.log(pad(rows));
  console.log(`${exp.name}: ${plans.length} runs: ${countStates(states)}`);
  if (slurm) {
    const jobs = new Map<string, string[]>();
    for (const s of slurm.values()) {
      const list = jobs.get(s.record.jobId) ?? [];
      list.push(s.task?.state ?? "ended");
      jobs.set(s.record.jobId, list);
    }
    const ids = [...jobs.keys()].sort((a, b) => a.localeCompare(b, "en", { numeric: true }));
    for (const jobId of ids) {
      const tasks = jobs.get(jobId)!;
      console.log(
        `slurm job ${jobId} (the latest job of ${tasks.length} run(s)): ${countStates(tasks)}`,
      );
    }
    if (slurmNote) console.log(slurmNote);
  }
  return classified.some((c) => c.kind === "failed") ? 1 : 0;
}

if (import.meta.main) await runMain(() => main(Deno.args));
