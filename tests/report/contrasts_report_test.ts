/**
 * Contrasts in a report: `contrasts.csv` holds every number, `report.md`
 * and `report.html` show the verdict and the tables first (or where the
 * report options put them), `tables.tex` holds a contrast table that
 * compiles in a plain A4 article without overfull boxes; readable names
 * replace paths and values.
 */
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { JITTER_A, study } from "./contrast_fixtures.ts";
import { buildReport, parseCsv } from "../../lib/report/mod.ts";
import { withTempDir } from "../_temp.ts";
import { compileTables, HAVE_TEX } from "./_latex.ts";

Deno.test("report: contrasts.csv, report.md and report.html show the contrast first, with readable names", async () => {
  const s = study({
    names: { "optimizer.lr": "lr", "data.name": "data" },
    values: { loss: { "least-squares": "LS", "non-saturating": "NS" } },
  });
  assert.equal(s.contrasts[0].verdict, "PASS", s.contrasts[0].evidence);
  await withTempDir("report-contrast-", async (out) => {
    const r = await buildReport(s.exp, s.plans, s.records, out, {
      contrasts: s.contrasts,
      png: false,
      pdf: false,
    });
    assert.ok(r.files.includes(join(out, "contrasts.csv")));
    const rows = parseCsv(readFileSync(join(out, "contrasts.csv"), "utf8"), {
      text: ["contrast", "verdict", "kind", "level", "metric", "outcome"],
    });
    const cells = rows.filter((x) => x.kind === "cell");
    assert.equal(cells.length, 16);
    assert.equal(rows.filter((x) => x.kind === "overall").length, 2);
    assert.ok(rows.some((x) => x.kind === "interaction"));
    for (const c of cells) {
      assert.equal(c.verdict, "PASS");
      assert.equal(c.outcome, "better");
      assert.equal(c.n_a, 5);
      const planted = c.metric === "modes" ? 1.5 : 0.1;
      const mean = JITTER_A.reduce((x, y) => x + y, 0) / 5;
      const expected = planted + (c.metric === "modes" ? mean : mean / 10);
      assert.ok(Math.abs((c.difference as number) - expected) < 1e-9, `${c.difference}`);
      assert.ok((c.p_holm as number) >= (c.p as number));
    }
    const md = readFileSync(join(out, "report.md"), "utf8");
    const heads = md.split("\n").filter((l) => l.startsWith("## ")).map((l) => l.slice(3));
    assert.equal(heads[0], "Contrasts", heads.join(", "));
    assert.ok(!heads.includes("Claims"), "no claims declared: no empty claims section");
    assert.match(md, /### Does least-squares cover more modes than non-saturating\?: \*\*PASS\*\*/);
    assert.match(md, /\| lr=0\.0001, data=ring-8 \| modes captured \| 5\/5 paired \|/);
    assert.match(md, /LS − NS \[95% CI\]/);
    const html = readFileSync(join(out, "report.html"), "utf8");
    assert.match(html, /<section id="contrasts">/);
    assert.match(html, /verdict-big verdict-PASS">PASS</);
    assert.ok(html.indexOf('id="contrasts"') < html.indexOf('id="runs"'));
  });
});

Deno.test("report: section order and metrics from the report options", async () => {
  const s = study({ sections: ["charts", "summary"], metrics: ["hq_share"] });
  await withTempDir("report-contrast-", async (out) => {
    const r = await buildReport(s.exp, s.plans, s.records, out, {
      contrasts: s.contrasts,
      png: false,
      pdf: false,
    });
    const md = readFileSync(join(out, "report.md"), "utf8");
    const heads = md.split("\n").filter((l) => l.startsWith("## ")).map((l) => l.slice(3));
    assert.deepEqual(heads.slice(0, 3), ["Charts", "Summary", "Contrasts"]);
    assert.equal(r.charts[0].name, "final-hq_share");
    assert.equal(r.view.x, "optimizer.lr");
    assert.equal(r.view.color, "loss");
    assert.deepEqual(r.view.facet, ["data.name"]);
  });
});

Deno.test({
  name: "report: tables.tex with a contrast compiles in a plain A4 article without overfull boxes",
  ignore: !HAVE_TEX,
  fn: async () => {
    const s = study();
    await withTempDir("report-contrast-", async (out) => {
      await buildReport(s.exp, s.plans, s.records, out, {
        contrasts: s.contrasts,
        charts: false,
      });
      const tex = readFileSync(join(out, "tables.tex"), "utf8");
      assert.match(tex, /\\label\{tab:planted-contrast-1/);
      assert.match(tex, /\\textbf\{PASS\}/);
      assert.ok(!tex.includes("part 1 of"), "tables are split by metric groups, not 'part 1 of 3'");
      await compileTables(join(out, "tables.tex"));
    });
  },
});
