import assert from "node:assert/strict";
import { aggregate } from "../../lib/report/aggregate.ts";
import { parseCsv, toCsv } from "../../lib/report/csv.ts";
import { fixture } from "./fixtures.ts";

Deno.test("parseCsv keeps id columns as text even when they look numeric", () => {
  const [row] = parseCsv(toCsv([{ config_id: "1234567e89", run_id: "0012-s0", x: "1e3" }]));
  assert.equal(row.config_id, "1234567e89");
  assert.equal(row.run_id, "0012-s0");
  assert.equal(row.x, 1000);
});

Deno.test("the summary table round-trips through CSV to the same numbers", () => {
  const { exp, plans, records } = fixture();
  const { summaryTable } = aggregate(exp, plans, records);
  const back = parseCsv(toCsv(summaryTable.rows, summaryTable.columns));
  assert.equal(back.length, summaryTable.rows.length);
  back.forEach((row, i) => {
    assert.deepEqual(Object.keys(row), summaryTable.columns);
    for (const c of summaryTable.columns) {
      const want = summaryTable.rows[i][c];
      if (typeof want === "number") {
        assert.ok(Object.is(row[c], want), `${c}: ${row[c]} vs ${want}`);
      } else assert.equal(row[c], want);
    }
  });
});
