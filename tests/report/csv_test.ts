import assert from "node:assert/strict";
import { aggregate } from "../../lib/report/aggregate.ts";
// @ts-types="npm:@types/d3-dsv@3.0.7"
import { csvFormat } from "d3-dsv";
import { parseCsv, toCsv } from "../../lib/report/csv.ts";
import { fixture } from "./fixtures.ts";

Deno.test("toCsv/parseCsv round-trip floats bit for bit", () => {
  const values = [
    0.1 + 0.2,
    1 / 3,
    -2.5e-300,
    1.7976931348623157e308,
    5e-324,
    123456789012345680,
    -0,
  ];
  const rows = values.map((v, i) => ({ i, v }));
  const back = parseCsv(toCsv(rows));
  assert.equal(back.length, values.length);
  back.forEach((r, i) => {
    assert.ok(Object.is(r.v, values[i]), `row ${i}: ${r.v} !== ${values[i]}`);
    assert.equal(r.i, i);
  });
});

Deno.test("toCsv writes NaN, null and undefined as empty cells; parseCsv reads NaN", () => {
  const text = toCsv([{ a: NaN, b: null, c: undefined, d: 1 }], ["a", "b", "c", "d"]);
  assert.equal(text, "a,b,c,d\n,,,1\n");
  const [row] = parseCsv(text);
  assert.ok(Number.isNaN(row.a) && Number.isNaN(row.b) && Number.isNaN(row.c));
  assert.equal(row.d, 1);
});

Deno.test("toCsv quotes text with commas and quotes; infinities survive", () => {
  const rows = [{ label: 'k=5, lr="x"', big: Infinity, small: -Infinity, hidden: "[128,128]" }];
  const text = toCsv(rows);
  assert.ok(text.includes('"k=5, lr=""x"""'));
  const [row] = parseCsv(text);
  assert.deepEqual(row, rows[0]);
});

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

Deno.test("toCsv writes what d3-dsv's csvFormat writes", () => {
  const rows = [
    { a: 1.5, "b,c": 'say "hi"', d: null, e: true, f: "line\nbreak", g: -0, h: Infinity },
    { a: NaN, "b,c": "plain", d: undefined, e: false, f: "cr\rhere", g: 1e-7, h: -Infinity },
  ];
  const cols = ["a", "b,c", "d", "e", "f", "g", "h"];
  // What toCsv promises per cell, formatted by d3 instead.
  const cells: Record<string, string | null>[] = rows.map((r) => ({
    a: Number.isNaN(r.a) ? null : String(r.a),
    "b,c": r["b,c"],
    d: null,
    e: String(r.e),
    f: r.f,
    g: Object.is(r.g, -0) ? "-0" : String(r.g),
    h: String(r.h),
  }));
  assert.equal(toCsv(rows, cols), csvFormat(cells, cols) + "\n");
  assert.equal(toCsv([], ["x", "y"]), "x,y\n");
});
