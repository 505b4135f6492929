import assert from "node:assert/strict";
import {
  assertEffect,
  assertEvidence,
  assertHealth,
  byHand,
  check,
  near,
  plant,
  type PlantedRun,
  withFullProtocol,
} from "./fixtures.ts";

/**
 * The paper's 225 ± 2: 95% [221.08, 228.92]; widened by the default margin of 10:
 * [211.08, 238.92] (1.959964 x 2 = 3.919928).
 */
const LO = 225 - 3.919928 - 10;
const HI = 225 + 3.919928 + 10;

/** One MNIST config; final parzen_ll per seed (null: not logged); `other` may replace any run. */
function study(ll: number[] | null, other?: (seed: number) => PlantedRun | undefined) {
  return plant({
    seeds: [...Array(ll?.length ?? 3).keys()],
    base: {
      data: { name: "mnist", trainSize: 1000, validSize: 1000, testSize: 1000 },
      arch: { name: "maxout" },
      steps: 100,
      evalEvery: 50,
    },
    run: (_point, seed) =>
      other?.(seed) ?? { final: ll ? { parzen_ll: ll[seed], d_loss: 1 } : { d_loss: 1 } },
  });
}

Deno.test("parzen-table: an interval within the paper's, widened by the margin, gives PASS, with mean and SE", () => {
  const ll = [224, 226, 223, 227, 225];
  const r = check(study(ll), "parzen-table");
  assert.equal(r.verdict, "PASS", r.evidence);
  // mean 225, sd 1.5811, SE 0.7071, 95% CI 225 ± 1.9632.
  assertEffect(r, byHand(ll));
  assert.equal(
    r.evidence,
    "Final parzen_ll: 225 ± 0.7071 (mean ± SE; 95% CI [223, 227]; n = 5 seeds) against the " +
      "paper's 225 ± 2 (95% [221.1, 228.9], widened by 10: [211.1, 238.9]): the interval lies " +
      "within the paper's, widened by the margin.",
  );
  assert.deepEqual(r.params, {
    metric: "parzen_ll",
    paperMean: 225,
    paperSe: 2,
    margin: 10,
    minSeeds: 3,
  });
  assert.equal(r.runs.length, 5);
});

Deno.test("parzen-table: PASS needs the whole interval inside the widened interval; the margin is a param", () => {
  // 214 to 218: mean 216, sd 1.5811, 95% [214.04, 217.96]: inside [211.08, 238.92], below [221.08, 228.92].
  const low = [215, 217, 214, 218, 216];
  const ci = byHand(low);
  assert.ok(ci.lo > LO && ci.hi < 221.08);
  assert.equal(check(study(low), "parzen-table").verdict, "PASS");
  const strict = check(study(low), "parzen-table", { margin: 0 });
  assert.equal(strict.verdict, "FAIL", strict.evidence);
  assertEvidence(strict, "widened by 0: [221.1, 228.9]");
  // An interval that reaches past the widened interval's upper end is not PASS.
  const edge = [236, 240, 238, 242, 239];
  const e = byHand(edge);
  assert.ok(e.lo < HI && e.hi > HI, `${e.lo} ${e.hi}`);
  const r = check(study(edge), "parzen-table");
  assert.equal(r.verdict, "INCONCLUSIVE", r.evidence);
  assertEffect(r, e);
  assertEvidence(r, "the interval reaches past the paper's, widened by the margin");
  const bad = check(study(edge), "parzen-table", { margin: -1 });
  assert.equal(bad.verdict, "INCONCLUSIVE");
  assertEvidence(bad, 'param "margin" is -1, expected >= 0');
});

Deno.test("parzen-table: an interval entirely below the widened interval is FAIL under the full protocol", () => {
  const ll = [150, 152, 149, 151, 150];
  const p = study(ll);
  // A study without a shortened budget: its runs are the protocol.
  const r = check(p, "parzen-table");
  assert.equal(r.verdict, "FAIL", r.evidence);
  assertEffect(r, byHand(ll));
  assertEvidence(
    r,
    "the interval lies entirely below the paper's, widened by the margin: Table 1 is not reproduced",
  );
  // A study with a full protocol, run with --full.
  const full = check(withFullProtocol(p), "parzen-table", {}, { full: true });
  assert.equal(full.verdict, "FAIL", full.evidence);
});

Deno.test("parzen-table: the same runs under the shortened budget are INCONCLUSIVE, saying so", () => {
  const ll = [150, 152, 149, 151, 150];
  const r = check(withFullProtocol(study(ll)), "parzen-table", {}, { full: false });
  assert.equal(r.verdict, "INCONCLUSIVE", r.evidence);
  assertEffect(r, byHand(ll));
  assertEvidence(
    r,
    "these runs use the shortened default budget, not the paper's protocol; run the sweep with " +
      "--full to test Table 1",
  );
  // A shortened budget cannot PASS either.
  const good = check(withFullProtocol(study([224, 226, 225])), "parzen-table");
  assert.equal(good.verdict, "INCONCLUSIVE", good.evidence);
  assertEvidence(good, "shortened default budget");
});

Deno.test("parzen-table: an interval entirely above the paper's is INCONCLUSIVE, never PASS", () => {
  const ll = [300, 305, 298, 302, 301];
  const r = check(study(ll), "parzen-table");
  assert.equal(r.verdict, "INCONCLUSIVE", r.evidence);
  assertEffect(r, byHand(ll));
  assertEvidence(
    r,
    "the interval lies entirely above the paper's; the Parzen estimate rewards memorisation " +
      "(Theis et al. 2016), so a higher number does not reproduce Table 1",
  );
});

Deno.test("parzen-table: a noisier result (seeds 300, 50, 50) does not PASS", () => {
  // mean 133.3, sd 144.3, 95% CI [-225.2, 491.9]: it overlaps the paper's (the old rule's PASS),
  // but does not lie within it.
  const ll = [300, 50, 50];
  const r = check(study(ll), "parzen-table");
  assert.equal(r.verdict, "INCONCLUSIVE", r.evidence);
  // The t table's 4.302652730 is good to 1e-9: with sd 144.3 the ends agree to 1e-6.
  const e = byHand(ll);
  near(r.effect.estimate, e.mean, "effect.estimate");
  near(r.effect.ci95Low, e.lo, "effect.ci95Low", 1e-6);
  near(r.effect.ci95High, e.hi, "effect.ci95High", 1e-6);
  assert.equal(r.n, 3);
  assertEvidence(
    r,
    "133.3 ± 83.33 (mean ± SE; 95% CI [-225.2, 491.9]; n = 3 seeds)",
    "the interval reaches past the paper's, widened by the margin",
  );
});

Deno.test("parzen-table: two seeds are too few, and failed runs are not averaged", () => {
  const few = check(study([225, 226]), "parzen-table");
  assert.equal(few.verdict, "INCONCLUSIVE");
  assertEvidence(few, "too few seeds (n = 2, at least 3 required)");
  // Two failed runs with 0 would drag the mean far below 225 if used; without them, 3 done runs pass.
  const r = check(
    study(
      [224, 226, 225, 0, 0],
      (s) => s >= 3 ? { state: "failed", final: { parzen_ll: 0 } } : undefined,
    ),
    "parzen-table",
  );
  assert.equal(r.verdict, "PASS", r.evidence);
  assertEffect(r, byHand([224, 226, 225]));
  assertEvidence(r, "not used: 2 failed");
});

Deno.test("parzen-table: runs with a dead D are invalid, never evidence", () => {
  // Seeds 3 and 4: D flat (d_spread 0.001) while 2 of 10 classes are covered; their 0 would FAIL.
  const p = study(
    [224, 226, 225, 0, 0],
    (s) => s >= 3 ? { final: { parzen_ll: 0, d_spread: 0.001, modes: 2 } } : undefined,
  );
  assertHealth(p, (_point, seed) => seed >= 3 ? ["d_dead"] : []);
  const r = check(p, "parzen-table");
  assert.equal(r.verdict, "PASS", r.evidence);
  assertEffect(r, byHand([224, 226, 225]));
  assertEvidence(r, "not used: 2 invalid (D dead: 2)");
});

Deno.test("parzen-table: several configs must all pass", () => {
  const p = plant({
    sweep: { steps: [100, 5000] },
    seeds: [0, 1, 2],
    run: (point, seed) => ({
      final: { parzen_ll: point.steps === 100 ? 150 + seed : 224 + seed },
    }),
  });
  const r = check(p, "parzen-table");
  assert.equal(r.verdict, "INCONCLUSIVE", r.evidence);
  assertEvidence(
    r,
    "at steps=100 (the deciding config of 2)",
    "By config: steps=100 FAIL, steps=5000 PASS.",
  );
  assertEffect(r, byHand([150, 151, 152]));
});

Deno.test("parzen-table: without a parzen_ll metric the verdict is INCONCLUSIVE naming it", () => {
  const r = check(study(null), "parzen-table");
  assert.equal(r.verdict, "INCONCLUSIVE");
  assertEvidence(
    r,
    'no parzen_ll metric in these runs: No done run logged a finite final "parzen_ll"',
  );
  assert.equal(r.n, 0);
  assert.deepEqual(r.runs, []);
});
