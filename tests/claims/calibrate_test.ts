import assert from "node:assert/strict";
import {
  calibrate,
  type ScenarioResult,
  wilson,
  withinTarget,
} from "../../lib/claims/calibrate.ts";
import { CALIBRATIONS } from "../../lib/claims/calibrations.ts";
import {
  calibrateContrast,
  CONTRAST_CALIBRATIONS,
} from "../../lib/claims/contrast_calibrations.ts";
import { CLAIMS } from "../../lib/claims/mod.ts";
import { near } from "./fixtures.ts";

/** Simulated studies per scenario: all seven claims take about 2 s together. */
const STUDIES = 400;

const pct = (x: number) => `${(100 * x).toFixed(1)}%`;

Deno.test("calibrate: every claim has a calibration, with at least one null and a target of at most 5%", () => {
  assert.deepEqual(CALIBRATIONS.map((c) => c.id).sort(), Object.keys(CLAIMS).sort());
  for (const cal of CALIBRATIONS) {
    assert.ok(cal.nulls.length >= 1, cal.id);
    assert.ok(cal.target > 0 && cal.target <= 0.05, `${cal.id}: target ${cal.target}`);
  }
});

for (const cal of CALIBRATIONS) {
  Deno.test(`calibrate: ${cal.id}: PASS under every null within ${pct(cal.target)}, power at least 50% where planted`, () => {
    const r = calibrate(cal, STUDIES);
    assert.equal(r.id, cal.id);
    assert.equal(r.target, cal.target);
    assert.equal(r.nulls.length, cal.nulls.length);
    for (const s of [...r.nulls, r.planted]) {
      assert.equal(s.studies, STUDIES);
      assert.equal(s.counts.PASS + s.counts.FAIL + s.counts.INCONCLUSIVE, STUDIES, s.describe);
      assert.equal(s.passRate, s.counts.PASS / STUDIES);
      assert.deepEqual(s.passCi95, wilson(s.counts.PASS, STUDIES));
    }
    for (const s of r.nulls) {
      assert.ok(
        withinTarget(s, cal.target),
        `${cal.id}, null "${s.describe}": PASS ${pct(s.passRate)} [${pct(s.passCi95[0])}, ` +
          `${pct(s.passCi95[1])}] of ${STUDIES}, target ${
            pct(cal.target)
          }: the rule is too lenient`,
      );
    }
    assert.ok(
      r.planted.passRate >= 0.5,
      `${cal.id}, planted "${r.planted.describe}": PASS ${pct(r.planted.passRate)}, below 50%`,
    );
  });
}

Deno.test("calibrate: the same call gives the same numbers; another seed draws other studies", () => {
  const cal = CALIBRATIONS.find((c) => c.id === "convergence-1d")!;
  const a = calibrate(cal, 100);
  assert.deepEqual(calibrate(cal, 100), a);
  assert.deepEqual(calibrate(cal, 100, 0), a, "seed 0 is the default");
  const b = calibrate(cal, 100, 1);
  assert.notDeepEqual(
    [b.nulls[0].counts, b.planted.counts],
    [a.nulls[0].counts, a.planted.counts],
  );
});

Deno.test("calibrate: a rule made lenient (convergence-1d with bound 0.05) fails its null target", () => {
  const cal = CALIBRATIONS.find((c) => c.id === "convergence-1d")!;
  // The null plants a final js of 0.02 on average: under a bound of 0.05 most studies PASS.
  const lenient = calibrate({ ...cal, params: { bound: 0.05 } }, 200);
  const s = lenient.nulls[0];
  assert.ok(s.passRate > 0.5, pct(s.passRate));
  assert.equal(withinTarget(s, cal.target), false);
  // The shipped bound keeps it within the target on the same studies.
  assert.equal(withinTarget(calibrate(cal, 200).nulls[0], cal.target), true);
});

Deno.test("withinTarget: a PASS share measurably above the target fails, one at the target passes", () => {
  const result = (pass: number, studies = 400): ScenarioResult => ({
    describe: "fake",
    studies,
    counts: { PASS: pass, FAIL: 0, INCONCLUSIVE: studies - pass },
    passRate: pass / studies,
    passCi95: wilson(pass, studies),
  });
  // 40 of 400 (10%): 95% interval [7.4%, 13.3%], entirely above 2.5%.
  assert.equal(withinTarget(result(40), 0.025), false);
  assert.equal(withinTarget(result(40), 0.05), false);
  assert.equal(withinTarget(result(40), 0.1), true);
  // 10 of 400 (2.5%, the nominal rate): [1.4%, 4.5%] reaches down to the target.
  assert.equal(withinTarget(result(10), 0.025), true);
  // 17 of 400 (4.25%): [2.67%, 6.7%], measurably above 2.5%.
  assert.equal(withinTarget(result(17), 0.025), false);
  assert.equal(withinTarget(result(0), 0.025), true);
});

Deno.test("wilson: the 95% Wilson score interval, checked against values computed by hand", () => {
  // z = 1.959964; 0 of 10: upper z^2 / (n + z^2) = 3.841459 / 13.841459.
  const [a0, a1] = wilson(0, 10);
  near(a0, 0, "0/10 low");
  near(a1, 0.2775328, "0/10 high", 1e-7);
  const [b0, b1] = wilson(10, 10);
  near(b0, 0.7224672, "10/10 low", 1e-7);
  near(b1, 1, "10/10 high", 1e-12);
  const [c0, c1] = wilson(5, 10);
  near(c0, 0.2365931, "5/10 low", 1e-7);
  near(c1, 0.7634069, "5/10 high", 1e-7);
  const [d0, d1] = wilson(40, 400);
  near(d0, 0.0742993, "40/400 low", 1e-7);
  near(d1, 0.1333106, "40/400 high", 1e-7);
  // Symmetric: k of n and n - k of n mirror each other.
  const [e0, e1] = wilson(3, 20);
  const [f0, f1] = wilson(17, 20);
  near(e0, 1 - f1, "mirror low", 1e-12);
  near(e1, 1 - f0, "mirror high", 1e-12);
});

Deno.test("calibrate: the contrast rule stays within its null targets under every rule; power where planted", () => {
  // 200 studies per scenario: about 15 s for the three rules together.
  const studies = 200;
  for (const cal of CONTRAST_CALIBRATIONS) {
    const r = calibrateContrast(cal, studies);
    assert.equal(r.nulls.length, cal.nulls.length);
    for (const s of r.nulls) {
      assert.equal(s.counts.PASS + s.counts.FAIL + s.counts.INCONCLUSIVE, studies);
      assert.ok(
        withinTarget(s, cal.target),
        `${cal.id}, null "${s.describe}": PASS ${pct(s.passRate)} [${pct(s.passCi95[0])}, ` +
          `${pct(s.passCi95[1])}], target ${pct(cal.target)}: the rule is too lenient`,
      );
    }
    // Dead-D runs are never evidence: that null never passes at all.
    for (const s of r.nulls.filter((n) => n.describe.includes("dead D"))) {
      assert.equal(s.counts.PASS, 0, s.describe);
    }
    // "all" needs every one of 16 cells significant after Holm with 5 seeds: its power
    // even at a large difference is low, and the calibration says so.
    const minPower = cal.id.endsWith("rule all") ? 0.15 : 0.5;
    assert.ok(
      r.planted.passRate >= minPower,
      `${cal.id}, planted "${r.planted.describe}": PASS ${pct(r.planted.passRate)}`,
    );
    if (r.interaction) {
      const i = r.interaction;
      assert.ok(
        i.null.ci95[0] <= i.target,
        `${cal.id}: the interaction test says "depends" in ${pct(i.null.rate)} of null studies`,
      );
      assert.ok(i.planted.rate >= 0.5, `interaction power ${pct(i.planted.rate)}`);
    }
  }
});

Deno.test("calibrate: a contrast rule made lenient (alpha 0.3) fails its null target", () => {
  const cal = CONTRAST_CALIBRATIONS.find((c) => c.id.endsWith("rule overall"))!;
  const contrast = { ...(cal.shape.contrasts[0] as Record<string, unknown>), alpha: 0.3 };
  const lenient = calibrateContrast(
    { ...cal, shape: { ...cal.shape, contrasts: [contrast] }, interaction: undefined },
    200,
  );
  // The boundary null (hq_share better, modes not): modes passes by chance in about 15%.
  const s = lenient.nulls[1];
  assert.equal(withinTarget(s, cal.target), false, `PASS ${pct(s.passRate)}`);
});
