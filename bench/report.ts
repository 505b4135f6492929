/**
 * Benchmark: building a report over a large run store. A synthetic sweep of
 * 1,000 runs (100 configurations x 10 seeds, ring-8) with 100 evaluation
 * points each and 1,000 generator samples per run is written as real run
 * directories with the store's helpers into a temporary directory; then
 * `readRuns` and `buildReport` (tables, charts as spec + SVG + PNG,
 * report.md / .html, tables.tex) are timed. Target: `buildReport` within 10 s.
 *
 * @module
 */
import { Rng } from "../lib/runtime/rng.ts";
import { COMMON_METRICS } from "../lib/metrics/registry.ts";
import { join } from "node:path";
import { buildReport } from "../lib/report/mod.ts";
import { expandRuns, type Experiment, type RunPlan, validateExperiment } from "../lib/spec/mod.ts";
import { writeAtomic, writeJson } from "../lib/io/mod.ts";
import { metricsToCsv, readRuns, runPaths } from "../lib/sweep/store.ts";
import { ringCentres } from "../lib/data/synthetic.ts";

/** What the benchmark measured. */
export interface ReportBenchResult {
  runs: number;
  evaluations: number;
  /** Seconds to write the synthetic store (not part of the target). */
  writeSeconds: number;
  /** Seconds for `readRuns`. */
  readSeconds: number;
  /** Seconds for `buildReport`. */
  buildSeconds: number;
  /** Charts written (each as spec, SVG and PNG). */
  charts: number;
}

const METRICS = [...COMMON_METRICS, "modes", "hq_share", "mode_kl"];

/** The benchmark's study: k (10 values) x learning rate (10 values) x 10 seeds, ring-8. */
export function reportBenchExperiment(evaluations = 100): Experiment {
  const evalEvery = 10;
  return validateExperiment({
    name: "bench-report",
    title: "Report benchmark (synthetic runs)",
    base: {
      data: { name: "ring-8" },
      optimizer: { name: "adam" },
      steps: (evaluations - 1) * evalEvery,
      evalEvery,
    },
    sweep: {
      k: [1, 2, 3, 4, 5, 6, 7, 8, 9, 10],
      "optimizer.lr": [1e-5, 2e-5, 5e-5, 1e-4, 2e-4, 5e-4, 1e-3, 2e-3, 5e-3, 1e-2],
    },
    seeds: [0, 1, 2, 3, 4, 5, 6, 7, 8, 9],
    claims: ["d-overfits"],
  });
}

/** Uniforms in [0, 1) from the harness's seeded generator. */
function generator(seed: number): () => number {
  const rng = new Rng(seed, "fixture");
  return () => rng.uniform();
}

/**
 * Writes one `done` run directory per plan under `runsDir`: config, status,
 * metrics.csv (one row per evaluation), final.json and samples.csv.
 *
 * @param runsDir `runs/<name>/`.
 * @param plans The planned runs.
 */
export function writeSyntheticStore(runsDir: string, plans: RunPlan[]): void {
  const centres = ringCentres(2);
  plans.forEach((plan, i) => {
    const u = generator(i + 1);
    const p = runPaths(join(runsDir, plan.id));
    const k = plan.config.k;
    const rows: Record<string, number>[] = [];
    const every = plan.config.evalEvery;
    for (let step = 0; step <= plan.config.steps; step += every) {
      const row: Record<string, number> = { step };
      const t = step / plan.config.steps;
      for (const [j, m] of METRICS.entries()) row[m] = (j + 1) * (0.5 + t * 0.01 * k) + 0.1 * u();
      rows.push(row);
    }
    writeJson(p.config, plan.config);
    writeJson(p.status, { state: "done", attempts: 1, seconds: 60 });
    writeAtomic(p.metrics, metricsToCsv(rows));
    const { step: _, ...final } = rows[rows.length - 1];
    writeJson(p.final, { step: plan.config.steps, metrics: final });
    const lines = ["x,y"];
    for (let s = 0; s < 1000; s++) {
      const [cx, cy] = centres[Math.floor(u() * centres.length)];
      lines.push(`${cx + 0.05 * (u() - 0.5)},${cy + 0.05 * (u() - 0.5)}`);
    }
    writeAtomic(p.samples, lines.join("\n") + "\n");
  });
}

/**
 * Runs the benchmark, prints the figures and returns them.
 *
 * @returns Times of writing, reading and building.
 */
export async function reportBench(
  options: { verbose?: boolean } = {},
): Promise<ReportBenchResult> {
  const log = (line: string) => {
    if (options.verbose ?? true) console.log(line);
  };
  const exp = reportBenchExperiment();
  const plans = expandRuns(exp);
  const dir = await Deno.makeTempDir({ prefix: "gan-bench-report-" });
  try {
    const runsDir = join(dir, "runs", exp.name);
    let t0 = performance.now();
    writeSyntheticStore(runsDir, plans);
    const writeSeconds = (performance.now() - t0) / 1000;
    t0 = performance.now();
    const records = readRuns(runsDir);
    const readSeconds = (performance.now() - t0) / 1000;
    t0 = performance.now();
    const result = await buildReport(exp, plans, records, join(dir, "reports", exp.name));
    const buildSeconds = (performance.now() - t0) / 1000;
    const evaluations = records[0]?.curves.length ?? 0;
    const out: ReportBenchResult = {
      runs: records.length,
      evaluations,
      writeSeconds,
      readSeconds,
      buildSeconds,
      charts: result.charts.length,
    };
    const verdict = buildSeconds <= 10 ? "meets" : "misses";
    log(
      `report: ${out.runs} runs x ${evaluations} evaluations, ${exp.sweep.length} configs ` +
        `(store written in ${writeSeconds.toFixed(1)} s, not timed)`,
    );
    log(`  readRuns ${readSeconds.toFixed(2)} s`);
    log(
      `  buildReport ${buildSeconds.toFixed(2)} s, ${out.charts} charts as spec + SVG + ` +
        `${result.png ? "PNG" : "no PNG (resvg unavailable)"} (${verdict} the target of 10 s)`,
    );
    return out;
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
}

if (import.meta.main) await reportBench();
