import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { HtmlValidate } from "html-validate";
import { buildReport, escapeHtml, prefixSvgIds } from "../../lib/report/mod.ts";
import { fixture } from "./fixtures.ts";
import { RING_SPEC, sampleClaims, writeStudy } from "./store_fixtures.ts";
import { withTempDir } from "../_temp.ts";

/** Builds the ring study with one failed run, claims and every chart; returns the HTML. */
async function ringHtml(root: string) {
  const s = writeStudy(root, RING_SPEC, { 4: "failed" });
  // Leave one planned run without a directory: it must be listed as missing.
  const records = s.records.filter((r) => r.id !== s.plans[5].id);
  const out = join(root, "reports", "ring");
  const result = await buildReport(s.exp, s.plans, records, out, { claims: sampleClaims() });
  return { s, out, result, html: readFileSync(join(out, "report.html"), "utf8") };
}

Deno.test("report.html is self-contained: no remote URL, script or stylesheet link", async () => {
  await withTempDir("report-html-", async (root) => {
    const { html } = await ringHtml(root);
    const refs = [...html.matchAll(/\b(?:src|href)\s*=\s*["']?([^"'\s>]+)/gi)].map((m) => m[1]);
    assert.ok(refs.length > 0, "expected local links (specs, CSV)");
    for (const ref of refs) {
      assert.ok(!/^(?:https?:)?\/\//i.test(ref), `remote reference ${ref}`);
    }
    assert.ok(!/<script\b/i.test(html), "no scripts needed");
    assert.ok(!/<link\b/i.test(html), "CSS must be inline");
    assert.ok(!/@import|url\(\s*["']?https?:/i.test(html), "CSS must not load anything");
    assert.ok(/<style>[\s\S]*\.verdict-PASS[\s\S]*<\/style>/.test(html), "inline CSS missing");
  });
});

Deno.test("report.html inlines every chart's SVG", async () => {
  await withTempDir("report-html-", async (root) => {
    const { out, result, html } = await ringHtml(root);
    const names = result.charts.map((c) => c.name);
    assert.ok(names.includes("samples-scatter") && names.includes("final-d_gap"));
    const figures = [
      ...html.matchAll(/<figure class="chart" id="chart-([^"]+)"[\s\S]*?<\/figure>/g),
    ];
    assert.deepEqual(figures.map((f) => f[1]), names);
    figures.forEach((f, i) => {
      const svg = readFileSync(join(out, "charts", `${names[i]}.svg`), "utf8").trim();
      assert.ok(f[0].includes(prefixSvgIds(svg, `c${i}-`)), `${names[i]}: SVG not inlined`);
      assert.ok(f[0].includes(`${escapeHtml(result.charts[i].title)}</figcaption>`));
      assert.ok(f[0].includes(`href="charts/${names[i]}.png"`), "PNG link missing");
    });
  });
});

Deno.test("report.html shows the claims with coloured verdicts and the missing and failed runs", async () => {
  await withTempDir("report-html-", async (root) => {
    const { s, html } = await ringHtml(root);
    const table = /<table class="claims">[\s\S]*?<\/table>/.exec(html)?.[0];
    assert.ok(table, "no claims table");
    const rows = [...table.matchAll(/<tbody>[\s\S]*<\/tbody>/g)][0][0].match(/<tr>/g);
    assert.equal(rows?.length, 3);
    for (const v of ["PASS", "FAIL", "INCONCLUSIVE"]) {
      assert.ok(table.includes(`<td class="verdict verdict-${v}">${v}</td>`), v);
      assert.ok(new RegExp(`\\.verdict-${v} \\{[^}]*background`).test(html), `${v} colour`);
    }
    assert.ok(table.includes("D overfits its training set as k grows (50% &amp; more)"));
    assert.ok(table.includes("More G steps lose modes &lt;fewer&gt;"), "title not escaped");
    assert.ok(table.includes("slope d_gap/log k: 0.01235 [0.0041, 0.02056]"));
    assert.ok(html.indexOf('id="claims"') < html.indexOf('id="runs"'), "claims come first");
    const missing = /<h3 id="missing">[\s\S]*?<\/ul>/.exec(html)?.[0] ?? "";
    assert.ok(missing.includes(`<code>${s.plans[5].id}</code> (k=2, seed 2): no run directory`));
    const failed = /<h3 id="failed">[\s\S]*?<\/ul>/.exec(html)?.[0] ?? "";
    assert.ok(failed.includes(`<code>${s.plans[4].id}</code> (k=2, seed 1): failed: Error:`));
    assert.ok(html.includes("<strong>Incomplete:</strong> 1 of 6"));
  });
});

Deno.test("report.html is valid HTML5 (html-validate, standard rules)", async () => {
  await withTempDir("report-html-", async (root) => {
    const { html } = await ringHtml(root);
    const { exp, plans, records } = fixture();
    await buildReport(exp, plans, records, join(root, "fixture"), { png: false });
    const fixtureHtml = readFileSync(join(root, "fixture", "report.html"), "utf8");
    const validator = new HtmlValidate({ extends: ["html-validate:standard"] });
    for (const [name, text] of [["ring", html], ["fixture", fixtureHtml]]) {
      const report = await validator.validateString(text);
      const messages = report.results.flatMap((r) =>
        r.messages.map((m) => `${m.line}:${m.column} ${m.ruleId}: ${m.message}`)
      );
      assert.deepEqual(messages, [], `${name}: ${messages.slice(0, 10).join("\n")}`);
      assert.ok(
        text.startsWith('<!DOCTYPE html>\n<html lang="en">\n<head>\n<meta charset="utf-8">'),
      );
    }
  });
});
