/**
 * Report fixtures on disk: small studies written as real run directories
 * (config, status, metrics.csv, final.json, samples.csv) with the store's
 * own helpers, and hand-made claims.
 *
 * @module
 */
import { Rng } from "../../lib/runtime/rng.ts";
import { join } from "node:path";
import type { ClaimResult } from "../../lib/claims/types.ts";
import { truthOf } from "../../lib/data/synthetic.ts";
import type { SyntheticDataConfig } from "../../lib/data/types.ts";
import {
  expandRuns,
  type Experiment,
  type ExperimentSpec,
  type RunPlan,
  validateExperiment,
} from "../../lib/spec/mod.ts";
import {
  metricsToCsv,
  readRuns,
  runPaths,
  type RunRecord,
  type RunState,
} from "../../lib/sweep/store.ts";
import { writeAtomic, writeJson } from "../../lib/io/mod.ts";

/** A study written to disk. */
export interface DiskStudy {
  exp: Experiment;
  plans: RunPlan[];
  records: RunRecord[];
  /** `runs/<name>/` */
  runsDir: string;
}

/** The ring-8 study: k in {1, 2}, seeds 0..2; final metrics depend on k and seed. */
export const RING_SPEC: ExperimentSpec = {
  name: "ring",
  title: "Ring & k",
  base: { data: { name: "ring-8" }, steps: 100, evalEvery: 50 },
  sweep: { k: [1, 2] },
  seeds: [0, 1, 2],
  claims: ["d-overfits"],
};

/** The 1-D Gaussian study: learning rate in {1e-4, 1e-3}, seeds 0..2. */
export const GAUSS_SPEC: ExperimentSpec = {
  name: "gauss",
  title: "Gaussian 1-D",
  base: {
    data: { name: "gaussian-1d", mean: 4, std: 0.5 },
    optimizer: { name: "adam" },
    steps: 100,
    evalEvery: 50,
  },
  sweep: { "optimizer.lr": [1e-4, 1e-3] },
  seeds: [0, 1, 2],
};

/** Final metrics of one run of either study: simple functions of its index and seed. */
export function finalMetrics(
  exp: Experiment,
  plan: RunPlan,
  index: number,
): Record<string, number> {
  const c = index + 1;
  const m: Record<string, number> = {
    d_gap: 0.01 * c + 0.002 * plan.seed,
    r_t: 0.1 * c - 0.01 * plan.seed,
    value: -1.3 - 0.01 * c * (plan.seed + 1),
  };
  if (exp.name === "ring") {
    m.modes = 8 - plan.seed - index;
    m.hq_share = 0.9 - 0.05 * plan.seed;
  } else {
    m.js = 0.001 * c * (plan.seed + 1);
  }
  return m;
}

/** Uniforms in [0, 1) from the harness's seeded generator. */
function generator(seed: number): () => number {
  const rng = new Rng(seed, "fixture");
  return () => rng.uniform();
}

function normal(u: () => number): number {
  return Math.sqrt(-2 * Math.log(1 - u())) * Math.cos(2 * Math.PI * u());
}

/** 1,000 samples near the run's true distribution (x, or x,y), as samples.csv text. */
export function samplesText(plan: RunPlan): string {
  const truth = truthOf(plan.config.data as SyntheticDataConfig);
  const u = generator(plan.seed * 7919 + 17);
  const lines: string[] = [];
  if (truth.kind === "gaussian-1d") {
    lines.push("x");
    for (let i = 0; i < 1000; i++) lines.push(String(truth.mean + truth.std * normal(u)));
  } else {
    lines.push("x,y");
    for (let i = 0; i < 1000; i++) {
      const [cx, cy] = truth.centres[Math.floor(u() * truth.centres.length)];
      lines.push(`${cx + truth.std * normal(u)},${cy + truth.std * normal(u)}`);
    }
  }
  return lines.join("\n") + "\n";
}

/** The files of one run directory. */
export type RunFiles = ReturnType<typeof runPaths>;

/**
 * Writes a study under `<root>/runs/<name>/`: `writeRun` writes each
 * planned run (given its plan index and files), then the runs are read back.
 */
export function diskStudy(
  root: string,
  spec: ExperimentSpec,
  writeRun: (plan: RunPlan, index: number, files: RunFiles, exp: Experiment) => void,
): DiskStudy {
  const exp = validateExperiment(spec);
  const plans = expandRuns(exp);
  const runsDir = join(root, "runs", exp.name);
  plans.forEach((plan, i) => writeRun(plan, i, runPaths(join(runsDir, plan.id)), exp));
  return { exp, plans, records: readRuns(runsDir), runsDir };
}

/** Writes a run's config and status (one attempt; `failure` is the error of a failed run). */
export function writeRunStatus(
  p: RunFiles,
  plan: RunPlan,
  state: RunState,
  failure: string,
): void {
  writeJson(p.config, plan.config);
  writeJson(p.status, {
    state,
    attempts: 1,
    error: state === "failed" ? failure : undefined,
  });
}

/**
 * Writes every run of a study under `<root>/runs/<name>/` and reads them back.
 *
 * @param root The output root.
 * @param spec The experiment.
 * @param states Optional state per run index (default every run `done`).
 * @returns The study.
 */
export function writeStudy(
  root: string,
  spec: ExperimentSpec,
  states: Record<number, RunState> = {},
): DiskStudy {
  const configIndex = new Map<string, number>();
  return diskStudy(root, spec, (plan, i, p, exp) => {
    if (!configIndex.has(plan.configId)) configIndex.set(plan.configId, configIndex.size);
    const state = states[i] ?? "done";
    writeRunStatus(p, plan, state, "Error: fixture failure\n  at somewhere");
    const final = finalMetrics(exp, plan, configIndex.get(plan.configId)!);
    if (state === "done" || state === "diverged") {
      const rows = [0, 50, 100].map((step) => {
        const row: Record<string, number> = { step };
        for (const [k, v] of Object.entries(final)) row[k] = v * (0.5 + step / 200);
        return row;
      });
      writeAtomic(p.metrics, metricsToCsv(rows));
      writeJson(p.final, { step: 100, metrics: final });
      writeAtomic(p.samples, samplesText(plan));
    }
  });
}

/** Claims with every verdict, LaTeX/HTML specials in the text, and one without an interval. */
export function sampleClaims(runs: string[] = []): ClaimResult[] {
  return [
    {
      id: "d-overfits",
      title: "D overfits its training set as k grows (50% & more)",
      verdict: "PASS",
      evidence:
        "slope of `d_gap` on log k is 0.0123 > 0 in 5/5 seeds; A_b & c_d #1 {x} ~y ^z \\w $5",
      effect: { name: "slope d_gap/log k", estimate: 0.012345, ci95Low: 0.0041, ci95High: 0.02056 },
      test: "per-seed slope, t-interval",
      n: 5,
      runs,
      params: { metric: "d_gap" },
    },
    {
      id: "mode-collapse",
      title: "More G steps lose modes <fewer>",
      verdict: "FAIL",
      evidence: "modes captured did not fall: −0.2 ± 0.4",
      effect: { name: "Δ modes", estimate: -0.2, ci95Low: -0.6, ci95High: 0.00004321 },
      test: "difference of means, Welch t-interval",
      n: 3,
      runs,
      params: {},
    },
    {
      id: "convergence-1d",
      title: "p_g approaches p_data",
      verdict: "INCONCLUSIVE",
      evidence: "only one seed finished",
      effect: { name: "JS drop", estimate: 123456.7, ci95Low: NaN, ci95High: NaN },
      test: "paired t-interval",
      n: 1,
      runs,
      params: {},
    },
  ];
}
