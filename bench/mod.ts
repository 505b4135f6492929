/**
 * `deno task bench`: the speed benchmarks. Speed targets are checked here,
 * never by timed assertions in tests. Cases: `step` (one training step of
 * the reference MLP GAN and of a DCGAN, here and in PyTorch),
 * `paper-mnist` (one update of `experiments/paper-mnist.ts` against its own
 * matrix products alone and against PyTorch), `parzen` (the paper's
 * Parzen-window evaluation at full size), `throughput` (sweep workers),
 * `report` (report generation over 1,000 runs x 100 evaluation points).
 *
 * Pass case names to run only some: `deno task bench paper-mnist`. With
 * `--json`, the cases print nothing as they run and one JSON object is
 * printed at the end: `{ "machine": ..., "<case>": <its result>, ... }`.
 * `--baseline` also times what came before (`step`: the shipped wasm
 * kernels; `paper-mnist`: the update in tfjs ops).
 *
 * @module
 */
import { throughputBench } from "./throughput.ts";
import { reportBench } from "./report.ts";
import { stepBench } from "./step.ts";
import { parzenBench } from "./parzen.ts";
import { featuresBench } from "./features.ts";
import { paperMnistBench } from "./paper_mnist.ts";
import { initBackend } from "../lib/runtime/backend.ts";

/** Options every case gets. */
export interface BenchOptions {
  /** Print progress lines (false with `--json`). */
  verbose: boolean;
  /** Also time the figure before the speed-ups. */
  baseline: boolean;
}

/** The cases, by name. */
export const BENCH_CASES: Record<string, (o: BenchOptions) => Promise<unknown>> = {
  step: (o) => stepBench({ verbose: o.verbose, baseline: o.baseline }),
  "paper-mnist": (o) => paperMnistBench({ verbose: o.verbose, baseline: o.baseline }),
  parzen: (o) => parzenBench({ print: o.verbose }),
  features: (o) => featuresBench({ print: o.verbose }),
  throughput: (o) => throughputBench({ verbose: o.verbose }),
  report: (o) => reportBench({ verbose: o.verbose }),
};

/** What the command line asks for. */
export interface BenchArgs {
  cases: string[];
  json: boolean;
  baseline: boolean;
}

/**
 * Parses `deno task bench` arguments: case names (default all) and the
 * flags `--json` and `--baseline`. Throws an Error naming an unknown case
 * or flag and listing what is accepted.
 */
export function parseBenchArgs(args: readonly string[]): BenchArgs {
  const flags = args.filter((a) => a.startsWith("-"));
  const names = args.filter((a) => !a.startsWith("-"));
  const badFlags = flags.filter((f) => f !== "--json" && f !== "--baseline");
  if (badFlags.length) {
    throw new Error(`unknown flag(s) ${badFlags.join(", ")}; flags: --json, --baseline`);
  }
  const unknown = names.filter((n) => !(n in BENCH_CASES));
  if (unknown.length) {
    throw new Error(
      `unknown case(s) ${unknown.join(", ")}; cases: ${Object.keys(BENCH_CASES).join(", ")}`,
    );
  }
  return {
    cases: names.length ? names : Object.keys(BENCH_CASES),
    json: flags.includes("--json"),
    baseline: flags.includes("--baseline"),
  };
}

if (import.meta.main) {
  let args: BenchArgs;
  try {
    args = parseBenchArgs(Deno.args);
  } catch (e) {
    console.error(e instanceof Error ? e.message : String(e));
    Deno.exit(2);
  }
  const backend = await initBackend("auto");
  const machine = { cores: navigator.hardwareConcurrency, backend: backend.name };
  if (!args.json) console.log(`bench on ${machine.cores} cores; parent backend ${machine.backend}`);
  const results: Record<string, unknown> = { machine };
  const options = { verbose: !args.json, baseline: args.baseline };
  for (const name of args.cases) results[name] = await BENCH_CASES[name](options);
  if (args.json) console.log(JSON.stringify(results));
}
