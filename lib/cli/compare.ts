/**
 * `deno task compare <a.ts> <b.ts> [more...] [--out DIR]`: puts two or more
 * studies side by side in `reports/compare-<a>-<b>/`, from their run
 * directories and the claims their last report checked.
 *
 * @module
 */
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { expandRuns, loadExperiment } from "../spec/mod.ts";
import { damageText, lastSweepExpand, outputPaths, readCheckedRuns } from "../sweep/mod.ts";
import { compareName, compareStudies, parseClaimsJson, type Study } from "../report/mod.ts";
import {
  checkOutDir,
  displayPath,
  HELP_FLAG,
  OUT_FLAG,
  parseFlags,
  runMain,
  UsageError,
} from "./common.ts";

const USAGE = `usage: deno task compare <a.ts> <b.ts> [more.ts...] [--out DIR]
  Each study's runs are those of its last sweep (runs/<name>/sweep.json); its
  claims come from reports/<name>/claims.json (run \`deno task report\` first).`;

/** Entry point. */
export async function main(args: string[]): Promise<number> {
  const { values, positionals } = parseFlags(args, { ...OUT_FLAG, ...HELP_FLAG });
  if (values.help) {
    console.log(USAGE);
    return 0;
  }
  if (positionals.length < 2) {
    throw new UsageError(`expected two or more experiment files\n${USAGE}`);
  }
  checkOutDir(values.out);
  const studies: Study[] = [];
  let damagedRuns = 0;
  for (const file of positionals) {
    const exp = await loadExperiment(file);
    if (studies.some((s) => s.exp.name === exp.name)) {
      throw new UsageError(`study "${exp.name}" is given twice`);
    }
    const paths = outputPaths(exp.name, values.out);
    const expand = lastSweepExpand(paths.sweepFile) ?? {};
    const claimsFile = join(paths.reports, "claims.json");
    const claims = existsSync(claimsFile) ? parseClaimsJson(readFileSync(claimsFile, "utf8")) : [];
    const plans = expandRuns(exp, expand);
    const { records, damaged } = readCheckedRuns(paths.runs, plans);
    for (const d of damaged) {
      console.error(
        `${exp.name}: ${d.id} has damaged files, counted as failed: ${damageText(d.damage)}`,
      );
    }
    damagedRuns += damaged.length;
    studies.push({ exp, plans, records, claims });
  }
  const dir = outputPaths(compareName(studies.map((s) => s.exp.name)), values.out).reports;
  checkOutDir(values.out, [dir]);
  const result = await compareStudies(studies, dir);
  for (const s of studies) {
    const found = new Set(s.records.map((r) => r.id));
    const n = s.plans.filter((p) => found.has(p.id)).length;
    console.log(
      `${s.exp.name}: ${n} of ${s.plans.length} planned runs found, ${
        s.claims?.length ?? 0
      } claim(s)`,
    );
  }
  console.log(
    `shared metrics: ${result.metrics.join(", ") || "none"} -> ${
      displayPath(dir)
    }/ (${result.files.length} files)`,
  );
  return damagedRuns ? 1 : 0;
}

if (import.meta.main) await runMain(() => main(Deno.args));
