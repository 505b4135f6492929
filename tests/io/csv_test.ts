import assert from "node:assert/strict";
// @ts-types="npm:@types/d3-dsv@3.0.7"
import { csvFormat } from "d3-dsv";
import { parseCsv, parseNumberRows, parseNumberTable, toCsv } from "../../lib/io/mod.ts";

const FLOATS = [
  0,
  -0,
  0.1 + 0.2,
  1 / 3,
  -2.5e-300,
  1.7976931348623157e308,
  5e-324,
  -5e-324,
  123456789012345680,
  1e21,
  1e-7,
  Math.fround(0.1),
  Infinity,
  -Infinity,
  NaN,
];

Deno.test("number tables give back every float64 written, NaN, -0 and infinities included", () => {
  const text = toCsv(FLOATS.map((v) => ({ v, neg: -v })), ["v", "neg"]);
  const { columns, rows } = parseNumberTable(text);
  assert.deepEqual(columns, ["v", "neg"]);
  assert.equal(rows.length, FLOATS.length);
  for (const [i, [v, neg]] of rows.entries()) {
    assert.ok(Object.is(v, FLOATS[i]) && Object.is(neg, -FLOATS[i]), `row ${i}: ${v}, ${neg}`);
  }
  assert.ok(Object.is(parseNumberRows(text)[1].v, -0), "keyed rows too");
});

Deno.test("toCsv: NaN, null and undefined are empty cells; -0 and infinities are spelt out", () => {
  const text = toCsv(
    [{ a: NaN, b: null, c: undefined, d: -0, e: Infinity, f: -Infinity }],
    ["a", "b", "c", "d", "e", "f"],
  );
  assert.equal(text, "a,b,c,d,e,f\n,,,-0,Infinity,-Infinity\n");
  assert.equal(toCsv([{ b: 1 }, { a: 2 }]), "b,a\n1,\n,2\n", "columns in order of appearance");
});

Deno.test("number tables read the old spelling NaN and empty cells as NaN", () => {
  const old = "step,loss_d,loss_g\n0,NaN,0.5\n10,1e-7,NaN\n";
  const modern = "step,loss_d,loss_g\n0,,0.5\n10,1e-7,\n";
  for (const text of [old, modern]) {
    const rows = parseNumberRows(text);
    assert.equal(rows.length, 2);
    assert.deepEqual(Object.keys(rows[0]), ["step", "loss_d", "loss_g"]);
    assert.ok(Number.isNaN(rows[0].loss_d) && Number.isNaN(rows[1].loss_g));
    assert.equal(rows[0].loss_g, 0.5);
    assert.equal(rows[1].loss_d, 1e-7);
  }
});

Deno.test("number tables: missing cells and text are NaN; blank lines skipped in several columns", () => {
  const t = parseNumberTable("x,y,z\r\n1,2\n\n3,abc,4\n   \n");
  assert.deepEqual(t.columns, ["x", "y", "z"]);
  assert.equal(t.rows.length, 2);
  assert.deepEqual(t.rows[0].slice(0, 2), [1, 2]);
  assert.ok(Number.isNaN(t.rows[0][2]));
  assert.equal(t.rows[1][0], 3);
  assert.ok(Number.isNaN(t.rows[1][1]));
  assert.equal(t.rows[1][2], 4);
});

Deno.test("one-column tables: a NaN round-trips as an empty line", () => {
  const values = [1, NaN, -0, NaN];
  const text = toCsv(values.map((x) => ({ x })), ["x"]);
  assert.equal(text, "x\n1\n\n-0\n\n");
  const back = parseNumberTable(text);
  assert.deepEqual(back.columns, ["x"]);
  assert.equal(back.rows.length, values.length);
  back.rows.forEach(([x], i) => assert.ok(Object.is(x, values[i]), `row ${i}: ${x}`));
});

Deno.test("number tables: empty text or a header alone have no rows", () => {
  assert.deepEqual(parseNumberTable(""), { columns: [], rows: [] });
  assert.deepEqual(parseNumberRows(""), []);
  assert.deepEqual(parseNumberTable("x,y\n"), { columns: ["x", "y"], rows: [] });
});

Deno.test("parseCsv: numbers become numbers, empty cells NaN, text columns stay text", () => {
  const text = toCsv([{ id: "0012", label: 'k=5, lr="x"', v: 2.5, e: NaN, big: -Infinity }]);
  const [plain] = parseCsv(text);
  assert.equal(plain.id, 12);
  assert.equal(plain.label, 'k=5, lr="x"');
  assert.equal(plain.v, 2.5);
  assert.ok(Number.isNaN(plain.e));
  assert.equal(plain.big, -Infinity);
  const [typed] = parseCsv(text, { text: ["id"] });
  assert.equal(typed.id, "0012");
  assert.deepEqual(parseCsv("a,b\nNaN,x\n")[0].b, "x");
  assert.ok(Number.isNaN(parseCsv("a,b\nNaN,x\n")[0].a as number));
});

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
