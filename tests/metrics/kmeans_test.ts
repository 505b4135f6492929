import assert from "node:assert/strict";
import { kmeans } from "../../lib/metrics/kmeans.ts";
import { Rng } from "../../lib/runtime/rng.ts";
import { useBackend } from "../_backend.ts";

await useBackend("wasm");

Deno.test("kmeans: three separated blobs give their means and converge; the same seed gives the same centres", () => {
  const rng = new Rng(10, "t");
  const centres = [[0, 0], [10, 0], [0, 10]];
  const rows: number[][] = [];
  for (let i = 0; i < 300; i++) {
    const c = centres[i % 3];
    rows.push([c[0] + 0.3 * rng.normal(), c[1] + 0.3 * rng.normal()]);
  }
  const a = kmeans(rows, 3, { seed: 1 });
  assert.ok(a.converged);
  for (let c = 0; c < 3; c++) {
    const members = rows.filter((_, i) => a.assignment[i] === c);
    assert.equal(members.length, 100);
    for (const t of [0, 1]) {
      const mean: number = members.reduce((s: number, r: number[]) => s + r[t], 0) / members.length;
      assert.ok(Math.abs(a.centres[2 * c + t] - mean) < 1e-5);
    }
  }
  assert.deepEqual(kmeans(rows, 3, { seed: 1 }).centres, a.centres);
  assert.ok(a.meanSquaredDistance < 0.3);
});

Deno.test("kmeans: k equal to the rows returns the rows; bad k names the problem", () => {
  const rows = [[1, 2], [3, 4], [5, 6]];
  const r = kmeans(rows, 3);
  assert.deepEqual(Array.from(r.centres).sort(), [1, 2, 3, 4, 5, 6]);
  assert.throws(() => kmeans(rows, 4), /k is 4; expected an integer from 1 to the 3 rows/);
});
