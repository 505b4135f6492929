/**
 * What `sweep` and `report` share: read a study's runs, check its claims
 * and contrasts, write its report.
 *
 * @module
 */
import type { Experiment, RunPlan } from "../spec/mod.ts";
import { readCheckedRuns } from "../sweep/verify.ts";
import { readJobRecords, workerGone } from "../sweep/mod.ts";
import { lastSweepExpand } from "../sweep/sweep_record.ts";
import type { OutputPaths } from "../sweep/paths.ts";
import { evaluateClaims } from "../claims/mod.ts";
import { buildReport, type BuildReportResult, joinRuns } from "../report/mod.ts";
import type { ClaimResult } from "../claims/types.ts";
import { type ContrastResult, evaluateContrasts } from "../claims/contrasts.ts";
import type { ReportOptionsSpec } from "../spec/mod.ts";
import { parzenBaselines, studyBaselineConfig } from "../baselines/mod.ts";

/** Options for {@link writeStudyReport}. */
export interface StudyReportOptions {
  /**
   * Whether the plans were expanded with `full` (the experiment's
   * full-length protocol). When absent, the `expand` settings of the last
   * sweep (`runs/<name>/sweep.json`) say.
   */
  full?: boolean;
  /** Report options that win over the experiment file's (from flags). */
  reportOptions?: ReportOptionsSpec;
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

/**
 * Builds `reports/<name>/` from `runs/<name>/`, claims included. A run with
 * damaged files counts as failed, its error naming them (`damaged` lists
 * them for the command to say).
 */
export async function writeStudyReport(
  exp: Experiment,
  plans: RunPlan[],
  paths: OutputPaths,
  options: StudyReportOptions = {},
): Promise<
  BuildReportResult & {
    claims: ClaimResult[];
    contrasts: ContrastResult[];
    records: number;
    others: number;
    interrupted: string[];
    damaged: { id: string; damage: { file: string; problem: string }[] }[];
  }
> {
  const { records, damaged } = readCheckedRuns(paths.runs, plans);
  const full = options.full ?? lastSweepExpand(paths.sweepFile)?.full ?? false;
  const joined = joinRuns(exp, plans, records);
  const claims = evaluateClaims(exp, joined, { full });
  const contrasts = evaluateContrasts(exp, joined);
  // Image studies with the Parzen protocol: the estimates of training images and of k-means
  // centres beside Table 1 (computed once, minutes for k-means, then cached).
  const baselineConfig = studyBaselineConfig(plans.map((p) => p.config));
  const baselines = baselineConfig && records.length ? parzenBaselines(baselineConfig) : null;
  const planned = new Set(plans.map((p) => p.id));
  const others = records.filter((r) => !planned.has(r.id)).length;
  const slurmJobs = readJobRecords(paths.runs).length > 0;
  const interrupted = records.filter((r) => planned.has(r.id) && workerGone(r.status, slurmJobs))
    .map((r) => r.id);
  const notes = studyNotes(exp, full);
  if (interrupted.length) notes.push(interruptedNote(interrupted));
  const report = await buildReport(exp, plans, records, paths.reports, {
    claims,
    contrasts,
    notes,
    interrupted,
    reportOptions: options.reportOptions,
    parzenBaselines: baselines,
  });
  return {
    ...report,
    claims,
    contrasts,
    records: records.length,
    others,
    interrupted,
    damaged,
  };
}

/**
 * The note for runs whose status says running while their worker is gone.
 *
 * @param ids The runs.
 * @returns One sentence.
 */
export function interruptedNote(ids: readonly string[]): string {
  const shown = ids.slice(0, 5).map((id) => `\`${id}\``).join(", ");
  return `Interrupted: ${ids.length} run(s) say running, but their worker on this host is gone ` +
    `(a sweep killed outright): ${shown}${ids.length > 5 ? ", ..." : ""}; the next sweep ` +
    `resumes them from their last checkpoint.`;
}
