/**
 * What `compare` adds to the side-by-side summary, as tables: the config
 * fields that differ between the studies, their shared contrasts and
 * shared metrics with the difference between the studies, for
 * `report.md`, `report.html`, `differences.csv` and `tables.tex`.
 *
 * @module
 */
import { decimalsFor, fixed, formatP } from "../analysis/format.ts";
import type { Row, Table } from "./aggregate.ts";
import { escapeHtml, htmlTable, inlineHtml } from "./html_page.ts";
import { markdownTable } from "./markdown.ts";
import { differenceText } from "./contrasts_table.ts";
import { columnsLatex, escapeLatex, type LatexColumn, textColumnLatex } from "./latex.ts";

/** A resolved config field whose values differ between the studies. */
export interface ConfigDifference {
  /** Dotted path. */
  path: string;
  /** Per study (in order), the values it takes, as text. */
  values: string[][];
}

/** The difference of two studies' estimates (Welch), with its 95% interval. */
export interface Between {
  /** estimate of the first study − estimate of the second. */
  estimate: number;
  ci95Low: number;
  ci95High: number;
  p: number;
}

/** A contrast both studies declare, side by side. */
export interface SharedContrast {
  /** The contrast's id. */
  id: string;
  /** The metric. */
  metric: string;
  /** Per study: verdict, and the difference A − B averaged over its levels. */
  studies: {
    study: string;
    verdict: string;
    estimate: number;
    ci95Low: number;
    ci95High: number;
    n: number;
  }[];
  /** First study's minus second's (two studies only; NaN otherwise). */
  between: Between;
}

/** One shared metric at one configuration both studies ran. */
export interface MetricDifference {
  /** The configuration's swept values, e.g. "k=1". */
  config: string;
  metric: string;
  /** Per study: mean, 95% interval and seeds. */
  studies: { study: string; mean: number; ci95Low: number; ci95High: number; n: number }[];
  /** First study's minus second's (two studies only). */
  between: Between;
}

/** Everything compare adds, for its renderers. */
export interface CompareExtra {
  diffs: ConfigDifference[];
  shared: SharedContrast[];
  metricDiffs: MetricDifference[];
}

/** A mean with its interval at the interval's precision: "6.2 [5.1, 7.3]". */
function meanCi(mean: number, lo: number, hi: number): string {
  if (!Number.isFinite(mean)) return "–";
  const d = decimalsFor((hi - lo) / 2);
  if (!Number.isFinite(lo) || !Number.isFinite(hi)) return fixed(mean, Math.min(d, 4));
  return `${fixed(mean, d)} [${fixed(lo, d)}, ${fixed(hi, d)}]`;
}

function betweenText(b: Between): string {
  return differenceText(b.estimate, b.ci95Low, b.ci95High);
}

/** The three tables as text cells. */
export function compareText(names: readonly string[], x: CompareExtra) {
  const two = names.length === 2;
  const diffHead = two ? [`${names[0]} − ${names[1]} [95% CI]`, "p"] : [];
  return {
    config: {
      header: ["config field", ...names],
      rows: x.diffs.map((d) => [d.path, ...d.values.map((v) => v.join(", "))]),
    },
    contrasts: {
      header: [
        "contrast",
        "metric",
        ...names.map((n) => `${n}: A − B [95% CI] (verdict)`),
        ...diffHead,
      ],
      rows: x.shared.map((c) => [
        c.id,
        c.metric,
        ...c.studies.map((s) =>
          `${differenceText(s.estimate, s.ci95Low, s.ci95High)} (${s.verdict})`
        ),
        ...(two ? [betweenText(c.between), formatP(c.between.p)] : []),
      ]),
    },
    metrics: {
      header: ["configuration", "metric", ...names.map((n) => `${n} [95% CI]`), ...diffHead],
      rows: x.metricDiffs.map((m) => [
        m.config,
        m.metric,
        ...m.studies.map((s) => meanCi(s.mean, s.ci95Low, s.ci95High)),
        ...(two ? [betweenText(m.between), formatP(m.between.p)] : []),
      ]),
    },
  };
}

/**
 * `differences.csv`: one row per shared contrast metric and per shared
 * metric at a shared configuration, with each study's estimate and the
 * difference between the first two studies.
 */
export function differencesTable(
  metricDiffs: readonly MetricDifference[],
  shared: readonly SharedContrast[],
): Table {
  const rows: Row[] = [];
  for (const c of shared) {
    const row: Row = { kind: "contrast", what: c.id, metric: c.metric };
    c.studies.forEach((s, i) => {
      row[`study_${i + 1}`] = s.study;
      row[`estimate_${i + 1}`] = s.estimate;
      row[`ci95_low_${i + 1}`] = s.ci95Low;
      row[`ci95_high_${i + 1}`] = s.ci95High;
    });
    Object.assign(row, {
      difference: c.between.estimate,
      diff_ci95_low: c.between.ci95Low,
      diff_ci95_high: c.between.ci95High,
      p: c.between.p,
    });
    rows.push(row);
  }
  for (const m of metricDiffs) {
    const row: Row = { kind: "metric", what: m.config, metric: m.metric };
    m.studies.forEach((s, i) => {
      row[`study_${i + 1}`] = s.study;
      row[`estimate_${i + 1}`] = s.mean;
      row[`ci95_low_${i + 1}`] = s.ci95Low;
      row[`ci95_high_${i + 1}`] = s.ci95High;
    });
    Object.assign(row, {
      difference: m.between.estimate,
      diff_ci95_low: m.between.ci95Low,
      diff_ci95_high: m.between.ci95High,
      p: m.between.p,
    });
    rows.push(row);
  }
  const n = Math.max(0, ...[
    ...shared.map((c) => c.studies.length),
    ...metricDiffs.map((m) => m.studies.length),
  ]);
  const columns = ["kind", "what", "metric"];
  for (let i = 1; i <= n; i++) {
    columns.push(`study_${i}`, `estimate_${i}`, `ci95_low_${i}`, `ci95_high_${i}`);
  }
  columns.push("difference", "diff_ci95_low", "diff_ci95_high", "p");
  return { columns, rows };
}

/** The sections compare adds to report.md. */
export function compareExtraMarkdown(names: readonly string[], x: CompareExtra): string[] {
  const t = compareText(names, x);
  const out = ["## What differs", ""];
  out.push(
    t.config.rows.length
      ? markdownTable(t.config.header, t.config.rows)
      : "Every resolved config field takes the same values in every study.",
    "",
  );
  if (t.contrasts.rows.length) {
    out.push("## Shared contrasts", "", markdownTable(t.contrasts.header, t.contrasts.rows), "");
    out.push(
      "Each study's difference A − B averaged over its levels; the difference between the studies by Welch's t.",
      "",
    );
  }
  out.push("## Shared metrics", "");
  out.push(
    t.metrics.rows.length
      ? markdownTable(t.metrics.header, t.metrics.rows)
      : "The studies share no configuration (the same swept values) with a metric of interest.",
    "",
  );
  if (t.metrics.rows.length) out.push("All numbers are in `differences.csv`.", "");
  return out;
}

/** The sections compare adds to report.html. */
export function compareExtraHtml(names: readonly string[], x: CompareExtra): string {
  const t = compareText(names, x);
  const num = (r: string[], from: number) =>
    r.map((c, i) => (i >= from ? { html: escapeHtml(c), cls: "num" } : escapeHtml(c)));
  const out = ['<section id="differs">', "<h2>What differs</h2>"];
  out.push(
    t.config.rows.length
      ? htmlTable(t.config.header, t.config.rows.map((r) => r.map(escapeHtml)), "config-diff")
      : '<p class="note">Every resolved config field takes the same values in every study.</p>',
  );
  out.push("</section>");
  if (t.contrasts.rows.length) {
    out.push(
      '<section id="shared-contrasts">',
      "<h2>Shared contrasts</h2>",
      htmlTable(t.contrasts.header, t.contrasts.rows.map((r) => num(r, 2)), "shared-contrasts"),
      "</section>",
    );
  }
  out.push('<section id="shared-metrics">', "<h2>Shared metrics</h2>");
  out.push(
    t.metrics.rows.length
      ? htmlTable(t.metrics.header, t.metrics.rows.map((r) => num(r, 2)), "shared-metrics") +
        `<p class="note">${inlineHtml("All numbers are in `differences.csv`.")}</p>`
      : '<p class="note">The studies share no configuration with a metric of interest.</p>',
  );
  out.push("</section>");
  return out.join("\n");
}

/**
 * `tables.tex` of a comparison: what differs, shared contrasts, shared
 * metrics with the difference; each table split by rows to fit nothing
 * wider than the text width (long texts are wrapped into lines).
 */
export function compareLatex(
  aggs: readonly { name: string; study: { exp: { title?: string } } }[],
  x: CompareExtra,
  textWidth: number,
): string {
  const names = aggs.map((a) => a.name);
  const t = compareText(names, x);
  const label = `tab:compare-${names.join("-")}`;
  const out = [
    `% tables.tex for the comparison of ${names.join(", ")}, written by \`deno task compare\`.`,
    "% \\input{tables.tex} needs \\usepackage{booktabs}, \\usepackage{siunitx} and",
    "% \\usepackage{amsmath} in the preamble; every table fits a text width of 16 cm.",
    "",
  ];
  const table = (tt: { header: string[]; rows: string[][] }, caption: string, suffix: string) => {
    if (tt.rows.length === 0) return;
    // Narrow columns keep their width; the wide ones share what is left and wrap.
    const natural = tt.header.map((h, j) =>
      textColumnLatex(h, tt.rows.map((r) => r[j]), Infinity).width
    );
    const limit = natural.map(() => Infinity);
    let avail = textWidth - 8 * (tt.header.length - 1);
    const order = natural.map((w, j) => [w, j] as const).sort((p, q) => p[0] - q[0]);
    order.forEach(([w, j], i) => {
      const share = avail / (order.length - i);
      limit[j] = w <= share ? Infinity : share + 8;
      avail -= Math.min(w, share);
    });
    const cols: LatexColumn[] = tt.header.map((h, j) =>
      textColumnLatex(h, tt.rows.map((r) => r[j]), limit[j])
    );
    out.push(columnsLatex(caption, `${label}-${suffix}`, cols), "");
  };
  table(
    t.config,
    `What differs between ${
      escapeLatex(names.join(" and "))
    }: the resolved config fields whose values differ, with the values each study's runs take.`,
    "config",
  );
  table(
    t.contrasts,
    "Contrasts both studies declare: each study's difference A $-$ B averaged over its levels with its 95\\% $t$-interval and verdict, and the difference between the studies (Welch's $t$).",
    "contrasts",
  );
  table(
    t.metrics,
    "Metrics of interest at the configurations both studies ran: mean over seeds with its 95\\% $t$-interval, and the difference between the studies (Welch's $t$).",
    "metrics",
  );
  if (out.length === 4) {
    out.push("% The studies share no contrast and no configuration; nothing differs.");
  }
  return out.join("\n");
}
