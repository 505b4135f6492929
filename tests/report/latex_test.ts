import assert from "node:assert/strict";
import { existsSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { aggregate, buildReport, escapeLatex, latexNumber } from "../../lib/report/mod.ts";
import { RING_SPEC, sampleClaims, writeStudy } from "./store_fixtures.ts";
import { withTempDir } from "../_temp.ts";

/** One `tabular` of tables.tex: its label, header cells and body rows (cells as source). */
interface TexTable {
  label: string;
  header: string[];
  rows: string[][];
}

/** Splits a row at column separators (`&` not escaped as `\&`). */
function cells(line: string): string[] {
  assert.ok(line.endsWith(" \\\\"), `row does not end with \\\\: ${line}`);
  return line.slice(0, -3).split(/(?<!\\)&/).map((c) => c.trim());
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
    const columns = /\\begin\{tabular\}\{@\{\}(.*)@\{\}\}/.exec(block)?.[1] ?? "";
    const ncol = columns.replace(/\{[^}]*\}/g, "").length;
    const header = cells(lines[top + 1]);
    const rows = lines.slice(mid + 1, bottom).map(cells);
    for (const r of [header, ...rows]) assert.equal(r.length, ncol, `columns in ${label}: ${r}`);
    tables.push({ label, header, rows });
  }
  return tables;
}

/** A number as this report writes it in math mode: `1.234`, `-0.5`, `1.2\times10^{-5}`. */
function texNumber(src: string): number {
  const m = /^(-?\d+(?:\.\d+)?)(?:\\times10\^\{(-?\d+)\})?$/.exec(src.trim());
  assert.ok(m, `not a number: ${src}`);
  return Number(m[1]) * (m[2] ? 10 ** Number(m[2]) : 1);
}

/** `$a \pm b$` -> [a, b]; `$a$ ($n{=}1$)` -> [a, NaN]; `--` -> [NaN, NaN]. */
function meanPm(cell: string): [number, number] {
  if (cell === "--") return [NaN, NaN];
  const pm = /^\$(.+) \\pm (.+)\$$/.exec(cell);
  if (pm) return [texNumber(pm[1]), texNumber(pm[2])];
  const one = /^\$(.+)\$ \(\$n\{=\}1\$\)$/.exec(cell);
  assert.ok(one, `cell: ${cell}`);
  return [texNumber(one[1]), NaN];
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
    assert.deepEqual(summaries.map((t) => t.label), ["tab:ring-summary", "tab:ring-summary-2"]);
    const seen = new Set<string>();
    for (const t of summaries) {
      assert.deepEqual(t.header.slice(0, 2), ["\\texttt{k}", "$n$"]);
      assert.equal(t.rows.length, agg.configs.length);
      t.rows.forEach((row, i) => {
        const c = agg.configs[i];
        assert.equal(texNumber(row[0].slice(1, -1)), c.point.k);
        assert.equal(Number(row[1]), c.runs.filter((r) => r.state === "done").length);
        t.header.slice(2).forEach((h, j) => {
          const metric = /^\\texttt\{(.+)\}$/.exec(h)![1].replaceAll("\\_", "_");
          seen.add(metric);
          const st = c.stats[metric];
          const [m, half] = meanPm(row[2 + j]);
          near(m, st.mean, 5e-4, `${metric} mean, k=${c.point.k}`);
          near(half, st.ci95High - st.mean, 5e-3, `${metric} half-width, k=${c.point.k}`);
        });
      });
    }
    assert.deepEqual([...seen], ["d_gap", "r_t", "value", "modes", "hq_share"]);
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

const PDFLATEX = "/usr/bin/pdflatex";

Deno.test({
  name: "tables.tex compiles with pdflatex and booktabs (where TeX is installed)",
  ignore: !existsSync(PDFLATEX),
  fn: async () => {
    await withTempDir("report-tex-", async (root) => {
      const s = writeStudy(root, RING_SPEC, { 4: "failed" });
      await buildReport(s.exp, s.plans, s.records, root, { charts: false, claims: sampleClaims() });
      writeFileSync(
        join(root, "paper.tex"),
        "\\documentclass{article}\n\\usepackage[T1]{fontenc}\n\\usepackage{booktabs}\n" +
          "\\begin{document}\n\\input{tables.tex}\n\\end{document}\n",
      );
      const out = await new Deno.Command(PDFLATEX, {
        args: ["-interaction=nonstopmode", "-halt-on-error", "paper.tex"],
        cwd: root,
        stdout: "piped",
        stderr: "piped",
      }).output();
      const log = new TextDecoder().decode(out.stdout);
      assert.equal(out.code, 0, log.slice(-2000));
      assert.ok(!/^! /m.test(log), log);
      assert.ok(existsSync(join(root, "paper.pdf")));
    });
  },
});
