import assert from "node:assert/strict";
import {
  activeShare,
  assessHealth,
  D_FLAT,
  G_COLLAPSED,
  healthContextOf,
  JS_FAR,
  rowSpread,
  spread,
} from "../../lib/metrics/health.ts";
import { config } from "../_config.ts";

const ONE_D = { data: "gaussian-1d", gSteps: 1 } as const;
const RING = { data: "mixture", modes: 8, gSteps: 1 } as const;
const checks = (h: ReturnType<typeof assessHealth>) => h.failures.map((f) => f.check);

Deno.test("health: a flat D with G far from p_data is dead; a flat D at the optimum is not", () => {
  const dead = assessHealth(
    { d_spread: 0.002, js: 0.2, d_active: 1, d_grad_norm: 0.3 },
    undefined,
    ONE_D,
  );
  assert.deepEqual(checks(dead), ["d_dead"]);
  assert.equal(dead.valid, false);
  assert.match(dead.failures[0].detail, /d_spread 0.002 < 0.01\) while js 0.2 > 0.05/);
  // At the optimum D is flat too: JS near the floor keeps the run valid.
  const optimum = assessHealth(
    { d_spread: 0.002, js: 0.001, d_active: 1, d_grad_norm: 0.3 },
    undefined,
    ONE_D,
  );
  assert.equal(optimum.valid, true);
  // Thresholds: exactly at them is not a failure.
  assert.equal(assessHealth({ d_spread: D_FLAT, js: 0.3 }, undefined, ONE_D).valid, true);
  assert.equal(assessHealth({ d_spread: 0.001, js: JS_FAR }, undefined, ONE_D).valid, true);
});

Deno.test("health: dead units or a vanished gradient make D dead whatever the divergence", () => {
  assert.deepEqual(checks(assessHealth({ d_active: 0, js: 0.001 }, undefined, ONE_D)), ["d_dead"]);
  assert.deepEqual(checks(assessHealth({ d_grad_norm: 1e-9, js: 0.001 }, undefined, ONE_D)), [
    "d_dead",
  ]);
  // A net that does not expose its units logs NaN: no failure.
  assert.equal(
    assessHealth({ d_active: NaN, js: 0.3, d_spread: 0.2 }, undefined, ONE_D).valid,
    true,
  );
});

Deno.test("health: on the mixtures and images 'far' is modes or high-quality samples", () => {
  const far = assessHealth({ d_spread: 0.001, modes: 3, hq_share: 0.9 }, undefined, RING);
  assert.match(far.failures[0].detail, /3 of 8 modes covered/);
  const blur = assessHealth({ d_spread: 0.001, modes: 8, hq_share: 0.2 }, undefined, RING);
  assert.match(blur.failures[0].detail, /hq_share 0.2 < 0.5/);
  assert.equal(
    assessHealth({ d_spread: 0.001, modes: 8, hq_share: 0.8 }, undefined, RING).valid,
    true,
  );
  const images = { data: "images", modes: 10, gSteps: 1 } as const;
  assert.match(
    assessHealth({ d_spread: 0.001, modes: 2 }, undefined, images).failures[0].detail,
    /2 of 10 classes covered/,
  );
});

Deno.test("health: a collapsed G and no progress", () => {
  assert.deepEqual(checks(assessHealth({ g_spread: 0.01 }, undefined, RING)), ["g_collapsed"]);
  assert.equal(assessHealth({ g_spread: G_COLLAPSED }, undefined, RING).valid, true);
  // 1-D: js above 0.9 of its start and above JS_FAR.
  assert.deepEqual(checks(assessHealth({ js: 0.6 }, { js: 0.65 }, ONE_D)), ["no_progress"]);
  assert.equal(assessHealth({ js: 0.3 }, { js: 0.65 }, ONE_D).valid, true);
  assert.equal(assessHealth({ js: 0.04 }, { js: 0.041 }, ONE_D).valid, true);
  // G frozen (gSteps 0): no progress is expected, never a failure.
  assert.equal(assessHealth({ js: 0.6 }, { js: 0.6 }, { ...ONE_D, gSteps: 0 }).valid, true);
  // Mixtures: neither modes nor the high-quality share rose.
  const stuck = assessHealth({ modes: 1, hq_share: 0 }, { modes: 1, hq_share: 0 }, RING);
  assert.deepEqual(checks(stuck), ["no_progress"]);
  assert.equal(
    assessHealth({ modes: 5, hq_share: 0.6 }, { modes: 1, hq_share: 0 }, RING).valid,
    true,
  );
});

Deno.test("health: spreads and the share of alive units by hand", () => {
  assert.equal(spread([1, 3]), 1);
  assert.equal(spread([5]), 0);
  // Two columns: variances 1 and 4 -> sqrt(2.5).
  assert.ok(Math.abs(rowSpread([0, 0, 2, 4], 2) - Math.sqrt(2.5)) < 1e-12);
  // Layer 1: unit 0 varies, unit 1 is constant 0 (dead); layer 2: both vary.
  const rows = 3;
  const l1 = Float32Array.from([0.5, 0, 1.5, 0, 2.5, 0]);
  const l2 = Float32Array.from([1, 2, 3, 4, 5, 6]);
  assert.equal(activeShare([l1, l2], rows), 0.5);
  assert.equal(activeShare([Float32Array.from([0, 0, 0, 0, 0, 0])], rows), 0);
  assert.ok(Number.isNaN(activeShare([], rows)));
});

Deno.test("health: the context of a run comes from its config", () => {
  assert.deepEqual(healthContextOf(config({ data: { name: "gaussian-1d" } })), {
    data: "gaussian-1d",
    gSteps: 1,
  });
  assert.deepEqual(healthContextOf(config({ data: { name: "grid-25" }, gSteps: 3 })), {
    data: "mixture",
    modes: 25,
    gSteps: 3,
  });
  assert.deepEqual(healthContextOf(config({ data: { name: "mnist" }, arch: { name: "maxout" } })), {
    data: "images",
    modes: 10,
    gSteps: 1,
  });
});
