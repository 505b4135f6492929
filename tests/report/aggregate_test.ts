import assert from "node:assert/strict";
import { aggregate } from "../../lib/report/aggregate.ts";
import { fixture } from "./fixtures.ts";

function near(actual: unknown, expected: number, tol: number, what: string) {
  assert.equal(typeof actual, "number", `${what}: not a number (${actual})`);
  assert.ok(
    Math.abs((actual as number) - expected) <= tol,
    `${what}: got ${actual}, expected ${expected} ± ${tol}`,
  );
}

Deno.test("aggregate: one runs row per planned run, with state, swept value and finals", () => {
  const { exp, plans, records } = fixture();
  const agg = aggregate(exp, plans, records);
  assert.deepEqual(agg.runsTable.columns, [
    "run_id",
    "seed",
    "state",
    "valid",
    "health",
    "k",
    "d_gap",
    "modes",
    "hq_share",
  ]);
  assert.equal(agg.runsTable.rows.length, 9);
  assert.deepEqual(agg.runsTable.rows.map((r) => r.run_id), plans.map((p) => p.id));
  assert.deepEqual(agg.runsTable.rows.map((r) => r.state), [
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
  // Done runs carry their health checks; the others have none.
  assert.deepEqual(agg.runsTable.rows.map((r) => r.valid), [
    true,
    true,
    true,
    true,
    null,
    null,
    null,
    null,
    null,
  ]);
  assert.deepEqual(agg.runsTable.rows.map((r) => r.k), [1, 1, 1, 2, 2, 2, 3, 3, 3]);
  assert.deepEqual(agg.runsTable.rows.map((r) => r.seed), [0, 1, 2, 0, 1, 2, 0, 1, 2]);
  assert.deepEqual(agg.runsTable.rows.map((r) => r.modes), [
    8,
    7,
    6,
    5,
    NaN,
    null,
    null,
    null,
    null,
  ]);
});

Deno.test("aggregate: summary statistics use the done runs only", () => {
  const { exp, plans, records } = fixture();
  const agg = aggregate(exp, plans, records);
  const [k1, k2, k3] = agg.summaryTable.rows;
  assert.equal(agg.summaryTable.rows.length, 3);
  assert.deepEqual([k1.k, k2.k, k3.k], [1, 2, 3]);
  assert.equal(k1.config_id, plans[0].configId);
  // k = 1: modes 8, 7, 6 -> mean 7, sd 1, half-width t(0.975, 2) / sqrt(3).
  assert.equal(k1.modes_n, 3);
  assert.equal(k1.modes_mean, 7);
  near(k1.modes_sd, 1, 1e-12, "sd");
  const half = 4.3026527 / Math.sqrt(3);
  near(k1.modes_ci95_low, 7 - half, 1e-6, "ci low");
  near(k1.modes_ci95_high, 7 + half, 1e-6, "ci high");
  near(k1.hq_share_mean, 0.7, 1e-12, "hq_share mean");
  // k = 2: only seed 0 is done (the diverged run's NaN is not counted).
  assert.equal(k2.modes_n, 1);
  assert.equal(k2.modes_mean, 5);
  assert.ok(Number.isNaN(k2.modes_sd as number));
  assert.ok(Number.isNaN(k2.modes_ci95_low as number));
  // The diverged run's d_gap (0.2) is finite but still left out.
  assert.equal(k2.d_gap_n, 1);
  assert.equal(k2.d_gap_mean, 0.2);
  // k = 3: nothing done.
  assert.equal(k3.modes_n, 0);
  assert.ok(Number.isNaN(k3.modes_mean as number));
  assert.ok(agg.summaryTable.columns.includes("modes_ci95_high"));
  assert.ok(agg.summaryTable.columns.includes("d_gap_n"));
});

Deno.test("aggregate: summary counts failed (with timeout), diverged and missing", () => {
  const { exp, plans, records } = fixture();
  const agg = aggregate(exp, plans, records);
  const counts = agg.summaryTable.rows.map((
    r,
  ) => [r.runs, r.done, r.failed, r.diverged, r.missing]);
  assert.deepEqual(counts, [
    [3, 3, 0, 0, 0],
    [3, 1, 0, 1, 1],
    [3, 0, 2, 0, 1],
  ]);
  assert.deepEqual(agg.counts, {
    done: 4,
    diverged: 1,
    failed: 1,
    timeout: 1,
    running: 1,
    queued: 0,
    missing: 1,
  });
  assert.deepEqual(agg.missing, [plans[5].id, plans[8].id]);
  assert.deepEqual(agg.ignored, ["0000000000-s9"]);
});

Deno.test("aggregate: curves are long over steps, wide over metrics", () => {
  const { exp, plans, records } = fixture();
  const agg = aggregate(exp, plans, records);
  assert.deepEqual(agg.curvesTable.columns, ["run_id", "seed", "k", "step", "modes", "hq_share"]);
  assert.equal(agg.curvesTable.rows.length, 8); // 4 done runs x 2 steps
  assert.deepEqual(agg.curvesTable.rows[1], {
    run_id: plans[0].id,
    seed: 0,
    k: 1,
    step: 100,
    modes: 8,
    hq_share: 0.8,
  });
  assert.deepEqual(agg.curvesTable.rows.map((r) => r.step), [0, 100, 0, 100, 0, 100, 0, 100]);
});

Deno.test("aggregate: an experiment without records reports every run missing", () => {
  const { exp, plans } = fixture();
  const agg = aggregate(exp, plans, []);
  assert.equal(agg.counts.missing, 9);
  assert.equal(agg.missing.length, 9);
  assert.deepEqual(agg.metrics, []);
  assert.deepEqual(agg.summaryTable.rows.map((r) => r.missing), [3, 3, 3]);
  assert.equal(agg.curvesTable.rows.length, 0);
});

Deno.test("aggregate: a done run that fails a health check is marked invalid in runs and counted in summary", () => {
  const { exp, plans, records } = fixture();
  const dead = records.find((r) => r.status.state === "done")!;
  dead.final!.metrics = { ...dead.final!.metrics, d_active: 0 };
  const agg = aggregate(exp, plans, records);
  const row = agg.runsTable.rows.find((r) => r.run_id === dead.id)!;
  assert.equal(row.valid, false);
  assert.match(String(row.health), /^d_dead: every unit of a hidden layer of D is inactive/);
  const config = agg.summaryTable.rows.find((r) => r.config_id === dead.id.split("-s")[0])!;
  assert.equal(config.invalid, 1);
  assert.ok(
    agg.summaryTable.columns.indexOf("invalid") === agg.summaryTable.columns.indexOf("done") + 1,
  );
});
