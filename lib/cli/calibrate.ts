/**
 * `deno task calibrate`: the false-PASS rate and power of every claim rule
 * on simulated studies (`lib/claims/calibrate.ts`, scenarios in
 * `lib/claims/calibrations.ts`).
 *
 * @module
 */
import { calibrate, type CalibrationResult, withinTarget } from "../claims/calibrate.ts";
import { CALIBRATIONS } from "../claims/calibrations.ts";
import { intFlag, parseFlags, runMain, UsageError } from "./common.ts";

const USAGE = `usage: deno task calibrate [--studies N] [--claim ID] [--json]
  --studies N   simulated studies per scenario (default 2000)
  --claim ID    one claim only (repeatable)
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
  const known = CALIBRATIONS.map((c) => c.id);
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
  if (values.json) console.log(JSON.stringify(results, null, 2));
  else console.log(calibrationTable(results).join("\n"));
  return results.every((r) => r.nulls.every((s) => withinTarget(s, r.target))) ? 0 : 1;
}

if (import.meta.main) await runMain(async () => await Promise.resolve(main(Deno.args)));
