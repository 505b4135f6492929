/**
 * A report's look, resolved: the experiment file's `report` options
 * (`lib/spec/report_options.ts`), overridden by `deno task report` flags,
 * with defaults chosen from the study. The metrics default to those the
 * study's claims and contrasts use (each claim's `metric` parameter, or
 * its default), then the registry's charted metrics. The chart roles
 * default to: the first contrast's axis as colour, `data.name` (or, failing
 * that, a further axis) as facets with their own y scale, and the first
 * remaining numeric axis on x; axes zipped with x take no role.
 *
 * @module
 */
import { claimRef, CLAIMS } from "../claims/mod.ts";
import { formatValue, metricTitle } from "../analysis/labels.ts";
import { fieldTitle } from "../spec/config_doc.ts";
import { CHARTED_METRICS } from "../metrics/registry.ts";
import {
  type Experiment,
  REPORT_SECTIONS,
  type ReportOptionsSpec,
  type ReportSection,
} from "../spec/mod.ts";
import { canonicalJson } from "../spec/run_id.ts";

/** The resolved options every renderer reads. */
export interface ReportView {
  /** Metrics charted and tabulated, in order. */
  metrics: string[];
  /** The swept path on x of the final-value charts (undefined: none swept). */
  x?: string;
  /** The swept path of the colour series (undefined: none). */
  color?: string;
  /** The swept paths with one panel per value combination (empty: none). */
  facet: string[];
  /** Log-scale x: true, false, or "auto". */
  logX: boolean | "auto";
  /** Significant digits in tables. */
  digits: number;
  /** d3-format of numeric axis labels. */
  axisFormat: string;
  /** Readable names of paths and metrics. */
  names: Record<string, string>;
  /** Readable names of values, per path. */
  values: Record<string, Record<string, string>>;
  /** Every section, in display order. */
  sections: ReportSection[];
}

/**
 * The metrics a study's claims and contrasts use, in order: each claim's
 * `metric` parameter (or the claim's default), then each contrast's metrics.
 *
 * @param exp The experiment.
 * @returns Distinct metric names.
 */
export function studyMetrics(exp: Experiment): string[] {
  const out: string[] = [];
  for (const ref of exp.claims) {
    const { id, params } = claimRef(ref);
    const def = Object.hasOwn(CLAIMS, id) ? CLAIMS[id] : undefined;
    const p = (params ?? {}) as Record<string, unknown>;
    const m = p.metric ?? def?.defaults.metric;
    if (typeof m === "string") out.push(m);
  }
  for (const c of exp.contrasts ?? []) out.push(...c.metrics);
  return [...new Set(out)];
}

/** The configs' points, to choose roles from. */
type Points = readonly Record<string, unknown>[];

/** Axes whose value is fixed by `axis`'s (zipped with it) and that vary. */
function coupledTo(points: Points, axes: readonly string[], axis: string): string[] {
  return axes.filter((b) => {
    if (b === axis) return false;
    const seen = new Map<string, string>();
    const values = new Set<string>();
    for (const p of points) {
      const a = canonicalJson(p[axis] ?? null);
      const v = canonicalJson(p[b] ?? null);
      values.add(v);
      if (seen.has(a) && seen.get(a) !== v) return false;
      seen.set(a, v);
    }
    return values.size > 1;
  });
}

function distinct(points: Points, axis: string): unknown[] {
  const seen = new Map<string, unknown>();
  for (const p of points) seen.set(canonicalJson(p[axis] ?? null), p[axis]);
  return [...seen.values()];
}

/**
 * Resolves a report's options.
 *
 * @param exp The experiment (its `report` field, claims and contrasts).
 * @param points The configurations' swept values (for the default roles).
 * @param overrides Options that win over the file's (e.g. from flags).
 * @returns The resolved view.
 */
export function resolveReportView(
  exp: Experiment,
  points: Points,
  overrides: ReportOptionsSpec = {},
): ReportView {
  const o: ReportOptionsSpec = { ...(exp.report ?? {}), ...stripUndefined(overrides) };
  const axes = exp.axes;
  const metrics = [...new Set([...(o.metrics ?? studyMetrics(exp)), ...CHARTED_METRICS])];
  const taken = new Set<string>();
  const free = () => axes.filter((a) => !taken.has(a));
  let x = o.x;
  let color = o.color;
  let facet: string[] = o.facet === null ? [] : o.facet ? [o.facet] : [];
  for (const a of [x, color, ...facet]) if (a) taken.add(a);
  if (color === undefined && o.color === undefined) {
    const c = exp.contrasts?.[0]?.axis;
    if (c && !taken.has(c) && (x === undefined || c !== x)) {
      color = c;
      taken.add(c);
    }
  }
  if (
    o.facet === undefined && facet.length === 0 && axes.includes("data.name") &&
    !taken.has("data.name") && x !== "data.name"
  ) {
    facet = ["data.name"];
    taken.add("data.name");
  }
  if (x === undefined) {
    const numeric = free().find((a) =>
      distinct(points, a).every((v) => typeof v === "number" && Number.isFinite(v))
    );
    x = numeric ?? free()[0];
    if (x) taken.add(x);
  }
  // Axes zipped with x vary with it: they take no role of their own.
  if (x) { for (const c of coupledTo(points, axes, x)) taken.add(c); }
  if (color === undefined && o.color === undefined) {
    color = free()[0];
    if (color) taken.add(color);
  }
  if (o.facet === undefined) facet = [...facet, ...free()];
  const listed = o.sections ?? [];
  const sections = [...listed, ...REPORT_SECTIONS.filter((s) => !listed.includes(s))];
  return {
    metrics,
    x,
    color,
    facet,
    logX: o.logX ?? "auto",
    digits: o.digits ?? 4,
    axisFormat: o.axisFormat ?? "~g",
    names: { ...(o.names ?? {}) },
    values: { ...(o.values ?? {}) },
    sections,
  };
}

function stripUndefined<T extends object>(o: T): Partial<T> {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as Partial<T>;
}

/**
 * A swept path's readable name: the `names` option, else "path (title)".
 *
 * @param view The view.
 * @param path The dotted path.
 * @param short Without the schema's title.
 * @returns The name.
 */
export function pathName(view: Pick<ReportView, "names">, path: string, short = false): string {
  const given = view.names[path];
  if (given) return given;
  if (short) return path;
  const t = fieldTitle(path);
  return t ? `${path} (${t})` : path;
}

/**
 * A swept value's readable name: the `values` option, else the value.
 *
 * @param view The view.
 * @param path The swept path.
 * @param value The value.
 * @returns Its name.
 */
export function valueName(view: Pick<ReportView, "values">, path: string, value: unknown): string {
  const text = formatValue(value);
  return view.values[path]?.[text] ?? text;
}

/**
 * A metric's readable name: the `names` option, else its registry title.
 *
 * @param view The view.
 * @param metric The metric column.
 * @returns The name.
 */
export function metricName(view: Pick<ReportView, "names">, metric: string): string {
  return view.names[metric] ?? metricTitle(metric);
}

/**
 * A configuration or level label with readable names, e.g. "lr=0.001, data=ring-8".
 *
 * @param view The view.
 * @param point Swept path -> value.
 * @param axes The paths, in order.
 * @returns The label ("" without axes).
 */
export function pointLabel(
  view: Pick<ReportView, "names" | "values">,
  point: Record<string, unknown>,
  axes: readonly string[],
): string {
  return axes.map((a) => `${pathName(view, a, true)}=${valueName(view, a, point[a])}`).join(", ");
}

/** The default view of a study with no options (for callers without an experiment). */
export const PLAIN_VIEW: Pick<ReportView, "names" | "values"> = { names: {}, values: {} };
