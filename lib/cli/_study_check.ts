/**
 * Everything a sweep checks before any work, so that a study that cannot
 * give what it promises is refused (exit 2, nothing written) rather than
 * found out after every run trained: its size (runs within `--max-runs`,
 * counted without expanding), its claims (parameters and what each needs
 * of the study), the bounds of every config (batch vs training set,
 * iterations within `--max-steps`, memory within one worker's share), and
 * the image data its runs read (found and verified once, here).
 *
 * @module
 */
import { totalmem } from "node:os";
import {
  countRuns,
  DEFAULT_MAX_RUNS,
  DEFAULT_MAX_STEPS,
  type ExpandOptions,
  expandRuns,
  type Experiment,
  formatBytes,
  isImageData,
  type Issue,
  type RunPlan,
  SpecError,
  studyLimitIssues,
  type StudyLimits,
} from "../spec/mod.ts";
import { checkClaims } from "../claims/mod.ts";
import { unknownMetricIssues } from "../metrics/registry.ts";
import { imageDataStatus } from "../data/images/mod.ts";
import { canonicalJson } from "../spec/run_id.ts";
import { intFlag, UsageError } from "./common.ts";

/** --max-runs N, --max-steps N: the maxima a sweep plans within. */
export const LIMIT_FLAGS = {
  "max-runs": { type: "string" },
  "max-steps": { type: "string" },
} as const;

/** The maxima of a command, from its flags. */
export interface Maxima {
  maxRuns: number;
  maxSteps: number;
}

/** Parses `--max-runs` and `--max-steps` (defaults {@link DEFAULT_MAX_RUNS}, {@link DEFAULT_MAX_STEPS}). */
export function maximaFromFlags(values: { "max-runs"?: string; "max-steps"?: string }): Maxima {
  return {
    maxRuns: intFlag("max-runs", values["max-runs"]) ?? DEFAULT_MAX_RUNS,
    maxSteps: intFlag("max-steps", values["max-steps"]) ?? DEFAULT_MAX_STEPS,
  };
}

/**
 * The size of the sweep against `--max-runs`, and `--steps` against
 * `--max-steps`, before anything is expanded.
 *
 * @returns The sweep's size.
 * @throws {UsageError} When `--steps` is over the maximum.
 */
export function sweepSize(
  exp: Experiment,
  expand: ExpandOptions,
  maxima: Maxima,
): { points: number; seeds: number; runs: number; tooMany: boolean } {
  if (expand.steps !== undefined && expand.steps > maxima.maxSteps) {
    throw new UsageError(
      `--steps: got ${expand.steps}, more than the maximum of ${maxima.maxSteps} iterations ` +
        `per run; raise it with --max-steps ${expand.steps}`,
    );
  }
  const size = countRuns(exp, expand);
  return { ...size, tooMany: size.runs > maxima.maxRuns || exp.oversized !== undefined };
}

/** The issue of a sweep over `--max-runs`, naming the experiment file. */
export function tooManyRuns(
  file: string,
  size: { points: number; seeds: number; runs: number },
  maxRuns: number,
): SpecError {
  return new SpecError([{
    path: "sweep",
    message: `${size.points} point(s) x ${size.seeds} seed(s) = ${size.runs} runs, more than ` +
      `the maximum of ${maxRuns}; nothing was planned or written; raise it with --max-runs ` +
      `${size.runs} if you mean it`,
  }], file);
}

/**
 * The runs of a study for `status` and `report`: refused, naming the
 * experiment file, when they are more than `--max-runs` allows (counted
 * without expanding), as `sweep` refuses them.
 *
 * @param file The experiment file, for messages.
 * @param exp The validated experiment.
 * @param expand The expansion flags.
 * @param maxima The maxima of the flags.
 * @returns Every planned run.
 */
export function planStudy(
  file: string,
  exp: Experiment,
  expand: ExpandOptions,
  maxima: Maxima,
): RunPlan[] {
  const size = sweepSize(exp, expand, maxima);
  if (size.tooMany) throw tooManyRuns(file, size, maxima.maxRuns);
  return expandRuns(exp, { ...expand, maxRuns: maxima.maxRuns });
}

/**
 * What one run may use here: the maximum iterations, and one worker's share
 * of this machine's memory (or of a Slurm task's `--mem`).
 *
 * @param maxima The maxima of the flags.
 * @param workers Runs at once on this machine (null for Slurm tasks).
 * @param slurmMem Memory per Slurm task (`4G`, `500M`, `16000`), when set.
 */
export function studyLimits(
  maxima: Maxima,
  workers: number | null,
  slurmMem?: string,
): StudyLimits {
  if (workers === null) {
    const m = /^(\d+(?:\.\d+)?)([KMGT]?)B?$/i.exec(slurmMem ?? "");
    if (!m) return { maxSteps: maxima.maxSteps };
    const unit = { K: 2 ** 10, M: 2 ** 20, G: 2 ** 30, T: 2 ** 40 }[
      (m[2] || "M").toUpperCase() as "K" | "M" | "G" | "T"
    ];
    return {
      maxSteps: maxima.maxSteps,
      memoryBytes: Number(m[1]) * unit,
      memoryNote: `--mem ${slurmMem} per Slurm task`,
    };
  }
  const total = totalmem();
  return {
    maxSteps: maxima.maxSteps,
    memoryBytes: total / workers,
    memoryNote: `${formatBytes(total)} over ${workers} worker(s)`,
  };
}

/** Image data sets the runs read that are missing or fail verification, as issues. */
function imageDataIssues(plans: readonly RunPlan[]): Issue[] {
  const byName = new Map<string, RunPlan>();
  for (const p of plans) {
    if (isImageData(p.config.data) && !byName.has(p.config.data.name)) {
      byName.set(p.config.data.name, p);
    }
  }
  const issues: Issue[] = [];
  for (const [name, plan] of byName) {
    const status = imageDataStatus(name as Parameters<typeof imageDataStatus>[0]);
    if (status.available) continue;
    const swept = Object.keys(plan.point).some((k) => k === "data" || k.startsWith("data."));
    issues.push({
      path: swept ? "config.data.name" : "base.data.name",
      message: `"${name}" cannot be read: ${status.problem}${
        swept ? ` (in the run with ${canonicalJson(plan.point)})` : ""
      }; nothing was trained (every run would fail); fix the data, or see \`deno task data ${name}\``,
    });
  }
  return issues;
}

/**
 * Checks a planned study before any work: its claims, the bounds of each
 * config, and the image data the runs to train read.
 *
 * @param file The experiment file, for messages.
 * @param exp The validated experiment.
 * @param plans Every planned run (claims and bounds are checked on all).
 * @param toTrain The runs a sweep would train (their image data is verified).
 * @param limits What one run may use.
 * @param claims Whether to check the claims (not for one run of `deno task run`).
 * @throws {SpecError} With every problem, each naming the file.
 */
export function checkStudy(
  file: string,
  exp: Experiment,
  plans: readonly RunPlan[],
  toTrain: readonly RunPlan[],
  limits: StudyLimits,
  claims = true,
): void {
  const issues = [
    ...(claims ? checkClaims(exp, plans) : []),
    ...studyLimitIssues(exp, plans, limits),
    ...imageDataIssues(toTrain),
    ...unknownMetricIssues(exp.report?.metrics ?? [], "report.metrics"),
  ];
  if (issues.length) throw new SpecError(issues, file);
}
