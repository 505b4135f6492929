/**
 * Claim verdicts as a report shows them: `claims.json` (written and read back
 * without losing non-finite numbers) and the rows of the claims table that
 * `report.md`, `report.html` and `tables.tex` share.
 *
 * @module
 */
import type { ClaimResult, Verdict } from "../claims/types.ts";
import { formatNumber4 } from "../analysis/format.ts";

/** The verdicts, in the order a table sorts them. */
export const VERDICTS: readonly Verdict[] = ["PASS", "FAIL", "INCONCLUSIVE"];

/** One row of the claims table, as text. */
export interface ClaimRow {
  /** Claim id, e.g. `d-overfits`. */
  id: string;
  /** One-line statement. */
  title: string;
  verdict: Verdict;
  /** "slope: 0.0123 [0.004, 0.02]" (4 significant digits). */
  effect: string;
  /** Independent units behind the interval. */
  n: number;
  /** The evidence sentence(s). */
  evidence: string;
}

/**
 * An effect with its 95% interval as text, e.g. "slope: 0.0123 [0.004, 0.02]";
 * a missing interval gives only the estimate.
 *
 * @param effect The claim's effect.
 * @returns The text.
 */
export function formatEffect(effect: ClaimResult["effect"]): string {
  const est = formatNumber4(effect.estimate);
  const ci = Number.isFinite(effect.ci95Low) || Number.isFinite(effect.ci95High)
    ? ` [${formatNumber4(effect.ci95Low)}, ${formatNumber4(effect.ci95High)}]`
    : "";
  return `${effect.name}: ${est}${ci}`;
}

/**
 * The rows of the claims table, in the order given.
 *
 * @param claims The checked claims.
 * @returns One row per claim.
 */
export function claimRows(claims: readonly ClaimResult[]): ClaimRow[] {
  return claims.map((c) => ({
    id: c.id,
    title: c.title,
    verdict: c.verdict,
    effect: formatEffect(c.effect),
    n: c.n,
    evidence: c.evidence,
  }));
}

/** JSON has no NaN or Infinity: they are written as null and read back as NaN. */
function jsonNumber(_key: string, value: unknown): unknown {
  return typeof value === "number" && !Number.isFinite(value) ? null : value;
}

/**
 * `claims.json`: the array, pretty-printed with a trailing newline;
 * non-finite numbers are written as null.
 *
 * @param claims The checked claims (`[]` when none).
 * @returns The JSON text.
 */
export function claimsToJson(claims: readonly ClaimResult[]): string {
  return JSON.stringify(claims, jsonNumber, 2) + "\n";
}

function toNumber(v: unknown): number {
  return typeof v === "number" ? v : NaN;
}

/**
 * Parses `claims.json`. The effect's numbers that were written as null come
 * back as NaN; anything that is not an array of claims is an error.
 *
 * @param text The file's text.
 * @returns The claims.
 */
export function parseClaimsJson(text: string): ClaimResult[] {
  const data: unknown = JSON.parse(text);
  if (!Array.isArray(data)) throw new Error("claims.json: expected an array of claims");
  return data.map((c, i) => {
    if (typeof c !== "object" || c === null || typeof c.id !== "string") {
      throw new Error(`claims.json: entry ${i} is not a claim (no "id")`);
    }
    const effect = c.effect ?? {};
    return {
      ...c,
      n: toNumber(c.n),
      effect: {
        ...effect,
        name: String(effect.name ?? ""),
        estimate: toNumber(effect.estimate),
        ci95Low: toNumber(effect.ci95Low),
        ci95High: toNumber(effect.ci95High),
      },
    } as ClaimResult;
  });
}

/**
 * Counts verdicts, e.g. for "2 PASS, 1 INCONCLUSIVE".
 *
 * @param claims The checked claims.
 * @returns The non-zero counts as text, or "none".
 */
export function verdictCounts(claims: readonly ClaimResult[]): string {
  const parts = VERDICTS.map((v) => [v, claims.filter((c) => c.verdict === v).length] as const)
    .filter(([, n]) => n > 0)
    .map(([v, n]) => `${n} ${v}`);
  return parts.length ? parts.join(", ") : "none";
}
