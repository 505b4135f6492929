/**
 * The result of checking one claim against the runs of a study, and the
 * shape of a claim the engine can check.
 *
 * @module
 */
import type { Joined } from "../analysis/join.ts";
import type { Experiment } from "../spec/experiment.ts";
import type { ClaimStudy } from "./requirements.ts";

/** A claim's verdict. INCONCLUSIVE: too few seeds or intervals that do not separate. */
export type Verdict = "PASS" | "FAIL" | "INCONCLUSIVE";

/** One checked claim, as written to `claims.json`. */
export interface ClaimResult {
  /** Claim id, e.g. `d-overfits`. */
  id: string;
  /** One-line statement of the claim. */
  title: string;
  /** PASS, FAIL or INCONCLUSIVE (see `Verdict`). */
  verdict: Verdict;
  /** One or two sentences a reader can check: what was measured and what it showed. */
  evidence: string;
  /** The measured effect with its 95% interval across seeds. */
  effect: { name: string; estimate: number; ci95Low: number; ci95High: number };
  /** The statistical test used, e.g. "per-seed slope of d_gap on log k, t-interval". */
  test: string;
  /** Independent units behind the interval (usually seeds). */
  n: number;
  /** Run ids the verdict used. */
  runs: string[];
  /** The parameters in force (defaults merged with the experiment file's). */
  params: Record<string, unknown>;
}

/**
 * One claim the engine can check: its id, its one-line statement, its
 * parameters with their defaults, and the check itself.
 */
export interface ClaimDefinition {
  /** Claim id, e.g. `d-overfits` (one of `CLAIM_IDS`). */
  id: string;
  /** One-line statement of the claim. */
  title: string;
  /** Every parameter the claim accepts, with its default. */
  defaults: Readonly<Record<string, unknown>>;
  /**
   * Checks parameter overrides from an experiment file before any run: an
   * unknown name (with "did you mean"), a wrong type, a value the claim
   * rejects.
   *
   * @param params The overrides (an object, or undefined).
   * @returns One problem per bad parameter; empty when they are fine.
   */
  checkParams(params: unknown): ParamProblem[];
  /**
   * What the claim needs of a planned study before any run: the axes its
   * rule compares across and the metrics it reads, for the data and losses
   * the study uses. Checked only with valid parameters.
   *
   * @param study The experiment and its planned runs.
   * @param params The overrides from the experiment file.
   * @returns One sentence per unmet need; empty when the study serves.
   */
  requirements(study: ClaimStudy, params: unknown): string[];
  /**
   * Checks the claim against a study's joined runs. `params` overrides the
   * defaults (a partial or a complete set); an unknown or ill-typed
   * parameter gives INCONCLUSIVE with evidence naming it, never an
   * exception.
   *
   * @param joined The study's plans joined with their records (`joinRuns`).
   * @param params Parameter overrides from the experiment file.
   * @param exp The validated experiment.
   * @returns The verdict with its evidence.
   */
  evaluate(
    joined: Joined,
    params: Readonly<Record<string, unknown>>,
    exp: Experiment,
    protocol?: Protocol,
  ): ClaimResult;
}

/** One bad parameter of a claim: its name (null for the whole `params`) and what is wrong. */
export interface ParamProblem {
  param: string | null;
  message: string;
}

/** How the runs were planned, for claims whose verdict depends on it. */
export interface Protocol {
  /**
   * Whether the runs follow the experiment's full-length protocol (`--full`);
   * false for its shortened default budget.
   */
  full?: boolean;
}
