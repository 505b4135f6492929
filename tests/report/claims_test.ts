import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import {
  buildReport,
  claimsToJson,
  formatEffect,
  parseClaimsJson,
  verdictCounts,
} from "../../lib/report/mod.ts";
import { fixture } from "./fixtures.ts";
import { sampleClaims } from "./store_fixtures.ts";
import { withTempDir } from "../_temp.ts";

Deno.test("claims.json round-trips through buildReport, NaN intervals included", async () => {
  const { exp, plans, records } = fixture();
  const claims = sampleClaims([plans[0].id, plans[1].id]);
  await withTempDir("report-claims-", async (dir) => {
    await buildReport(exp, plans, records, dir, { claims, charts: false });
    const text = readFileSync(join(dir, "claims.json"), "utf8");
    assert.ok(text.startsWith("[\n  {\n"), "not pretty-printed");
    assert.ok(text.endsWith("}\n]\n"));
    const raw = JSON.parse(text);
    assert.equal(raw[2].effect.ci95Low, null, "NaN must be written as null");
    assert.deepEqual(parseClaimsJson(text), claims);
  });
});

Deno.test("claims.json is [] without claims", async () => {
  const { exp, plans, records } = fixture();
  await withTempDir("report-claims-", async (dir) => {
    await buildReport(exp, plans, records, dir, { charts: false });
    assert.equal(readFileSync(join(dir, "claims.json"), "utf8"), "[]\n");
    assert.deepEqual(parseClaimsJson("[]"), []);
    const md = readFileSync(join(dir, "report.md"), "utf8");
    assert.ok(md.includes("## Claims\n\nThis study names no claims."));
  });
});

Deno.test("parseClaimsJson rejects what is not a list of claims", () => {
  assert.throws(() => parseClaimsJson("{}"), /expected an array/);
  assert.throws(() => parseClaimsJson('[{"verdict": "PASS"}]'), /entry 0/);
});

Deno.test("report.md opens with the claims table: claim, verdict, effect with CI, n, evidence", async () => {
  const { exp, plans, records } = fixture();
  const claims = sampleClaims();
  await withTempDir("report-claims-", async (dir) => {
    await buildReport(exp, plans, records, dir, { claims, charts: false });
    const md = readFileSync(join(dir, "report.md"), "utf8");
    const iClaims = md.indexOf("## Claims");
    assert.ok(iClaims > 0 && iClaims < md.indexOf("## Runs"), "claims must come before runs");
    assert.ok(md.indexOf("## Claims") < md.indexOf("## Summary"));
    assert.ok(md.includes("| claim | verdict | effect [95% CI] | n | evidence |"));
    const rows = md.split("\n").filter((l) => l.startsWith("| `"));
    assert.equal(rows.length, 3);
    assert.ok(
      rows[0].startsWith(
        "| `d-overfits`: D overfits its training set as k grows (50% & more) | **PASS** | " +
          "slope d_gap/log k: 0.01235 [0.0041, 0.02056] | 5 | slope of `d_gap`",
      ),
      rows[0],
    );
    assert.ok(rows[1].includes("| **FAIL** | Δ modes: -0.2 [-0.6, 0.00004321] | 3 |"), rows[1]);
    assert.ok(rows[2].includes("| **INCONCLUSIVE** | JS drop: 123500 | 1 |"), rows[2]);
  });
});

Deno.test("a study that names claims but got no verdicts says so", async () => {
  const { exp, plans, records } = fixture();
  await withTempDir("report-claims-", async (dir) => {
    await buildReport({ ...exp, claims: ["d-overfits"] }, plans, records, dir, { charts: false });
    const md = readFileSync(join(dir, "report.md"), "utf8");
    assert.ok(
      md.includes("No verdicts in this report for the claims the study names (`d-overfits`)"),
    );
  });
});

Deno.test("formatEffect and verdictCounts", () => {
  const [a, , c] = sampleClaims();
  assert.equal(formatEffect(a.effect), "slope d_gap/log k: 0.01235 [0.0041, 0.02056]");
  assert.equal(formatEffect(c.effect), "JS drop: 123500");
  assert.equal(verdictCounts(sampleClaims()), "1 PASS, 1 FAIL, 1 INCONCLUSIVE");
  assert.equal(verdictCounts([a, a]), "2 PASS");
  assert.equal(verdictCounts([]), "none");
  assert.equal(claimsToJson([]), "[]\n");
});
