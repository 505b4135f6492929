/**
 * What `sweep` and `report` share: read a study's runs, check its claims,
 * write its report.
 *
 * @module
 */
import type { Experiment, RunPlan } from "../spec/mod.ts";
import { readRuns } from "../sweep/store.ts";
import { lastSweepExpand } from "../sweep/sweep_record.ts";
import type { OutputPaths } from "../sweep/paths.ts";
import { evaluateClaims } from "../claims/mod.ts";
import { buildReport, type BuildReportResult, joinRuns } from "../report/mod.ts";
import type { ClaimResult } from "../claims/types.ts";
import { parzenBaselines, studyBaselineConfig } from "../baselines/mod.ts";

/** Options for {@link writeStudyReport}. */
export interface StudyReportOptions {
  /**
   * Whether the plans were expanded with `full` (the experiment's
   * full-length protocol). When absent, the `expand` settings of the last
   * sweep (`runs/<name>/sweep.json`) say.
   */
  full?: boolean;
}

/**
 * The notes at the top of a study's report: that its runs used the
 * experiment's shortened budget, when it declares one and the plans were
 * not expanded with `full`.
 *
 * @param exp The experiment.
 * @param full Whether the plans were expanded with `full`.
 * @returns Zero or one note.
 */
export function studyNotes(exp: Experiment, full: boolean): string[] {
  if (full || !exp.shortened) return [];
  const text = exp.shortened.trim().replace(/[.;]+$/, "");
  return [
    exp.full
      ? `Shortened budget: ${text}; run with --full for the paper's protocol.`
      : `Shortened budget: ${text}.`,
  ];
}

/** Builds `reports/<name>/` from `runs/<name>/`, claims included. */
export async function writeStudyReport(
  exp: Experiment,
  plans: RunPlan[],
  paths: OutputPaths,
  options: StudyReportOptions = {},
): Promise<BuildReportResult & { claims: ClaimResult[]; records: number }> {
  const records = readRuns(paths.runs);
  const full = options.full ?? lastSweepExpand(paths.sweepFile)?.full ?? false;
  const claims = evaluateClaims(exp, joinRuns(exp, plans, records), { full });
  // Image studies with the Parzen protocol: the estimates of training images and of k-means
  // centres beside Table 1 (computed once, minutes for k-means, then cached).
  const baselineConfig = studyBaselineConfig(plans.map((p) => p.config));
  const baselines = baselineConfig && records.length ? parzenBaselines(baselineConfig) : null;
  const report = await buildReport(exp, plans, records, paths.reports, {
    claims,
    notes: studyNotes(exp, full),
    parzenBaselines: baselines,
  });
  return { ...report, claims, records: records.length };
}
