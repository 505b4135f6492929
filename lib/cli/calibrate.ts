/**
 * `deno task calibrate`: the false-PASS rate and power of every claim rule
 * on simulated studies (`lib/claims/calibrate.ts`, scenarios in
 * `lib/claims/calibrations.ts`).
 *
 * @module
 */
import { calibrate, type CalibrationResult, withinTarget } from "../claims/calibrate.ts";
import { CALIBRATIONS } from "../claims/calibrations.ts";
import {
  calibrateContrast,
  CONTRAST_CALIBRATIONS,
  type ContrastCalibrationResult,
} from "../claims/contrast_calibrations.ts";
import { intFlag, parseFlags, runMain, UsageError } from "./common.ts";

const USAGE = `usage: deno task calibrate [--studies N] [--claim ID] [--json]
  --studies N   simulated studies per scenario (default 2000)
  --claim ID    one claim only (repeatable); "contrasts" for the contrast rule only
  --json        print the results as JSON`;

function pct(x: number): string {
  return `${(100 * x).toFixed(1)}%`;
}

/** The results as a Markdown table. */
export function calibrationTable(results: readonly CalibrationResult[]): string[] {
  const lines = [
    "| claim | scenario | studies | PASS [95% CI] | FAIL | INCONCLUSIVE | target |",
    "| --- | --- | --- | --- | --- | --- | --- |",
  ];
  for (const r of results) {
    for (
      const [kind, s] of [
        ...r.nulls.map((n) => ["null", n] as const),
        ["planted", r.planted] as const,
      ]
    ) {
      const ok = kind === "null" ? (withinTarget(s, r.target) ? "" : " (TOO HIGH)") : "";
      lines.push(
        `| ${r.id} | ${kind}: ${s.describe} | ${s.studies} | ${pct(s.passRate)} [${
          pct(s.passCi95[0])
        }, ${pct(s.passCi95[1])}]${ok} | ${pct(s.counts.FAIL / s.studies)} | ${
          pct(s.counts.INCONCLUSIVE / s.studies)
        } | ${kind === "null" ? `<= ${pct(r.target)}` : "power"} |`,
      );
    }
  }
  return lines;
}

/** The contrast rule's interaction test: the share of studies saying "depends". */
export function interactionTable(results: readonly ContrastCalibrationResult[]): string[] {
  const rows = results.filter((r) => r.interaction);
  if (rows.length === 0) return [];
  const lines = [
    "",
    '| contrast rule | interaction scenario | studies | says "depends" [95% CI] | target |',
    "| --- | --- | --- | --- | --- |",
  ];
  for (const r of rows) {
    const i = r.interaction!;
    for (const [kind, s] of [["null", i.null], ["planted", i.planted]] as const) {
      const ok = kind === "null" && i.target < s.ci95[0] ? " (TOO HIGH)" : "";
      lines.push(
        `| ${r.id} | ${kind}: ${s.describe} | ${s.studies} | ${pct(s.rate)} [${pct(s.ci95[0])}, ${
          pct(s.ci95[1])
        }]${ok} | ${kind === "null" ? `<= ${pct(i.target)}` : "power"} |`,
      );
    }
  }
  return lines;
}

/** Entry point. */
export function main(args: string[]): number {
  const { values } = parseFlags(args, {
    studies: { type: "string" },
    claim: { type: "string", multiple: true },
    json: { type: "boolean", default: false },
    help: { type: "boolean", short: "h", default: false },
  });
  if (values.help) {
    console.log(USAGE);
    return 0;
  }
  const studies = intFlag("--studies", values.studies, 10) ?? 2000;
  const wanted = values.claim ?? [];
  const known = [...CALIBRATIONS.map((c) => c.id), "contrasts"];
  for (const id of wanted) {
    if (!known.includes(id)) {
      throw new UsageError(`--claim ${JSON.stringify(id)}: expected one of ${known.join(", ")}`);
    }
  }
  const results: CalibrationResult[] = [];
  for (const cal of CALIBRATIONS) {
    if (wanted.length && !wanted.includes(cal.id)) continue;
    const t0 = performance.now();
    results.push(calibrate(cal, studies));
    if (!values.json) {
      console.error(`${cal.id}: ${((performance.now() - t0) / 1000).toFixed(1)} s`);
    }
  }
  const contrasts: ContrastCalibrationResult[] = [];
  if (wanted.length === 0 || wanted.includes("contrasts")) {
    for (const cal of CONTRAST_CALIBRATIONS) {
      const t0 = performance.now();
      contrasts.push(calibrateContrast(cal, studies));
      if (!values.json) {
        console.error(`contrast ${cal.id}: ${((performance.now() - t0) / 1000).toFixed(1)} s`);
      }
    }
  }
  const named = contrasts.map((c) => ({ ...c, id: `contrast ${c.id}` }));
  if (values.json) console.log(JSON.stringify([...results, ...named], null, 2));
  else {console.log(
      [...calibrationTable([...results, ...named]), ...interactionTable(contrasts)].join("\n"),
    );}
  const nullsOk = [...results, ...contrasts].every((r) =>
    r.nulls.every((s) => withinTarget(s, r.target))
  );
  const interactionOk = contrasts.every((c) =>
    !c.interaction || c.interaction.null.ci95[0] <= c.interaction.target
  );
  return nullsOk && interactionOk ? 0 : 1;
}

if (import.meta.main) await runMain(async () => await Promise.resolve(main(Deno.args)));
