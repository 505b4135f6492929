/**
 * What the two executors of `deno task sweep` share: the parsed sweep, its
 * progress display and its report.
 *
 * @module
 */
import type { ExpandOptions, Experiment, RunPlan } from "../spec/mod.ts";
import { type OutputPaths, Progress } from "../sweep/mod.ts";
import { writeStudyReport } from "./_study_report.ts";
import { displayPath } from "./common.ts";

/** The parsed flags of a sweep. */
export interface SweepContext {
  /** The experiment file as given. */
  file: string;
  exp: Experiment;
  /** Every run of the sweep. */
  all: RunPlan[];
  /** The runs `--only` keeps. */
  plans: RunPlan[];
  paths: OutputPaths;
  expand: ExpandOptions;
  quiet: boolean;
  noReport: boolean;
  retryFailed: boolean;
  /** Leave finished runs with damaged files alone (`--keep-damaged`). */
  keepDamaged: boolean;
  checkpointEvery: number;
  concurrency?: number;
  backend: string;
}

/** Progress of the sweep's plans: live on a terminal, lines otherwise, nothing when quiet. */
export function sweepProgress(ctx: SweepContext): Progress {
  const mode = ctx.quiet ? "quiet" : Deno.stdout.isTerminal() ? "tty" : "lines";
  return new Progress(mode, ctx.plans.length);
}

/** `console.log`, or nothing with `--quiet`. */
export function sayer(ctx: SweepContext): (line: string) => void {
  return ctx.quiet ? () => {} : console.log;
}

/** Writes the study's report and says where, with each claim's verdict. */
export async function printReport(ctx: SweepContext, say: (s: string) => void): Promise<void> {
  const r = await writeStudyReport(ctx.exp, ctx.all, ctx.paths);
  say(`report: ${displayPath(ctx.paths.reports)}/ (${r.files.length} files)`);
  for (const c of r.claims) say(`  ${c.id}: ${c.verdict} (${c.evidence.split(". ")[0]})`);
  if (r.damaged.length && !ctx.keepDamaged) {
    // Damaged files appeared while the sweep ran: say so, never use them silently.
    say(`  ${r.damaged.length} run(s) have damaged files and count as failed in the report`);
  }
}
