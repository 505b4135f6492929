/**
 * Calibration of the contrast rule (`contrasts.ts`), as `calibrate.ts` does
 * for the claims: simulated studies of the shape of `experiments/ls-vs-ns.ts`
 * (loss x 4 learning rates x ring-8 / grid-25, 5 seeds), with modes
 * captured as integers capped at the number of modes and the share of
 * high-quality samples in [0, 1], seed-to-seed noise of the size the
 * loss-variants and learning-rate studies show (modes sd about 1.5 of 8 and
 * 2.5 of 25, hq_share sd about 0.1), and a seed effect shared by a seed's
 * runs. One calibration per `rule`. Nulls: no difference anywhere; a
 * difference in one metric but none in the other (where a false PASS of
 * "overall" is likeliest) or in every cell but one (for "all"); B's runs
 * with a dead D, far worse than A but invalid. `deno task calibrate` prints the
 * false-PASS rates and the power at a planted difference, and the share of
 * studies whose interaction test says the difference depends on an axis,
 * with and without such a dependence; a test keeps the null rates within
 * their targets.
 *
 * @module
 */
import { Rng } from "../runtime/rng.ts";
import { type Scenario, type ScenarioResult, StudyNoise, wilson } from "./calibrate.ts";
import { evaluateContrasts } from "./contrasts.ts";
import { planStudy, type PlantedRun, plantRuns, type StudyShape } from "./simulate.ts";
import type { Verdict } from "./types.ts";

/** A contrast rule's calibration: the study, its contrast and scenarios. */
export interface ContrastCalibration {
  /** A name for the table, e.g. "ls-vs-ns, require all". */
  id: string;
  /** The study's shape with its one contrast. */
  shape: StudyShape & { contrasts: unknown[] };
  /** Nulls: the share of PASS must stay within the target. */
  nulls: Scenario[];
  /** The planted difference, for power. */
  planted: Scenario;
  /** The largest acceptable share of PASS under a null. */
  target: number;
  /** Interaction scenarios: no dependence (the share saying "depends" within `target`) and one. */
  interaction?: { null: Scenario; planted: Scenario; target: number };
}

/** The share of studies whose interaction test says "depends", under one scenario. */
export interface InteractionRate {
  describe: string;
  studies: number;
  /** Studies with at least one Holm-adjusted interaction p below alpha. */
  depends: number;
  rate: number;
  ci95: [number, number];
}

/** A contrast calibration's result. */
export interface ContrastCalibrationResult {
  id: string;
  target: number;
  nulls: ScenarioResult[];
  planted: ScenarioResult;
  interaction?: { target: number; null: InteractionRate; planted: InteractionRate };
}

const LRS = [1e-4, 3e-4, 1e-3, 3e-3];
const SHAPE: StudyShape = {
  base: {
    data: { name: "ring-8", trainSize: 4096, validSize: 2048 },
    steps: 1200,
    evalEvery: 100,
  },
  sweep: {
    loss: ["least-squares", "non-saturating"],
    "optimizer.lr": LRS,
    "data.name": ["ring-8", "grid-25"],
  },
  seeds: [0, 1, 2, 3, 4],
};

/** The contrast of the ls-vs-ns study. */
const LS_VS_NS = {
  axis: "loss",
  a: "least-squares",
  b: "non-saturating",
  metrics: ["modes", "hq_share"],
};

/** Differences A - B in one cell: modes and hq_share. */
type Effect = (data: string, lr: number) => { modes: number; hq: number };

/**
 * A mixture run: modes an integer in [0, total], hq_share in [0, 1], a seed
 * effect shared by the seed's runs, a step-0 row below the final one (so the
 * run made progress); `dead` gives arm B a dead D (d_active 0, few modes).
 */
function mixture(effect: Effect, describe: string, dead = false): Scenario {
  return {
    describe,
    run(point: Record<string, unknown>, seed: number, n: StudyNoise): PlantedRun {
      const data = point["data.name"] as string;
      const ring = data === "ring-8";
      const total = ring ? 8 : 25;
      const isA = point.loss === "least-squares";
      const e = isA ? effect(data, point["optimizer.lr"] as number) : { modes: 0, hq: 0 };
      if (!isA && dead) {
        const modes = Math.max(0, Math.round(1 + n.normal()));
        return {
          final: { modes, hq_share: 0.05, d_active: 0, d_spread: 0.001, g_spread: 1 },
          curves: [{ step: 0, modes: 0, hq_share: 0 }, { step: 1200, modes, hq_share: 0.05 }],
        };
      }
      const mean = (ring ? 5.5 : 18) + e.modes + (ring ? 0.8 : 1.5) * n.seed(seed, data);
      const modes = Math.min(total, Math.max(0, Math.round(mean + (ring ? 1.2 : 2) * n.normal())));
      const hq = Math.min(
        1,
        Math.max(0, 0.45 + e.hq + 0.04 * n.seed(seed, `hq${data}`) + 0.08 * n.normal()),
      );
      return {
        final: { modes, hq_share: hq, d_active: 1, d_spread: 0.1, g_spread: 1 },
        curves: [{ step: 0, modes: 0, hq_share: 0 }, { step: 1200, modes, hq_share: hq }],
      };
    },
  };
}

const NONE: Effect = () => ({ modes: 0, hq: 0 });

/** The calibrations of the contrast rule, one per `rule`. */
export const CONTRAST_CALIBRATIONS: readonly ContrastCalibration[] = [
  {
    id: "ls-vs-ns, rule overall",
    shape: { ...SHAPE, contrasts: [LS_VS_NS] },
    target: 0.025,
    nulls: [
      mixture(NONE, "no difference in any cell"),
      mixture(
        () => ({ modes: 0, hq: 0.15 }),
        "A better in hq_share by 0.15 everywhere, no difference in modes",
      ),
      mixture(NONE, "B's runs have a dead D (far fewer modes, but invalid)", true),
    ],
    planted: mixture(
      (data) => ({ modes: data === "ring-8" ? 1 : 2.5, hq: 0.06 }),
      "A better by 1 mode (ring-8), 2.5 (grid-25) and 0.06 hq_share everywhere",
    ),
    interaction: {
      null: mixture(() => ({ modes: 1, hq: 0.06 }), "the same difference at every level"),
      planted: mixture(
        (_d, lr) => (lr === 3e-3 ? { modes: 4, hq: 0.25 } : NONE(_d, lr)),
        "a difference at lr 3e-3 only (4 modes, 0.25 hq_share)",
      ),
      target: 0.05,
    },
  },
  {
    id: "ls-vs-ns, rule all",
    shape: { ...SHAPE, contrasts: [{ ...LS_VS_NS, rule: "all" }] },
    target: 0.025,
    nulls: [
      mixture(NONE, "no difference in any cell"),
      mixture(
        (data, lr) =>
          data === "ring-8" && lr === 1e-3
            ? { modes: 0, hq: 0.4 }
            : { modes: data === "ring-8" ? 4 : 12, hq: 0.4 },
        "A far better in every cell but one (modes at lr 1e-3 on ring-8: no difference)",
      ),
    ],
    planted: mixture(
      (data) => ({ modes: data === "ring-8" ? 4 : 12, hq: 0.4 }),
      "A better by 4 modes (ring-8), 12 (grid-25) and 0.4 hq_share in every cell",
    ),
  },
  {
    id: "ls-vs-ns, rule any",
    shape: { ...SHAPE, contrasts: [{ ...LS_VS_NS, rule: "any" }] },
    target: 0.025,
    nulls: [
      mixture(NONE, "no difference in any cell"),
      mixture(NONE, "B's runs have a dead D (far fewer modes, but invalid)", true),
    ],
    planted: mixture(
      (data, lr) => (data === "grid-25" && lr === 1e-3 ? { modes: 6, hq: 0.25 } : NONE(data, lr)),
      "A better at one level only (grid-25, lr 1e-3: 6 modes, 0.25 hq_share)",
    ),
  },
];

function runScenario(
  cal: ContrastCalibration,
  scenario: Scenario,
  studies: number,
  rng: Rng,
): { result: ScenarioResult; depends: number } {
  const study = planStudy(cal.shape);
  const counts: Record<Verdict, number> = { PASS: 0, FAIL: 0, INCONCLUSIVE: 0 };
  let depends = 0;
  for (let i = 0; i < studies; i++) {
    const noise = new StudyNoise(rng);
    const planted = plantRuns(study, (point, seed) => scenario.run(point, seed, noise));
    const [r] = evaluateContrasts(planted.exp, planted.joined, { bootstrap: false });
    counts[r.verdict]++;
    if (r.interactions.some((t) => t.depends)) depends++;
  }
  return {
    result: {
      describe: scenario.describe,
      studies,
      counts,
      passRate: counts.PASS / studies,
      passCi95: wilson(counts.PASS, studies),
    },
    depends,
  };
}

function rate(describe: string, depends: number, studies: number): InteractionRate {
  return { describe, studies, depends, rate: depends / studies, ci95: wilson(depends, studies) };
}

/**
 * Runs a contrast calibration: `studies` simulated studies per scenario
 * from a fixed seed (the same call gives the same numbers).
 *
 * @param cal The calibration.
 * @param studies Simulated studies per scenario.
 * @param seed The generator's seed.
 * @returns PASS shares under each null and the planted difference; interaction rates.
 */
export function calibrateContrast(
  cal: ContrastCalibration,
  studies: number,
  seed = 0,
): ContrastCalibrationResult {
  const rng = new Rng(seed, `calibrate/contrast/${cal.id}`);
  const out: ContrastCalibrationResult = {
    id: cal.id,
    target: cal.target,
    nulls: cal.nulls.map((s) => runScenario(cal, s, studies, rng).result),
    planted: runScenario(cal, cal.planted, studies, rng).result,
  };
  if (cal.interaction) {
    const n = runScenario(cal, cal.interaction.null, studies, rng);
    const p = runScenario(cal, cal.interaction.planted, studies, rng);
    out.interaction = {
      target: cal.interaction.target,
      null: rate(cal.interaction.null.describe, n.depends, studies),
      planted: rate(cal.interaction.planted.describe, p.depends, studies),
    };
  }
  return out;
}
