/**
 * CSV writing and reading for report tables, through lib/io's CSV (RFC 4180
 * quoting via d3-dsv). Numbers are written with `String(n)`, which parses
 * back to the same float64; NaN, null and undefined are written as empty
 * cells.
 *
 * @module
 */
import { parseCsv as parseCsvText } from "../io/mod.ts";

export { toCsv } from "../io/mod.ts";

/** Columns whose cells {@link parseCsv} keeps as text by default. */
export const TEXT_COLUMNS: readonly string[] = ["run_id", "config_id", "state"];

/** Options for {@link parseCsv}. */
export interface ParseCsvOptions {
  /** Columns kept as text even when they look numeric (default {@link TEXT_COLUMNS}). */
  text?: readonly string[];
}

/**
 * Parses CSV text written by `toCsv`: empty cells become NaN, cells
 * that look like numbers become numbers (except in text columns), anything
 * else stays a string.
 *
 * @param text The CSV text (first line is the header).
 * @param options Which columns stay text.
 * @returns The rows, keyed by header names.
 */
export function parseCsv(
  text: string,
  options: ParseCsvOptions = {},
): Record<string, string | number>[] {
  return parseCsvText(text, { text: options.text ?? TEXT_COLUMNS });
}
