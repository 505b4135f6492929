/**
 * `deno task bench`: the speed benchmarks. Speed targets are checked here,
 * never by timed assertions in tests. Cases: `step` (one training step of
 * the reference MLP GAN and of a DCGAN, here and in PyTorch), `parzen` (the
 * paper's Parzen-window evaluation at full size), `throughput` (sweep
 * workers), `report` (report generation over 1,000 runs x 100 evaluation
 * points).
 * Pass case names to run only some: `deno task bench throughput`.
 *
 * @module
 */
import { throughputBench } from "./throughput.ts";
import { reportBench } from "./report.ts";
import { stepBench } from "./step.ts";
import { parzenBench } from "./parzen.ts";
import { featuresBench } from "./features.ts";
import { initBackend } from "../lib/runtime/backend.ts";

const CASES: Record<string, () => Promise<unknown>> = {
  step: () => stepBench(),
  parzen: parzenBench,
  features: () => featuresBench(),
  throughput: throughputBench,
  report: reportBench,
};

if (import.meta.main) {
  const names = Deno.args.length ? Deno.args : Object.keys(CASES);
  const unknown = names.filter((n) => !(n in CASES));
  if (unknown.length) {
    console.error(`unknown case(s) ${unknown.join(", ")}; cases: ${Object.keys(CASES).join(", ")}`);
    Deno.exit(2);
  }
  const backend = await initBackend("auto");
  console.log(`bench on ${navigator.hardwareConcurrency} cores; parent backend ${backend.name}`);
  for (const name of names) await CASES[name]();
}
