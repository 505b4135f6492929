/**
 * The contrasts of a report as tables: `contrasts.csv` (one row per cell,
 * per metric averaged over the levels and per interaction test, every
 * number at full precision), and the text cells `report.md`, `report.html`
 * and `tables.tex` show (differences rounded to the precision their
 * interval supports, readable names for paths and values).
 *
 * @module
 */
import type { ContrastCell, ContrastResult } from "../claims/contrasts.ts";
import { decimalsFor, fixed, formatDigits, formatP } from "../analysis/format.ts";
import { type Row, type Table } from "./aggregate.ts";
import { metricName, pathName, pointLabel, type ReportView, valueName } from "./options.ts";

/** The columns of `contrasts.csv`, in order. */
export const CONTRAST_COLUMNS = [
  "contrast",
  "verdict",
  "kind",
  "level",
  "metric",
  "better",
  "paired",
  "n_a",
  "n_b",
  "mean_a",
  "mean_b",
  "difference",
  "se",
  "df",
  "ci95_low",
  "ci95_high",
  "boot_low",
  "boot_high",
  "p",
  "p_holm",
  "hedges_g",
  "prob_improvement",
  "outcome",
  "why",
  "interaction_axis",
  "f",
  "df1",
  "df2",
] as const;

/**
 * `contrasts.csv`: per contrast, one row per cell (kind `cell`), per metric
 * over the levels (`overall`) and per interaction test (`interaction`).
 *
 * @param results The evaluated contrasts.
 * @returns Columns and rows.
 */
export function contrastsTable(results: readonly ContrastResult[]): Table {
  const rows: Row[] = [];
  for (const r of results) {
    const head = { contrast: r.id, verdict: r.verdict };
    for (const t of r.overall) {
      rows.push({
        ...head,
        kind: "overall",
        level: "",
        metric: t.metric,
        better: t.better,
        paired: t.perSeed,
        n_a: t.n,
        n_b: t.n,
        difference: t.estimate,
        se: t.se,
        df: t.df,
        ci95_low: t.ci95Low,
        ci95_high: t.ci95High,
        boot_low: t.bootLow,
        boot_high: t.bootHigh,
        p: t.p,
        p_holm: t.pHolm,
        outcome: t.outcome,
        why: t.why,
      });
    }
    for (const c of r.cells) {
      rows.push({
        ...head,
        kind: "cell",
        level: c.level,
        metric: c.metric,
        better: c.better,
        paired: c.paired,
        n_a: c.nA,
        n_b: c.nB,
        mean_a: c.meanA,
        mean_b: c.meanB,
        difference: c.estimate,
        se: c.se,
        df: c.df,
        ci95_low: c.ci95Low,
        ci95_high: c.ci95High,
        boot_low: c.bootLow,
        boot_high: c.bootHigh,
        p: c.p,
        p_holm: c.pHolm,
        hedges_g: c.hedgesG,
        prob_improvement: c.poi,
        outcome: c.outcome,
        why: c.why,
      });
    }
    for (const t of r.interactions) {
      rows.push({
        ...head,
        kind: "interaction",
        level: t.stratum,
        metric: t.metric,
        p: t.p,
        p_holm: t.pHolm,
        outcome: t.depends ? "depends" : "no evidence of dependence",
        interaction_axis: t.axis,
        f: t.f,
        df1: t.df1,
        df2: t.df2,
      });
    }
  }
  return { columns: [...CONTRAST_COLUMNS], rows };
}

/** A difference with its 95% interval, rounded to the interval's precision: "+1.2 [0.4, 2.0]". */
export function differenceText(estimate: number, lo: number, hi: number): string {
  if (!Number.isFinite(estimate)) return "–";
  const d = decimalsFor((hi - lo) / 2);
  const sign = estimate > 0 ? "+" : "";
  if (!Number.isFinite(lo) || !Number.isFinite(hi)) return `${sign}${fixed(estimate, d)}`;
  return `${sign}${fixed(estimate, d)} [${fixed(lo, d)}, ${fixed(hi, d)}]`;
}

/** An interval alone, "[0.4, 2.0]", at the precision of its half-width. */
export function intervalText(lo: number, hi: number): string {
  if (!Number.isFinite(lo) || !Number.isFinite(hi)) return "–";
  const d = decimalsFor((hi - lo) / 2);
  return `[${fixed(lo, d)}, ${fixed(hi, d)}]`;
}

/** A contrast's arms and axis with readable names. */
export interface ContrastNames {
  /** "LS" */
  a: string;
  /** "NS" */
  b: string;
  /** "loss" */
  axis: string;
  /** "LS − NS" */
  diff: string;
}

/**
 * The readable names of a contrast's arms.
 *
 * @param r The contrast.
 * @param view Names.
 * @returns The names.
 */
export function contrastNames(
  r: ContrastResult,
  view: Pick<ReportView, "names" | "values">,
): ContrastNames {
  const a = valueName(view, r.axis, r.a);
  const b = valueName(view, r.axis, r.b);
  return { a, b, axis: pathName(view, r.axis, true), diff: `${a} − ${b}` };
}

/** A cell's level with readable names ("the study" without other axes). */
export function levelText(c: ContrastCell, view: Pick<ReportView, "names" | "values">): string {
  const axes = Object.keys(c.point);
  return axes.length ? pointLabel(view, c.point, axes) : "the study";
}

/** The text tables of one contrast. */
export interface ContrastText {
  /** Per metric averaged over the levels. */
  overall: { header: string[]; rows: string[][] };
  /** Per level and metric. */
  cells: { header: string[]; rows: string[][] };
  /** Interaction tests (no rows when there are none). */
  interactions: { header: string[]; rows: string[][] };
}

/**
 * One contrast's tables as text cells.
 *
 * @param r The contrast.
 * @param view Names and digits.
 * @returns The three tables.
 */
export function contrastText(r: ContrastResult, view: ReportView): ContrastText {
  const n = contrastNames(r, view);
  const digits = view.digits;
  const overall = {
    header: [
      "metric",
      "better",
      `${n.diff} [95% CI]`,
      "bootstrap 95%",
      "p (Holm)",
      "seeds",
      "outcome",
    ],
    rows: r.overall.map((t) => [
      metricName(view, t.metric),
      t.better,
      differenceText(t.estimate, t.ci95Low, t.ci95High),
      intervalText(t.bootLow, t.bootHigh),
      formatP(t.pHolm),
      t.why ? "–" : `${t.n}${t.perSeed ? " paired" : ""}`,
      t.why ? `not tested: ${t.why}` : t.outcome,
    ]),
  };
  const cells = {
    header: [
      "level",
      "metric",
      `n ${n.a}/${n.b}`,
      n.a,
      n.b,
      `${n.diff} [95% CI]`,
      "bootstrap 95%",
      "p (Holm)",
      "g",
      `P(${n.a} better)`,
      "outcome",
    ],
    rows: r.cells.map((c) => {
      const d = decimalsFor((c.ci95High - c.ci95Low) / 2);
      return [
        levelText(c, view),
        metricName(view, c.metric),
        `${c.nA}/${c.nB}${c.paired ? " paired" : ""}`,
        fixed(c.meanA, d),
        fixed(c.meanB, d),
        differenceText(c.estimate, c.ci95Low, c.ci95High),
        intervalText(c.bootLow, c.bootHigh),
        formatP(c.pHolm),
        formatDigits(c.hedgesG, Math.min(digits, 3)),
        formatDigits(c.poi, 2),
        c.outcome === "not tested" ? `not tested: ${c.why}` : c.outcome,
      ];
    }),
  };
  const interactions = {
    header: ["metric", "depends on", "within", "levels", "Welch F (df)", "p (Holm)", "result"],
    rows: r.interactions.map((t) => [
      metricName(view, t.metric),
      pathName(view, t.axis, true),
      Object.keys(t.point).length ? pointLabel(view, t.point, Object.keys(t.point)) : "the study",
      String(t.k),
      `${formatDigits(t.f, 3)} (${formatDigits(t.df1, 2)}, ${formatDigits(t.df2, 3)})`,
      formatP(t.pHolm),
      t.depends ? "depends" : "no evidence",
    ]),
  };
  return { overall, cells, interactions };
}
