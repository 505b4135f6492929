/**
 * The short `report.md`: notes (e.g. a shortened budget), the claims and
 * their verdicts, the Parzen table beside the paper's Table 1 (image runs),
 * what was planned, what finished, what is missing or failed, the summary
 * of the metrics of interest, links to the charts, and the sample figures
 * of image runs.
 *
 * @module
 */
import type { ClaimResult } from "../claims/types.ts";
import type { ContrastResult } from "../claims/contrasts.ts";
import { REPORT_SECTIONS, type ReportSection } from "../spec/mod.ts";
import { contrastNames, contrastText } from "./contrasts_table.ts";
import type { ReportView } from "./options.ts";
import type { Experiment } from "../spec/experiment.ts";
import type { Aggregate } from "./aggregate.ts";
import type { Chart } from "./charts.ts";
import { claimRows } from "./claims_table.ts";
import { figuresNote, type SampleFigures } from "./figures.ts";
import { formatNumber4 } from "../analysis/format.ts";
import { metricTitle } from "../analysis/labels.ts";
import { PAPER_PARZEN_TABLE, PARZEN_NOTE, type ParzenTable } from "./parzen_table.ts";
import { QUALITY_HEADER, QUALITY_NOTE, qualityCells, type QualityTable } from "./quality.ts";
import {
  configHealth,
  healthThresholds,
  healthWarning,
  invalidRuns,
  problemRuns,
  type RunLine,
  stateCounts,
  SUMMARY_NOTE,
  summaryMetrics,
  summaryText,
  trainingText,
  unfinishedRuns,
} from "./sections.ts";
import { HEALTH_TITLES, type HealthCheckId } from "../metrics/health.ts";

export { formatNumber4 };

/** Options for {@link reportMarkdown}. */
export interface MarkdownOptions {
  /** Whether `charts/<name>.svg` was written (default true). */
  svg?: boolean;
  /** Whether `charts/<name>.png` was written (default false). */
  png?: boolean;
  /** Metrics in the summary table, when present (default: the registry's `CHARTED_METRICS`). */
  metrics?: readonly string[];
  /** At most this many runs are listed per section (default 50). */
  listLimit?: number;
  /** Checked claims; the section says so when there are none. */
  claims?: readonly ClaimResult[];
  /** Notes shown at the top, e.g. that the runs used a shortened budget (default none). */
  notes?: readonly string[];
  /** The Parzen table, when runs logged `parzen_ll` (default none). */
  parzen?: ParzenTable | null;
  /** The sample-quality table, when runs logged quality metrics (default none). */
  quality?: QualityTable | null;
  /** Sample figures copied under `figures/` (default none). */
  figures?: SampleFigures | null;
  /** Whether `charts/<name>.pdf` was written (default false). */
  pdf?: boolean;
  /** Evaluated contrasts (default none). */
  contrasts?: readonly ContrastResult[];
  /** The resolved report options: names, digits, section order. */
  view?: ReportView;
}

/** Sections in their default order. */
const DEFAULT_SECTIONS: readonly ReportSection[] = REPORT_SECTIONS;

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

/**
 * The notes at the top of the report, one quoted paragraph each.
 *
 * @param notes The notes (markdown `code` spans allowed).
 * @returns Markdown lines (none without notes).
 */
export function notesMarkdown(notes: readonly string[]): string[] {
  return notes.flatMap((n) => [`> **Note:** ${n.replaceAll("\n", " ")}`, ""]);
}

/**
 * The sample-quality table: per configuration and metric, mean [95% CI]
 * beside the held-out reference and the sample counts.
 *
 * @param table The quality table.
 * @returns Markdown lines, starting with its `##` heading.
 */
export function qualityMarkdown(table: QualityTable): string[] {
  return [
    "## Sample quality and memorisation",
    "",
    markdownTable(QUALITY_HEADER, qualityCells(table)),
    "",
    QUALITY_NOTE,
    "",
    "All rows are in `quality_table.csv`.",
    "",
  ];
}

/**
 * The Parzen-window table: the study's own rows, then the paper's Table 1
 * rows, each as mean ± SE with n, source and what the SE is.
 *
 * @param table The Parzen table.
 * @returns Markdown lines, starting with its `##` heading.
 */
export function parzenMarkdown(table: ParzenTable): string[] {
  const out = [
    `## Parzen-window log-likelihood (${PAPER_PARZEN_TABLE.source})`,
    "",
  ];
  const rows = table.rows.map((r) => [
    r.ours ? `**${r.model}**` : r.model,
    Number.isFinite(r.se)
      ? `${formatNumber4(r.mean)} ± ${formatNumber4(r.se)}`
      : formatNumber4(r.mean),
    Number.isFinite(r.n) ? String(r.n) : "",
    r.source,
    r.note,
  ]);
  out.push(
    markdownTable(["model", "log-likelihood (mean ± SE)", "n", "source", "note"], rows),
    "",
  );
  if (!table.rows.some((r) => r.ours)) {
    out.push(`No run that finished \`done\` has a final \`${table.metric}\` yet.`, "");
  } else if (table.without) {
    out.push(
      `${table.without} configuration(s) have \`${table.metric}\` only from runs that did not ` +
        "finish `done` and are left out.",
      "",
    );
  }
  out.push(PARZEN_NOTE, "", "All rows are in `parzen_table.csv`.", "");
  return out;
}

/**
 * The sample figures: per configuration its images as links to
 * `figures/<configId>-<kind>.png`, each with a caption naming the
 * configuration and the seed.
 *
 * @param figs The figures.
 * @returns Markdown lines, starting with the `##` heading (none without figures).
 */
export function figuresMarkdown(figs: SampleFigures): string[] {
  if (figs.figures.length === 0) return [];
  const out = ["## Samples (Figure 2)", "", figuresNote(figs), ""];
  for (const f of figs.figures) {
    out.push(`### ${f.label}`, "");
    for (const image of f.images) {
      const alt = `${f.label}, seed ${f.seed}: ${image.kind}`.replace(/[[\]\\]/g, "\\$&");
      out.push(`![${alt}](${image.file})`, "");
      out.push(`*${image.caption}*`, "");
    }
  }
  return out;
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
 * "Runs that cannot be evidence": per configuration, its done runs and
 * how many failed a health check (and which), then the runs with what was
 * measured.
 *
 * @param agg The aggregated sweep.
 * @param limit At most this many runs are listed.
 * @returns Markdown lines, starting with the `###` heading.
 */
export function validityMarkdown(agg: Aggregate, limit = 50): string[] {
  const health = configHealth(agg);
  const out = ["### Runs that cannot be evidence", ""];
  if (health.every((h) => h.invalid === 0)) {
    out.push("Every done run passed the health checks (D alive, G not collapsed, progress).", "");
    return out;
  }
  out.push(
    markdownTable(
      ["configuration", "done", "valid", "failed checks"],
      health.map((h) => [
        h.label,
        String(h.done),
        String(h.done - h.invalid),
        Object.entries(h.checks).map(([k, n]) => `${HEALTH_TITLES[k as HealthCheckId]}: ${n}`)
          .join(", "),
      ]),
    ),
    "",
    ...limited(invalidRuns(agg).map(runLine), limit),
    "",
  );
  return out;
}

/**
 * "How the runs trained": per configuration the update rule, loss,
 * optimiser and budget with its valid runs, then the thresholds the
 * health checks and the claims used.
 *
 * @param agg The aggregated sweep.
 * @param claims The checked claims (their tests name their thresholds).
 * @returns Markdown lines, starting with the `##` heading.
 */
export function trainingMarkdown(agg: Aggregate, claims: readonly ClaimResult[]): string[] {
  const health = configHealth(agg);
  const rows = agg.configs.map((c, i) => {
    const config = c.runs[0]?.plan.config;
    return [
      c.label,
      config ? trainingText(config) : "",
      `${health[i].done - health[i].invalid} of ${c.runs.length}`,
    ];
  });
  const out = [
    "## How the runs trained",
    "",
    markdownTable(["configuration", "training", "valid runs"], rows),
    "",
    "Health checks (a done run that fails one cannot be evidence):",
    "",
    ...healthThresholds().map((t) => `- ${t}`),
    "",
  ];
  if (claims.length) {
    out.push(
      "Claims and their thresholds:",
      "",
      ...claims.map((c) => `- \`${c.id}\`: ${c.test}`),
      "",
    );
  }
  return out;
}

/** The "Runs" section: counts by state, missing, failed, ignored and invalid runs. */
function runsMarkdown(agg: Aggregate, limit: number): string[] {
  const planned = agg.runs.length;
  const out: string[] = [];
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
  out.push(...validityMarkdown(agg, limit));
  return out;
}

/**
 * The contrasts section: per contrast its question, verdict and evidence,
 * the difference averaged over the levels, per level and metric, and the
 * interaction tests, then the rule.
 *
 * @param results The evaluated contrasts.
 * @param view Names and digits.
 * @returns Markdown lines, starting with the `## Contrasts` heading.
 */
export function contrastsMarkdown(results: readonly ContrastResult[], view: ReportView): string[] {
  const out = ["## Contrasts", ""];
  for (const r of results) {
    const n = contrastNames(r, view);
    const t = contrastText(r, view);
    out.push(`### ${r.title}: **${r.verdict}**`, "");
    out.push(
      `\`${r.id}\` (${n.a} = ${n.axis} ${String(r.a)}, ${n.b} = ${String(r.b)}). ${r.evidence}`,
      "",
    );
    out.push(`Averaged over the levels (${n.diff}):`, "");
    out.push(markdownTable(t.overall.header, t.overall.rows), "");
    out.push("By level:", "", markdownTable(t.cells.header, t.cells.rows), "");
    if (t.interactions.rows.length) {
      out.push(
        "Does the difference depend on another axis? (Welch's heterogeneity test)",
        "",
        markdownTable(t.interactions.header, t.interactions.rows),
        "",
      );
    }
    out.push(`Rule (${r.rule}): ${r.ruleText}.`, "");
  }
  out.push(
    "g: Hedges' g (difference over the pooled sd); P(A better): the probability that a run " +
      "of A beats a run of B (ties count half); p (Holm): adjusted over the contrast's cells. " +
      "Every number is in `contrasts.csv`.",
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
  const view = options.view;
  const out: string[] = [`# ${exp.title ?? exp.name}`, ""];
  const warning = healthWarning(agg);
  out.push(...notesMarkdown([...(warning ? [warning] : []), ...(options.notes ?? [])]));
  if (exp.description) out.push(exp.description, "");
  const seeds = new Set(agg.runs.map((r) => r.plan.seed)).size;
  out.push(
    `Experiment \`${exp.name}\`: ${agg.configs.length} configuration(s) × ${seeds} ` +
      `seed(s) = ${planned} planned run(s).` +
      (agg.axes.length ? ` Swept: ${agg.axes.map((a) => `\`${a}\``).join(", ")}.` : ""),
    "",
  );
  const declared = exp.claims.map((c) => typeof c === "string" ? c : c.id);
  const sections: Record<ReportSection, () => string[]> = {
    contrasts: () =>
      options.contrasts?.length && view ? contrastsMarkdown(options.contrasts, view) : [],
    claims: () =>
      declared.length || !options.contrasts?.length
        ? claimsMarkdown(options.claims ?? [], declared)
        : [],
    parzen: () => (options.parzen ? parzenMarkdown(options.parzen) : []),
    quality: () => (options.quality ? qualityMarkdown(options.quality) : []),
    runs: () => runsMarkdown(agg, limit),
    training: () => trainingMarkdown(agg, options.claims ?? []),
    summary: () => {
      const lines = ["## Summary", ""];
      const metrics = summaryMetrics(agg, options.metrics);
      const summary = summaryText(agg, metrics, view);
      lines.push(markdownTable(summary.header, summary.rows), "", SUMMARY_NOTE, "");
      if (metrics.length) {
        lines.push(...metrics.map((m) => `- \`${m}\`: ${metricTitle(m)}`), "");
      } else {
        lines.push("No run has finished `done` with final metrics yet.", "");
      }
      return lines;
    },
    charts: () => {
      const lines = ["## Charts", ""];
      if (charts.length === 0) {
        lines.push("No charts: no finished run has metrics to plot yet.", "");
      }
      for (const c of charts) {
        lines.push(`### ${c.title}`, "");
        if (options.svg ?? true) lines.push(`![${c.name}](charts/${c.name}.svg)`, "");
        const links = [`Vega-Lite spec: [charts/${c.name}.vl.json](charts/${c.name}.vl.json)`];
        if (options.png) links.push(`PNG: [charts/${c.name}.png](charts/${c.name}.png)`);
        if (options.pdf) links.push(`PDF: [charts/${c.name}.pdf](charts/${c.name}.pdf)`);
        lines.push(links.join(" · "), "");
      }
      return lines;
    },
    samples: () => (options.figures ? figuresMarkdown(options.figures) : []),
  };
  for (const name of view?.sections ?? DEFAULT_SECTIONS) out.push(...sections[name]());

  out.push(
    "## Files",
    "",
    "- `claims.json`: every checked claim with its verdict, effect, interval, test and runs",
    ...(options.contrasts?.length
      ? [
        "- `contrasts.csv`: every contrast's cells, averages over the levels and interaction tests",
      ]
      : []),
    "- `runs.csv`: one row per planned run (state, swept values, final metrics)",
    "- `summary.csv`: one row per configuration (counts, mean, sd, 95% CI, n per metric)",
    "- `curves.csv`: every logged step of every run",
    "- `report.html`: this report as one self-contained page; `tables.tex`: the claims, " +
      "contrast and summary tables for LaTeX (booktabs, siunitx)",
  );
  if (options.parzen) {
    out.push("- `parzen_table.csv`: the Parzen-window table, own rows and the paper's Table 1");
  }
  if (options.quality) {
    out.push(
      "- `quality_table.csv`: sample quality per configuration beside the held-out reference",
    );
  }
  if (options.figures?.figures.length) {
    out.push("- `figures/`: the sample images shown above, copied from the runs");
  }
  out.push("");
  return out.join("\n");
}
