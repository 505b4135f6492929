/**
 * `deno task sweep <experiment.ts>`: trains every run of a study that is
 * not finished, in parallel worker processes, then writes its report.
 * Rerunning skips finished runs and resumes unfinished ones from their last
 * checkpoint.
 *
 * @module
 */
import { cpus } from "node:os";
import { join } from "node:path";
import { expandRuns, loadExperiment, type RunPlan } from "../spec/mod.ts";
import { type BackendChoice, initBackend } from "../runtime/backend.ts";
import {
  acquireLock,
  FAILED_STATES,
  FINISHED_STATES,
  outputPaths,
  planLabel,
  Progress,
  readStatus,
  Scheduler,
  selectPlans,
  writeJson,
} from "../sweep/mod.ts";
import { writeStudyReport } from "./_study_report.ts";
import {
  displayPath,
  expandFlags,
  experimentArg,
  intFlag,
  parseFlags,
  runMain,
  UsageError,
} from "./common.ts";

const USAGE = `usage: deno task sweep <experiment.ts> [options]
  --steps N             override steps in every run (a smoke run; changes run ids)
  --seeds N             use the first N seeds (0..N-1 if the file lists fewer)
  --only PATH=VALUE     only runs whose config has this value (repeatable), e.g. --only k=5
  --out DIR             write DIR/runs/<name>/ and DIR/reports/<name>/ (default .)
  --backend NAME        auto | tensorflow | wasm | cpu (default auto)
  --concurrency N       worker processes at once (default: the number of cores)
  --timeout T           kill a run attempt after T (e.g. 900, 90s, 15m, 2h); default none
  --retries N           extra attempts for a failed or timed-out run (default 1)
  --retry-failed        also rerun runs that failed or timed out in an earlier sweep
  --checkpoint-every N  checkpoint every N iterations (default 100)
  --dry-run             list the runs, their ids and which are done; write nothing
  --quiet               no progress output
  --no-report           do not write the report`;

/** Parses a duration: seconds, or a number with s, m or h. */
export function parseDuration(flag: string, text: string | undefined): number | undefined {
  if (text === undefined) return undefined;
  const m = /^(\d+(?:\.\d+)?)(s|m|h)?$/.exec(text.trim());
  if (!m || Number(m[1]) <= 0) {
    throw new UsageError(
      `--${flag}: got "${text}", expected a duration such as 900, 90s, 15m or 2h`,
    );
  }
  return Number(m[1]) * ({ s: 1, m: 60, h: 3600 }[m[2] as "s" | "m" | "h"] ?? 1);
}

function dryRun(plans: RunPlan[], runsDir: string, retryFailed: boolean): number {
  const counts: Record<string, number> = {};
  let todo = 0;
  for (const plan of plans) {
    const s = readStatus(join(runsDir, plan.id));
    const state = s?.state ?? "new";
    counts[state] = (counts[state] ?? 0) + 1;
    const skipped = s && (FINISHED_STATES.includes(s.state) ||
      (!retryFailed && FAILED_STATES.includes(s.state)));
    if (!skipped) todo++;
    const step = s?.step !== undefined ? ` step ${s.step}/${plan.config.steps}` : "";
    console.log(`${state.padEnd(8)} ${planLabel(plan)}${step}`);
  }
  console.log(
    `${plans.length} runs: ${
      Object.entries(counts).map(([k, v]) => `${v} ${k}`).join(", ")
    }; a sweep would run ${todo} (dry run: nothing written)`,
  );
  return 0;
}

/** Entry point. */
export async function main(args: string[]): Promise<number> {
  const { values, positionals } = parseFlags(args, {
    steps: { type: "string" },
    seeds: { type: "string" },
    only: { type: "string", multiple: true, default: [] },
    out: { type: "string", default: "." },
    backend: { type: "string", default: "auto" },
    concurrency: { type: "string" },
    timeout: { type: "string" },
    retries: { type: "string", default: "1" },
    "retry-failed": { type: "boolean", default: false },
    "checkpoint-every": { type: "string", default: "100" },
    "dry-run": { type: "boolean", default: false },
    quiet: { type: "boolean", default: false },
    "no-report": { type: "boolean", default: false },
    help: { type: "boolean", short: "h", default: false },
  });
  if (values.help) {
    console.log(USAGE);
    return 0;
  }
  const file = experimentArg(positionals, USAGE);
  const expand = expandFlags(values);
  const concurrency = intFlag("concurrency", values.concurrency) ?? Math.max(1, cpus().length);
  const timeoutSec = parseDuration("timeout", values.timeout);
  const retries = intFlag("retries", values.retries, 0)!;
  const checkpointEvery = intFlag("checkpoint-every", values["checkpoint-every"], 0)!;
  const exp = await loadExperiment(file);
  const all = expandRuns(exp, expand);
  const plans = selectPlans(all, values.only);
  const paths = outputPaths(exp.name, values.out);
  if (values["dry-run"]) return dryRun(plans, paths.runs, values["retry-failed"]);

  const backend = await initBackend(values.backend as BackendChoice);
  const lock = acquireLock(paths.runs, `deno task sweep ${file}`);
  const mode = values.quiet ? "quiet" : Deno.stdout.isTerminal() ? "tty" : "lines";
  const progress = new Progress(mode, plans.length);
  const log = (s: string) => progress.log(s);
  if (lock.tookOverFrom) {
    log(`took over a stale lock of process ${lock.tookOverFrom.pid} (no longer running)`);
  }
  log(`backend: ${backend.name} (${backend.reason})`);
  log(
    `${exp.name}: ${plans.length} runs, ${concurrency} worker(s) -> ${displayPath(paths.runs)}`,
  );
  // The report finds the runs of the last sweep through this file.
  writeJson(paths.sweepFile, { expand, runs: all.map((p) => p.id) });

  const scheduler = new Scheduler(paths.runs, {
    backend: backend.name,
    concurrency,
    timeoutSec,
    retries,
    retryFailed: values["retry-failed"],
    checkpointEvery,
    events: progress.events,
  });
  let interrupts = 0;
  const onInterrupt = () => {
    interrupts++;
    if (interrupts === 1) {
      log("stopping: running runs checkpoint and exit; Ctrl-C again to kill them now");
      scheduler.stop(true);
    } else {
      log("killing running runs");
      scheduler.stop(false);
    }
  };
  Deno.addSignalListener("SIGINT", onInterrupt);
  Deno.addSignalListener("SIGTERM", onInterrupt);
  const t0 = performance.now();
  let result;
  try {
    result = await scheduler.run(plans);
  } finally {
    Deno.removeSignalListener("SIGINT", onInterrupt);
    Deno.removeSignalListener("SIGTERM", onInterrupt);
    lock.release();
  }
  progress.finish();
  const seconds = (performance.now() - t0) / 1000;
  const counts: Record<string, number> = {};
  for (const s of Object.values(result.states)) counts[s] = (counts[s] ?? 0) + 1;
  const say = values.quiet ? () => {} : console.log;
  say(
    `sweep ${result.interrupted ? "interrupted" : "finished"} in ${seconds.toFixed(1)} s: ${
      Object.entries(counts).map(([k, v]) => `${v} ${k}`).join(", ")
    } (${result.ran} ran, ${result.skipped} skipped)`,
  );
  if (result.interrupted) {
    say("rerun the same command to continue from the checkpoints");
    return 130;
  }
  if (!values["no-report"]) {
    const report = await writeStudyReport(exp, all, paths);
    say(`report: ${displayPath(paths.reports)}/ (${report.files.length} files)`);
    for (const c of report.claims) say(`  ${c.id}: ${c.verdict} (${c.evidence.split(". ")[0]})`);
  }
  if (result.failed.length) {
    console.error(`${result.failed.length} run(s) did not finish:`);
    for (const f of result.failed) {
      console.error(`  ${f.id} ${f.state}: ${f.error}\n    see ${f.statusFile} and ${f.log}`);
    }
    if (!values["retry-failed"] && result.failed.some((f) => FAILED_STATES.includes(f.state))) {
      console.error("rerun with --retry-failed to try them again");
    }
    return 1;
  }
  return 0;
}

if (import.meta.main) await runMain(() => main(Deno.args));
