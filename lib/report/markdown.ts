/**
 * The short `report.md`: what was planned, what finished, what is missing or
 * failed, the summary of the metrics of interest, and links to the charts.
 *
 * @module
 */
import type { Experiment } from "../spec/experiment.ts";
import type { Aggregate } from "./aggregate.ts";
import type { Chart } from "./charts.ts";
import type { JoinedRun } from "./join.ts";
import { formatValue, METRICS_OF_INTEREST, metricTitle } from "./labels.ts";

/** Options for {@link reportMarkdown}. */
export interface MarkdownOptions {
  /** Whether `charts/<name>.svg` was written (default true). */
  svg?: boolean;
  /** Metrics in the summary table, when present (default {@link METRICS_OF_INTEREST}). */
  metrics?: readonly string[];
  /** At most this many runs are listed per section (default 50). */
  listLimit?: number;
}

/**
 * Formats a number to 4 significant digits for tables; non-finite gives "–".
 *
 * @param x The number.
 * @returns Its text.
 */
export function formatNumber4(x: number): string {
  if (!Number.isFinite(x)) return "–";
  return String(Number(x.toPrecision(4)));
}

function escapeCell(text: string): string {
  return text.replaceAll("|", "\\|").replaceAll("\n", " ");
}

function table(header: string[], rows: string[][]): string {
  const line = (cells: string[]) => `| ${cells.map(escapeCell).join(" | ")} |`;
  return [line(header), line(header.map(() => "---")), ...rows.map(line)].join("\n");
}

function runLine(run: JoinedRun, label: string, detail: string): string {
  return `- \`${run.plan.id}\` (${label}, seed ${run.plan.seed}): ${detail}`;
}

function firstLine(text: string | undefined, max = 200): string {
  const line = (text ?? "").split("\n").find((l) => l.trim() !== "")?.trim() ?? "";
  return line.length > max ? `${line.slice(0, max - 1)}…` : line;
}

function limited(lines: string[], limit: number): string[] {
  if (lines.length <= limit) return lines;
  return [...lines.slice(0, limit), `- … and ${lines.length - limit} more (see runs.csv)`];
}

/**
 * Writes the report's markdown.
 *
 * @param exp The experiment.
 * @param agg The aggregated sweep.
 * @param charts The charts written under `charts/`.
 * @param options Chart formats, metrics, list length.
 * @returns The markdown text (trailing newline).
 */
export function reportMarkdown(
  exp: Experiment,
  agg: Aggregate,
  charts: readonly Chart[],
  options: MarkdownOptions = {},
): string {
  const limit = options.listLimit ?? 50;
  const labelOf = new Map(agg.configs.map((c) => [c.configId, c.label]));
  const label = (r: JoinedRun) => labelOf.get(r.plan.configId) ?? r.plan.configId;
  const planned = agg.runs.length;
  const out: string[] = [`# ${exp.title ?? exp.name}`, ""];
  if (exp.description) out.push(exp.description, "");
  out.push(
    `Experiment \`${exp.name}\`: ${agg.configs.length} configuration(s) × ${exp.seeds.length} ` +
      `seed(s) = ${planned} planned run(s).` +
      (agg.axes.length ? ` Swept: ${agg.axes.map((a) => `\`${a}\``).join(", ")}.` : ""),
    "",
  );

  const unfinished = agg.missing.length;
  out.push("## Runs", "");
  out.push(
    unfinished === 0
      ? "Every planned run has finished."
      : `**Incomplete:** ${unfinished} of ${planned} planned run(s) have not finished ` +
        "(queued, running or never started); statistics below use the runs that are done.",
    "",
  );
  const counted = Object.entries(agg.counts).filter(([, n]) => n > 0);
  out.push(
    table(["state", "runs"], [...counted.map(([s, n]) => [s, String(n)]), [
      "total",
      String(planned),
    ]]),
    "",
  );

  const missingRuns = agg.runs.filter((r) => agg.missing.includes(r.plan.id));
  if (missingRuns.length) {
    out.push("### Missing", "");
    const lines = missingRuns.map((r) =>
      runLine(r, label(r), r.state === "missing" ? "no run directory" : r.state)
    );
    out.push(...limited(lines, limit), "");
  }
  const bad = agg.runs.filter((r) => ["failed", "timeout", "diverged"].includes(r.state));
  if (bad.length) {
    out.push("### Failed, timed out or diverged", "");
    const lines = bad.map((r) => {
      const why = firstLine(r.record?.status.error);
      return runLine(r, label(r), why ? `${r.state}: ${why}` : r.state);
    });
    out.push(...limited(lines, limit), "");
  }
  if (agg.ignored.length) {
    out.push(
      `${agg.ignored.length} run director${agg.ignored.length === 1 ? "y" : "ies"} ` +
        "in the store match no planned run (an edited experiment?) and are left out.",
      "",
    );
  }

  out.push("## Summary", "");
  const wanted = options.metrics ?? METRICS_OF_INTEREST;
  const metrics = wanted.filter((m) => agg.configs.some((c) => (c.stats[m]?.n ?? 0) > 0));
  const configHeader = agg.axes.length ? agg.axes : ["configuration"];
  const rows = agg.configs.map((c) => {
    const done = c.runs.filter((r) => r.state === "done").length;
    const cells = agg.axes.length ? agg.axes.map((a) => formatValue(c.point[a])) : [c.label];
    cells.push(`${done}/${c.runs.length}`);
    for (const m of metrics) {
      const s = c.stats[m];
      if (s.n === 0) cells.push("–");
      else if (s.n === 1) cells.push(`${formatNumber4(s.mean)} (n=1)`);
      else cells.push(`${formatNumber4(s.mean)} ± ${formatNumber4(s.ci95High - s.mean)}`);
    }
    return cells;
  });
  out.push(table([...configHeader, "done", ...metrics], rows), "");
  out.push(
    "Each cell is the mean of the final values over the runs that finished `done`, ± the " +
      "half-width of the 95% t-interval t(0.975, n−1)·sd/√n; all columns are in `summary.csv`.",
    "",
  );
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
    out.push(`Vega-Lite spec: [charts/${c.name}.vl.json](charts/${c.name}.vl.json)`, "");
  }

  out.push(
    "## Files",
    "",
    "- `runs.csv`: one row per planned run (state, swept values, final metrics)",
    "- `summary.csv`: one row per configuration (counts, mean, sd, 95% CI, n per metric)",
    "- `curves.csv`: every logged step of every run",
    "",
  );
  return out.join("\n");
}
