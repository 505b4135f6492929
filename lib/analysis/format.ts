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
