/**
 * Benchmark: sweep throughput with 1 and with 2 worker processes. The same
 * 8 small runs (8 seeds of one config) are swept into fresh temporary
 * directories; the speed-up is the ratio of wall times. Target: at least
 * 1.9x on a 2-core machine (limit 2.0).
 *
 * @module
 */
import { expandRuns, validateExperiment } from "../lib/spec/mod.ts";
import { Scheduler } from "../lib/sweep/scheduler.ts";
import type { RunPlan } from "../lib/spec/mod.ts";

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

const SPIN = `let x = 0; for (let i = 0; i < 4e8; i++) x += i % 7; if (x < 0) console.log(x);`;

async function spinSeconds(processes: number): Promise<number> {
  const t0 = performance.now();
  await Promise.all(
    Array.from(
      { length: processes },
      () => new Deno.Command(Deno.execPath(), { args: ["eval", SPIN], stdout: "null" }).output(),
    ),
  );
  return (performance.now() - t0) / 1000;
}

/**
 * The machine's own ceiling: a pure compute loop in 1 and in 2 processes at
 * once (best of 3 each). On a shared virtual machine the second core is not
 * always a whole core; the harness cannot beat this ratio.
 */
export async function machineCeiling(): Promise<number> {
  const best = async (n: number) => {
    let b = Infinity;
    for (let i = 0; i < 3; i++) b = Math.min(b, await spinSeconds(n));
    return b;
  };
  const one = await best(1);
  const two = await best(2);
  return (2 * one) / two;
}

/**
 * Runs the case in the order 1, 2, 2, 1 workers (an ABBA design against a
 * drift in machine speed), prints every time and the speed-up of the best
 * time with 2 workers over the best with 1 (the least disturbed
 * measurements), next to the machine's own ceiling; returns the speed-up.
 */
export async function throughputBench(options: { verbose?: boolean } = {}): Promise<number> {
  const log = (line: string) => {
    if (options.verbose ?? true) console.log(line);
  };
  const plans = benchPlans();
  const times: Record<number, number[]> = { 1: [], 2: [] };
  log("throughput: 8 identical small runs (ring-8, MLP 64x64, 400 steps), wasm");
  for (const workers of [1, 2, 2, 1]) {
    const r = await measure(plans, workers);
    times[workers].push(r.seconds);
    log(
      `  ${r.workers} worker(s): ${r.seconds.toFixed(1)} s, ${r.runsPerMinute.toFixed(1)} runs/min`,
    );
  }
  const speedup = Math.min(...times[1]) / Math.min(...times[2]);
  const ceiling = await machineCeiling();
  const verdict = speedup >= 1.9 ? "meets" : "misses";
  log(`  speed-up ${speedup.toFixed(2)}x (${verdict} the target of 1.9x; limit 2.0x)`);
  log(
    `  machine ceiling now (pure compute, 2 processes vs 1, best of 3): ${ceiling.toFixed(2)}x` +
      " (a shared VM's second core is not always a whole core; times drift between phases)",
  );
  return speedup;
}
