/**
 * `deno task run <experiment.ts>`: trains one config of a study (its base,
 * with `--set path=value` overrides) for one seed, into the same run store
 * the sweep uses, and prints the final metrics.
 *
 * @module
 */
import { join } from "node:path";
import {
  expandRuns,
  loadExperiment,
  SpecError,
  type SweepPoint,
  validateExperiment,
} from "../spec/mod.ts";
import { type BackendChoice, initBackend } from "../runtime/backend.ts";
import {
  acquireLock,
  executeRun,
  outputPaths,
  parseAssignment,
  readJson,
  type RunFinal,
} from "../sweep/mod.ts";
import { displayPath, experimentArg, fmt, intFlag, parseFlags, runMain } from "./common.ts";

const USAGE = `usage: deno task run <experiment.ts> [--set path=value]... [--seed N] [--steps N]
                     [--out DIR] [--backend auto|tensorflow|wasm|cpu]
  e.g. deno task run experiments/k-steps.ts --set k=5 --set optimizer.lr=1e-4 --seed 3`;

/** Entry point. */
export async function main(args: string[]): Promise<number> {
  const { values, positionals } = parseFlags(args, {
    set: { type: "string", multiple: true, default: [] },
    seed: { type: "string", default: "0" },
    steps: { type: "string" },
    out: { type: "string", default: "." },
    backend: { type: "string", default: "auto" },
    help: { type: "boolean", short: "h", default: false },
  });
  if (values.help) {
    console.log(USAGE);
    return 0;
  }
  const file = experimentArg(positionals, USAGE);
  const seed = intFlag("seed", values.seed, 0)!;
  const exp = await loadExperiment(file);
  const point: SweepPoint = Object.fromEntries(values.set.map((t) => parseAssignment("set", t)));
  let single;
  try {
    const { axes: _axes, ...spec } = exp;
    single = validateExperiment({ ...spec, sweep: [point], seeds: [seed] });
  } catch (e) {
    if (!(e instanceof SpecError)) throw e;
    const issues = e.issues.map((i) => ({
      ...i,
      path: i.path.replace(/^sweep\[0\]\["([^"]+)"\]/, "--set $1").replace(/^sweep\[0\]/, "--set"),
    }));
    throw new SpecError(issues, file);
  }
  const [plan] = expandRuns(single, { steps: intFlag("steps", values.steps) });
  const backend = await initBackend(values.backend as BackendChoice);
  console.log(`backend: ${backend.name} (${backend.reason})`);
  const runs = outputPaths(exp.name, values.out).runs;
  const dir = join(runs, plan.id);
  // The same lock as a sweep: never train a run a sweep may be training.
  const lock = acquireLock(runs, `deno task run ${file}`);
  console.log(`run ${plan.id} -> ${displayPath(dir)}`);
  let status;
  try {
    status = await executeRun(plan, dir, {
      backend,
      onEval: (row) =>
        console.log(`  step ${row.step}: d_loss=${fmt(row.d_loss)} g_loss=${fmt(row.g_loss)}`),
    });
  } finally {
    lock.release();
  }
  console.log(`${status.state} in ${fmt(status.seconds)} s`);
  if (status.state === "failed") {
    console.error(status.error);
    return 1;
  }
  const final = readJson<RunFinal>(join(dir, "final.json"));
  if (final) {
    for (const [k, v] of Object.entries(final.metrics)) console.log(`  ${k} = ${fmt(v)}`);
  }
  return 0;
}

if (import.meta.main) await runMain(() => main(Deno.args));
