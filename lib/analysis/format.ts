/**
 * Number formatting shared by the report's renderers.
 *
 * @module
 */

/**
 * Formats a number to 4 significant digits for tables; non-finite gives "–".
 *
 * @param x The number.
 * @returns Its text.
 */
export function formatNumber4(x: number): string {
  if (!Number.isFinite(x)) return "–";
  return String(Number(x.toPrecision(4)));
}

/**
 * Decimal places that show a half-width to `sig` significant digits (the
 * precision an interval supports), e.g. 2 for 0.034 with sig 1, 3 with sig 2.
 *
 * @param halfWidth The interval's half-width (> 0).
 * @param sig Significant digits of the half-width (default 2).
 * @returns Decimal places (>= 0); 2 when the half-width is not positive and finite.
 */
export function decimalsFor(halfWidth: number, sig = 2): number {
  if (!(halfWidth > 0) || !Number.isFinite(halfWidth)) return 2;
  return Math.max(0, sig - 1 - Math.floor(Math.log10(halfWidth)));
}

/**
 * A number with a fixed number of decimals ("–" when not finite; "-0" shown as "0").
 *
 * @param x The number.
 * @param decimals Decimal places.
 * @returns Its text.
 */
export function fixed(x: number, decimals: number): string {
  if (!Number.isFinite(x)) return "–";
  const t = x.toFixed(Math.min(20, decimals));
  return /^-0(\.0*)?$/.test(t) ? t.slice(1) : t;
}

/**
 * Formats a number to `digits` significant digits for tables; non-finite gives "–".
 *
 * @param x The number.
 * @param digits Significant digits (default 4).
 * @returns Its text.
 */
export function formatDigits(x: number, digits = 4): string {
  if (!Number.isFinite(x)) return "–";
  return String(Number(x.toPrecision(digits)));
}

/**
 * A p-value for tables: 2 significant digits, "< 0.001" below 0.001.
 *
 * @param p The p-value.
 * @returns Its text ("–" when not finite).
 */
export function formatP(p: number): string {
  if (!Number.isFinite(p)) return "–";
  if (p < 0.001) return "< 0.001";
  return String(Number(p.toPrecision(2)));
}
