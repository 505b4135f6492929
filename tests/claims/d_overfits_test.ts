import assert from "node:assert/strict";
import type { RunState } from "../../lib/sweep/store.ts";
import {
  assertEffect,
  assertEvidence,
  assertHealth,
  byHand,
  check,
  plant,
  type PlantedRun,
} from "./fixtures.ts";

const K = [1, 2, 5, 10];
const SMALL = 64;
const LARGE = 4096;

/** Treatment (64 training points): d_gap rises with log k. */
const RISING = [0.03, 0.04, 0.05, 0.035, 0.045];
/** Control (4,096 points): D cannot overfit, d_gap about flat. */
const FLAT = [0.005, 0, 0.01, -0.005, 0.002];

const minus = (a: number[], b: number[]) => a.map((x, i) => x - b[i]);

/**
 * k x data.trainSize study on ring-8: final d_gap = 0.01 seed + slope ln k, the
 * slope treat[seed] at 64 points and control[seed] at 4,096; r_t = 0.2 + 0.1 ln k
 * at both sizes; `other` may replace any run.
 */
function kSteps(
  treat: number[],
  control: number[],
  other?: (k: number, size: number, seed: number) => PlantedRun | undefined,
) {
  return plant({
    sweep: { k: K, "data.trainSize": [SMALL, LARGE] },
    seeds: treat.map((_, i) => i),
    run(point, seed) {
      const k = point.k as number;
      const size = point["data.trainSize"] as number;
      const planted = other?.(k, size, seed);
      if (planted) return planted;
      const slope = size === SMALL ? treat[seed] : control[seed];
      return {
        final: { d_gap: 0.01 * seed + slope * Math.log(k), r_t: 0.2 + 0.1 * Math.log(k) },
      };
    },
  });
}

Deno.test("d-overfits: d_gap rising with log k on 64 points and flat on 4,096 gives PASS, slopes computed by hand", () => {
  const p = kSteps(RISING, FLAT);
  const r = check(p, "d-overfits");
  assert.equal(r.verdict, "PASS", r.evidence);
  // Treatment slopes: mean 0.04, sd 0.0079057, half-width 2.7764451 * 0.0079057 / sqrt 5 = 0.0098160.
  assertEffect(r, byHand(RISING));
  assert.equal(r.effect.name, "slope of d_gap on log k at data.trainSize=64");
  // Excess over the control: 0.025, 0.04, 0.04, 0.04, 0.043: mean 0.0376, sd 0.0071624,
  // half-width 0.0088932.
  const excess = byHand(minus(RISING, FLAT));
  assert.ok(Math.abs(excess.lo - 0.0287068) < 1e-6 && Math.abs(excess.hi - 0.0464932) < 1e-6);
  assert.equal(
    r.evidence,
    "Slope of d_gap on log k at data.trainSize=64 0.04 [0.03018, 0.04982] (claimed > 0); its " +
      "excess over the slope at data.trainSize=4096 0.0376 [0.02871, 0.04649] (claimed > 0) " +
      "(mean [95% CI]; n = 5 seeds; k = 1, 2, 5, 10): every interval lies on its claimed side. " +
      "r_t (D's confidence on its training reals, which also rises when D simply wins; not " +
      "evidence of overfitting by itself) rises with k at data.trainSize=64 (per-seed slope 0.1 " +
      "[0.1, 0.1]).",
  );
  assert.deepEqual(r.params, {
    axis: "k",
    metric: "d_gap",
    control: "data.trainSize",
    minSeeds: 3,
  });
  // Every run is used, each once: the treatment's (in plan order), then the control's.
  assert.deepEqual([...r.runs].sort(), p.plans.map((x) => x.id).sort());
  const small = p.plans.filter((x) => x.point["data.trainSize"] === SMALL).map((x) => x.id);
  assert.deepEqual(r.runs.slice(0, 20), small);
  assert.match(r.test, /slope of final d_gap on log\(k\) at the smallest data\.trainSize/);
});

Deno.test("d-overfits: the same slope at the control level (D wins, no overfitting) does not PASS", () => {
  const same = RISING.map((x, i) => x + [0.002, -0.003, 0.001, -0.001, 0.0005][i]);
  const r = check(kSteps(RISING, same), "d-overfits");
  assert.equal(r.verdict, "INCONCLUSIVE", r.evidence);
  assertEffect(r, byHand(RISING));
  assertEvidence(
    r,
    // Excess -0.002, 0.003, -0.001, 0.001, -0.0005: mean 0.0001, sd 0.0019494, half-width 0.0024205.
    "its excess over the slope at data.trainSize=4096 0.0001 [-0.00232, 0.00252] (claimed > 0)",
    "the interval of its excess over the slope at data.trainSize=4096 does not lie on its " +
      "claimed side (> 0)",
  );
  // Exactly the same slope in every seed: an excess of 0 is not above 0 either.
  const exact = check(kSteps(RISING, RISING), "d-overfits");
  assert.equal(exact.verdict, "INCONCLUSIVE", exact.evidence);
  // A steeper slope at the control refutes overfitting as the cause: FAIL.
  const steeper = check(kSteps(RISING, RISING.map((x) => x + 0.02)), "d-overfits");
  assert.equal(steeper.verdict, "FAIL", steeper.evidence);
  assertEvidence(
    steeper,
    "its excess over the slope at data.trainSize=4096 lies entirely on the other side (claimed > 0)",
  );
});

Deno.test("d-overfits: without the control axis the verdict is INCONCLUSIVE, saying a control is needed", () => {
  const p = plant({
    sweep: { k: K },
    seeds: [0, 1, 2, 3, 4],
    run: (point, seed) => ({ final: { d_gap: RISING[seed] * Math.log(point.k as number) } }),
  });
  const r = check(p, "d-overfits");
  assert.equal(r.verdict, "INCONCLUSIVE", r.evidence);
  assertEvidence(
    r,
    'The study does not sweep "data.trainSize" (it sweeps "k")',
    "Without a control level (a large training set, where D cannot overfit) a rising d_gap " +
      "cannot be told from D simply winning against G.",
  );
  assert.equal(r.n, 0);
  assert.deepEqual(r.runs, []);
  assert.ok(Number.isNaN(r.effect.estimate));
  // The control axis is a parameter.
  const other = check(kSteps(RISING, FLAT), "d-overfits", { control: "data.std" });
  assert.equal(other.verdict, "INCONCLUSIVE");
  assertEvidence(other, 'does not sweep "data.std"');
});

Deno.test("d-overfits: slopes are least squares on log k, not on k (a curved planted d_gap)", () => {
  // d_gap = [0, 0.05, 0.06, 0.2] + 0.01 seed at k = 1, 2, 5, 10 on 64 points, flat on 4,096:
  // x = ln k = [0, 0.693147, 1.609438, 2.302585]; Sxx = 3.0707434, Sxy = 0.2348400, so the
  // slope is 0.0764766 for every seed (on k itself it would be 0.0205102).
  const shape = [0, 0.05, 0.06, 0.2];
  const p = plant({
    sweep: { k: K, "data.trainSize": [SMALL, LARGE] },
    seeds: [0, 1, 2],
    run: (point, seed) => ({
      final: {
        d_gap: (point["data.trainSize"] === SMALL ? shape[K.indexOf(point.k as number)] : 0) +
          0.01 * seed,
      },
    }),
  });
  const r = check(p, "d-overfits");
  assert.equal(r.verdict, "PASS", r.evidence);
  assert.ok(Math.abs(r.effect.estimate - 0.07647658) < 1e-7, String(r.effect.estimate));
  assertEvidence(r, "0.07648 [0.07648, 0.07648] (claimed > 0)");
  // r_t was not logged: no remark about it.
  assert.ok(!r.evidence.includes("r_t"), r.evidence);
});

Deno.test("d-overfits: d_gap clearly falling with k gives FAIL", () => {
  const falling = [-0.03, -0.02, -0.04, -0.025, -0.035];
  const r = check(kSteps(falling, FLAT.map((x) => x - 0.05)), "d-overfits");
  assert.equal(r.verdict, "FAIL", r.evidence);
  assertEffect(r, byHand(falling));
  // mean -0.03, sd 0.0079057, half-width 0.0098160.
  assertEvidence(
    r,
    "at data.trainSize=64 -0.03 [-0.03982, -0.02018] (claimed > 0)",
    "slope of d_gap on log k at data.trainSize=64 lies entirely on the other side",
  );
});

Deno.test("d-overfits: slopes that disagree in sign across seeds give INCONCLUSIVE", () => {
  const noisy = [0.05, -0.04, 0.03, -0.05, 0.02];
  const r = check(kSteps(noisy, FLAT), "d-overfits");
  assert.equal(r.verdict, "INCONCLUSIVE", r.evidence);
  assertEffect(r, byHand(noisy));
  assert.ok(r.effect.ci95Low < 0 && r.effect.ci95High > 0);
  assertEvidence(r, "does not lie on its claimed side");
});

Deno.test("d-overfits: two seeds are too few even with a clear effect; minSeeds raises the bar", () => {
  const r = check(kSteps([0.03, 0.05], [0, 0.01]), "d-overfits");
  assert.equal(r.verdict, "INCONCLUSIVE", r.evidence);
  // n = 2: mean 0.04, half-width 12.7062047 * 0.0141421 / sqrt(2) = 0.1270620.
  assertEffect(r, byHand([0.03, 0.05]));
  assertEvidence(r, "n = 2 seeds", "too few seeds (n = 2, at least 3 required)");
  const six = check(kSteps(RISING, FLAT), "d-overfits", { minSeeds: 6 });
  assert.equal(six.verdict, "INCONCLUSIVE");
  assertEvidence(six, "too few seeds (n = 5, at least 6 required)");
  assert.equal(six.params.minSeeds, 6);
});

Deno.test("d-overfits: diverged, failed, timed-out and missing runs are never evidence", () => {
  // Seeds 5..8 would give slope -1 at 64 points (FAIL) if they were used.
  const states: (RunState | null)[] = ["diverged", "failed", "timeout", null];
  const p = kSteps([...RISING, -1, -1, -1, -1], [...FLAT, 0, 0, 0, 0], (k, _size, seed) => {
    if (seed < 5) return undefined;
    return { state: states[seed - 5], final: { d_gap: -Math.log(k), r_t: 0 } };
  });
  const r = check(p, "d-overfits");
  assert.equal(r.verdict, "PASS", r.evidence);
  assertEffect(r, byHand(RISING));
  assert.equal(r.runs.length, 40);
  for (const seed of [5, 6, 7, 8]) {
    for (const k of K) {
      assert.ok(!r.runs.includes(p.id({ k, "data.trainSize": SMALL }, seed)), `seed ${seed}`);
    }
  }
  assertEvidence(r, "not used: 8 diverged, 8 failed, 8 timeout, 8 missing");
});

Deno.test("d-overfits: runs with a dead D are invalid, never evidence", () => {
  // Seeds 5 and 6: every hidden unit of D inactive; their slopes (-1) would FAIL if used.
  const p = kSteps(
    [...RISING, -1, -1],
    [...FLAT, 0, 0],
    (k, _size, seed) =>
      seed >= 5 ? { final: { d_gap: -Math.log(k), r_t: 1, d_active: 0 } } : undefined,
  );
  assertHealth(p, (_point, seed) => seed >= 5 ? ["d_dead"] : []);
  const r = check(p, "d-overfits");
  assert.equal(r.verdict, "PASS", r.evidence);
  assertEffect(r, byHand(RISING));
  assertEvidence(r, "not used: 16 invalid (D dead: 16)");
  // Every run dead: nothing to decide on.
  const all = kSteps(RISING, FLAT, (k) => ({ final: { d_gap: Math.log(k), d_active: 0 } }));
  const a = check(all, "d-overfits");
  assert.equal(a.verdict, "INCONCLUSIVE", a.evidence);
  assertEvidence(a, "No run is done and valid (40 invalid (D dead: 40))");
});

Deno.test("d-overfits: seeds pair with their own control; a seed without one adds no excess", () => {
  // Seed 4's control runs failed: four excesses, five treatment slopes.
  const p = kSteps(
    RISING,
    FLAT,
    (_k, size, seed) => seed === 4 && size === LARGE ? { state: "failed", final: null } : undefined,
  );
  const r = check(p, "d-overfits");
  assert.equal(r.verdict, "PASS", r.evidence);
  assertEffect(r, byHand(RISING));
  const excess = byHand(minus(RISING, FLAT).slice(0, 4));
  assertEvidence(
    r,
    `its excess over the slope at data.trainSize=4096 0.03625 [`,
    "not used: 4 failed",
  );
  assert.ok(Math.abs(excess.mean - 0.03625) < 1e-12);
  // A seed whose k = 10 run diverged keeps its slope from k = 1, 2, 5.
  const q = kSteps(
    RISING,
    FLAT,
    (k, size, seed) =>
      seed === 0 && k === 10 && size === SMALL ? { state: "diverged", final: null } : undefined,
  );
  const d = check(q, "d-overfits");
  assert.equal(d.verdict, "PASS", d.evidence);
  assertEffect(d, byHand(RISING));
  assert.equal(d.runs.length, 39);
});

Deno.test("d-overfits: the smallest size is the treatment, the largest the control; levels of other axes decide together", () => {
  // Three sizes: the middle one (512, slope -1) is neither treatment nor control.
  const p = plant({
    sweep: { k: K, "data.trainSize": [LARGE, 512, SMALL], "data.name": ["ring-8", "grid-25"] },
    seeds: [0, 1, 2, 3, 4],
    run(point, seed) {
      const size = point["data.trainSize"];
      const grid = point["data.name"] === "grid-25";
      const slope = size === SMALL ? RISING[seed] * (grid ? 2 : 1) : size === 512 ? -1 : FLAT[seed];
      return { final: { d_gap: slope * Math.log(point.k as number) } };
    },
  });
  const r = check(p, "d-overfits");
  assert.equal(r.verdict, "PASS", r.evidence);
  // ring-8's slopes (0.04) are the weaker pass.
  assertEffect(r, byHand(RISING));
  assertEvidence(
    r,
    "At data.trainSize=64 vs 4096, data.name=ring-8 (the deciding level of 2): ",
    "By level: data.trainSize=64 vs 4096, data.name=ring-8 PASS, data.trainSize=64 vs 4096, " +
      "data.name=grid-25 PASS.",
  );
  // grid-25 with the same slope at both sizes blocks the PASS.
  const q = plant({
    sweep: { k: K, "data.trainSize": [SMALL, LARGE], "data.name": ["ring-8", "grid-25"] },
    seeds: [0, 1, 2, 3, 4],
    run(point, seed) {
      const grid = point["data.name"] === "grid-25";
      const slope = point["data.trainSize"] === SMALL || grid ? RISING[seed] : FLAT[seed];
      return { final: { d_gap: slope * Math.log(point.k as number) } };
    },
  });
  const g = check(q, "d-overfits");
  assert.equal(g.verdict, "INCONCLUSIVE", g.evidence);
  assertEvidence(g, "data.name=grid-25 INCONCLUSIVE");
});

Deno.test("d-overfits: a metric no run logged gives INCONCLUSIVE naming it", () => {
  const p = kSteps(RISING, FLAT, (k) => ({ final: { modes: k } }));
  const r = check(p, "d-overfits");
  assert.equal(r.verdict, "INCONCLUSIVE");
  assertEvidence(r, 'No done run logged a finite final "d_gap"', "they logged: modes");
  const other = check(kSteps(RISING, FLAT), "d-overfits", { metric: "acc_gap" });
  assertEvidence(other, '"acc_gap"');
  assert.equal(other.verdict, "INCONCLUSIVE");
});

Deno.test("d-overfits: a study with no done run says so", () => {
  const p = kSteps(RISING, FLAT, () => ({ state: "failed", final: null }));
  const r = check(p, "d-overfits");
  assert.equal(r.verdict, "INCONCLUSIVE");
  assertEvidence(r, "No run is done (40 failed)");
});

Deno.test("d-overfits: unknown and ill-typed params give INCONCLUSIVE naming them", () => {
  const p = kSteps(RISING, FLAT);
  const r = check(p, "d-overfits", { axsi: "k" });
  assert.equal(r.verdict, "INCONCLUSIVE");
  assertEvidence(r, 'unknown param "axsi" (accepted: axis, metric, control, minSeeds)');
  const t = check(p, "d-overfits", { minSeeds: "3" });
  assertEvidence(t, 'param "minSeeds" is "3", expected a finite number');
  const m = check(p, "d-overfits", { minSeeds: 1 });
  assertEvidence(m, 'param "minSeeds" is 1, expected an integer >= 2');
  assert.equal(m.verdict, "INCONCLUSIVE");
});

Deno.test("d-overfits: an axis whose values are not positive numbers gives INCONCLUSIVE", () => {
  const p = plant({
    sweep: { loss: ["minimax", "non-saturating"], "data.trainSize": [SMALL, LARGE] },
    seeds: [0, 1, 2],
    run: () => ({ final: { d_gap: 0.1 } }),
  });
  const r = check(p, "d-overfits", { axis: "loss" });
  assert.equal(r.verdict, "INCONCLUSIVE");
  assertEvidence(
    r,
    'The swept axis "loss" has values that are not positive numbers (minimax, non-saturating)',
  );
});
