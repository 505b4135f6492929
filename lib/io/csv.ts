/**
 * CSV files, all through one library (d3-dsv, RFC 4180 quoting) and one
 * convention for numbers:
 *
 * - a number is written with `String(n)` (the shortest text that parses back
 *   to the same float64; `-0` as `-0`, infinities as `Infinity`/`-Infinity`);
 * - NaN, null and undefined are written as empty cells;
 * - reading, an empty cell is NaN, and so is the text `NaN` (how run
 *   directories written before this convention spell it).
 *
 * @module
 */
import { csvParse, csvParseRows } from "../deps.ts";

/** One CSV cell: numbers stay numbers (NaN is empty); null and undefined are empty. */
export type CsvCell = string | number | boolean | null | undefined;

/** One CSV row: column name -> cell; a missing key is an empty cell. */
export type CsvRow = Record<string, CsvCell>;

/** Options for {@link parseCsv}. */
export interface ParseCsvOptions {
  /** Columns kept as text even when they look numeric (default: none). */
  text?: readonly string[];
}

/** A CSV table whose every cell is a number, columns by position. */
export interface NumberTable {
  /** The header's column names. */
  columns: string[];
  /** One array per data line, one number per column (NaN where empty or missing). */
  rows: number[][];
}

const NUMBER = /^[-+]?(?:\d+\.?\d*|\.\d+)(?:[eE][-+]?\d+)?$|^[-+]?Infinity$|^NaN$/;

const NEEDS_QUOTES = /["\n\r,]/;

/** A field as d3-dsv's `csvFormat` writes it: quoted (quotes doubled) when it holds `"`, `,` or a newline. */
function quote(text: string): string {
  return NEEDS_QUOTES.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
}

function formatCell(v: unknown): string {
  if (v === null || v === undefined) return "";
  if (typeof v === "number") {
    if (Number.isNaN(v)) return "";
    return Object.is(v, -0) ? "-0" : String(v);
  }
  if (typeof v === "string") return v;
  if (typeof v === "boolean") return String(v);
  return JSON.stringify(v);
}

/**
 * Formats rows as CSV text: a header line, one line per row, a trailing
 * newline. Cells follow the module's convention (text as is, quoted where
 * needed; objects as JSON).
 *
 * @param rows The rows.
 * @param columns Column order; default every key of the rows in order of appearance.
 * @returns The CSV text (byte for byte what d3-dsv's `csvFormat` writes, plus the newline).
 */
export function toCsv(rows: readonly CsvRow[], columns?: readonly string[]): string {
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
        : quote(formatCell(v));
    }
    lines.push(cells.join(","));
  }
  return lines.join("\n") + "\n";
}

/**
 * Parses CSV text with a header line: empty cells become NaN, cells that
 * look like numbers become numbers (except in the text columns), anything
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
  const textColumns = options.text ?? [];
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

/** A cell of a number table: blank is NaN, anything else what `Number` makes of it (NaN for text). */
function numberCell(cell: string | undefined): number {
  return cell === undefined || cell.trim() === "" ? NaN : Number(cell);
}

/**
 * Parses CSV text whose every cell is a number (metrics over steps,
 * samples): columns by position. An empty or missing cell is NaN, and so
 * is `NaN` and any cell that is not a number. In a table of more than one
 * column a blank line is skipped (a row of empty cells has commas); in a
 * one-column table it is a row holding NaN.
 *
 * @param text The CSV text (first line is the header); empty text is an empty table.
 * @returns The header and the rows.
 */
export function parseNumberTable(text: string): NumberTable {
  const [header, ...lines] = csvParseRows(text);
  if (!header) return { columns: [], rows: [] };
  const columns = header;
  const rows: number[][] = [];
  for (const cells of lines) {
    if (columns.length > 1 && cells.length === 1 && cells[0].trim() === "") continue;
    rows.push(columns.map((_, i) => numberCell(cells[i])));
  }
  return { columns, rows };
}

/**
 * Parses CSV text whose every cell is a number into rows keyed by the
 * header's names (see {@link parseNumberTable} for empty cells and blank lines).
 *
 * @param text The CSV text (first line is the header).
 * @returns The rows.
 */
export function parseNumberRows(text: string): Record<string, number>[] {
  const { columns, rows } = parseNumberTable(text);
  return rows.map((cells) => {
    const row: Record<string, number> = {};
    columns.forEach((c, i) => (row[c] = cells[i]));
    return row;
  });
}
