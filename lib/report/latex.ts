/**
 * `tables.tex`: the claims table, the Parzen table (image runs) and the
 * summary of the metrics of interest as LaTeX `table` floats with booktabs
 * rules, ready to `\input` into a paper (the preamble needs
 * `\usepackage{booktabs}`). Text is escaped; numbers
 * are in math mode with 4 significant digits (3 for interval half-widths),
 * very small or large ones as `m\times10^{e}`.
 *
 * @module
 */
import type { ClaimResult } from "../claims/types.ts";
import type { Experiment } from "../spec/experiment.ts";
import type { Aggregate } from "./aggregate.ts";
import { formatValue, metricTitle } from "../analysis/labels.ts";
import { PAPER_PARZEN_TABLE, type ParzenTable } from "./parzen_table.ts";
import { type SectionOptions, summaryMetrics } from "./sections.ts";

/**
 * Options for {@link reportLatex}: without claims the claims table is left
 * out; notes are shown at the top as `\paragraph{Note.}`.
 */
export interface LatexOptions extends SectionOptions {
  /** At most this many metric columns per summary table; more split into several (default 4). */
  metricsPerTable?: number;
}

const SPECIALS: Record<string, string> = {
  "\\": "\\textbackslash{}",
  "&": "\\&",
  "%": "\\%",
  "$": "\\$",
  "#": "\\#",
  "_": "\\_",
  "{": "\\{",
  "}": "\\}",
  "~": "\\textasciitilde{}",
  "^": "\\textasciicircum{}",
  "<": "\\textless{}",
  ">": "\\textgreater{}",
  "−": "$-$",
  "±": "$\\pm$",
  "×": "$\\times$",
  "·": "$\\cdot$",
  "√": "$\\surd$",
  "≤": "$\\leq$",
  "≥": "$\\geq$",
  "≈": "$\\approx$",
  "→": "$\\to$",
  "∞": "$\\infty$",
  "²": "$^2$",
  "α": "$\\alpha$",
  "β": "$\\beta$",
  "γ": "$\\gamma$",
  "δ": "$\\delta$",
  "ε": "$\\epsilon$",
  "η": "$\\eta$",
  "θ": "$\\theta$",
  "κ": "$\\kappa$",
  "λ": "$\\lambda$",
  "μ": "$\\mu$",
  "ν": "$\\nu$",
  "π": "$\\pi$",
  "ρ": "$\\rho$",
  "σ": "$\\sigma$",
  "τ": "$\\tau$",
  "φ": "$\\phi$",
  "χ": "$\\chi$",
  "ψ": "$\\psi$",
  "ω": "$\\omega$",
  "Γ": "$\\Gamma$",
  "Δ": "$\\Delta$",
  "Θ": "$\\Theta$",
  "Λ": "$\\Lambda$",
  "Π": "$\\Pi$",
  "Σ": "$\\Sigma$",
  "Φ": "$\\Phi$",
  "Ψ": "$\\Psi$",
  "Ω": "$\\Omega$",
  "–": "--",
  "—": "---",
  "…": "\\ldots{}",
  "“": "``",
  "”": "''",
  "‘": "`",
  "’": "'",
};

/**
 * Escapes text for LaTeX: the ten special characters, `<` and `>`, the
 * few non-ASCII symbols report titles use (as math or text commands), and
 * `--` (as `-{}-`, so it does not print as a dash).
 *
 * @param text Any text.
 * @returns LaTeX source that prints the text.
 */
export function escapeLatex(text: string): string {
  let out = "";
  let prev = "";
  for (const ch of text) {
    // "--" would print as a dash: keep command-line flags such as --full as typed.
    if (ch === "-" && prev === "-") out += "{}";
    out += SPECIALS[ch] ?? ch;
    prev = ch;
  }
  return out;
}

/** Text with markdown `code` spans as \texttt. */
function inline(text: string): string {
  return text.split("`").map((part, i) =>
    i % 2 === 1 ? `\\texttt{${escapeLatex(part)}}` : escapeLatex(part)
  ).join("");
}

/**
 * A number for LaTeX math mode: `digits` significant digits, as
 * `m\times10^{e}` when |x| < 0.001 or |x| >= 100000; non-finite gives `--`
 * (text mode, so callers check {@link Number.isFinite} before wrapping in $).
 *
 * @param x The number.
 * @param digits Significant digits (default 4).
 * @returns The math-mode source, without the dollars.
 */
export function latexNumber(x: number, digits = 4): string {
  if (!Number.isFinite(x)) return "--";
  if (x === 0) return "0";
  const e = Math.floor(Math.log10(Math.abs(x)));
  if (e < -3 || e >= 5) {
    const [m, exp] = x.toExponential(digits - 1).split("e");
    return `${String(Number(m))}\\times10^{${Number(exp)}}`;
  }
  return String(Number(x.toPrecision(digits)));
}

/** A number in math mode, or `--` when it is not finite. */
function num(x: number, digits = 4): string {
  return Number.isFinite(x) ? `$${latexNumber(x, digits)}$` : "--";
}

/** A body row, or `null` for a `\midrule` between groups of rows. */
type LatexRow = string[] | null;

function tableFloat(
  caption: string,
  label: string,
  columns: string,
  header: string[],
  rows: LatexRow[],
  setup?: string,
): string {
  return [
    "\\begin{table}[htbp]",
    "\\centering",
    "\\small",
    ...(setup ? [setup] : []),
    `\\caption{${caption}}`,
    `\\label{${label}}`,
    `\\begin{tabular}{${columns}}`,
    "\\toprule",
    `${header.join(" & ")} \\\\`,
    "\\midrule",
    ...rows.map((r) => r === null ? "\\midrule" : `${r.join(" & ")} \\\\`),
    "\\bottomrule",
    "\\end{tabular}",
    "\\end{table}",
  ].join("\n");
}

/**
 * The claims table: claim id, verdict, effect with its estimate and 95%
 * interval, n, and evidence (paragraph columns for the last two).
 *
 * @param exp The experiment (for caption and label).
 * @param claims The checked claims (at least one).
 * @returns A `table` float.
 */
export function claimsLatex(exp: Experiment, claims: readonly ClaimResult[]): string {
  const rows = claims.map((c) => {
    const ci = Number.isFinite(c.effect.ci95Low) || Number.isFinite(c.effect.ci95High)
      ? ` [${num(c.effect.ci95Low)}, ${num(c.effect.ci95High)}]`
      : "";
    return [
      `\\texttt{${escapeLatex(c.id)}}`,
      `\\textbf{${escapeLatex(c.verdict)}}`,
      `${escapeLatex(c.effect.name)}: ${num(c.effect.estimate)}${ci}`,
      String(c.n),
      inline(c.evidence),
    ];
  });
  return tableFloat(
    `Claims tested by ${escapeLatex(exp.title ?? exp.name)}: verdict, measured effect ` +
      "with its 95\\% interval across seeds [low, high], number of seeds $n$.",
    `tab:${exp.name}-claims`,
    "@{}llp{0.2\\linewidth}rp{0.25\\linewidth}@{}",
    ["Claim", "Verdict", "Effect [95\\% CI]", "$n$", "Evidence"],
    rows,
    "\\setlength{\\tabcolsep}{4pt}",
  );
}

/**
 * The summary table(s): per configuration its swept values, the number of
 * `done` runs, and per metric `mean ± half-width of the 95% t-interval`.
 *
 * @param exp The experiment (for caption and label).
 * @param agg The aggregated sweep.
 * @param metrics The metric columns (at least one).
 * @param perTable Metric columns per table.
 * @returns One or more `table` floats, separated by blank lines.
 */
export function summaryLatex(
  exp: Experiment,
  agg: Aggregate,
  metrics: readonly string[],
  perTable = 4,
): string {
  const chunks: string[][] = [];
  for (let i = 0; i < metrics.length; i += perTable) chunks.push(metrics.slice(i, i + perTable));
  const axes = agg.axes.length ? agg.axes : [];
  return chunks.map((chunk, t) => {
    const header = [
      ...(axes.length ? axes.map((a) => `\\texttt{${escapeLatex(a)}}`) : ["Configuration"]),
      "$n$",
      ...chunk.map((m) => `\\texttt{${escapeLatex(m)}}`),
    ];
    const rows = agg.configs.map((c) => {
      const cells = axes.length
        ? axes.map((a) => {
          const v = c.point[a];
          return typeof v === "number" ? num(v) : escapeLatex(formatValue(v));
        })
        : [escapeLatex(c.label)];
      cells.push(String(c.runs.filter((r) => r.state === "done").length));
      for (const m of chunk) {
        const s = c.stats[m];
        if (!s || s.n === 0) cells.push("--");
        else if (s.n === 1 || !Number.isFinite(s.ci95High)) cells.push(`${num(s.mean)} ($n{=}1$)`);
        else cells.push(`$${latexNumber(s.mean)} \\pm ${latexNumber(s.ci95High - s.mean, 3)}$`);
      }
      return cells;
    });
    const part = chunks.length > 1 ? ` (part ${t + 1} of ${chunks.length})` : "";
    const titles = chunk.map((m) => `\\texttt{${escapeLatex(m)}}: ${escapeLatex(metricTitle(m))}`)
      .join("; ");
    return tableFloat(
      `Final metrics of ${escapeLatex(exp.title ?? exp.name)}${part}: mean over seeds that ` +
        `finished $\\pm$ the half-width of the 95\\% $t$-interval; $n$ finished runs. ${titles}.`,
      `tab:${exp.name}-summary${t === 0 ? "" : `-${t + 1}`}`,
      `@{}${"l".repeat(header.length - chunk.length)}${"r".repeat(chunk.length)}@{}`,
      header,
      rows,
    );
  }).join("\n\n");
}

/**
 * The Parzen-window table: own rows (mean ± SE, n, what the SE is), a rule,
 * then the paper's Table 1 rows.
 *
 * @param exp The experiment (for caption and label).
 * @param table The Parzen table.
 * @returns A `table` float.
 */
export function parzenLatex(exp: Experiment, table: ParzenTable): string {
  const cell = (mean: number, se: number) =>
    !Number.isFinite(mean)
      ? "--"
      : Number.isFinite(se)
      ? `$${latexNumber(mean)} \\pm ${latexNumber(se, 3)}$`
      : num(mean);
  const row = (r: ParzenTable["rows"][number]) => [
    escapeLatex(r.model),
    cell(r.mean, r.se),
    Number.isFinite(r.n) ? String(r.n) : "",
    escapeLatex(r.source),
    escapeLatex(r.note),
  ];
  const ours = table.rows.filter((r) => r.ours).map(row);
  const paper = table.rows.filter((r) => !r.ours).map(row);
  const rows: LatexRow[] = ours.length ? [...ours, null, ...paper] : paper;
  return tableFloat(
    `Parzen-window log-likelihood of the ${escapeLatex(PAPER_PARZEN_TABLE.dataset)} test set: ` +
      `${escapeLatex(exp.title ?? exp.name)} (mean over seeds that finished; $\\pm$ the ` +
      "standard error across seeds, or across test images for one seed) above " +
      `the rows of ${escapeLatex(PAPER_PARZEN_TABLE.source)} ($\\pm$ the standard error ` +
      "across test images).",
    `tab:${exp.name}-parzen`,
    "@{}lrrlp{0.3\\linewidth}@{}",
    ["Model", "Log-likelihood", "$n$", "Source", "Note"],
    rows,
    "\\setlength{\\tabcolsep}{4pt}",
  );
}

/**
 * Writes `tables.tex`: a header comment, the notes (each a
 * `\paragraph{Note.}`), the claims table (when there are claims), the
 * Parzen table (when runs logged `parzen_ll`) and the summary table(s)
 * (when any metric has values).
 *
 * @param exp The experiment.
 * @param agg The aggregated sweep.
 * @param options Claims, metrics, columns per table, notes, Parzen table.
 * @returns The LaTeX source (trailing newline).
 */
export function reportLatex(exp: Experiment, agg: Aggregate, options: LatexOptions = {}): string {
  const out = [
    `% tables.tex for experiment ${exp.name}, written by \`deno task report\`.`,
    "% \\input{tables.tex} needs \\usepackage{booktabs} in the preamble.",
    "",
  ];
  for (const note of options.notes ?? []) {
    out.push(`\\paragraph{Note.} ${inline(note.replaceAll("\n", " "))}`, "");
  }
  const claims = options.claims ?? [];
  if (claims.length) out.push(claimsLatex(exp, claims), "");
  else out.push("% No claims were checked for this report.", "");
  if (options.parzen) out.push(parzenLatex(exp, options.parzen), "");
  const metrics = summaryMetrics(agg, options.metrics);
  if (metrics.length) out.push(summaryLatex(exp, agg, metrics, options.metricsPerTable ?? 4), "");
  else out.push("% No run has finished with final metrics: no summary table.", "");
  return out.join("\n");
}
