/**
 * `tables.tex`: the contrasts, the claims table, the Parzen table (image
 * runs) and the summary of the metrics of interest as LaTeX `table` floats
 * with booktabs rules, ready to `\input` into a paper whose preamble loads
 * `booktabs`, `siunitx` and `amsmath` (nothing else). Numbers sit in
 * siunitx `S` columns aligned on the decimal point, each "mean ± half-width"
 * rounded to the precision its interval supports (the half-width to two
 * significant digits); headers are readable names, wrapped onto lines. Each
 * table's width is estimated and the metrics are split into several tables
 * (by groups of metrics, each caption naming its metrics) so that every
 * table fits the text width of an A4 page with 2.5 cm margins (a test
 * compiles them with pdflatex and checks for overfull boxes). Text is
 * escaped; numbers elsewhere are in math mode with 4 significant digits,
 * very small or large ones as `m\times10^{e}`.
 *
 * @module
 */
import type { ClaimResult } from "../claims/types.ts";
import type { Experiment } from "../spec/experiment.ts";
import type { Aggregate } from "./aggregate.ts";
import type { ContrastResult } from "../claims/contrasts.ts";
import { decimalsFor, fixed } from "../analysis/format.ts";
import type { Summary } from "../analysis/stats.ts";
import { meanDecimals } from "./sections.ts";
import { metricName, pathName, PLAIN_VIEW, type ReportView, valueName } from "./options.ts";
import { contrastNames } from "./contrasts_table.ts";
import { PAPER_PARZEN_TABLE, type ParzenTable } from "./parzen_table.ts";
import { type SectionOptions, summaryMetrics } from "./sections.ts";

/**
 * Options for {@link reportLatex}: without claims the claims table is left
 * out; notes are shown at the top as `\paragraph{Note.}`.
 */
export interface LatexOptions extends SectionOptions {
  /** At most this many metric columns per summary table (default: as many as fit the width). */
  metricsPerTable?: number;
  /** Evaluated contrasts (default none). */
  contrasts?: readonly ContrastResult[];
  /** The resolved report options: names and digits. */
  view?: ReportView;
  /** The text width in points the tables must fit (default 455: A4 with 2.5 cm margins). */
  textWidth?: number;
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
    "@{}llp{0.2\\linewidth}rp{0.37\\linewidth}@{}",
    ["Claim", "Verdict", "Effect [95\\% CI]", "$n$", "Evidence"],
    rows,
    "\\setlength{\\tabcolsep}{3pt}",
  );
}

/** Points per character of text at \small (Computer Modern, 9 pt; a little generous). */
const CHAR_PT = 4.9;
/** The text width of A4 with 2.5 cm margins, in points (16 cm). */
export const A4_TEXT_WIDTH = 455;
/** Column separation used by these tables (each side), in points. */
const COLSEP = 4;

/** One column of a generated table: header lines, spec, cells, estimated width. */
export interface LatexColumn {
  /** Header lines (escaped LaTeX), one per line. */
  header: string[];
  /** The column's spec, e.g. `l` or `S[table-format=2.1(2)]`. */
  spec: string;
  /** Body cells, one per row. */
  cells: string[];
  /** Estimated width in points. */
  width: number;
  /** Table columns it takes (2 for a value with "± half-width" beside it; default 1). */
  span?: number;
}

/** A header cell over several lines (a nested tabular; no extra package), spanning `span` columns. */
function headerCell(lines: string[], sColumn: boolean, span = 1): string {
  const inner = lines.length === 1
    ? lines[0]
    : `\\begin{tabular}[b]{@{}c@{}}${lines.join("\\\\\\relax ")}\\end{tabular}`;
  if (span > 1) return `\\multicolumn{${span}}{c}{${inner}}`;
  return sColumn ? `{${inner}}` : inner;
}

/** Splits a readable name into header lines of at most `width` characters. */
function headerLines(text: string, width = 16): string[] {
  const words = text.split(" ");
  const lines: string[] = [];
  let line = "";
  for (const w of words) {
    if (line && line.length + 1 + w.length > width) {
      lines.push(line);
      line = w;
    } else line = line ? `${line} ${w}` : w;
  }
  if (line) lines.push(line);
  return lines;
}

/** Width of plain text (escaped source is longer than what prints: measure the plain text). */
function textWidthPt(plain: string): number {
  return plain.length * CHAR_PT;
}

/** A text column (`l`) from plain cell texts. */
function textColumn(title: string, cells: string[], tt = false): LatexColumn {
  const lines = headerLines(title);
  const esc = (t: string) => (tt ? `\\texttt{${escapeLatex(t)}}` : escapeLatex(t));
  return {
    header: lines.map(escapeLatex),
    spec: "l",
    cells: cells.map(esc),
    width: Math.max(
      ...lines.map(textWidthPt),
      ...cells.map((c) => textWidthPt(c) * (tt ? 1.1 : 1)),
    ),
  };
}

/**
 * What an S column holds per row: a value with an optional uncertainty, or
 * text (braced in the S column) with an optional text beside it.
 */
type SCell = { value: number; unc?: number; decimals: number } | { text: string; rest?: string };

/** The number of digits left of the decimal point. */
function intDigits(x: number): number {
  const a = Math.abs(x);
  return a < 1 ? 1 : Math.floor(Math.log10(a)) + 1;
}

/**
 * An siunitx `S` column aligned on the decimal point, `table-format` from
 * the widest cell, text cells braced. With uncertainties it is two columns
 * under one header: the value (`S`) and "± half-width" beside it (`l`), or
 * "[low, high]" for an interval clipped to the metric's range (siunitx's own
 * separate-uncertainty output loses the space before ± in tables).
 */
function sColumn(title: string, cells: SCell[]): LatexColumn {
  let int = 1;
  let dec = 0;
  let neg = false;
  let textW = 0;
  let restW = 0;
  const withRest = cells.some((c) =>
    ("value" in c && c.unc !== undefined) || ("text" in c && "rest" in c)
  );
  for (const c of cells) {
    if ("text" in c) {
      textW = Math.max(textW, textWidthPt(c.text.replace(/\$|\\[a-z]+|[{}]/g, "")));
      if ("rest" in c) restW = Math.max(restW, textWidthPt(String(c.rest)));
      continue;
    }
    int = Math.max(int, intDigits(c.value));
    dec = Math.max(dec, c.decimals);
    if (c.value < 0) neg = true;
    if (c.unc !== undefined) restW = Math.max(restW, textWidthPt(`± ${fixed(c.unc, c.decimals)}`));
  }
  const body = cells.map((c) => {
    if ("text" in c) {
      const rest = "rest" in c ? escapeLatex(String(c.rest)) : "";
      return withRest ? `{${c.text}} & ${rest}` : `{${c.text}}`;
    }
    const v = fixed(c.value, c.decimals);
    if (!withRest) return v;
    return c.unc === undefined ? `${v} &` : `${v} & $\\pm$\\,${fixed(c.unc, c.decimals)}`;
  });
  const format = `${neg ? "-" : ""}${int}.${dec}`;
  const numChars = (neg ? 1 : 0) + int + (dec ? dec + 1 : 0);
  const lines = headerLines(title);
  const valueW = Math.max(numChars * CHAR_PT, textW);
  return {
    header: lines.map(escapeLatex),
    spec: withRest ? `S[table-format=${format}]@{\\,}l` : `S[table-format=${format}]`,
    cells: body,
    width: Math.max(valueW + (withRest ? restW + 2 : 0), ...lines.map(textWidthPt)),
    span: withRest ? 2 : 1,
  };
}

/** The cell of a summary in an S column: mean ± half-width, or text when clipped or short. */
function summaryCell(s: Summary | undefined, digits: number): SCell {
  if (!s || s.n === 0) return { text: "--" };
  if (s.n === 1 || !Number.isFinite(s.ci95High)) {
    return {
      text: `${
        latexNumber(s.mean, digits).includes("\\")
          ? `$${latexNumber(s.mean, digits)}$`
          : latexNumber(s.mean, digits)
      } ($n{=}1$)`,
    };
  }
  const up = s.ci95High - s.mean;
  const down = s.mean - s.ci95Low;
  const half = Math.max(up, down);
  const d = meanDecimals(s.mean, half, digits);
  if (Math.abs(up - down) > 1e-9 * Math.max(1, Math.abs(s.mean))) {
    return { text: fixed(s.mean, d), rest: `[${fixed(s.ci95Low, d)}, ${fixed(s.ci95High, d)}]` };
  }
  return { value: Number(fixed(s.mean, d)), unc: Number(fixed(half, d)), decimals: d };
}

/** Total width of columns with their separation. */
function tableWidth(cols: readonly LatexColumn[]): number {
  return cols.reduce((a, c) => a + c.width, 0) + 2 * COLSEP * Math.max(0, cols.length - 1);
}

/**
 * Splits metric columns into groups whose tables (fixed columns first) fit
 * `textWidth`; a group holds at least one metric.
 *
 * @param fixedCols The columns every table repeats.
 * @param metricCols The metric columns, in order.
 * @param textWidth The width in points.
 * @param perTable At most this many metric columns per group.
 * @returns Indices of the metric columns per group.
 */
export function fitGroups(
  fixedCols: readonly LatexColumn[],
  metricCols: readonly LatexColumn[],
  textWidth: number,
  perTable = Infinity,
): number[][] {
  const groups: number[][] = [];
  let current: number[] = [];
  for (let i = 0; i < metricCols.length; i++) {
    const trial = [...current, i];
    const cols = [...fixedCols, ...trial.map((j) => metricCols[j])];
    if (current.length && (tableWidth(cols) > textWidth || trial.length > perTable)) {
      groups.push(current);
      current = [i];
    } else current = trial;
  }
  if (current.length) groups.push(current);
  return groups;
}

/**
 * A text column for `compare`: `l` when it fits `maxWidth` points, else
 * each cell a ragged-right `\parbox` of that width (its text wraps).
 *
 * @param title The header.
 * @param cells Plain cell texts (escaped here).
 * @param maxWidth The widest the column may be, in points.
 * @returns The column.
 */
export function textColumnLatex(title: string, cells: string[], maxWidth: number): LatexColumn {
  const col = textColumn(title, cells);
  if (!Number.isFinite(maxWidth) || col.width <= maxWidth - 2 * COLSEP) return col;
  const w = Math.floor(maxWidth - 2 * COLSEP);
  // A ragged-right box of fixed width (no array package needed; breaks at spaces and after commas).
  return {
    ...col,
    cells: col.cells.map((c) =>
      `\\parbox[t]{${w}pt}{\\raggedright\\hspace{0pt}${
        c.replaceAll(",", ",\\hspace{0pt}").replaceAll("=", "=\\hspace{0pt}")
      }}`
    ),
    width: w,
  };
}

/**
 * A `table` float of generated columns (exported for `compare`).
 *
 * @param caption The caption (LaTeX).
 * @param label The label.
 * @param cols The columns.
 * @returns The float.
 */
export function columnsLatex(caption: string, label: string, cols: readonly LatexColumn[]): string {
  return columnsFloat(caption, label, cols);
}

/** A `table` float of generated columns. */
function columnsFloat(
  caption: string,
  label: string,
  cols: readonly LatexColumn[],
  rules: number[] = [],
): string {
  const rows: LatexRow[] = [];
  const n = cols[0]?.cells.length ?? 0;
  for (let i = 0; i < n; i++) {
    if (rules.includes(i)) rows.push(null);
    rows.push(cols.map((c) => c.cells[i]));
  }
  return tableFloat(
    caption,
    label,
    `@{}${cols.map((c) => c.spec).join("")}@{}`,
    cols.map((c) => headerCell(c.header, c.spec.startsWith("S"), c.span ?? 1)),
    rows,
    `\\setlength{\\tabcolsep}{${COLSEP}pt}\\sisetup{group-digits=none}`,
  );
}

/**
 * The summary table(s): per configuration its swept values (readable
 * names), the number of `done` runs, and per metric "mean ± half-width of
 * the 95% t-interval" in an siunitx column, rounded to the interval's
 * precision; split into several tables by groups of metrics so that each
 * fits the text width.
 *
 * @param exp The experiment (for caption and label).
 * @param agg The aggregated sweep.
 * @param metrics The metric columns (at least one).
 * @param perTable At most this many metric columns per table (default: as many as fit).
 * @param view Names and digits.
 * @param textWidth The width to fit, in points (default A4 with 2.5 cm margins).
 * @returns One or more `table` floats, separated by blank lines.
 */
export function summaryLatex(
  exp: Experiment,
  agg: Aggregate,
  metrics: readonly string[],
  perTable = Infinity,
  view: Pick<ReportView, "names" | "values" | "digits"> = { ...PLAIN_VIEW, digits: 4 },
  textWidth = A4_TEXT_WIDTH,
): string {
  const fixedCols: LatexColumn[] = agg.axes.length
    ? agg.axes.map((a) =>
      textColumn(pathName(view, a, true), agg.configs.map((c) => valueName(view, a, c.point[a])))
    )
    : [textColumn("Configuration", agg.configs.map((c) => c.label))];
  fixedCols.push({
    header: ["$n$"],
    spec: "r",
    cells: agg.configs.map((c) => String(c.runs.filter((r) => r.state === "done").length)),
    width: 2 * CHAR_PT,
  });
  const metricCols = metrics.map((m) =>
    sColumn(metricName(view, m), agg.configs.map((c) => summaryCell(c.stats[m], view.digits)))
  );
  const groups = fitGroups(fixedCols, metricCols, textWidth, perTable);
  return groups.map((group, t) => {
    const titles = group.map((j) =>
      `${escapeLatex(metricName(view, metrics[j]))} (\\texttt{${escapeLatex(metrics[j])}})`
    )
      .join(", ");
    return columnsFloat(
      `Final metrics of ${escapeLatex(exp.title ?? exp.name)}: ${titles}. Mean over the seeds ` +
        "that finished $\\pm$ the half-width of the 95\\% $t$-interval (an interval clipped to " +
        "the metric's range is given as [low, high]); $n$ finished runs.",
      `tab:${exp.name}-summary${t === 0 ? "" : `-${t + 1}`}`,
      [...fixedCols, ...group.map((j) => metricCols[j])],
    );
  }).join("\n\n");
}

/**
 * One table per contrast: the difference averaged over the levels, then
 * per level and metric the seeds, the difference ± half-width of its 95%
 * t-interval, the Holm-adjusted p-value, Hedges' g, the probability of
 * improvement and the outcome; the caption gives the verdict, the rule and
 * the interaction tests. Too wide for the page, it splits by metric.
 *
 * @param exp The experiment (for labels).
 * @param results The evaluated contrasts.
 * @param view Names and digits.
 * @param textWidth The width to fit, in points.
 * @returns `table` floats, separated by blank lines.
 */
export function contrastsLatex(
  exp: Experiment,
  results: readonly ContrastResult[],
  view: ReportView,
  textWidth = A4_TEXT_WIDTH,
): string {
  const out: string[] = [];
  results.forEach((r, k) => {
    const full = contrastNames(r, view);
    // Long arm names would make the headers wider than the page: A and B, defined in the caption.
    const shortNames = full.a.length <= 8 && full.b.length <= 8;
    const names = shortNames ? full : { ...full, a: "A", b: "B", diff: "A − B" };
    const axes = Object.keys(r.cells[0]?.point ?? {});
    type Line = {
      level: Record<string, string>;
      metric: string;
      n: string;
      diff: SCell;
      p: SCell;
      g: SCell;
      poi: SCell;
      outcome: string;
    };
    const pCell = (p: number): SCell =>
      !Number.isFinite(p)
        ? { text: "--" }
        : p < 0.001
        ? { text: "$<0.001$" }
        : { value: p, decimals: 3 };
    const diffCell = (est: number, lo: number, hi: number): SCell => {
      if (!Number.isFinite(est)) return { text: "--" };
      const half = (hi - lo) / 2;
      if (!Number.isFinite(half)) return { value: est, decimals: 2 };
      const d = decimalsFor(half);
      return { value: Number(fixed(est, d)), unc: Number(fixed(half, d)), decimals: d };
    };
    const short = (o: string) => (o === "no clear difference" ? "no clear diff." : o);
    const lines: Line[] = [];
    for (const t of r.overall) {
      lines.push({
        level: Object.fromEntries(axes.map((a, i) => [a, i === 0 ? "average" : ""])),
        metric: view.names[t.metric] ?? t.metric,
        n: t.why ? "--" : String(t.n),
        diff: diffCell(t.estimate, t.ci95Low, t.ci95High),
        p: pCell(t.pHolm),
        g: { text: "" },
        poi: { text: "" },
        outcome: short(t.outcome),
      });
    }
    for (const c of r.cells) {
      lines.push({
        level: Object.fromEntries(axes.map((a) => [a, valueName(view, a, c.point[a])])),
        metric: view.names[c.metric] ?? c.metric,
        n: `${c.nA}/${c.nB}`,
        diff: diffCell(c.estimate, c.ci95Low, c.ci95High),
        p: pCell(c.pHolm),
        g: Number.isFinite(c.hedgesG) ? { value: c.hedgesG, decimals: 2 } : { text: "--" },
        poi: Number.isFinite(c.poi) ? { value: c.poi, decimals: 2 } : { text: "--" },
        outcome: short(c.outcome),
      });
    }
    const cols: LatexColumn[] = [
      ...(axes.length
        ? axes.map((a) => textColumn(pathName(view, a, true), lines.map((l) => l.level[a])))
        : [
          textColumn(
            "Level",
            lines.map((_, i) => (i < r.overall.length ? "average" : "the study")),
          ),
        ]),
      textColumn("Metric", lines.map((l) => l.metric), true),
      { ...textColumn(`n ${names.a}/${names.b}`, lines.map((l) => l.n)), spec: "c" },
      sColumn(`${names.diff} ± 95% CI`, lines.map((l) => l.diff)),
      sColumn("p (Holm)", lines.map((l) => l.p)),
      sColumn("g", lines.map((l) => l.g)),
      sColumn(`P(${names.a} better)`, lines.map((l) => l.poi)),
      textColumn("Outcome", lines.map((l) => l.outcome)),
    ];
    const dep = r.interactions.filter((t) => t.depends);
    const interaction = r.interactions.length === 0
      ? ""
      : dep.length
      ? ` The difference depends on ${
        escapeLatex([...new Set(dep.map((t) => pathName(view, t.axis, true)))].join(" and "))
      } (Welch's heterogeneity test, Holm-adjusted $p<${r.alpha}$).`
      : ` No evidence that it depends on ${
        escapeLatex(
          [...new Set(r.interactions.map((t) => pathName(view, t.axis, true)))].join(" or "),
        )
      } (Welch's heterogeneity test).`;
    const caption = `${escapeLatex(r.title)} \\textbf{${r.verdict}} (rule \\textit{${r.rule}}): ` +
      `${escapeLatex(names.diff)} (${
        escapeLatex(names.axis)
      }) averaged over the levels, then per ` +
      "level: mean difference $\\pm$ the half-width of its 95\\% $t$-interval (paired by seed " +
      "where the seeds match), $p$ Holm-adjusted over the cells (over the metrics for the " +
      `average), Hedges' $g$, and the probability that a run of ${
        escapeLatex(names.a)
      } is better.` +
      interaction;
    // Too wide: one table per metric.
    const fits = tableWidth(cols) <= textWidth;
    if (fits) {
      out.push(
        columnsFloat(caption, `tab:${exp.name}-contrast-${k + 1}`, cols, [r.overall.length]),
      );
      return;
    }
    r.metrics.forEach((m, j) => {
      const keep = lines.map((l, i) => (l.metric === (view.names[m] ?? m) ? i : -1)).filter((i) =>
        i >= 0
      );
      const sub = cols.map((c) => ({ ...c, cells: keep.map((i) => c.cells[i]) }));
      out.push(columnsFloat(
        `${caption} Metric: \\texttt{${escapeLatex(m)}}.`,
        `tab:${exp.name}-contrast-${k + 1}${j ? `-${j + 1}` : ""}`,
        sub,
        [1],
      ));
    });
  });
  return out.join("\n\n");
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
 * `\paragraph{Note.}`), the contrast tables, the claims table (when there
 * are claims), the Parzen table (when runs logged `parzen_ll`) and the
 * summary table(s) (when any metric has values).
 *
 * @param exp The experiment.
 * @param agg The aggregated sweep.
 * @param options Claims, metrics, columns per table, notes, Parzen table.
 * @returns The LaTeX source (trailing newline).
 */
export function reportLatex(exp: Experiment, agg: Aggregate, options: LatexOptions = {}): string {
  const out = [
    `% tables.tex for experiment ${exp.name}, written by \`deno task report\`.`,
    "% \\input{tables.tex} needs \\usepackage{booktabs}, \\usepackage{siunitx} and",
    "% \\usepackage{amsmath} in the preamble; every table fits a text width of 16 cm.",
    "",
  ];
  for (const note of options.notes ?? []) {
    out.push(`\\paragraph{Note.} ${inline(note.replaceAll("\n", " "))}`, "");
  }
  const width = options.textWidth ?? A4_TEXT_WIDTH;
  const view = options.view;
  if (options.contrasts?.length && view) {
    out.push(contrastsLatex(exp, options.contrasts, view, width), "");
  }
  const claims = options.claims ?? [];
  if (claims.length) out.push(claimsLatex(exp, claims), "");
  else out.push("% No claims were checked for this report.", "");
  if (options.parzen) out.push(parzenLatex(exp, options.parzen), "");
  const metrics = summaryMetrics(agg, options.metrics);
  if (metrics.length) {
    out.push(
      summaryLatex(
        exp,
        agg,
        metrics,
        options.metricsPerTable ?? Infinity,
        view ?? { ...PLAIN_VIEW, digits: 4 },
        width,
      ),
      "",
    );
  } else out.push("% No run has finished with final metrics: no summary table.", "");
  return out.join("\n");
}
