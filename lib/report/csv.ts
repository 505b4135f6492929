/**
 * CSV writing and reading for report tables (RFC 4180 quoting via d3-dsv).
 * Numbers are written with `String(n)`, which parses back to the same
 * float64; NaN, null and undefined are written as empty cells.
 *
 * @module
 */
// @ts-types="npm:@types/d3-dsv@3.0.7"
import { csvParse } from "d3-dsv";
import type { Cell, Row } from "./aggregate.ts";

/** Columns whose cells {@link parseCsv} keeps as text by default. */
export const TEXT_COLUMNS: readonly string[] = ["run_id", "config_id", "state"];

/** Options for {@link parseCsv}. */
export interface ParseCsvOptions {
  /** Columns kept as text even when they look numeric (default {@link TEXT_COLUMNS}). */
  text?: readonly string[];
}

const NUMBER = /^[-+]?(?:\d+\.?\d*|\.\d+)(?:[eE][-+]?\d+)?$|^[-+]?Infinity$|^NaN$/;

function formatCell(v: Cell | unknown): string | null {
  if (v === null || v === undefined) return null;
  if (typeof v === "number") {
    if (Number.isNaN(v)) return null;
    return Object.is(v, -0) ? "-0" : String(v);
  }
  if (typeof v === "string") return v;
  if (typeof v === "boolean") return String(v);
  return JSON.stringify(v);
}

/**
 * Formats rows as CSV text (header line, one line per row, trailing newline).
 *
 * @param rows The rows.
 * @param columns Column order; defaults to every key of the rows in order of appearance.
 * @returns The CSV text.
 */
export function toCsv(rows: readonly Row[], columns?: readonly string[]): string {
  const cols = columns ? [...columns] : [...new Set(rows.flatMap((r) => Object.keys(r)))];
  // Written directly (a large sweep's curves.csv has 100,000s of rows); the
  // quoting is d3-dsv's `csvFormat`, which `parseCsv` reads back.
  const lines: string[] = [cols.map(quote).join(",")];
  const n = cols.length;
  const cells = new Array<string>(n);
  for (const r of rows) {
    for (let i = 0; i < n; i++) {
      const v = r[cols[i]];
      cells[i] = typeof v === "number" && Number.isFinite(v) && !Object.is(v, -0)
        ? String(v)
        : quote(formatCell(v) ?? "");
    }
    lines.push(cells.join(","));
  }
  return lines.join("\n") + "\n";
}

const NEEDS_QUOTES = /["\n\r,]/;

/** A field as d3-dsv writes it: quoted (quotes doubled) when it holds `"`, `,` or a newline. */
function quote(text: string): string {
  return NEEDS_QUOTES.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
}

/**
 * Parses CSV text written by {@link toCsv}: empty cells become NaN, cells
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
  const textColumns = options.text ?? TEXT_COLUMNS;
  return csvParse(text).map((raw) => {
    const row: Record<string, string | number> = {};
    for (const [k, v] of Object.entries(raw)) {
      const cell = v ?? "";
      if (textColumns.includes(k)) row[k] = cell;
      else if (cell === "") row[k] = NaN;
      else if (NUMBER.test(cell)) row[k] = Number(cell);
      else row[k] = cell;
    }
    return row;
  });
}
