/**
 * What `sweep` and `report` share: read a study's runs, check its claims,
 * write its report.
 *
 * @module
 */
import type { Experiment, RunPlan } from "../spec/experiment.ts";
import { readRuns } from "../sweep/store.ts";
import type { OutputPaths } from "../sweep/paths.ts";
import { evaluateClaims } from "../claims/mod.ts";
import { buildReport, type BuildReportResult, joinRuns } from "../report/mod.ts";
import type { ClaimResult } from "../claims/types.ts";

/** Builds `reports/<name>/` from `runs/<name>/`, claims included. */
export async function writeStudyReport(
  exp: Experiment,
  plans: RunPlan[],
  paths: OutputPaths,
): Promise<BuildReportResult & { claims: ClaimResult[]; records: number }> {
  const records = readRuns(paths.runs);
  const claims = evaluateClaims(exp, joinRuns(exp, plans, records));
  const report = await buildReport(exp, plans, records, paths.reports, { claims });
  return { ...report, claims, records: records.length };
}
