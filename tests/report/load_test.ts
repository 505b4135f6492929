import assert from "node:assert/strict";
import { readFileSync, rmSync } from "node:fs";
import { join } from "node:path";
import { aggregate, buildReport, loadReport, parseCsv } from "../../lib/report/mod.ts";
import { GAUSS_SPEC, sampleClaims, writeStudy } from "./store_fixtures.ts";
import { withTempDir } from "../_temp.ts";

Deno.test("loadReport reads back claims, summary and every chart's spec and SVG, in report order", async () => {
  await withTempDir("report-load-", async (root) => {
    const s = writeStudy(root, GAUSS_SPEC);
    const out = join(root, "reports", "gauss");
    const claims = sampleClaims();
    const built = await buildReport(s.exp, s.plans, s.records, out, { claims });
    const report = loadReport(out);
    assert.equal(report.dir, out);
    assert.deepEqual(report.claims, claims);
    assert.deepEqual(report.summary, parseCsv(readFileSync(join(out, "summary.csv"), "utf8")));
    const agg = aggregate(s.exp, s.plans, s.records);
    assert.deepEqual(
      report.summary.map((r) => r.js_mean),
      agg.configs.map((c) => c.stats.js.mean),
    );
    assert.deepEqual(report.charts.map((c) => c.name), built.charts.map((c) => c.name));
    report.charts.forEach((c, i) => {
      assert.deepEqual(c.spec, JSON.parse(JSON.stringify(built.charts[i].spec)));
      assert.equal(c.svg, readFileSync(join(out, "charts", `${c.name}.svg`), "utf8"));
      assert.equal(c.png, join(out, "charts", `${c.name}.png`));
    });
  });
});

Deno.test("loadReport: charts without SVG or PNG, a report without claims.json, and no report", async () => {
  await withTempDir("report-load-", async (root) => {
    const s = writeStudy(root, GAUSS_SPEC);
    await buildReport(s.exp, s.plans, s.records, root, { svg: false });
    rmSync(join(root, "claims.json"));
    const report = loadReport(root);
    assert.deepEqual(report.claims, []);
    assert.ok(report.charts.length > 0);
    assert.ok(report.charts.every((c) => c.svg === null && c.png === null));
    assert.throws(() => loadReport(join(root, "charts")), /no report here/);
  });
});
