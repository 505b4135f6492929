/**
 * `deno task status <experiment.ts>`: a table of the study's runs and their
 * states. Where the study was submitted to Slurm (`sweep --executor
 * slurm`), a `slurm` column gives each run's task in its latest job and
 * that task's state from `squeue`. A finished run whose files are damaged
 * (missing, truncated, changed; see `lib/sweep/verify.ts`) shows `damaged`
 * with the file; a run whose status says running but whose worker on this
 * host is gone (killed, crashed) shows `interrupted`. Exits 1 while any run
 * failed, timed out or is damaged.
 *
 * @module
 */
import { existsSync, statSync } from "node:fs";
import { loadExperiment } from "../spec/mod.ts";
import { classifyPlans, damageText, outputPaths, selectPlans, workerGone } from "../sweep/mod.ts";
import {
  countStates,
  readJobRecords,
  type RunSlurmState,
  SlurmError,
  slurmStateOfRuns,
} from "../sweep/mod.ts";
import { LIMIT_FLAGS, maximaFromFlags, planStudy } from "./_study_check.ts";
import {
  checkOutDir,
  displayPath,
  EXPAND_FLAGS,
  expandFlags,
  ONLY_FLAG,
  OUT_FLAG,
  parseCommand,
  runMain,
  UsageError,
} from "./common.ts";

const USAGE =
  `usage: deno task status <experiment.ts> [--steps N] [--seeds N] [--full] [--only PATH=VALUE] [--out DIR]
  by default for the --steps/--seeds of the last sweep (runs/<name>/sweep.json);
  runs submitted to Slurm also show their task's state (squeue);
  --max-runs N: the most runs to list (default 10000); --debug: stacks of errors`;

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
  const command = parseCommand(args, USAGE, {
    ...EXPAND_FLAGS,
    ...ONLY_FLAG,
    ...OUT_FLAG,
    "max-runs": LIMIT_FLAGS["max-runs"],
  });
  if (!command) return 0;
  const { values, file } = command;
  const maxima = maximaFromFlags(values);
  const { maxRuns } = maxima;
  checkOutDir(values.out);
  if (!existsSync(values.out)) throw new UsageError(`--out ${values.out}: no such directory`);
  const exp = await loadExperiment(file, { maxPoints: maxRuns });
  const paths = outputPaths(exp.name, values.out);
  if (existsSync(paths.runs) && !statSync(paths.runs).isDirectory()) {
    throw new UsageError(
      `${displayPath(paths.runs)} is a file, expected the study's runs directory`,
    );
  }
  const plans = selectPlans(
    planStudy(file, exp, expandFlags(values, paths.sweepFile), maxima),
    values.only,
  );
  let slurm: Map<string, RunSlurmState> | null = null;
  let slurmNote = "";
  const slurmJobs = readJobRecords(paths.runs).length > 0;
  if (slurmJobs) {
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
  const gone = classified.map((c) => c.status !== null && workerGone(c.status, slurmJobs));
  const states = classified.map((c, i) =>
    c.damage?.length ? "damaged" : gone[i] ? "interrupted" : c.status?.state ?? "missing"
  );
  classified.forEach(({ plan, status: s, damage }, i) => {
    const state = states[i];
    const text = damage?.length
      ? `${damageText(damage)}; the next sweep retrains it`
      : gone[i]
      ? `its worker (pid ${s!.pid}) is gone; the next sweep resumes it from its last checkpoint`
      : s?.error ?? s?.note ?? "";
    rows.push([
      plan.id,
      ...exp.axes.map((a) => JSON.stringify(plan.point[a] ?? "")),
      String(plan.seed),
      state,
      ...(slurm ? [slurmCell(slurm.get(plan.id))] : []),
      String(s?.attempts ?? 0),
      `${s?.step ?? 0}/${plan.config.steps}`,
      s?.seconds !== undefined ? s.seconds.toFixed(1) : "",
      text.split("\n")[0].slice(0, damage?.length || gone[i] ? 200 : 80),
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
  if (!existsSync(paths.runs)) {
    console.log(`no runs yet: ${displayPath(paths.runs)} does not exist`);
  }
  return classified.some((c) => c.kind === "failed" || c.damage?.length) ? 1 : 0;
}

if (import.meta.main) await runMain(() => main(Deno.args));
