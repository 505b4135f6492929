/**
 * Sweep points and dotted paths: building explicit lists of points
 * (`cartesian`, `zip`, `exclude`) and reading or setting a dotted path in a
 * nested config.
 *
 * @module
 */

/** One point of a sweep: dotted path -> value. */
export type SweepPoint = Record<string, unknown>;

/** Cartesian product of axes, as explicit sweep points. */
export function cartesian(axes: Record<string, unknown[]>): SweepPoint[] {
  let points: SweepPoint[] = [{}];
  for (const [key, values] of Object.entries(axes)) {
    const next: SweepPoint[] = [];
    for (const p of points) for (const v of values) next.push({ ...p, [key]: v });
    points = next;
  }
  return points;
}

/** Pairs axes element-wise: `zip({k: [1, 5], lr: [1e-3, 1e-4]})` gives two points. */
export function zip(axes: Record<string, unknown[]>): SweepPoint[] {
  const lengths = Object.values(axes).map((v) => v.length);
  if (new Set(lengths).size > 1) {
    throw new Error(
      `zip: every axis needs the same number of values, got ${
        Object.entries(axes).map(([k, v]) => `${k}: ${v.length}`).join(", ")
      }`,
    );
  }
  const n = lengths[0] ?? 0;
  return Array.from({ length: n }, (_, i) => {
    const p: SweepPoint = {};
    for (const [k, v] of Object.entries(axes)) p[k] = v[i];
    return p;
  });
}

/** Removes points for which `drop` returns true. */
export function exclude(points: SweepPoint[], drop: (p: SweepPoint) => boolean): SweepPoint[] {
  return points.filter((p) => !drop(p));
}

/** Whether a value is a plain object (not null, not an array). */
export function isPlainObject(v: unknown): v is Record<string, unknown> {
  return typeof v === "object" && v !== null && !Array.isArray(v);
}

/** Sets a dotted path in a (cloned) nested object, creating objects on the way. */
export function setPath(obj: Record<string, unknown>, path: string, value: unknown): void {
  const parts = path.split(".");
  let o = obj;
  for (const p of parts.slice(0, -1)) {
    if (!isPlainObject(o[p])) o[p] = {};
    o = o[p] as Record<string, unknown>;
  }
  o[parts[parts.length - 1]] = value;
}

/** Reads a dotted path, or undefined. */
export function getPath(obj: unknown, path: string): unknown {
  let o = obj;
  for (const p of path.split(".")) {
    if (!isPlainObject(o)) return undefined;
    o = o[p];
  }
  return o;
}
