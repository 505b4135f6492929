/**
 * Calibration of the claim rules: each rule runs on many simulated
 * studies of its own study's shape, with seed-to-seed noise of the size the
 * real studies show, under a null (no effect, or the effect exactly at the
 * rule's boundary, the null where a false PASS is likeliest) and under a
 * planted effect of known size. The share of PASS under the null is the
 * rule's false-PASS rate (target at most 5%, and 2.5% for rules that test
 * one side of an interval); the share under the planted effect is its
 * power there. `deno task calibrate` prints them; a test keeps the null
 * rates below the targets.
 *
 * @module
 */
import { Rng } from "../runtime/rng.ts";
import { CLAIMS } from "./mod.ts";
import {
  type PlannedStudy,
  planStudy,
  type PlantedRun,
  plantRuns,
  type StudyShape,
} from "./simulate.ts";
import type { Verdict } from "./types.ts";

/** One simulated scenario of a claim. */
export interface Scenario {
  /** A short description, e.g. "no effect: d_gap flat in k at both sizes". */
  describe: string;
  /** The run each planned (point, seed) leaves in one simulated study. */
  run(point: Record<string, unknown>, seed: number, noise: StudyNoise): PlantedRun;
}

/** A claim's calibration: the study it runs on and its scenarios. */
export interface ClaimCalibration {
  /** The claim. */
  id: string;
  /** Parameters (the claim's defaults unless given). */
  params?: Record<string, unknown>;
  /** The study's shape (the shipped study's axes and seeds). */
  shape: StudyShape;
  /** Null scenarios: every one must stay below the target. */
  nulls: Scenario[];
  /** The planted effect, for power. */
  planted: Scenario;
  /** The largest acceptable share of PASS under a null. */
  target: number;
}

/**
 * The random effects of one simulated study: a draw per seed (shared by
 * that seed's runs, as a seed's data and initialisation are) and fresh
 * noise per run.
 */
export class StudyNoise {
  readonly #rng: Rng;
  readonly #seedEffects = new Map<string, number>();

  constructor(rng: Rng) {
    this.#rng = rng;
  }

  /** A standard normal shared by every run of `seed` (per `name`). */
  seed(seed: number, name = ""): number {
    const key = `${name}|${seed}`;
    let v = this.#seedEffects.get(key);
    if (v === undefined) this.#seedEffects.set(key, v = this.#rng.normal());
    return v;
  }

  /** A fresh standard normal. */
  normal(): number {
    return this.#rng.normal();
  }
}

/** The result of one scenario. */
export interface ScenarioResult {
  describe: string;
  /** Simulated studies. */
  studies: number;
  /** Verdicts counted. */
  counts: Record<Verdict, number>;
  /** Share of PASS. */
  passRate: number;
  /** 95% Wilson interval of the share of PASS (simulation error). */
  passCi95: [number, number];
}

/**
 * The 95% Wilson score interval of a proportion.
 *
 * @param k Successes.
 * @param n Trials.
 * @returns Lower and upper ends.
 */
export function wilson(k: number, n: number): [number, number] {
  const z = 1.959963984540054;
  const p = k / n;
  const d = 1 + z * z / n;
  const c = (p + z * z / (2 * n)) / d;
  const h = (z * Math.sqrt(p * (1 - p) / n + z * z / (4 * n * n))) / d;
  return [Math.max(0, c - h), Math.min(1, c + h)];
}

/**
 * Whether a null's PASS share is within the target: its 95% interval
 * reaches down to the target (a rule at its nominal rate passes; one
 * measurably more lenient does not).
 *
 * @param s The null scenario's result.
 * @param target The target share.
 * @returns True when within the target.
 */
export function withinTarget(s: ScenarioResult, target: number): boolean {
  return s.passCi95[0] <= target;
}

/** A claim's calibration result. */
export interface CalibrationResult {
  id: string;
  target: number;
  nulls: ScenarioResult[];
  planted: ScenarioResult;
}

function runScenario(
  cal: ClaimCalibration,
  study: PlannedStudy,
  scenario: Scenario,
  studies: number,
  rng: Rng,
): ScenarioResult {
  const counts: Record<Verdict, number> = { PASS: 0, FAIL: 0, INCONCLUSIVE: 0 };
  const def = CLAIMS[cal.id];
  for (let i = 0; i < studies; i++) {
    const noise = new StudyNoise(rng);
    const planted = plantRuns(study, (point, seed) => scenario.run(point, seed, noise));
    const r = def.evaluate(planted.joined, cal.params ?? {}, planted.exp, { full: true });
    counts[r.verdict]++;
  }
  return {
    describe: scenario.describe,
    studies,
    counts,
    passRate: counts.PASS / studies,
    passCi95: wilson(counts.PASS, studies),
  };
}

/**
 * Runs a claim's calibration: `studies` simulated studies per scenario,
 * from a fixed seed (the same call gives the same numbers).
 *
 * @param cal The calibration.
 * @param studies Simulated studies per scenario.
 * @param seed The generator's seed.
 * @returns The PASS shares under each null and under the planted effect.
 */
export function calibrate(cal: ClaimCalibration, studies: number, seed = 0): CalibrationResult {
  const study = planStudy(cal.shape);
  const rng = new Rng(seed, `calibrate/${cal.id}`);
  return {
    id: cal.id,
    target: cal.target,
    nulls: cal.nulls.map((s) => runScenario(cal, study, s, studies, rng)),
    planted: runScenario(cal, study, cal.planted, studies, rng),
  };
}
