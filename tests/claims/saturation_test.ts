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

/** Final js of the non-saturating runs. */
const NS = [0.05, 0.06, 0.04, 0.05, 0.055, 0.045, 0.05, 0.06];
/** How much higher the minimax run of each seed ends (minimax learned less). */
const GAP = [0.1, 0.12, 0.08, 0.11, 0.09, 0.1, 0.13, 0.07];
/** g_grad_mm / g_grad_ns at the confident evaluations, per seed. */
const RATIO = [0.04, 0.05, 0.03, 0.045, 0.035, 0.04, 0.06, 0.02];

/** At step 0 D is not confident (0.5) and the gradients are equal: a trap if step 0 were used. */
const STEP0 = { step: 0, d_fake: 0.5, g_grad_ns: 1, g_grad_mm: 1, js: 0.5 };

interface Options {
  /** D(G(z)) at steps 20, 40, 60 (default 0.04: confident). */
  dFake?: number;
  /** The minimax run's final js minus the non-saturating one's, per seed (default GAP). */
  gap?: number[];
  ratio?: number[];
  other?: (loss: string, seed: number) => PlantedRun | undefined;
  extra?: (loss: string, seed: number) => Record<string, number | undefined>;
}

/**
 * loss study on gaussian-1d, 60 steps, evaluations at 0, 20, 40, 60: every
 * evaluation of either run logs both losses' G gradients at the same state
 * (g_grad_ns 2, g_grad_mm 2 ratio[seed]) and d_fake; final js NS[seed] for
 * the non-saturating run and NS[seed] + gap[seed] for the minimax one.
 */
function study(seeds: number, o: Options = {}) {
  return plant({
    sweep: { loss: ["minimax", "non-saturating"] },
    seeds: [...Array(seeds).keys()],
    base: { data: { name: "gaussian-1d" }, steps: 600, evalEvery: 20 },
    run(point, seed) {
      const loss = point.loss as string;
      const planted = o.other?.(loss, seed);
      if (planted) return planted;
      const js = NS[seed] + (loss === "minimax" ? (o.gap ?? GAP)[seed] : 0);
      const r = (o.ratio ?? RATIO)[seed];
      const rows = [20, 40, 60].map((step) => ({
        step,
        d_fake: o.dFake ?? 0.04,
        g_grad_ns: 2,
        g_grad_mm: 2 * r,
        js,
      }));
      return { final: { js, ...o.extra?.(loss, seed) }, curves: [STEP0, ...rows] };
    },
  });
}

Deno.test("saturation: a vanishing minimax gradient where D is confident and minimax ending higher in js give PASS", () => {
  const p = study(8);
  const r = check(p, "saturation");
  assert.equal(r.verdict, "PASS", r.evidence);
  // Final js, minimax minus non-saturating: mean 0.1, sd 0.0200, half-width
  // 2.3646243 * 0.0200 / sqrt 8 = 0.0167203 (t(0.975, 7) = 2.3646).
  assertEffect(r, byHand(GAP));
  assert.equal(r.effect.name, "early js of minimax minus non-saturating");
  // log ratios: mean -3.26487, sd 0.336407, half-width 0.281243 -> [-3.54612, -2.98363];
  // exp(-3.26487) = 0.038202.
  const logs = byHand(RATIO.map(Math.log));
  assert.ok(Math.abs(logs.mean - -3.264872) < 1e-6, String(logs.mean));
  assert.ok(Math.abs(logs.lo - -3.546115) < 1e-6 && Math.abs(logs.hi - -2.983629) < 1e-6);
  assert.equal(
    r.evidence,
    "Early js of minimax minus non-saturating 0.1 [0.08328, 0.1167] (claimed > 0); " +
      "log(g_grad_mm / g_grad_ns) where D(G(z)) < 0.1 -3.265 [-3.546, -2.984] (claimed < " +
      "-0.6931) (mean [95% CI]; n = 8 seeds; early: 0 < step <= 0.1 × steps; 48 confident evaluations): every interval lies on " +
      "its claimed side. Where D was confident the minimax gradient was 0.0382 times the " +
      "non-saturating one (geometric mean over seeds).",
  );
  assert.equal(r.runs.length, 16);
  assert.deepEqual(r.params, {
    axis: "loss",
    confident: 0.1,
    early: 0.1,
    gradientRatio: 0.5,
    metric: "js",
    minSeeds: 3,
    nonSaturating: "non-saturating",
    minimax: "minimax",
  });
});

Deno.test("saturation: the gradient ratio uses only the evaluations where D is confident, from both runs", () => {
  // Minimax run: ratio r at steps 20, 40, 60 (confident). Non-saturating run: ratio 1 at
  // steps 20, 40 (d_fake 0.3, not confident) and ratio q at step 60 (confident).
  // Per seed: (3 log r + log q) / 4.
  const q = 0.1;
  const p = study(8, {
    other: (loss, seed) => {
      if (loss === "minimax") return undefined;
      const rows = [20, 40, 60].map((step) => ({
        step,
        d_fake: step === 60 ? 0.05 : 0.3,
        g_grad_ns: 2,
        g_grad_mm: step === 60 ? 2 * q : 2,
        js: NS[seed],
      }));
      return { final: { js: NS[seed] }, curves: [STEP0, ...rows] };
    },
  });
  const r = check(p, "saturation");
  assert.equal(r.verdict, "PASS", r.evidence);
  const expected = byHand(RATIO.map((x) => (3 * Math.log(x) + Math.log(q)) / 4));
  assertEvidence(r, "32 confident evaluations");
  const shown = r.evidence.match(/D\(G\(z\)\) < 0\.1 (\S+) \[(\S+), (\S+)\]/);
  assert.ok(shown, r.evidence);
  assert.equal(Number(shown[1]), Number(expected.mean.toPrecision(4)));
  assert.equal(Number(shown[2]), Number(expected.lo.toPrecision(4)));
  assert.equal(Number(shown[3].replace(/\]$/, "")), Number(expected.hi.toPrecision(4)));
  // confident = 0.35 takes the non-saturating run's d_fake 0.3 rows too: (3 log r + log q) / 6.
  const wide = check(p, "saturation", { confident: 0.35 });
  assertEvidence(wide, "48 confident evaluations");
  const w = byHand(RATIO.map((x) => (3 * Math.log(x) + Math.log(q)) / 6));
  assertEvidence(wide, `D(G(z)) < 0.35 ${Number(w.mean.toPrecision(4))} [`);
});

Deno.test("saturation: minimax ending lower in js gives FAIL", () => {
  const lower = GAP.map((x) => -x / 2);
  const r = check(study(8, { gap: lower }), "saturation");
  assert.equal(r.verdict, "FAIL", r.evidence);
  assertEffect(r, byHand(lower));
  assertEvidence(
    r,
    "-0.05 [-0.05836, -0.04164] (claimed > 0)",
    "early js of minimax minus non-saturating lies entirely on the other side (claimed > 0)",
  );
});

Deno.test("saturation: no confident evaluation gives INCONCLUSIVE: the premise did not occur", () => {
  const r = check(study(8, { dFake: 0.3 }), "saturation");
  assert.equal(r.verdict, "INCONCLUSIVE", r.evidence);
  assertEffect(r, byHand(GAP));
  assertEvidence(
    r,
    "0 confident evaluations",
    "no evaluation saw D reject the samples confidently (D(G(z)) < 0.1), so the premise of " +
      "saturation did not occur",
  );
  // The threshold is a parameter: D(G(z)) = 0.3 counts as confident under 0.35.
  const loose = check(study(8, { dFake: 0.3 }), "saturation", { confident: 0.35 });
  assert.equal(loose.verdict, "PASS", loose.evidence);
  const bad = check(study(8), "saturation", { confident: 0.6 });
  assert.equal(bad.verdict, "INCONCLUSIVE");
  assertEvidence(bad, 'param "confident" is 0.6, expected 0 < confident < 0.5');
});

Deno.test("saturation: a minimax gradient not below half the non-saturating one gives INCONCLUSIVE", () => {
  const ratio = [0.8, 0.7, 0.9, 0.75, 0.85, 0.8, 0.7, 0.9];
  const r = check(study(8, { ratio }), "saturation");
  assert.equal(r.verdict, "INCONCLUSIVE", r.evidence);
  assertEffect(r, byHand(GAP));
  assertEvidence(
    r,
    "the interval of log(g_grad_mm / g_grad_ns) where D(G(z)) < 0.1 does not lie on its " +
      "claimed side (< -0.6931)",
  );
  // gradientRatio 0.95 accepts the same runs.
  const loose = check(study(8, { ratio }), "saturation", { gradientRatio: 0.95 });
  assert.equal(loose.verdict, "PASS", loose.evidence);
  assertEvidence(loose, "(claimed < -0.05129)");
  const bad = check(study(8), "saturation", { gradientRatio: 0 });
  assertEvidence(bad, 'param "gradientRatio" is 0, expected 0 < gradientRatio <= 1');
});

Deno.test("saturation: js differences on both sides of 0 give INCONCLUSIVE", () => {
  const noisy = [0.1, -0.08, 0.05, -0.06, 0.02, -0.01, 0.03, -0.04];
  const r = check(study(8, { gap: noisy }), "saturation");
  assert.equal(r.verdict, "INCONCLUSIVE", r.evidence);
  assertEffect(r, byHand(noisy));
  assertEvidence(r, "the interval of early js of minimax minus non-saturating does not lie");
});

Deno.test("saturation: two seeds are too few", () => {
  const r = check(study(2), "saturation");
  assert.equal(r.verdict, "INCONCLUSIVE");
  assertEffect(r, byHand(GAP.slice(0, 2)));
  assertEvidence(r, "too few seeds (n = 2, at least 3 required)");
});

Deno.test("saturation: a metric where higher is better (modes) flips the difference", () => {
  const p = plant({
    sweep: { loss: ["minimax", "non-saturating"] },
    seeds: [0, 1, 2, 3],
    run(point, seed) {
      const modes = point.loss === "minimax" ? 3 + 0.1 * seed : 7 + 0.2 * seed;
      const rows = [20, 40].map((step) => ({
        step,
        d_fake: 0.02,
        g_grad_ns: 1,
        g_grad_mm: 0.02,
        modes,
      }));
      return { final: { modes, hq_share: 0.8 }, curves: rows };
    },
  });
  const r = check(p, "saturation", { metric: "modes" });
  assert.equal(r.verdict, "PASS", r.evidence);
  assertEffect(r, byHand([4, 4.1, 4.2, 4.3]));
  assert.equal(r.effect.name, "early modes of non-saturating minus minimax");
});

Deno.test("saturation: a minimax run that made no progress stays evidence (stalling is the effect)", () => {
  // Minimax: js 0.5 at step 0, 0.46 to 0.48 at the end: no_progress, tolerated.
  const stalled = [0.47, 0.46, 0.48, 0.47, 0.46, 0.48, 0.47, 0.47];
  const gap = stalled.map((x, i) => x - NS[i]);
  const p = study(8, { gap });
  assertHealth(p, (point) => point.loss === "minimax" ? ["no_progress"] : []);
  const r = check(p, "saturation");
  assert.equal(r.verdict, "PASS", r.evidence);
  assertEffect(r, byHand(gap));
  assert.ok(!r.evidence.includes("not used"), r.evidence);
});

Deno.test("saturation: a run with a dead D is invalid and breaks its pair", () => {
  // Seed 7's minimax run: every hidden unit of D inactive. Its partner is left without a pair.
  const p = study(8, {
    extra: (loss, seed) => (seed === 7 && loss === "minimax" ? { d_active: 0 } : {}),
  });
  assertHealth(p, (point, seed) => seed === 7 && point.loss === "minimax" ? ["d_dead"] : []);
  const r = check(p, "saturation");
  assert.equal(r.verdict, "PASS", r.evidence);
  assertEffect(r, byHand(GAP.slice(0, 7)));
  assertEvidence(
    r,
    "42 confident evaluations",
    "not used: 1 invalid (D dead: 1), 1 done without a usable value",
  );
  assert.ok(!r.runs.includes(p.id({ loss: "non-saturating" }, 7)));
  // Every minimax run dead: no pair, INCONCLUSIVE.
  const all = check(
    study(8, { extra: (loss) => (loss === "minimax" ? { d_active: 0 } : {}) }),
    "saturation",
  );
  assert.equal(all.verdict, "INCONCLUSIVE", all.evidence);
  assertEvidence(all, "too few seeds (n = 0, at least 3 required)", "8 invalid (D dead: 8)");
  // No pair was looked at, so nothing says the premise did not occur.
  assert.ok(!all.evidence.includes("premise"), all.evidence);
});

Deno.test("saturation: diverged and failed runs break their pair and are not evidence", () => {
  // Seeds 8 and 9 would give minimax far lower (FAIL) if used; seed 2's minimax run diverged.
  const p = plant({
    sweep: { loss: ["minimax", "non-saturating"] },
    seeds: [...NS.keys(), 8, 9],
    base: { data: { name: "gaussian-1d" }, steps: 600, evalEvery: 20 },
    run(point, seed) {
      const mm = point.loss === "minimax";
      const js = seed >= 8 ? (mm ? 0.01 : 0.6) : NS[seed] + (mm ? GAP[seed] : 0);
      const state: RunState = seed === 8 || (seed === 2 && mm)
        ? "diverged"
        : seed === 9
        ? "failed"
        : "done";
      const rows = [20, 40, 60].map((step) => ({
        step,
        d_fake: 0.04,
        g_grad_ns: 1,
        g_grad_mm: 0.04,
        js,
      }));
      return { state, final: { js }, curves: [STEP0, ...rows] };
    },
  });
  const r = check(p, "saturation");
  assert.equal(r.verdict, "PASS", r.evidence);
  assertEffect(r, byHand(GAP.filter((_, i) => i !== 2)));
  assert.ok(!r.runs.includes(p.id({ loss: "non-saturating" }, 2)), "unpaired run used");
  assert.ok(!r.runs.includes(p.id({ loss: "minimax" }, 8)));
  assertEvidence(r, "not used: 3 diverged, 2 failed, 1 done without a usable value");
});

Deno.test("saturation: runs are paired by seed within each level of the other axes", () => {
  // lr = 1e-3: minimax 0.1 above; lr = 1e-4: minimax 0.3 below unless paired within the level.
  const p = plant({
    sweep: { loss: ["minimax", "non-saturating"], "optimizer.lr": [1e-3, 1e-4] },
    seeds: [0, 1, 2, 3, 4],
    base: { data: { name: "gaussian-1d" }, steps: 600, evalEvery: 20 },
    run(point, seed) {
      const base = point["optimizer.lr"] === 1e-3 ? 0.05 : 0.4;
      const js = base + (point.loss === "minimax" ? GAP[seed] : 0);
      const rows = [20, 40].map((step) => ({
        step,
        d_fake: 0.04,
        g_grad_ns: 1,
        g_grad_mm: 0.04,
        js,
      }));
      return { final: { js }, curves: rows };
    },
  });
  const r = check(p, "saturation");
  assert.equal(r.verdict, "PASS", r.evidence);
  assertEffect(r, byHand(GAP.slice(0, 5)));
  assertEvidence(r, "By level: optimizer.lr=0.001 PASS, optimizer.lr=0.0001 PASS.");
});

Deno.test("saturation: a study without minimax runs gives INCONCLUSIVE naming the missing loss", () => {
  const p = plant({
    sweep: { loss: ["non-saturating", "hinge"] },
    seeds: [0, 1, 2],
    run: () => ({ final: { js: 0.1 }, curves: [STEP0] }),
  });
  const r = check(p, "saturation");
  assert.equal(r.verdict, "INCONCLUSIVE");
  assertEvidence(r, 'values are non-saturating, hinge; the test needs "minimax" too');
});

Deno.test("saturation: an unswept loss, a missing gradient curve or a missing metric curve give INCONCLUSIVE", () => {
  const k = plant({
    sweep: { k: [1, 5] },
    seeds: [0, 1, 2],
    run: () => ({ final: { js: 0.1 }, curves: [STEP0] }),
  });
  const a = check(k, "saturation");
  assert.equal(a.verdict, "INCONCLUSIVE");
  assertEvidence(a, 'does not sweep "loss"', 'it sweeps "k"');

  for (const missing of ["g_grad_mm", "g_grad_ns", "d_fake"]) {
    const p = study(3, {
      other: (_loss, seed) => {
        const row: Record<string, number> = {
          step: 20,
          d_fake: 0.04,
          g_grad_ns: 1,
          g_grad_mm: 0.04,
        };
        delete row[missing];
        return { final: { js: NS[seed] }, curves: [row] };
      },
    });
    const m = check(p, "saturation");
    assert.equal(m.verdict, "INCONCLUSIVE", missing);
    assertEvidence(m, `No done run logged a curve of "${missing}"`);
  }

  const noJs = study(3, {
    other: () => ({
      final: { modes: 3 },
      curves: [{ step: 20, d_fake: 0.04, g_grad_ns: 1, g_grad_mm: 0.04 }],
    }),
  });
  const j = check(noJs, "saturation");
  assert.equal(j.verdict, "INCONCLUSIVE");
  assertEvidence(
    j,
    'No done run logged a curve of "js"',
    "they logged: d_fake, g_grad_ns, g_grad_mm",
  );
});
