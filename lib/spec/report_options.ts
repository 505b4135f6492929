/**
 * The `report` field of an experiment file: how its report looks. Every
 * option has a default chosen from the study (see `lib/report/options.ts`),
 * and `deno task report` flags override the file.
 *
 * ```ts
 * report: {
 *   metrics: ["modes", "hq_share"],          // charted and tabulated first
 *   x: "optimizer.lr", color: "loss", facet: "data.name",
 *   logX: "auto",                             // log x when values span a factor >= 10
 *   digits: 3,                                // significant digits in tables
 *   axisFormat: "~g",                         // d3-format of numeric axis labels
 *   names: { "optimizer.lr": "lr", "data.name": "data" },
 *   values: { loss: { "least-squares": "LS", "non-saturating": "NS" } },
 *   sections: ["contrasts", "summary", "charts"],
 * }
 * ```
 *
 * @module
 */
import { didYouMean, type Issue, show } from "./schema.ts";
import { isPlainObject } from "./sweep_points.ts";

/** The sections of a report, in their default order. */
export const REPORT_SECTIONS = [
  "contrasts",
  "claims",
  "parzen",
  "quality",
  "runs",
  "training",
  "summary",
  "charts",
  "samples",
] as const;

/** A report section's name. */
export type ReportSection = (typeof REPORT_SECTIONS)[number];

/** Options for a study's report. */
export interface ReportOptionsSpec {
  /** Metrics charted and tabulated, in order (default: claimed and contrasted metrics, then the registry's). */
  metrics?: string[];
  /** The swept path on the x axis of the final-value charts. */
  x?: string;
  /** The swept path that colours the series. */
  color?: string;
  /** The swept path with one panel per value (each panel its own y scale); null for none. */
  facet?: string | null;
  /** Log-scale x: true, false, or "auto" (default): when the values span a factor of 10 or more. */
  logX?: boolean | "auto";
  /** Significant digits of numbers in tables (2 to 6; default 4). */
  digits?: number;
  /** d3-format specifier of numeric axis labels (default "~g": 0.0003, 0.001, 1000). */
  axisFormat?: string;
  /** Readable names of swept paths and metrics, e.g. { "optimizer.lr": "lr" }. */
  names?: Record<string, string>;
  /** Readable names of swept values, per path, e.g. { loss: { "least-squares": "LS" } }. */
  values?: Record<string, Record<string, string>>;
  /** Sections shown first, in this order (the others follow in their default order). */
  sections?: ReportSection[];
}

const FIELDS = [
  "metrics",
  "x",
  "color",
  "facet",
  "logX",
  "digits",
  "axisFormat",
  "names",
  "values",
  "sections",
];

/** A d3-format specifier: [[fill]align][sign][symbol][0][width][,][.precision][~][type]. */
const D3_FORMAT = /^(?:(.)?([<>=^]))?([+\-( ])?([$#])?(0)?(\d+)?(,)?(\.\d+)?(~)?([a-z%])?$/i;

/**
 * Validates `report`: every problem as an issue naming its path.
 *
 * @param value The field as written (undefined: defaults).
 * @param axes The swept paths.
 * @param issues Problems are appended here.
 * @returns The options (empty when absent or invalid).
 */
export function validateReportOptions(
  value: unknown,
  axes: readonly string[],
  issues: Issue[],
): ReportOptionsSpec {
  if (value === undefined) return {};
  if (!isPlainObject(value)) {
    issues.push({ path: "report", message: `got ${show(value)}, expected an object of options` });
    return {};
  }
  const n0 = issues.length;
  for (const key of Object.keys(value)) {
    if (!FIELDS.includes(key)) {
      const guess = didYouMean(key, FIELDS);
      issues.push({
        path: `report.${key}`,
        message: `unknown field${guess ? `; did you mean "${guess}"?` : ""} Accepted fields: ${
          FIELDS.join(", ")
        }`,
      });
    }
  }
  const m = value.metrics;
  if (
    m !== undefined &&
    !(Array.isArray(m) && m.length > 0 && m.every((x) => typeof x === "string" && x !== ""))
  ) {
    issues.push({
      path: "report.metrics",
      message: `got ${show(m)}, expected a non-empty array of metric names`,
    });
  }
  const swept = axes.map((a) => `"${a}"`).join(", ") || "the study sweeps nothing";
  const used = new Map<string, string>();
  for (const f of ["x", "color", "facet"]) {
    const v = value[f];
    if (v === undefined || (f === "facet" && v === null)) continue;
    if (typeof v !== "string" || !axes.includes(v)) {
      const guess = typeof v === "string" ? didYouMean(v, axes) : null;
      issues.push({
        path: `report.${f}`,
        message: `got ${show(v)}, expected a swept path (${swept})${
          guess ? `; did you mean "${guess}"?` : ""
        }`,
      });
    } else if (used.has(v)) {
      issues.push({
        path: `report.${f}`,
        message: `got "${v}", already the ${used.get(v)}; each swept path takes one role`,
      });
    } else used.set(v, f);
  }
  const logX = value.logX;
  if (logX !== undefined && logX !== true && logX !== false && logX !== "auto") {
    issues.push({
      path: "report.logX",
      message: `got ${show(logX)}, expected true, false or "auto"`,
    });
  }
  const d = value.digits;
  if (d !== undefined && !(typeof d === "number" && Number.isInteger(d) && d >= 2 && d <= 6)) {
    issues.push({
      path: "report.digits",
      message: `got ${show(d)}, expected an integer from 2 to 6`,
    });
  }
  const fmt = value.axisFormat;
  if (fmt !== undefined && !(typeof fmt === "string" && D3_FORMAT.test(fmt))) {
    issues.push({
      path: "report.axisFormat",
      message: `got ${show(fmt)}, expected a d3-format specifier such as "~g", ".2f" or ".0e"`,
    });
  }
  const names = value.names;
  if (names !== undefined) {
    if (!isPlainObject(names)) {
      issues.push({
        path: "report.names",
        message: `got ${show(names)}, expected an object of path or metric -> name`,
      });
    } else {
      for (const [k, v] of Object.entries(names)) {
        if (typeof v !== "string" || v === "") {
          issues.push({
            path: `report.names["${k}"]`,
            message: `got ${show(v)}, expected a non-empty string`,
          });
        }
      }
    }
  }
  const values = value.values;
  if (values !== undefined) {
    if (!isPlainObject(values)) {
      issues.push({
        path: "report.values",
        message: `got ${show(values)}, expected an object of swept path -> { value: name }`,
      });
    } else {
      for (const [axis, map] of Object.entries(values)) {
        if (!axes.includes(axis)) {
          const guess = didYouMean(axis, axes);
          issues.push({
            path: `report.values["${axis}"]`,
            message: `not a swept path (${swept})${guess ? `; did you mean "${guess}"?` : ""}`,
          });
        } else if (
          !isPlainObject(map) || !Object.values(map).every((v) => typeof v === "string" && v !== "")
        ) {
          issues.push({
            path: `report.values["${axis}"]`,
            message: `got ${show(map)}, expected an object of value -> name`,
          });
        }
      }
    }
  }
  const sections = value.sections;
  if (sections !== undefined) {
    const ok = Array.isArray(sections) &&
      sections.every((s) => (REPORT_SECTIONS as readonly unknown[]).includes(s)) &&
      new Set(sections).size === sections.length;
    if (!ok) {
      issues.push({
        path: "report.sections",
        message: `got ${show(sections)}, expected distinct names among ${
          REPORT_SECTIONS.map((s) => `"${s}"`).join(", ")
        }`,
      });
    }
  }
  return issues.length > n0 ? {} : (value as ReportOptionsSpec);
}
