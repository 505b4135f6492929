/**
 * The short `report.md`: the claims and their verdicts, what was planned,
 * what finished, what is missing or failed, the summary of the metrics of
 * interest, and links to the charts.
 *
 * @module
 */
import type { ClaimResult } from "../claims/types.ts";
import type { Experiment } from "../spec/experiment.ts";
import type { Aggregate } from "./aggregate.ts";
import type { Chart } from "./charts.ts";
import { claimRows } from "./claims_table.ts";
import { metricTitle } from "./labels.ts";
import {
  problemRuns,
  type RunLine,
  stateCounts,
  SUMMARY_NOTE,
  summaryMetrics,
  summaryText,
  unfinishedRuns,
} from "./sections.ts";

export { formatNumber4 } from "./format.ts";

/** Options for {@link reportMarkdown}. */
export interface MarkdownOptions {
  /** Whether `charts/<name>.svg` was written (default true). */
  svg?: boolean;
  /** Whether `charts/<name>.png` was written (default false). */
  png?: boolean;
  /** Metrics in the summary table, when present (default {@link METRICS_OF_INTEREST}). */
  metrics?: readonly string[];
  /** At most this many runs are listed per section (default 50). */
  listLimit?: number;
  /** Checked claims; the section says so when there are none. */
  claims?: readonly ClaimResult[];
}

function escapeCell(text: string): string {
  return text.replaceAll("|", "\\|").replaceAll("<", "&lt;").replaceAll("\n", " ");
}

/**
 * A markdown table (cells escaped: `|` and newlines).
 *
 * @param header The header cells.
 * @param rows The body rows.
 * @returns The table's lines joined by newlines.
 */
export function markdownTable(header: string[], rows: string[][]): string {
  const line = (cells: string[]) => `| ${cells.map(escapeCell).join(" | ")} |`;
  return [line(header), line(header.map(() => "---")), ...rows.map(line)].join("\n");
}

function runLine(run: RunLine): string {
  return `- \`${run.id}\` (${run.label}, seed ${run.seed}): ${run.detail}`;
}

function limited(lines: string[], limit: number): string[] {
  if (lines.length <= limit) return lines;
  return [...lines.slice(0, limit), `- … and ${lines.length - limit} more (see runs.csv)`];
}

/**
 * The claims section: a table of claim, verdict, effect with its 95%
 * interval, n and evidence; or a sentence when there is nothing to show.
 *
 * @param claims The checked claims.
 * @param declared Claim ids the experiment names (for the empty case).
 * @returns Markdown lines, starting with the `## Claims` heading.
 */
export function claimsMarkdown(
  claims: readonly ClaimResult[],
  declared: readonly string[] = [],
): string[] {
  const out = ["## Claims", ""];
  if (claims.length === 0) {
    out.push(
      declared.length
        ? `No verdicts in this report for the claims the study names (${
          declared.map((c) => `\`${c}\``).join(", ")
        }).`
        : "This study names no claims.",
      "",
    );
    return out;
  }
  const rows = claimRows(claims).map((r) => [
    `\`${r.id}\`: ${r.title}`,
    `**${r.verdict}**`,
    r.effect,
    String(r.n),
    r.evidence,
  ]);
  out.push(
    markdownTable(["claim", "verdict", "effect [95% CI]", "n", "evidence"], rows),
    "",
    "PASS: the 95% interval supports the claim; FAIL: it contradicts it; INCONCLUSIVE: too " +
      "few seeds or an interval that does not decide. Details in `claims.json`.",
    "",
  );
  return out;
}

/**
 * Writes the report's markdown.
 *
 * @param exp The experiment.
 * @param agg The aggregated sweep.
 * @param charts The charts written under `charts/`.
 * @param options Chart formats, metrics, list length, claims.
 * @returns The markdown text (trailing newline).
 */
export function reportMarkdown(
  exp: Experiment,
  agg: Aggregate,
  charts: readonly Chart[],
  options: MarkdownOptions = {},
): string {
  const limit = options.listLimit ?? 50;
  const planned = agg.runs.length;
  const out: string[] = [`# ${exp.title ?? exp.name}`, ""];
  if (exp.description) out.push(exp.description, "");
  out.push(
    `Experiment \`${exp.name}\`: ${agg.configs.length} configuration(s) × ${exp.seeds.length} ` +
      `seed(s) = ${planned} planned run(s).` +
      (agg.axes.length ? ` Swept: ${agg.axes.map((a) => `\`${a}\``).join(", ")}.` : ""),
    "",
  );
  const declared = exp.claims.map((c) => typeof c === "string" ? c : c.id);
  out.push(...claimsMarkdown(options.claims ?? [], declared));

  const unfinished = agg.missing.length;
  out.push("## Runs", "");
  out.push(
    unfinished === 0
      ? "Every planned run has finished."
      : `**Incomplete:** ${unfinished} of ${planned} planned run(s) have not finished ` +
        "(queued, running or never started); statistics below use the runs that are done.",
    "",
  );
  out.push(
    markdownTable(["state", "runs"], [
      ...stateCounts(agg).map(([s, n]) => [s, String(n)]),
      ["total", String(planned)],
    ]),
    "",
  );

  const missingRuns = unfinishedRuns(agg);
  if (missingRuns.length) {
    out.push("### Missing", "", ...limited(missingRuns.map(runLine), limit), "");
  }
  const bad = problemRuns(agg);
  if (bad.length) {
    out.push("### Failed, timed out or diverged", "", ...limited(bad.map(runLine), limit), "");
  }
  if (agg.ignored.length) {
    out.push(
      `${agg.ignored.length} run director${agg.ignored.length === 1 ? "y" : "ies"} ` +
        "in the store match no planned run (an edited experiment?) and are left out.",
      "",
    );
  }

  out.push("## Summary", "");
  const metrics = summaryMetrics(agg, options.metrics);
  const summary = summaryText(agg, metrics);
  out.push(markdownTable(summary.header, summary.rows), "", SUMMARY_NOTE, "");
  if (metrics.length) {
    out.push(...metrics.map((m) => `- \`${m}\`: ${metricTitle(m)}`), "");
  } else {
    out.push("No run has finished `done` with final metrics yet.", "");
  }

  out.push("## Charts", "");
  if (charts.length === 0) out.push("No charts: no finished run has metrics to plot yet.", "");
  for (const c of charts) {
    out.push(`### ${c.title}`, "");
    if (options.svg ?? true) out.push(`![${c.name}](charts/${c.name}.svg)`, "");
    const links = [`Vega-Lite spec: [charts/${c.name}.vl.json](charts/${c.name}.vl.json)`];
    if (options.png) links.push(`PNG: [charts/${c.name}.png](charts/${c.name}.png)`);
    out.push(links.join(" · "), "");
  }

  out.push(
    "## Files",
    "",
    "- `claims.json`: every checked claim with its verdict, effect, interval, test and runs",
    "- `runs.csv`: one row per planned run (state, swept values, final metrics)",
    "- `summary.csv`: one row per configuration (counts, mean, sd, 95% CI, n per metric)",
    "- `curves.csv`: every logged step of every run",
    "- `report.html`: this report as one self-contained page; `tables.tex`: the claims and " +
      "summary tables for LaTeX (booktabs)",
    "",
  );
  return out.join("\n");
}
