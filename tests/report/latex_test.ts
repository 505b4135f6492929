import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { aggregate, buildReport, escapeLatex, latexNumber } from "../../lib/report/mod.ts";
import { RING_SPEC, sampleClaims, writeStudy } from "./store_fixtures.ts";
import { withTempDir } from "../_temp.ts";
import { compileTables, HAVE_TEX } from "./_latex.ts";

/** One `tabular` of tables.tex: its label, header cells and body rows (cells as source). */
interface TexTable {
  label: string;
  header: string[];
  rows: string[][];
  caption: string;
}

/** Splits a row at column separators (`&` not escaped as `\&`, outside braces). */
function cells(line: string): string[] {
  assert.ok(line.endsWith(" \\\\"), `row does not end with \\\\: ${line}`);
  const out: string[] = [];
  let depth = 0;
  let cur = "";
  const body = line.slice(0, -3);
  for (let i = 0; i < body.length; i++) {
    const ch = body[i];
    if (ch === "{" && body[i - 1] !== "\\") depth++;
    if (ch === "}" && body[i - 1] !== "\\") depth--;
    if (ch === "&" && body[i - 1] !== "\\" && depth === 0) {
      out.push(cur.trim());
      cur = "";
    } else cur += ch;
  }
  out.push(cur.trim());
  return out;
}

/** The text between the braces that open at `open` (balanced). */
function braced(text: string, open: number): string {
  let depth = 0;
  for (let i = open; i < text.length; i++) {
    if (text[i] === "{") depth++;
    if (text[i] === "}" && --depth === 0) return text.slice(open + 1, i);
  }
  throw new Error(`unbalanced braces at ${open}`);
}

/** Columns of a tabular spec: letters at top level, options and @{...} removed. */
function columnCount(spec: string): number {
  let s = spec;
  let prev = "";
  while (prev !== s) {
    prev = s;
    s = s.replace(/@\{[^{}]*(\{[^{}]*\}[^{}]*)*\}/g, "").replace(/\[[^\]]*\]/g, "")
      .replace(/\{[^{}]*\}/g, "");
  }
  return (s.match(/[lcrpS]/g) ?? []).length;
}

/** A header row's columns: \multicolumn{n} counts n. */
function spans(row: string[]): number {
  return row.reduce((a, c) => a + (Number(/^\\multicolumn\{(\d+)\}/.exec(c)?.[1] ?? 1)), 0);
}

/** Parses the tables this report writes (booktabs rules, one row per line). */
function parseTex(text: string): TexTable[] {
  const tables: TexTable[] = [];
  for (const block of text.split("\\begin{table}").slice(1)) {
    const label = /\\label\{([^}]+)\}/.exec(block)?.[1] ?? "";
    const lines = block.split("\n");
    const top = lines.indexOf("\\toprule");
    const mid = lines.indexOf("\\midrule");
    const bottom = lines.indexOf("\\bottomrule");
    assert.ok(top > 0 && mid === top + 2 && bottom > mid, `bad rules in ${label}`);
    const at = block.indexOf("\\begin{tabular}{") + "\\begin{tabular}".length;
    const ncol = columnCount(braced(block, at));
    const header = cells(lines[top + 1]);
    const rows = lines.slice(mid + 1, bottom).filter((l) => l !== "\\midrule").map(cells);
    assert.equal(spans(header), ncol, `header columns in ${label}: ${header}`);
    for (const r of rows) assert.equal(r.length, ncol, `columns in ${label}: ${r}`);
    const caption = braced(block, block.indexOf("\\caption{") + "\\caption".length);
    tables.push({ label, header, rows, caption });
  }
  return tables;
}

/** A number as this report writes it in math mode: `1.234`, `-0.5`, `1.2\times10^{-5}`. */
function texNumber(src: string): number {
  const m = /^(-?\d+(?:\.\d+)?)(?:\\times10\^\{(-?\d+)\})?$/.exec(src.trim());
  assert.ok(m, `not a number: ${src}`);
  return Number(m[1]) * (m[2] ? 10 ** Number(m[2]) : 1);
}

/**
 * A metric's two cells: `a` and `$\pm$\,b` -> [a, b, decimals]; `{a} & [lo, hi]`
 * (clipped) -> [a, NaN]; `{--}` -> [NaN, NaN]; `{a ($n{=}1$)}` -> [a, NaN].
 */
function meanPm(value: string, rest: string): [number, number, number] {
  if (value === "{--}") return [NaN, NaN, 0];
  const one = /^\{(.+) \(\$n\{=\}1\$\)\}$/.exec(value);
  if (one) return [texNumber(one[1].replaceAll("$", "")), NaN, 0];
  const decimals = (value.replace(/[{}]/g, "").split(".")[1] ?? "").length;
  if (value.startsWith("{")) return [texNumber(value.slice(1, -1)), NaN, decimals];
  const pm = /^\$\\pm\$\\,(.+)$/.exec(rest);
  assert.ok(pm, `half-width cell: ${rest}`);
  return [texNumber(value), texNumber(pm[1]), decimals];
}

function near(actual: number, expected: number, rel: number, what: string) {
  assert.ok(
    Math.abs(actual - expected) <= rel * Math.abs(expected) + 1e-12,
    `${what}: ${actual} vs ${expected}`,
  );
}

Deno.test("tables.tex: the summary parses back to the summary's means and CI half-widths", async () => {
  await withTempDir("report-tex-", async (root) => {
    const s = writeStudy(root, RING_SPEC, { 4: "failed" });
    const out = join(root, "reports", "ring");
    await buildReport(s.exp, s.plans, s.records, out, { charts: false, claims: sampleClaims() });
    const tables = parseTex(readFileSync(join(out, "tables.tex"), "utf8"));
    const agg = aggregate(s.exp, s.plans, s.records);
    const summaries = tables.filter((t) => t.label.startsWith("tab:ring-summary"));
    assert.ok(summaries.length >= 1);
    assert.equal(summaries[0].label, "tab:ring-summary");
    const seen = new Set<string>();
    for (const t of summaries) {
      assert.deepEqual(t.header.slice(0, 2), ["k", "$n$"]);
      assert.equal(t.rows.length, agg.configs.length);
      // The caption names each metric of the table, in column order.
      const metrics = [...t.caption.matchAll(/\(\\texttt\{([^}]+)\}\)/g)].map((m) =>
        m[1].replaceAll("\\_", "_")
      );
      assert.equal(t.header.length - 2, metrics.length);
      t.rows.forEach((row, i) => {
        const c = agg.configs[i];
        assert.equal(Number(row[0]), c.point.k);
        assert.equal(Number(row[1]), c.runs.filter((r) => r.state === "done").length);
        metrics.forEach((metric, j) => {
          seen.add(metric);
          const st = c.stats[metric];
          const [m, half, decimals] = meanPm(row[2 + 2 * j], row[3 + 2 * j]);
          // Rounded to the interval's precision: within half a unit of the last digit.
          const unit = 0.5 * 10 ** -decimals + 1e-12;
          if (!Number.isFinite(st.mean)) return assert.ok(Number.isNaN(m));
          assert.ok(Math.abs(m - st.mean) <= unit, `${metric} mean ${m} vs ${st.mean}`);
          if (Number.isFinite(half)) {
            const h = st.ci95High - st.mean;
            assert.ok(Math.abs(half - h) <= unit, `${metric} half ${half} vs ${h}`);
            // Two significant digits of the half-width (or it is below one unit).
            assert.ok(
              half >= 10 * 10 ** -decimals - unit || half < 10 ** -decimals + unit,
              `${half}`,
            );
          }
        });
      });
    }
    assert.deepEqual([...seen].sort(), ["d_gap", "hq_share", "modes", "r_t", "value"]);
  });
});

Deno.test("tables.tex: the claims table parses back to each claim's numbers, specials escaped", async () => {
  await withTempDir("report-tex-", async (root) => {
    const s = writeStudy(root, RING_SPEC);
    const out = join(root, "reports", "ring");
    const claims = sampleClaims();
    await buildReport(s.exp, s.plans, s.records, out, { charts: false, claims });
    const text = readFileSync(join(out, "tables.tex"), "utf8");
    assert.ok(text.includes("\\caption{Claims tested by Ring \\& k:"), "title not escaped");
    const t = parseTex(text).find((t) => t.label === "tab:ring-claims")!;
    assert.deepEqual(t.header, ["Claim", "Verdict", "Effect [95\\% CI]", "$n$", "Evidence"]);
    assert.equal(t.rows.length, claims.length);
    t.rows.forEach((row, i) => {
      const c = claims[i];
      assert.equal(row[0], `\\texttt{${c.id}}`);
      assert.equal(row[1], `\\textbf{${c.verdict}}`);
      // "<effect name>: $estimate$ [$low$, $high$]"; the name may hold math of its own.
      const numbers = row[2].slice(row[2].lastIndexOf(": ") + 2);
      const nums = [...numbers.matchAll(/\$([^$]+)\$/g)].map((m) => texNumber(m[1]));
      const expected = [c.effect.estimate, c.effect.ci95Low, c.effect.ci95High].filter(
        Number.isFinite,
      );
      assert.equal(nums.length, expected.length, row[2]);
      nums.forEach((v, j) => near(v, expected[j], 5e-4, `${c.id} effect ${j}`));
      assert.equal(Number(row[3]), c.n);
    });
    assert.equal(
      t.rows[0][4],
      "slope of \\texttt{d\\_gap} on log k is 0.0123 \\textgreater{} 0 in 5/5 seeds; " +
        "A\\_b \\& c\\_d \\#1 \\{x\\} \\textasciitilde{}y \\textasciicircum{}z \\textbackslash{}w \\$5",
    );
    assert.ok(t.rows[1][2].startsWith("$\\Delta$ modes: $-0.2$ [$-0.6$, $4.321\\times10^{-5}$]"));
    assert.ok(t.rows[1][4].includes("$-$0.2 $\\pm$ 0.4"));
  });
});

Deno.test("escapeLatex escapes every special character", () => {
  assert.equal(
    escapeLatex("\\ & % $ # _ { } ~ ^ < >"),
    "\\textbackslash{} \\& \\% \\$ \\# \\_ \\{ \\} \\textasciitilde{} \\textasciicircum{} " +
      "\\textless{} \\textgreater{}",
  );
  assert.equal(escapeLatex("a − b ± c × β …"), "a $-$ b $\\pm$ c $\\times$ $\\beta$ \\ldots{}");
  assert.equal(escapeLatex("plain text 1.5"), "plain text 1.5");
});

Deno.test("latexNumber: 4 significant digits, powers of ten outside [0.001, 100000)", () => {
  assert.equal(latexNumber(0.0123456), "0.01235");
  assert.equal(latexNumber(-1.386294), "-1.386");
  assert.equal(latexNumber(12345.678), "12350");
  assert.equal(latexNumber(123456.7), "1.235\\times10^{5}");
  assert.equal(latexNumber(0.00004321), "4.321\\times10^{-5}");
  assert.equal(latexNumber(0.001), "0.001");
  assert.equal(latexNumber(0), "0");
  assert.equal(latexNumber(0.0248456, 3), "0.0248");
  assert.equal(latexNumber(NaN), "--");
});

Deno.test("tables.tex without claims or finished runs is still valid input", async () => {
  await withTempDir("report-tex-", async (root) => {
    const s = writeStudy(root, RING_SPEC);
    await buildReport(s.exp, s.plans, [], root, { charts: false });
    const text = readFileSync(join(root, "tables.tex"), "utf8");
    assert.ok(!text.includes("\\begin{table}"));
    assert.ok(text.includes("% No claims were checked"));
  });
});

Deno.test({
  name:
    "tables.tex compiles in a plain A4 article (booktabs, siunitx, amsmath) without overfull boxes",
  ignore: !HAVE_TEX,
  fn: async () => {
    await withTempDir("report-tex-", async (root) => {
      const s = writeStudy(root, RING_SPEC, { 4: "failed" });
      await buildReport(s.exp, s.plans, s.records, root, { charts: false, claims: sampleClaims() });
      await compileTables(join(root, "tables.tex"));
    });
  },
});
