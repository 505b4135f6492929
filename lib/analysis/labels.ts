/**
 * Names and human-readable titles: the order metric columns appear in, the
 * metrics a report charts (both from the metric registry), titles for
 * metrics and swept config paths (from the config schema), and labels for
 * configurations.
 *
 * @module
 */
import { METRIC_ORDER, metricInfo } from "../metrics/registry.ts";
import { fieldTitle } from "../spec/config_doc.ts";

/**
 * A readable title for a metric column, with the column name appended unless
 * the title already names it, e.g. "modes captured (modes)".
 *
 * @param metric The metric column name.
 * @returns The title; unknown metrics give their own name.
 */
export function metricTitle(metric: string): string {
  const t = metricInfo(metric)?.title;
  if (!t) return metric;
  return t.includes(metric) ? t : `${t} (${metric})`;
}

/**
 * A readable title for a swept config path, e.g. "k (D steps per G step)".
 *
 * @param path The dotted config path.
 * @returns The title; unknown paths give the path itself.
 */
export function axisTitle(path: string): string {
  const d = fieldTitle(path);
  return d ? `${path} (${d})` : path;
}

/**
 * Formats one swept value for labels and CSV cells: numbers and strings as
 * they are, anything else (arrays, objects) as JSON.
 *
 * @param value A swept value.
 * @returns Its text.
 */
export function formatValue(value: unknown): string {
  if (typeof value === "string") return value;
  if (typeof value === "number" || typeof value === "boolean") return String(value);
  if (value === undefined) return "";
  return JSON.stringify(value);
}

/**
 * A configuration's label from its swept values, e.g. "k=5, optimizer.lr=0.001";
 * "base" when nothing is swept.
 *
 * @param point Swept path -> value of the configuration.
 * @param axes The swept paths, in order.
 * @returns The label.
 */
export function configLabel(point: Record<string, unknown>, axes: readonly string[]): string {
  if (axes.length === 0) return "base";
  return axes.map((a) => `${a}=${formatValue(point[a])}`).join(", ");
}

/**
 * Orders metric names: those in the registry's order (`METRIC_ORDER`) first, in that order,
 * then the rest in the order given.
 *
 * @param names Metric names in order of appearance (duplicates allowed).
 * @returns The distinct names, ordered.
 */
export function orderMetrics(names: Iterable<string>): string[] {
  const seen = [...new Set(names)];
  const known = METRIC_ORDER.filter((m) => seen.includes(m));
  return [...known, ...seen.filter((m) => !METRIC_ORDER.includes(m))];
}
