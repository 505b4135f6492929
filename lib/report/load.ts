/**
 * Reading a report back, e.g. in a notebook: its claims, summary table and
 * charts (spec and SVG), from the files `buildReport` wrote.
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

/** A report read back from its directory. */
export interface LoadedReport {
  /** The report directory. */
  dir: string;
  /** `claims.json` (empty when absent). */
  claims: ClaimResult[];
  /** `summary.csv` rows (empty cells are NaN). */
  summary: Record<string, string | number>[];
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
  return {
    dir,
    claims: claimsText === null ? [] : parseClaimsJson(claimsText),
    summary: summaryText === null ? [] : parseCsv(summaryText),
    charts,
  };
}
