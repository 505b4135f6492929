/**
 * `deno task sweep <experiment.ts>`: trains every run of a study (skipping
 * finished ones), then writes its report.
 *
 * @module
 */
import { relative } from "node:path";
import { expandRuns, loadExperiment, type RunPlan } from "../spec/mod.ts";
import { type BackendChoice, initBackend } from "../runtime/backend.ts";
import { outputPaths, readRuns, type RunStatus, runSweep } from "../sweep/mod.ts";
import { buildReport } from "../report/mod.ts";
import { experimentArg, fmt, intFlag, parseFlags, runMain } from "./common.ts";

const USAGE = `usage: deno task sweep <experiment.ts> [--steps N] [--seeds N] [--out DIR]
                       [--backend auto|tensorflow|wasm|cpu] [--quiet] [--no-report]`;

const HEADLINE = ["d_gap", "r_t", "js", "modes", "value"];

function headline(row: Record<string, number>): string {
  return HEADLINE.filter((k) => row[k] !== undefined).map((k) => `${k}=${fmt(row[k])}`).join(" ");
}

function label(plan: RunPlan): string {
  const parts = Object.entries(plan.point).map(([k, v]) => `${k}=${JSON.stringify(v)}`);
  return `${plan.id} (${[...parts, `seed=${plan.seed}`].join(", ")})`;
}

/** Entry point. */
export async function main(args: string[]): Promise<number> {
  const { values, positionals } = parseFlags(args, {
    steps: { type: "string" },
    seeds: { type: "string" },
    out: { type: "string", default: "." },
    backend: { type: "string", default: "auto" },
    quiet: { type: "boolean", default: false },
    "no-report": { type: "boolean", default: false },
    help: { type: "boolean", short: "h", default: false },
  });
  if (values.help) {
    console.log(USAGE);
    return 0;
  }
  const file = experimentArg(positionals, USAGE);
  const expand = { steps: intFlag("steps", values.steps), seeds: intFlag("seeds", values.seeds) };
  const exp = await loadExperiment(file);
  const plans = expandRuns(exp, expand);
  const paths = outputPaths(exp.name, values.out);
  const backend = await initBackend(values.backend as BackendChoice);
  const log = values.quiet ? () => {} : (s: string) => console.log(s);
  const tty = !values.quiet && Deno.stdout.isTerminal();
  log(`backend: ${backend.name} (${backend.reason})`);
  log(`${exp.name}: ${plans.length} runs -> ${relative(".", paths.runs) || "."}`);
  const t0 = performance.now();
  const enc = new TextEncoder();
  const result = await runSweep(plans, paths, {
    backend,
    expand,
    events: {
      onSkip: (plan, s, i, n) => log(`[${i + 1}/${n}] skip ${plan.id}: already ${s.state}`),
      onStart: (plan, i, n) => log(`[${i + 1}/${n}] start ${label(plan)}`),
      onEval: (plan, row) => {
        if (tty) {
          Deno.stdout.writeSync(
            enc.encode(`\r  step ${row.step}/${plan.config.steps} ${headline(row)}\x1b[K`),
          );
        }
      },
      onEnd: (plan, s: RunStatus, i, n) => {
        if (tty) Deno.stdout.writeSync(enc.encode("\r\x1b[K"));
        const tail = s.state === "done" ? "" : `: ${(s.error ?? "").split("\n")[0]}`;
        log(`[${i + 1}/${n}] ${s.state} ${plan.id} in ${fmt(s.seconds)} s${tail}`);
      },
    },
  });
  const seconds = (performance.now() - t0) / 1000;
  const counts: Record<string, number> = {};
  for (const s of Object.values(result.states)) counts[s] = (counts[s] ?? 0) + 1;
  log(
    `sweep finished in ${seconds.toFixed(1)} s: ${
      Object.entries(counts).map(([k, v]) => `${v} ${k}`).join(", ")
    } (${result.ran} ran, ${result.skipped} skipped)`,
  );
  if (!values["no-report"]) {
    const report = await buildReport(exp, plans, readRuns(paths.runs), paths.reports);
    log(`report: ${relative(".", paths.reports)}/ (${report.files.length} files)`);
  }
  if (result.failed.length) {
    console.error(`${result.failed.length} run(s) failed:`);
    for (const f of result.failed) console.error(`  ${f.id}: ${f.error} (see ${f.statusFile})`);
    return 1;
  }
  return 0;
}

if (import.meta.main) await runMain(() => main(Deno.args));
