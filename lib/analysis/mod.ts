/**
 * What claims and reports both read: planned runs joined with their
 * records and grouped by configuration (`join.ts`), the runs a verdict may
 * use and their units (`select.ts`), summary statistics and intervals
 * (`stats.ts`), curves summarised across seeds (`curves.ts`), titles and
 * labels (`labels.ts`), number formatting (`format.ts`) and the statistics of
 * two-arm comparisons (`contrast_stats.ts`). Claims and the
 * report depend on this layer; it depends on neither.
 *
 * @module
 */
export {
  axisValue,
  type ConfigGroup,
  EVIDENCE_STATES,
  healthOf,
  type Joined,
  type JoinedRun,
  joinRuns,
  REPORT_STATES,
  type ReportState,
  UNFINISHED_STATES,
} from "./join.ts";
export * from "./select.ts";
export * from "./stats.ts";
export * from "./curves.ts";
export * from "./labels.ts";
export * from "./format.ts";
export * from "./contrast_stats.ts";
