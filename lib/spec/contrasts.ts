/**
 * The `contrasts` field of an experiment file: "is A better than B?"
 * questions about one swept axis, e.g.
 *
 * ```ts
 * contrasts: [{ axis: "loss", a: "least-squares", b: "non-saturating",
 *   metrics: ["modes", "hq_share"], better: "higher" }]
 * ```
 *
 * Validated here with field-level errors (the axis must be swept, `a` and
 * `b` values it takes, every option of the right type); which metrics
 * exist and which way each is better come from the metric registry when
 * the contrast is evaluated (`lib/claims/contrasts.ts`, whose doc comment
 * gives the decision rule).
 *
 * @module
 */
import { didYouMean, type Issue, show } from "./schema.ts";
import { isPlainObject, type SweepPoint } from "./sweep_points.ts";
import { canonicalJson } from "./run_id.ts";

/** Which way a metric is better in a contrast. */
export type Better = "higher" | "lower";

/** The health checks a contrast may tolerate (the ids of `lib/metrics/health.ts`). */
export const CONTRAST_TOLERABLE = ["d_dead", "g_collapsed", "no_progress"] as const;

/** One declared contrast: arm `a` against arm `b` of `axis`, on `metrics`. */
export interface ContrastSpec {
  /** The swept axis (dotted config path) whose two values are compared, e.g. "loss". */
  axis: string;
  /** Arm A: a value the axis takes. */
  a: unknown;
  /** Arm B: another value the axis takes. */
  b: unknown;
  /** The metrics compared (final values, or the mean of the last `lastEvals` evaluations). */
  metrics: string[];
  /**
   * Which way is better: one direction for every metric, or per metric;
   * default each metric's direction in the metric registry.
   */
  better?: Better | Record<string, Better>;
  /** A short id for tables and files (default "<axis>: <a> vs <b>"). */
  id?: string;
  /** The question in words, e.g. "Is LS better than NS at covering modes?". */
  title?: string;
  /**
   * How the cells decide (see `lib/claims/contrasts.ts`): "overall"
   * (default), A better on average over the levels in every metric and
   * worse in no cell; "all", A better in every cell; "any", A better in
   * some cell and worse in none.
   */
  rule?: "overall" | "all" | "any";
  /** Family-wise error rate of the Holm-adjusted tests (default 0.05). */
  alpha?: number;
  /** The fewest seeds per arm that can decide a cell (default 3). */
  minSeeds?: number;
  /** Average each run's last N evaluations instead of its final value (default: final value). */
  lastEvals?: number;
  /** Axes for the interaction test "does the difference depend on X?" (default: every other swept axis). */
  interactions?: string[];
  /**
   * Health checks whose failure does not make a run invalid here (e.g.
   * `g_collapsed` when the metric itself measures collapse); default none.
   */
  tolerate?: (typeof CONTRAST_TOLERABLE)[number][];
  /** Bootstrap resamples (default 2000). */
  resamples?: number;
}

const FIELDS = [
  "axis",
  "a",
  "b",
  "metrics",
  "better",
  "id",
  "title",
  "rule",
  "alpha",
  "minSeeds",
  "lastEvals",
  "interactions",
  "tolerate",
  "resamples",
];

/**
 * The id of a contrast: its `id`, or "<axis>: <a> vs <b>".
 *
 * @param c The contrast.
 * @returns The id.
 */
export function contrastId(c: ContrastSpec): string {
  const v = (x: unknown) => (typeof x === "string" ? x : JSON.stringify(x));
  return c.id ?? `${c.axis}: ${v(c.a)} vs ${v(c.b)}`;
}

/** The values each swept path takes over the sweep's points (canonical JSON -> value). */
function axisValues(points: readonly SweepPoint[], axis: string): Map<string, unknown> {
  const out = new Map<string, unknown>();
  for (const p of points) if (Object.hasOwn(p, axis)) out.set(canonicalJson(p[axis]), p[axis]);
  return out;
}

/**
 * Validates `contrasts`: every problem as an issue naming its path
 * (`contrasts[0].a`), the value and what is accepted.
 *
 * @param value The field as written (undefined: none).
 * @param axes The swept paths.
 * @param points The sweep's points.
 * @param issues Problems are appended here.
 * @returns The contrasts (empty when absent or invalid).
 */
export function validateContrasts(
  value: unknown,
  axes: readonly string[],
  points: readonly SweepPoint[],
  issues: Issue[],
): ContrastSpec[] {
  if (value === undefined) return [];
  if (!Array.isArray(value)) {
    issues.push({
      path: "contrasts",
      message: `got ${show(value)}, expected an array of { axis, a, b, metrics, ... }`,
    });
    return [];
  }
  const out: ContrastSpec[] = [];
  const ids = new Set<string>();
  value.forEach((c, i) => {
    const at = `contrasts[${i}]`;
    const n0 = issues.length;
    if (!isPlainObject(c)) {
      issues.push({
        path: at,
        message: `got ${show(c)}, expected { axis, a, b, metrics, better?, ... }`,
      });
      return;
    }
    for (const key of Object.keys(c)) {
      if (!FIELDS.includes(key)) {
        const guess = didYouMean(key, FIELDS);
        issues.push({
          path: `${at}.${key}`,
          message: `unknown field${guess ? `; did you mean "${guess}"?` : ""} Accepted fields: ${
            FIELDS.join(", ")
          }`,
        });
      }
    }
    const axis = c.axis;
    if (typeof axis !== "string" || !axes.includes(axis)) {
      const guess = typeof axis === "string" ? didYouMean(axis, axes) : null;
      issues.push({
        path: `${at}.axis`,
        message: `got ${show(axis)}, expected a swept path (${
          axes.length ? axes.map((a) => `"${a}"`).join(", ") : "the study sweeps nothing"
        })${guess ? `; did you mean "${guess}"?` : ""}`,
      });
    } else {
      const values = axisValues(points, axis);
      const listed = [...values.values()].map(show).join(", ");
      for (const arm of ["a", "b"] as const) {
        if (!Object.hasOwn(c, arm) || !values.has(canonicalJson(c[arm] ?? null))) {
          issues.push({
            path: `${at}.${arm}`,
            message: `got ${
              show(c[arm])
            }, expected a value "${axis}" takes in the sweep (${listed})`,
          });
        }
      }
      if (Object.hasOwn(c, "a") && canonicalJson(c.a ?? null) === canonicalJson(c.b ?? null)) {
        issues.push({ path: `${at}.b`, message: `got ${show(c.b)}, the same value as a` });
      }
    }
    const metrics = c.metrics;
    if (
      !Array.isArray(metrics) || metrics.length === 0 ||
      !metrics.every((m) => typeof m === "string" && m !== "")
    ) {
      issues.push({
        path: `${at}.metrics`,
        message: `got ${show(metrics)}, expected a non-empty array of metric names, e.g. ["modes"]`,
      });
    } else if (new Set(metrics).size !== metrics.length) {
      issues.push({
        path: `${at}.metrics`,
        message: `got ${show(metrics)}, expected distinct names`,
      });
    }
    validateBetter(c.better, Array.isArray(metrics) ? metrics : [], `${at}.better`, issues);
    for (const f of ["id", "title"]) {
      if (c[f] !== undefined && (typeof c[f] !== "string" || c[f] === "")) {
        issues.push({
          path: `${at}.${f}`,
          message: `got ${show(c[f])}, expected a non-empty string`,
        });
      }
    }
    if (c.rule !== undefined && !["overall", "all", "any"].includes(c.rule as string)) {
      issues.push({
        path: `${at}.rule`,
        message: `got ${show(c.rule)}, expected "overall", "all" or "any"`,
      });
    }
    if (
      c.alpha !== undefined &&
      !(typeof c.alpha === "number" && c.alpha > 0 && c.alpha <= 0.5)
    ) {
      issues.push({
        path: `${at}.alpha`,
        message: `got ${show(c.alpha)}, expected a number > 0 and <= 0.5`,
      });
    }
    const ints: [string, number][] = [["minSeeds", 2], ["lastEvals", 1], ["resamples", 100]];
    for (const [f, min] of ints) {
      const v = c[f];
      if (v !== undefined && !(typeof v === "number" && Number.isInteger(v) && v >= min)) {
        issues.push({
          path: `${at}.${f}`,
          message: `got ${show(v)}, expected an integer >= ${min}`,
        });
      }
    }
    if (c.interactions !== undefined) {
      const others = axes.filter((a) => a !== axis);
      if (!Array.isArray(c.interactions)) {
        issues.push({
          path: `${at}.interactions`,
          message: `got ${
            show(c.interactions)
          }, expected an array of swept paths other than the axis`,
        });
      } else {
        c.interactions.forEach((x, j) => {
          if (typeof x !== "string" || !others.includes(x)) {
            issues.push({
              path: `${at}.interactions[${j}]`,
              message: `got ${show(x)}, expected one of the other swept paths (${
                others.map((a) => `"${a}"`).join(", ") || "none"
              })`,
            });
          }
        });
      }
    }
    if (c.tolerate !== undefined) {
      const ok = Array.isArray(c.tolerate) &&
        c.tolerate.every((t) => (CONTRAST_TOLERABLE as readonly unknown[]).includes(t));
      if (!ok) {
        issues.push({
          path: `${at}.tolerate`,
          message: `got ${show(c.tolerate)}, expected an array of health checks (${
            CONTRAST_TOLERABLE.map((t) => `"${t}"`).join(", ")
          })`,
        });
      }
    }
    if (issues.length > n0) return;
    const spec = c as unknown as ContrastSpec;
    const id = contrastId(spec);
    if (ids.has(id)) {
      issues.push({
        path: `${at}.id`,
        message: `the contrast "${id}" appears twice; give one of them another id`,
      });
      return;
    }
    ids.add(id);
    out.push(spec);
  });
  return out;
}

function validateBetter(value: unknown, metrics: unknown[], path: string, issues: Issue[]): void {
  if (value === undefined || value === "higher" || value === "lower") return;
  if (isPlainObject(value)) {
    for (const [m, v] of Object.entries(value)) {
      if (!metrics.includes(m)) {
        issues.push({
          path: `${path}.${m}`,
          message: `not one of the contrast's metrics (${metrics.map(show).join(", ")})`,
        });
      } else if (v !== "higher" && v !== "lower") {
        issues.push({
          path: `${path}.${m}`,
          message: `got ${show(v)}, expected "higher" or "lower"`,
        });
      }
    }
    return;
  }
  issues.push({
    path,
    message: `got ${
      show(value)
    }, expected "higher", "lower" or an object of metric -> "higher" | "lower"`,
  });
}
