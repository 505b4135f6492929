import assert from "node:assert/strict";
import { existsSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { buildReport, parseCsv, VEGA_LITE_SCHEMA } from "../../lib/report/mod.ts";
import { fixture } from "./fixtures.ts";
import { withTempDir } from "../_temp.ts";

/** Whether rsvg-convert (Debian's librsvg2-bin) is installed: then charts come as PDF too. */
const RSVG = existsSync("/usr/bin/rsvg-convert");

Deno.test("buildReport writes tables, charts and report.md for a half-finished sweep", async () => {
  const { exp, plans, records } = fixture();
  await withTempDir("report-test-", async (dir) => {
    const out = join(dir, "reports", "t");
    const result = await buildReport(exp, plans, records, out);
    const expected = [
      "runs.csv",
      "summary.csv",
      "curves.csv",
      "claims.json",
      "report.md",
      "report.html",
      "tables.tex",
      ...["final-d_gap", "final-modes", "final-hq_share", "curve-modes", "curve-hq_share"]
        .flatMap((n) => [
          `charts/${n}.vl.json`,
          `charts/${n}.svg`,
          `charts/${n}.png`,
          // PDF figures where rsvg-convert is installed (.ci/run installs librsvg2-bin).
          ...(RSVG ? [`charts/${n}.pdf`] : []),
        ]),
    ].map((f) => join(out, f));
    assert.deepEqual([...result.files].sort(), [...expected].sort());
    for (const f of expected) assert.ok(existsSync(f), `missing ${f}`);
    assert.equal(result.pdf, RSVG);
    for (const f of expected.filter((f) => f.endsWith(".pdf"))) {
      const bytes = readFileSync(f);
      assert.equal(new TextDecoder().decode(bytes.subarray(0, 5)), "%PDF-", f);
      // Vector output: the chart's text is in the PDF as text, not pixels.
      assert.ok(bytes.length > 1000, f);
    }

    for (const f of expected.filter((f) => f.endsWith(".svg"))) {
      assert.ok(readFileSync(f, "utf8").startsWith("<svg"), f);
    }
    for (const f of expected.filter((f) => f.endsWith(".vl.json"))) {
      const spec = JSON.parse(readFileSync(f, "utf8"));
      assert.equal(spec.$schema, VEGA_LITE_SCHEMA);
      assert.equal(spec.$schema, "https://vega.github.io/schema/vega-lite/v6.json");
      assert.ok(Array.isArray(spec.data.values) && spec.data.values.length > 0, f);
    }

    assert.equal(result.counts.done, 4);
    assert.equal(result.counts.missing, 1);
    assert.deepEqual(result.missing, [plans[5].id, plans[8].id]);

    const runs = parseCsv(readFileSync(join(out, "runs.csv"), "utf8"));
    assert.equal(runs.length, 9);
    assert.deepEqual(runs.map((r) => r.state), [
      "done",
      "done",
      "done",
      "done",
      "diverged",
      "missing",
      "failed",
      "timeout",
      "running",
    ]);
    const summary = parseCsv(readFileSync(join(out, "summary.csv"), "utf8"));
    assert.deepEqual(summary.map((r) => [r.k, r.modes_mean, r.modes_n]), [
      [1, 7, 3],
      [2, 5, 1],
      [3, NaN, 0],
    ]);
    const curves = parseCsv(readFileSync(join(out, "curves.csv"), "utf8"));
    assert.equal(curves.length, 8);

    const md = readFileSync(join(out, "report.md"), "utf8");
    assert.ok(md.startsWith("# t\n"));
    assert.ok(md.includes("Incomplete"));
    const line = (i: number, k: number, seed: number, what: string) =>
      `- \`${plans[i].id}\` (k=${k}, seed ${seed}): ${what}\n`;
    assert.ok(md.includes(line(5, 2, 2, "no run directory")), "missing run not named");
    assert.ok(md.includes(line(8, 3, 2, "running")), "running run not named");
    assert.ok(md.includes(line(6, 3, 0, "failed: boom")), "failed run not named");
    assert.ok(md.includes(line(7, 3, 1, "timeout")), "timed-out run not named");
    assert.ok(md.includes(line(4, 2, 1, "diverged")), "diverged run not named");
    assert.ok(!md.includes(plans[0].id), "a done run is listed");
    assert.ok(md.includes("| 1 | 3/3 |"), "summary table row for k=1");
    assert.ok(md.includes("](charts/final-modes.svg)"));
    assert.ok(md.includes("](charts/curve-modes.vl.json)"));
  });
});

Deno.test("buildReport over a sweep that has not started still reports every run missing", async () => {
  const { exp, plans } = fixture();
  await withTempDir("report-test-", async (dir) => {
    const result = await buildReport(exp, plans, [], dir);
    assert.equal(result.counts.missing, 9);
    assert.equal(result.missing.length, 9);
    assert.deepEqual(
      result.files.map((f) => f.slice(dir.length + 1)).sort(),
      [
        "claims.json",
        "curves.csv",
        "report.html",
        "report.md",
        "runs.csv",
        "summary.csv",
        "tables.tex",
      ],
    );
    const md = readFileSync(join(dir, "report.md"), "utf8");
    assert.ok(md.includes("9 of 9 planned run(s) have not finished"));
    assert.ok(md.includes("No charts"));
  });
});

Deno.test("buildReport removes its own stale charts and leaves other files", async () => {
  const { exp, plans, records } = fixture();
  await withTempDir("report-test-", async (dir) => {
    await Deno.mkdir(join(dir, "charts"));
    writeFileSync(join(dir, "charts", "final-js.svg"), "<svg/>");
    writeFileSync(join(dir, "charts", "final-js.vl.json"), "{}");
    writeFileSync(join(dir, "charts", "final-js.png"), "png");
    writeFileSync(join(dir, "charts", "samples-scatter.svg"), "<svg/>");
    writeFileSync(join(dir, "charts", "notes.txt"), "mine");
    await buildReport(exp, plans, records, dir, { svg: false });
    assert.ok(!existsSync(join(dir, "charts", "final-js.svg")));
    assert.ok(!existsSync(join(dir, "charts", "final-js.vl.json")));
    assert.ok(!existsSync(join(dir, "charts", "final-js.png")));
    assert.ok(!existsSync(join(dir, "charts", "samples-scatter.svg")));
    assert.ok(existsSync(join(dir, "charts", "notes.txt")));
    assert.ok(existsSync(join(dir, "charts", "final-modes.vl.json")));
    assert.ok(!existsSync(join(dir, "charts", "final-modes.svg")), "svg: false still rendered");
    assert.ok(!existsSync(join(dir, "charts", "final-modes.png")), "svg: false still made a PNG");
  });
});
