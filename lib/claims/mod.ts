/**
 * The claims engine: checks the claims a study names (PAPER.md) against its
 * runs and gives each a verdict, PASS, FAIL or INCONCLUSIVE, with its
 * effect, 95% interval, n and one or two sentences of evidence.
 *
 * Every claim follows the same honesty rule: only runs in state `done` are
 * evidence; fewer than `minSeeds` independent units (seeds; default 3) or a
 * 95% t-interval that does not separate from the decision threshold give
 * INCONCLUSIVE; PASS needs the interval entirely on the claimed side, FAIL
 * entirely on the other. When a claim is checked in several groups
 * (configs, or levels of the swept axes other than the one under test), it
 * PASSes only if every group passes and FAILs only if every group fails.
 * An unknown parameter, an axis the study does not sweep or a metric no run
 * logged gives INCONCLUSIVE with evidence that names it, never an
 * exception. Each claim's file documents its exact rule.
 *
 * @example
 * ```ts
 * import { evaluateClaims } from "./lib/claims/mod.ts";
 * import { joinRuns } from "./lib/report/join.ts";
 * const claims = evaluateClaims(exp, joinRuns(exp, plans, records));
 * ```
 *
 * @module
 */
import type { Joined } from "../analysis/join.ts";
import type { ClaimRef, Experiment } from "../spec/experiment.ts";
import type { Issue, RunPlan } from "../spec/mod.ts";
import { CONVERGENCE_1D } from "./convergence_1d.ts";
import { D_OVERFITS } from "./d_overfits.ts";
import { GLOBAL_OPTIMUM } from "./global_optimum.ts";
import { MODE_COLLAPSE } from "./mode_collapse.ts";
import { NO_MEMORISATION } from "./no_memorisation.ts";
import { OPTIMAL_D } from "./optimal_d.ts";
import { PARZEN_TABLE } from "./parzen_table.ts";
import { SATURATION } from "./saturation.ts";
import type { ClaimDefinition, ClaimResult, Protocol } from "./types.ts";

export type { ClaimDefinition, ClaimResult, ParamProblem, Protocol, Verdict } from "./types.ts";
export type { ClaimStudy } from "./requirements.ts";

/** Every claim the engine checks, by id (the ids of `CLAIM_IDS`). */
export const CLAIMS: Readonly<Record<string, ClaimDefinition>> = Object.freeze({
  [OPTIMAL_D.id]: OPTIMAL_D,
  [GLOBAL_OPTIMUM.id]: GLOBAL_OPTIMUM,
  [SATURATION.id]: SATURATION,
  [D_OVERFITS.id]: D_OVERFITS,
  [MODE_COLLAPSE.id]: MODE_COLLAPSE,
  [PARZEN_TABLE.id]: PARZEN_TABLE,
  [CONVERGENCE_1D.id]: CONVERGENCE_1D,
  [NO_MEMORISATION.id]: NO_MEMORISATION,
});

/**
 * The id and parameter overrides of a claim reference.
 *
 * @param ref A claim id, or `{ id, params }`.
 * @returns The id and the overrides (undefined when none).
 */
export function claimRef(ref: ClaimRef): { id: string; params: unknown } {
  return typeof ref === "string"
    ? { id: ref, params: undefined }
    : { id: ref.id, params: ref.params };
}

/**
 * Checks every claim the experiment names against its joined runs.
 *
 * @param exp The validated experiment (its `claims`, in order).
 * @param joined `joinRuns(exp, plans, records)`.
 * @param protocol How the runs were planned (the full protocol or the shortened default).
 * @returns One result per entry of `exp.claims`, in order; an id the engine
 *   does not know gives INCONCLUSIVE.
 */
export function evaluateClaims(
  exp: Experiment,
  joined: Joined,
  protocol: Protocol = {},
): ClaimResult[] {
  return exp.claims.map((ref) => {
    const { id, params } = claimRef(ref);
    const def = Object.hasOwn(CLAIMS, id) ? CLAIMS[id] : undefined;
    if (!def) {
      return {
        id,
        title: "unknown claim",
        verdict: "INCONCLUSIVE",
        evidence: `Not checked: no claim "${id}" (known: ${Object.keys(CLAIMS).join(", ")}).`,
        effect: { name: "none", estimate: NaN, ci95Low: NaN, ci95High: NaN },
        test: "none",
        n: 0,
        runs: [],
        params: {},
      };
    }
    return def.evaluate(joined, (params ?? {}) as Record<string, unknown>, exp, protocol);
  });
}

/**
 * Checks a study's claims before any run trains: each claim's parameters
 * against those it declares (an unknown name gets "did you mean"), then
 * what each claim needs of the study (the axes it compares across, the
 * metrics it reads for the study's data and losses). A study that fails
 * here could only give INCONCLUSIVE verdicts for want of them.
 *
 * @param exp The validated experiment.
 * @param plans Its planned runs (the configs and points the claims will read).
 * @returns One issue per problem, at `claims[i]` or `claims[i].params.<name>`;
 *   empty when every claim can be decided on this study.
 */
export function checkClaims(exp: Experiment, plans: readonly RunPlan[]): Issue[] {
  const issues: Issue[] = [];
  exp.claims.forEach((ref, i) => {
    const { id, params } = claimRef(ref);
    const def = Object.hasOwn(CLAIMS, id) ? CLAIMS[id] : undefined;
    if (!def) {
      issues.push({
        path: `claims[${i}]`,
        message: `no claim "${id}"; known: ${Object.keys(CLAIMS).join(", ")}`,
      });
      return;
    }
    const bad = def.checkParams(params);
    for (const p of bad) {
      issues.push({
        path: p.param === null ? `claims[${i}].params` : `claims[${i}].params.${p.param}`,
        message: `${p.message} (claim "${id}")`,
      });
    }
    if (bad.length) return;
    for (const need of def.requirements({ exp, plans }, params)) {
      issues.push({ path: `claims[${i}]`, message: `"${id}" ${need}` });
    }
  });
  return issues;
}
