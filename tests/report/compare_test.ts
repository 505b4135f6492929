import assert from "node:assert/strict";
import { study } from "./contrast_fixtures.ts";
import { compileTables, HAVE_TEX } from "./_latex.ts";
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import {
  aggregate,
  compareName,
  compareStudies,
  parseClaimsJson,
  parseCsv,
} from "../../lib/report/mod.ts";
import { writeJson } from "../../lib/io/mod.ts";
import { cli, listFiles, writeExperiment } from "../cli/_cli.ts";
import { GAUSS_SPEC, RING_SPEC, sampleClaims, writeStudy } from "./store_fixtures.ts";
import { withTempDir } from "../_temp.ts";

// deno-lint-ignore no-explicit-any
type Json = any;

Deno.test("compareStudies: combined summary with a study column, shared metrics side by side", async () => {
  await withTempDir("report-compare-", async (root) => {
    const ring = writeStudy(root, RING_SPEC, { 4: "failed" });
    const gauss = writeStudy(root, GAUSS_SPEC);
    const out = join(root, "reports", compareName(["ring", "gauss"]));
    assert.ok(out.endsWith("compare-ring-gauss"));
    const claims = sampleClaims();
    const result = await compareStudies([{ ...ring, claims }, gauss], out);

    // Summary: ring's 2 configs then gauss's 2, each with its own swept column.
    const rows = parseCsv(readFileSync(join(out, "summary.csv"), "utf8"));
    assert.deepEqual(rows.map((r) => r.study), ["ring", "ring", "gauss", "gauss"]);
    const header = readFileSync(join(out, "summary.csv"), "utf8").split("\n")[0].split(",");
    assert.equal(header[0], "study");
    assert.ok(header.includes("k") && header.includes("optimizer.lr"));
    assert.ok(header.includes("modes_mean") && header.includes("js_mean"));
    const aggs = [
      aggregate(ring.exp, ring.plans, ring.records),
      aggregate(gauss.exp, gauss.plans, gauss.records),
    ];
    const expected = aggs.flatMap((a) => a.configs.map((c) => c.stats.d_gap.mean));
    assert.deepEqual(rows.map((r) => r.d_gap_mean), expected);
    assert.deepEqual(rows.map((r) => r.k), [1, 2, NaN, NaN]);
    assert.deepEqual(rows.map((r) => r["optimizer.lr"]), [NaN, NaN, 1e-4, 1e-3]);
    assert.deepEqual(rows.map((r) => r.failed), [0, 1, 0, 0]);

    // Charts: only the metrics of interest both studies logged (not modes, not js).
    assert.deepEqual(result.metrics, ["d_gap", "r_t", "value"]);
    assert.deepEqual(result.charts.map((c) => c.name), [
      "final-d_gap",
      "final-r_t",
      "final-value",
      "curve-d_gap",
      "curve-r_t",
      "curve-value",
    ]);
    for (const c of result.charts) {
      const spec = JSON.parse(readFileSync(join(out, "charts", `${c.name}.vl.json`), "utf8"));
      assert.equal(spec.hconcat.length, 2);
      assert.deepEqual(spec.hconcat.map((p: Json) => p.title.text), ["ring", "gauss"]);
      assert.equal(spec.resolve.scale.y, "shared");
      assert.ok(spec.hconcat.every((p: Json) => p.$schema === undefined));
      const svg = readFileSync(join(out, "charts", `${c.name}.svg`), "utf8");
      assert.ok(svg.startsWith("<svg") && svg.includes("ring") && svg.includes("gauss"));
      assert.ok(existsSync(join(out, "charts", `${c.name}.png`)));
    }
    const d = JSON.parse(readFileSync(join(out, "charts", "final-d_gap.vl.json"), "utf8"));
    assert.deepEqual(d.hconcat[0].data.values.map((v: Json) => v.mean), expected.slice(0, 2));
    assert.deepEqual(d.hconcat[1].data.values.map((v: Json) => v.mean), expected.slice(2));

    // Claims of every study, each with its study.
    const saved = parseClaimsJson(readFileSync(join(out, "claims.json"), "utf8"));
    assert.deepEqual(saved, claims.map((c) => ({ study: "ring", ...c })));

    const md = readFileSync(join(out, "report.md"), "utf8");
    assert.ok(md.startsWith("# Comparison: ring vs gauss\n"));
    assert.ok(md.includes("| ring | Ring & k | k | 2 | 5/6 | 1 PASS, 1 FAIL, 1 INCONCLUSIVE |"));
    assert.ok(md.includes("| gauss | Gaussian 1-D | optimizer.lr | 2 | 6/6 | none |"));
    assert.ok(md.includes("| ring | `d-overfits`: D overfits"));
    assert.ok(md.includes("| **FAIL** |") && md.includes("| **INCONCLUSIVE** |"));
    assert.ok(md.includes("](charts/final-d_gap.svg)"));
    const html = readFileSync(join(out, "report.html"), "utf8");
    assert.ok(html.includes('<td class="verdict verdict-PASS">PASS</td>'));
    assert.equal((html.match(/<figure class="chart"/g) ?? []).length, 6);
    assert.ok(!/(?:src|href)="https?:/.test(html));
  });
});

Deno.test("compareStudies refuses fewer than two studies or the same study twice", async () => {
  await withTempDir("report-compare-", async (root) => {
    const ring = writeStudy(root, RING_SPEC);
    await assert.rejects(() => compareStudies([ring], root), /at least two/);
    await assert.rejects(() => compareStudies([ring, ring], root), /given twice/);
  });
});

Deno.test("deno task compare: two experiment files -> reports/compare-<a>-<b>/ under --out", async () => {
  await withTempDir("report-compare-cli-", async (root) => {
    const ring = writeStudy(root, RING_SPEC);
    writeStudy(root, GAUSS_SPEC);
    // The sweep's settings file is honoured (here: the settings the runs were made with).
    writeJson(join(ring.runsDir, "sweep.json"), { expand: {} });
    // The ring study's last report checked claims.
    writeJson(join(root, "reports", "ring", "claims.json"), sampleClaims().slice(0, 1));
    const a = await writeExperiment(root, "ring", JSON.stringify(RING_SPEC));
    const b = await writeExperiment(root, "gauss", JSON.stringify(GAUSS_SPEC));
    const r = await cli("compare", [a, b, "--out", root]);
    assert.equal(r.code, 0, r.stderr);
    assert.ok(r.stdout.includes("ring: 6 of 6 planned runs found, 1 claim(s)"), r.stdout);
    assert.ok(r.stdout.includes("gauss: 6 of 6 planned runs found, 0 claim(s)"), r.stdout);
    assert.ok(r.stdout.includes("shared metrics: d_gap, r_t, value"), r.stdout);
    const files = await listFiles(join(root, "reports", "compare-ring-gauss"));
    for (const f of ["summary.csv", "claims.json", "report.md", "report.html"]) {
      assert.ok(files.includes(f), `${f} missing: ${files}`);
    }
    assert.ok(files.includes("charts/final-d_gap.svg"));
    const md = readFileSync(join(root, "reports", "compare-ring-gauss", "report.md"), "utf8");
    assert.ok(md.includes("| ring | `d-overfits`"));

    const one = await cli("compare", [a, "--out", root]);
    assert.equal(one.code, 2);
    assert.ok(one.stderr.includes("expected two or more experiment files"), one.stderr);
    const twice = await cli("compare", [a, a, "--out", root]);
    assert.equal(twice.code, 2);
    assert.ok(twice.stderr.includes('study "ring" is given twice'), twice.stderr);
  });
});

Deno.test("compareStudies: what differs, shared contrasts and metrics with differences, tables.tex, charts within a page", async () => {
  const a = study({}, { k: 1 }, 1.5, "ls-k1");
  const b = study({}, { k: 2 }, 0.5, "ls-k2");
  await withTempDir("report-compare-", async (out) => {
    const r = await compareStudies([a, b], out, { png: false, pdf: false });
    // The resolved configs differ in k only.
    assert.deepEqual(r.configDifferences.map((d) => d.path), ["k"]);
    assert.deepEqual(r.configDifferences[0].values, [["1"], ["2"]]);
    // The shared contrast, side by side, and the difference between the studies.
    const modes = r.contrasts.find((c) => c.metric === "modes")!;
    assert.equal(modes.id, "LS vs NS");
    assert.deepEqual(modes.studies.map((s) => s.study), ["ls-k1", "ls-k2"]);
    assert.ok(Math.abs(modes.between.estimate - 1) < 1e-9, `${modes.between.estimate}`);
    assert.ok(modes.between.ci95Low < 1 && modes.between.ci95High > 1);
    // Shared metrics at the 16 shared configurations.
    assert.equal(r.differences.filter((d) => d.metric === "modes").length, 16);
    const md = readFileSync(join(out, "report.md"), "utf8");
    assert.match(
      md,
      /## What differs\n\n\| config field \| ls-k1 \| ls-k2 \|\n\| --- \| --- \| --- \|\n\| k \| 1 \| 2 \|/,
    );
    assert.match(md, /## Shared contrasts/);
    assert.match(md, /No study declares claims\./);
    assert.ok(!md.includes("run `deno task report`"));
    assert.ok(r.files.includes(join(out, "differences.csv")));
    assert.ok(r.files.includes(join(out, "tables.tex")));
    // Charts stay within a page: faceted studies are stacked, not put side by side.
    for (const c of r.charts) {
      const svg = readFileSync(join(out, "charts", `${c.name}.svg`), "utf8");
      const width = Number(/^<svg[^>]*\swidth="([\d.]+)"/.exec(svg)![1]);
      assert.ok(width <= 1100, `${c.name}: ${width}px wide`);
    }
    if (HAVE_TEX) await compileTables(join(out, "tables.tex"));
  });
});
