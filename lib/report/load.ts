/**
 * Reading a report back, e.g. in a notebook: its claims, summary table,
 * per-run rows, contrasts and charts (spec and SVG), from the files
 * `buildReport` wrote, typed.
 *
 * @example
 * ```ts
 * import { displayChart, loadReport } from "./lib/report/mod.ts";
 * const report = loadReport("reports/k-steps");
 * report.claims.map((c) => `${c.id}: ${c.verdict}`);
 * for (const chart of report.charts) displayChart(chart);
 * ```
 *
 * @module
 */
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import type { TopLevelSpec } from "../deps.ts";
import type { ClaimResult } from "../claims/types.ts";
import { parseClaimsJson } from "./claims_table.ts";
import { parseCsv } from "./csv.ts";

/** One chart of a report on disk. */
export interface LoadedChart {
  /** File stem, e.g. `final-d_gap`. */
  name: string;
  /** The Vega-Lite spec (`charts/<name>.vl.json`). */
  spec: TopLevelSpec;
  /** The SVG (`charts/<name>.svg`), or null when it was not rendered. */
  svg: string | null;
  /** Path of `charts/<name>.png`, or null when absent. */
  png: string | null;
}

/**
 * A row of `summary.csv`: one configuration. Swept paths are columns of
 * their own (numbers or text); each metric has `<metric>_mean`, `_sd`,
 * `_ci95_low`, `_ci95_high` and `_n` (empty cells are NaN).
 */
export interface SummaryRow {
  config_id: string;
  /** Planned runs, and how many are done, invalid (failed a health check), failed, diverged, missing. */
  runs: number;
  done: number;
  invalid: number;
  failed: number;
  diverged: number;
  missing: number;
  [column: string]: string | number;
}

/**
 * A row of `runs.csv`: one planned run, with its state, whether it passed
 * the health checks (null when not done), its swept values and final metrics.
 */
export interface RunRow {
  run_id: string;
  seed: number;
  state: string;
  /** Whether the run passed the health checks (null when it is not done). */
  valid: boolean | null;
  /** The failed checks with what was measured ("" when none). */
  health: string;
  [column: string]: string | number | boolean | null;
}

/** A row of `contrasts.csv` (see `lib/report/contrasts_table.ts` for every column). */
export interface ContrastRow {
  contrast: string;
  verdict: string;
  /** "overall", "cell" or "interaction". */
  kind: string;
  level: string;
  metric: string;
  outcome: string;
  [column: string]: string | number | boolean | null;
}

/** A report read back from its directory. */
export interface LoadedReport {
  /** The report directory. */
  dir: string;
  /** `claims.json` (empty when absent). */
  claims: ClaimResult[];
  /** `summary.csv` rows (empty cells are NaN). */
  summary: SummaryRow[];
  /** `runs.csv` rows (empty when absent). */
  runs: RunRow[];
  /** `contrasts.csv` rows (empty when the study declares no contrast). */
  contrasts: ContrastRow[];
  /** The charts, in the order `report.md` shows them (others after, by name). */
  charts: LoadedChart[];
}

function readText(path: string): string | null {
  try {
    return readFileSync(path, "utf8");
  } catch {
    return null;
  }
}

/**
 * Reads a report directory written by `buildReport`.
 *
 * @param dir The report directory, e.g. `reports/k-steps`.
 * @returns Claims, summary rows and charts; throws when `dir` holds no report.
 */
export function loadReport(dir: string): LoadedReport {
  const summaryText = readText(join(dir, "summary.csv"));
  const claimsText = readText(join(dir, "claims.json"));
  if (summaryText === null && claimsText === null) {
    throw new Error(`${dir}: no report here (neither summary.csv nor claims.json)`);
  }
  const chartsDir = join(dir, "charts");
  const names = existsSync(chartsDir)
    ? readdirSync(chartsDir).filter((f) => f.endsWith(".vl.json")).map((f) =>
      f.slice(0, -".vl.json".length)
    )
    : [];
  const md = readText(join(dir, "report.md")) ?? "";
  const position = (name: string) => {
    const i = md.indexOf(`charts/${name}.`);
    return i < 0 ? Number.MAX_SAFE_INTEGER : i;
  };
  names.sort((a, b) => position(a) - position(b) || a.localeCompare(b));
  const charts = names.map((name): LoadedChart => {
    const base = join(chartsDir, name);
    return {
      name,
      spec: JSON.parse(readFileSync(`${base}.vl.json`, "utf8")) as TopLevelSpec,
      svg: readText(`${base}.svg`),
      png: existsSync(`${base}.png`) ? `${base}.png` : null,
    };
  });
  const runsText = readText(join(dir, "runs.csv"));
  const contrastsText = readText(join(dir, "contrasts.csv"));
  const bool = (v: unknown) => (v === "true" ? true : v === "false" ? false : null);
  const runs = runsText === null
    ? []
    : parseCsv(runsText, { text: ["run_id", "state", "health", "valid"] }).map((r) => ({
      ...r,
      valid: bool(r.valid),
      health: typeof r.health === "string" ? r.health : "",
    } as RunRow));
  const contrasts = contrastsText === null ? [] : parseCsv(contrastsText, {
    text: [
      "contrast",
      "verdict",
      "kind",
      "level",
      "metric",
      "better",
      "outcome",
      "why",
      "interaction_axis",
      "paired",
    ],
  }).map((r) => ({ ...r, paired: bool(r.paired) } as unknown as ContrastRow));
  return {
    dir,
    claims: claimsText === null ? [] : parseClaimsJson(claimsText),
    summary: summaryText === null ? [] : parseCsv(summaryText) as SummaryRow[],
    runs,
    contrasts,
    charts,
  };
}
