/**
 * `deno task report <experiment.ts>`: rebuilds a study's report from its
 * run directories alone.
 *
 * @module
 */
import {
  type Issue,
  loadExperiment,
  type ReportOptionsSpec,
  SpecError,
  validateReportOptions,
} from "../spec/mod.ts";
import { damageText, outputPaths } from "../sweep/mod.ts";
import { interruptedNote, writeStudyReport } from "./_study_report.ts";
import { unknownMetricIssues } from "../metrics/registry.ts";
import { LIMIT_FLAGS, maximaFromFlags, planStudy } from "./_study_check.ts";
import {
  checkOutDir,
  displayPath,
  EXPAND_FLAGS,
  expandFlags,
  intFlag,
  OUT_FLAG,
  parseCommand,
  runMain,
  UsageError,
} from "./common.ts";

const USAGE = `usage: deno task report <experiment.ts> [--steps N] [--seeds N] [--full] [--out DIR]
                  [--metrics a,b] [--x PATH] [--color PATH] [--facet PATH|none]
                  [--log-x auto|on|off] [--digits N] [--sections a,b]
  --steps/--seeds/--full select the runs of a sweep made with the same flags
  (--full: the experiment's full-length protocol); by default the flags of
  the last sweep (runs/<name>/sweep.json) are used.
  The others override the experiment file's report options: the metrics
  charted and tabulated first, the swept paths on x, in colour and in
  facets, log x, significant digits, and the sections shown first.
  --max-runs N: the most runs to plan (default 10000); --debug: stacks of errors.
  A run whose files are damaged counts as failed, naming the file (exit 1).`;

/** The report-option flags. */
const VIEW_FLAGS = {
  metrics: { type: "string" },
  x: { type: "string" },
  color: { type: "string" },
  facet: { type: "string" },
  "log-x": { type: "string" },
  digits: { type: "string" },
  sections: { type: "string" },
} as const;

/** The report options given as flags, checked as the experiment file's are. */
export function viewFlags(
  values: Partial<Record<keyof typeof VIEW_FLAGS, string>>,
  axes: readonly string[],
): ReportOptionsSpec {
  const list = (v: string | undefined) => v?.split(",").map((x) => x.trim()).filter(Boolean);
  const logX = values["log-x"];
  if (logX !== undefined && !["auto", "on", "off"].includes(logX)) {
    throw new UsageError(`--log-x: got "${logX}", expected auto, on or off`);
  }
  const opts: Record<string, unknown> = {
    metrics: list(values.metrics),
    x: values.x,
    color: values.color,
    facet: values.facet === "none" ? null : values.facet,
    logX: logX === undefined ? undefined : logX === "auto" ? "auto" : logX === "on",
    digits: values.digits === undefined ? undefined : intFlag("digits", values.digits, 2),
    sections: list(values.sections),
  };
  for (const k of Object.keys(opts)) if (opts[k] === undefined) delete opts[k];
  const issues: Issue[] = [];
  validateReportOptions(opts, axes, issues);
  if (Array.isArray(opts.metrics)) {
    issues.push(...unknownMetricIssues(opts.metrics as string[], "report.metrics"));
  }
  if (issues.length) {
    throw new UsageError(
      issues.map((i) =>
        `--${i.path.replace(/^report\./, "").replace("logX", "log-x")}: ${i.message}`
      )
        .join("\n"),
    );
  }
  return opts as ReportOptionsSpec;
}

/** Entry point. */
export async function main(args: string[]): Promise<number> {
  const command = parseCommand(args, USAGE, {
    ...EXPAND_FLAGS,
    ...OUT_FLAG,
    ...VIEW_FLAGS,
    "max-runs": LIMIT_FLAGS["max-runs"],
  });
  if (!command) return 0;
  const { values, file } = command;
  const maxima = maximaFromFlags(values);
  const { maxRuns } = maxima;
  checkOutDir(values.out);
  const exp = await loadExperiment(file, { maxPoints: maxRuns });
  const badMetrics = unknownMetricIssues(exp.report?.metrics ?? [], "report.metrics");
  if (badMetrics.length) throw new SpecError(badMetrics, file);
  const paths = outputPaths(exp.name, values.out);
  const expand = expandFlags(values, paths.sweepFile);
  const plans = planStudy(file, exp, expand, maxima);
  checkOutDir(values.out, [paths.reports]);
  const reportOptions = viewFlags(values, exp.axes);
  const report = await writeStudyReport(exp, plans, paths, {
    full: expand.full ?? false,
    reportOptions,
  });
  const found = plans.length - report.missing.length;
  console.log(
    `${exp.name}: ${found} of ${plans.length} planned runs found -> ${
      displayPath(paths.reports)
    }/ (${report.files.length} files)`,
  );
  for (const c of report.claims) {
    console.log(`  ${c.id}: ${c.verdict} (${c.evidence.split(". ")[0]})`);
  }
  for (const c of report.contrasts) console.log(`  contrast ${c.id}: ${c.verdict}`);
  if (found === 0 && report.others > 0) {
    console.log(
      `note: ${displayPath(paths.runs)} holds ${report.others} runs of other settings; ` +
        `pass the --steps/--seeds the sweep used`,
    );
  }
  if (report.interrupted.length) console.log(`note: ${interruptedNote(report.interrupted)}`);
  if (report.damaged.length) {
    console.error(
      `${report.damaged.length} run(s) have damaged files; the report counts them as failed ` +
        `(not evidence):`,
    );
    for (const d of report.damaged) console.error(`  ${d.id}: ${damageText(d.damage)}`);
    console.error("rerun the sweep to retrain them (deno task sweep ...)");
    return 1;
  }
  return 0;
}

if (import.meta.main) await runMain(() => main(Deno.args));
