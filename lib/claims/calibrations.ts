/**
 * The scenarios `deno task calibrate` runs for each claim: the shipped
 * study's shape, seed-to-seed noise of the size its runs show (the
 * README's study figures: e.g. d_gap's sd across seeds about 0.01 to 0.04,
 * modes captured about 1.5 of 8, dstar_err about 0.015), a null at the
 * rule's boundary (where a false PASS is likeliest) or with no effect, a
 * null built to break the claim's metric (a dead D, the same slope in the
 * control), and a planted effect of the size the studies measured.
 *
 * @module
 */
import type { ClaimCalibration, StudyNoise } from "./calibrate.ts";
import type { PlantedRun } from "./simulate.ts";

const LOG4 = Math.log(4);
const ONE_D = { data: { name: "gaussian-1d" }, steps: 200, evalEvery: 50 };
const RING = { data: { name: "ring-8", trainSize: 64, std: 0.2 }, steps: 600, evalEvery: 50 };

/** A positive value: `mean` with relative noise `rel`, floored at 1% of the mean. */
function positive(mean: number, rel: number, z: number): number {
  return Math.max(mean * 0.01, mean * (1 + rel * z));
}

/** d-overfits on the k-steps study with its control level (trainSize 64 against 4096). */
function dOverfits(slope: (trainSize: number) => number, describe: string) {
  return {
    describe,
    run(point: Record<string, unknown>, seed: number, n: StudyNoise): PlantedRun {
      const k = point.k as number;
      const size = point["data.trainSize"] as number;
      const gap = 0.02 + slope(size) * Math.log(k) + 0.01 * n.seed(seed) + 0.02 * n.normal();
      return { final: { d_gap: gap, r_t: 0.5 + 0.1 * n.normal() } };
    },
  };
}

/** mode-collapse on the mode-collapse study (ring-8): modes_hq over the last evaluations. */
function modeCollapse(slope: number, describe: string) {
  return {
    describe,
    run(point: Record<string, unknown>, seed: number, n: StudyNoise): PlantedRun {
      const mean = 6.5 + slope * Math.log(point.gSteps as number) + n.seed(seed);
      const curves = [{ step: 0, modes_hq: 0, hq_share: 0 }];
      for (const step of [3200, 3600, 4000]) {
        const v = Math.round(mean + 1.2 * n.normal());
        curves.push({ step, modes_hq: Math.min(8, Math.max(0, v)), hq_share: 0.5 });
      }
      const last = curves[curves.length - 1];
      return { final: { modes_hq: last.modes_hq, hq_share: last.hq_share }, curves };
    },
  };
}

/** saturation on the saturation study: both gradients at confident states, final js. */
function saturation(gap: number, describe: string) {
  return {
    describe,
    run(point: Record<string, unknown>, seed: number, n: StudyNoise): PlantedRun {
      const mm = point.loss === "minimax";
      const js = positive(0.15 + (mm ? gap : 0), 0.2, 0.5 * n.seed(seed) + 0.8 * n.normal());
      const curves = [0, 20, 40, 60, 80, 100, 200, 400].map((step) => {
        const dFake = step === 0 ? 0.5 : 0.04 * Math.exp(0.3 * n.normal());
        const ns = 1 + 0.2 * n.normal() ** 2;
        return { step, d_fake: dFake, g_grad_ns: ns, g_grad_mm: ns * dFake / (1 - dFake), js };
      });
      return { final: { js, d_fake: 0.05 }, curves };
    },
  };
}

/** convergence-1d: a final js around `final`, starting at 0.5. */
function convergence(final: number, describe: string) {
  return {
    describe,
    run(_point: Record<string, unknown>, seed: number, n: StudyNoise): PlantedRun {
      const js = positive(final, 0.3, 0.5 * n.seed(seed) + 0.85 * n.normal());
      return { final: { js }, curves: [{ step: 0, js: 0.5 }, { step: 200, js }] };
    },
  };
}

/** global-optimum: C(G) + log 4 around `gap` (= 2 JSD), with D*'s spread; optionally a dead D. */
function optimum(gap: number, describe: string, dead = false) {
  return {
    describe,
    run(_point: Record<string, unknown>, seed: number, n: StudyNoise): PlantedRun {
      const g = positive(gap, 0.25, 0.5 * n.seed(seed) + 0.85 * n.normal());
      const js = positive(g / 2, 0.1, n.normal());
      return {
        final: {
          cg: g - LOG4,
          cg_se: 0.003,
          js,
          dstar_spread: 0.3 * Math.sqrt(g),
          d_spread: dead ? 0.002 : 0.05,
          d_active: dead ? 0 : 1,
          value: -LOG4,
        },
        curves: [{ step: 0, js: 0.5 }, { step: 200, js }],
      };
    },
  };
}

/**
 * no-memorisation on an image study of 3 seeds: the final copy share with
 * seed-to-seed noise (sd 0.01) and the binomial noise of 1,000 samples
 * (sd about 0.007), and the median-distance ratio.
 */
function memorisation(share: number, ratio: number, describe: string) {
  return {
    describe,
    run(_point: Record<string, unknown>, seed: number, n: StudyNoise): PlantedRun {
      const noise = 0.01 * n.seed(seed) + Math.sqrt(share * (1 - share) / 1000) * n.normal();
      const copy = Math.min(1, Math.max(0, share + noise));
      return {
        final: {
          mem_copy_share: copy,
          mem_heldout_share: 0.05,
          mem_ratio: ratio * Math.exp(0.05 * n.normal()),
        },
      };
    },
  };
}

/** The calibration of every claim. */
export const CALIBRATIONS: readonly ClaimCalibration[] = [
  {
    id: "d-overfits",
    shape: {
      base: RING,
      sweep: { k: [1, 2, 5, 10], "data.trainSize": [64, 4096] },
      seeds: [0, 1, 2, 3, 4],
    },
    target: 0.025,
    nulls: [
      dOverfits(() => 0, "no effect: d_gap flat in k at both training set sizes"),
      dOverfits(() => 0.03, "D wins, no overfitting: the same slope 0.03 at both sizes"),
    ],
    planted: dOverfits(
      (s) => (s === 64 ? 0.045 : 0.005),
      "slope 0.045 at 64 points, 0.005 at 4,096",
    ),
  },
  {
    id: "mode-collapse",
    shape: {
      base: { ...RING, data: { name: "ring-8" }, steps: 4000 },
      sweep: [1, 2, 5].map((g) => ({ gSteps: g, steps: 4000 / g, evalEvery: 400 / g })),
      seeds: [0, 1, 2, 3, 4],
    },
    target: 0.025,
    nulls: [modeCollapse(0, "no effect: modes_hq flat in gSteps (G's updates held fixed)")],
    planted: modeCollapse(-3, "a slope of -3 modes per log gSteps (the study measured -5.0)"),
  },
  {
    id: "saturation",
    shape: {
      base: { ...ONE_D, evalEvery: 20, steps: 1000 },
      sweep: { loss: ["minimax", "non-saturating"] },
      seeds: [0, 1, 2, 3, 4, 5, 6, 7],
    },
    target: 0.025,
    nulls: [saturation(0, "no consequence: the same final js under both losses, D confident")],
    planted: saturation(0.1, "minimax ends 0.1 higher in js"),
  },
  {
    id: "convergence-1d",
    shape: { base: ONE_D, seeds: [0, 1, 2, 3, 4, 5, 6, 7] },
    target: 0.025,
    nulls: [convergence(0.02, "final js at the bound (mean 0.02)")],
    planted: convergence(0.004, "final js near the floor (mean 0.004)"),
  },
  {
    id: "global-optimum",
    shape: { base: ONE_D, seeds: [0, 1, 2, 3, 4, 5, 6, 7] },
    target: 0.025,
    nulls: [
      optimum(0.02, "C(G) + log 4 at the tolerance (mean 0.02)"),
      optimum(0.4, "a dead D, flat at 1/2, with G far from p_data", true),
    ],
    planted: optimum(0.006, "C(G) + log 4 = 0.006 (JS 0.003)"),
  },
  {
    id: "optimal-d",
    shape: { base: { ...ONE_D, gSteps: 0 }, seeds: [0, 1, 2, 3, 4] },
    target: 0.025,
    nulls: [{
      describe: "dstar_err at the threshold (mean 0.1)",
      run: (_p, seed, n) => ({
        final: { dstar_err: 0.1 + 0.008 * n.seed(seed) + 0.012 * n.normal() },
      }),
    }],
    planted: {
      describe: "dstar_err 0.036",
      run: (_p, seed, n) => ({
        final: { dstar_err: 0.036 + 0.008 * n.seed(seed) + 0.012 * n.normal() },
      }),
    },
  },
  {
    id: "parzen-table",
    shape: {
      base: {
        data: { name: "mnist", trainSize: 1000, validSize: 1000, testSize: 1000 },
        arch: { name: "maxout" },
        steps: 100,
        evalEvery: 50,
      },
      seeds: [0, 1, 2],
    },
    target: 0.025,
    nulls: [{
      describe: "the mean at the widened interval's lower end (211.1)",
      run: (_p, _seed, n) => ({ final: { parzen_ll: 211.08 + 10 * n.normal() } }),
    }],
    planted: {
      describe: "the paper's 225 with sd 5 across seeds",
      run: (_p, _seed, n) => ({ final: { parzen_ll: 225 + 5 * n.normal() } }),
    },
  },
  {
    id: "no-memorisation",
    shape: {
      base: {
        data: { name: "mnist", trainSize: 10_000, validSize: 1_000, testSize: 1_000 },
        steps: 1000,
        evalEvery: 250,
        quality: { metrics: ["memorisation"] },
      },
      seeds: [0, 1, 2],
    },
    target: 0.025,
    nulls: [
      memorisation(
        0.1,
        1,
        "copy share at the threshold (0.1: 5% of samples near-copies beyond chance)",
      ),
      memorisation(0.9, 0.1, "a generator that returns training images (copy share 0.9)"),
      memorisation(0, 3, "G has not learnt the data (samples 3 times as far as held-out images)"),
    ],
    planted: memorisation(
      0.05,
      1.1,
      "no memorisation: copy share 0.05 as fresh data, mem_ratio 1.1",
    ),
  },
];
