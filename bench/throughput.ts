/**
 * Benchmark: sweep throughput with 1 and with 2 worker processes. The same
 * 8 small runs (8 seeds of one config) are swept into fresh temporary
 * directories; the speed-up is the ratio of wall times. Target: at least
 * 1.9x on a 2-core machine (limit 2.0).
 *
 * @module
 */
import { expandRuns, validateExperiment } from "../lib/spec/experiment.ts";
import { Scheduler } from "../lib/sweep/scheduler.ts";
import type { RunPlan } from "../lib/spec/experiment.ts";

/** One measured case. */
export interface ThroughputResult {
  workers: number;
  runs: number;
  seconds: number;
  runsPerMinute: number;
}

/** The 8 runs of the benchmark. */
export function benchPlans(steps = 400): RunPlan[] {
  return expandRuns(validateExperiment({
    name: "bench-throughput",
    base: {
      data: { name: "ring-8", trainSize: 512, validSize: 1024 },
      arch: { name: "mlp", noiseDim: 2, hidden: [64, 64] },
      batchSize: 64,
      steps,
      evalEvery: 100,
      evalSamples: 1000,
    },
    seeds: [0, 1, 2, 3, 4, 5, 6, 7],
  }));
}

/** Sweeps the plans with `workers` processes into a temporary directory. */
export async function measure(plans: RunPlan[], workers: number): Promise<ThroughputResult> {
  const dir = await Deno.makeTempDir({ prefix: "gan-bench-" });
  try {
    const t0 = performance.now();
    const result = await new Scheduler(dir, { backend: "wasm", concurrency: workers }).run(plans);
    const seconds = (performance.now() - t0) / 1000;
    const bad = Object.entries(result.states).filter(([, s]) => s !== "done");
    if (bad.length) throw new Error(`benchmark runs did not finish: ${JSON.stringify(bad)}`);
    return { workers, runs: plans.length, seconds, runsPerMinute: (60 * plans.length) / seconds };
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
}

/** Runs the case and prints a table; returns the speed-up. */
export async function throughputBench(): Promise<number> {
  const plans = benchPlans();
  const one = await measure(plans, 1);
  const two = await measure(plans, 2);
  const speedup = one.seconds / two.seconds;
  console.log("throughput: 8 identical small runs (ring-8, MLP 64x64, 400 steps), wasm");
  for (const r of [one, two]) {
    console.log(
      `  ${r.workers} worker(s): ${r.seconds.toFixed(1)} s, ${r.runsPerMinute.toFixed(1)} runs/min`,
    );
  }
  const verdict = speedup >= 1.9 ? "meets" : "misses";
  console.log(`  speed-up ${speedup.toFixed(2)}x (${verdict} the target of 1.9x; limit 2.0x)`);
  return speedup;
}
