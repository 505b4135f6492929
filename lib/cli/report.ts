/**
 * `deno task report <experiment.ts>`: rebuilds a study's report from its
 * run directories alone.
 *
 * @module
 */
import { expandRuns, loadExperiment } from "../spec/mod.ts";
import { damageText, outputPaths } from "../sweep/mod.ts";
import { writeStudyReport } from "./_study_report.ts";
import { LIMIT_FLAGS, maximaFromFlags } from "./_study_check.ts";
import {
  checkOutDir,
  displayPath,
  EXPAND_FLAGS,
  expandFlags,
  OUT_FLAG,
  parseCommand,
  runMain,
} from "./common.ts";

const USAGE = `usage: deno task report <experiment.ts> [--steps N] [--seeds N] [--full] [--out DIR]
  --steps/--seeds/--full select the runs of a sweep made with the same flags
  (--full: the experiment's full-length protocol); by default the flags of
  the last sweep (runs/<name>/sweep.json) are used.
  --max-runs N: the most runs to plan (default 10000); --debug: stacks of errors.
  A run whose files are damaged counts as failed, naming the file (exit 1).`;

/** Entry point. */
export async function main(args: string[]): Promise<number> {
  const command = parseCommand(args, USAGE, {
    ...EXPAND_FLAGS,
    ...OUT_FLAG,
    "max-runs": LIMIT_FLAGS["max-runs"],
  });
  if (!command) return 0;
  const { values, file } = command;
  const { maxRuns } = maximaFromFlags(values);
  checkOutDir(values.out);
  const exp = await loadExperiment(file, { maxPoints: maxRuns });
  const paths = outputPaths(exp.name, values.out);
  const expand = expandFlags(values, paths.sweepFile);
  const plans = expandRuns(exp, { ...expand, maxRuns });
  checkOutDir(values.out, [paths.reports]);
  const report = await writeStudyReport(exp, plans, paths, { full: expand.full ?? false });
  const found = plans.length - report.missing.length;
  console.log(
    `${exp.name}: ${found} of ${plans.length} planned runs found -> ${
      displayPath(paths.reports)
    }/ (${report.files.length} files)`,
  );
  for (const c of report.claims) {
    console.log(`  ${c.id}: ${c.verdict} (${c.evidence.split(". ")[0]})`);
  }
  if (found === 0 && report.records > 0) {
    console.log(
      `note: ${displayPath(paths.runs)} holds ${report.records} runs of other settings; ` +
        `pass the --steps/--seeds the sweep used`,
    );
  }
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
