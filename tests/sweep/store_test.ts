import assert from "node:assert/strict";
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { writeJson } from "../../lib/io/mod.ts";
import { metricsToCsv, parseMetricsCsv, readRun, runPaths } from "../../lib/sweep/store.ts";
import { tinyPlans } from "./_runs.ts";
import { withTempDir } from "../_temp.ts";

/** metrics.csv as the store wrote it before lib/io: NaN spelt `NaN`, -0 as `0`, no quoting. */
function legacyMetricsCsv(rows: Record<string, number>[]): string {
  const cols = Object.keys(rows[0]);
  const cell = (v: number | undefined) => (v === undefined || Number.isNaN(v) ? "NaN" : String(v));
  const lines = [cols.join(","), ...rows.map((r) => cols.map((c) => cell(r[c])).join(","))];
  return lines.join("\n") + "\n";
}

/** The store's reader before lib/io, the reference for old files. */
function legacyParse(text: string): Record<string, number>[] {
  const lines = text.split("\n").filter((l) => l.length > 0);
  const cols = lines[0].split(",");
  return lines.slice(1).map((l) => {
    const cells = l.split(",");
    const row: Record<string, number> = {};
    cols.forEach((c, i) => (row[c] = Number(cells[i])));
    return row;
  });
}

const VALUES = [0.1 + 0.2, NaN, -1e-300, 5e-324, Infinity, -Infinity, 1 / 3, -0, 42];

function rows(): Record<string, number>[] {
  return VALUES.map((v, i) => ({ step: 10 * i, loss_d: v, loss_g: VALUES[(i + 3) % 9] }));
}

function sameRows(got: Record<string, number>[], want: Record<string, number>[]): void {
  assert.equal(got.length, want.length);
  got.forEach((r, i) => {
    assert.deepEqual(Object.keys(r), Object.keys(want[i]));
    for (const k of Object.keys(r)) assert.ok(Object.is(r[k], want[i][k]), `${i}.${k}: ${r[k]}`);
  });
}

Deno.test("metrics.csv round-trips every float64 (NaN, -0, infinities, subnormals)", () => {
  const text = metricsToCsv(rows());
  assert.ok(text.startsWith("step,loss_d,loss_g\n0,0.30000000000000004,5e-324\n10,,Infinity\n"));
  sameRows(parseMetricsCsv(text), rows());
  assert.equal(metricsToCsv([]), "");
  assert.deepEqual(parseMetricsCsv(""), []);
});

Deno.test("metrics.csv written by the old store (NaN spelt out) reads back as the old reader did", () => {
  const old = legacyMetricsCsv(rows());
  assert.ok(old.includes("10,NaN,Infinity\n"));
  sameRows(parseMetricsCsv(old), legacyParse(old));
  // The old writer lost the sign of zero; every other value comes back as written.
  const want = rows().map((r) =>
    Object.fromEntries(Object.entries(r).map(([k, v]) => [k, Object.is(v, -0) ? 0 : v]))
  );
  sameRows(parseMetricsCsv(old), want);
});

Deno.test("readRun reads a run directory in the old format", async () => {
  await withTempDir("store-old-", (root) => {
    const [plan] = tinyPlans();
    const dir = join(root, plan.id);
    const p = runPaths(dir);
    writeJson(p.config, plan.config);
    writeJson(p.status, { state: "diverged", attempts: 1 });
    writeJson(p.final, { step: 80, metrics: { loss_d: null } });
    writeFileSync(p.metrics, legacyMetricsCsv(rows()));
    const run = readRun(dir, plan.id)!;
    assert.equal(run.status.state, "diverged");
    assert.equal(run.final?.step, 80);
    sameRows(run.curves, legacyParse(legacyMetricsCsv(rows())));
  });
});
