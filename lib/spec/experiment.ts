/**
 * Experiment files: `defineExperiment` and validation of the whole study
 * with field-level errors (base, sweep points, seeds, claims, the full
 * protocol, Slurm resources). Expanding a study into runs is `expand.ts`;
 * sweep helpers are `sweep_points.ts`; run ids are `run_id.ts`.
 *
 * @module
 */
import { type SlurmResources, validateSlurmResources } from "./slurm.ts";
import { CONFIG_SCHEMA, type PartialConfig, resolveConfig } from "./config.ts";
import { didYouMean, type Issue, schemaAt, show, validateValue } from "./schema.ts";
import { cartesian, isPlainObject, setPath, type SweepPoint } from "./sweep_points.ts";
import { canonicalJson } from "./run_id.ts";
// Contrasts and report options (issue 17): validated in their own modules.
import { type ContrastSpec, validateContrasts } from "./contrasts.ts";
import { type ReportOptionsSpec, validateReportOptions } from "./report_options.ts";

/** Claim ids a study may test (see PAPER.md). */
export const CLAIM_IDS = [
  "optimal-d",
  "global-optimum",
  "saturation",
  "d-overfits",
  "mode-collapse",
  "parzen-table",
  "convergence-1d",
  "no-memorisation",
] as const;

/** A claim reference with optional parameters. */
export type ClaimRef = string | { id: string; params?: Record<string, unknown> };

/** An experiment as written in `experiments/*.ts`. */
export interface ExperimentSpec {
  /** `[a-z0-9-]+`; names `runs/<name>/` and `reports/<name>/`. */
  name: string;
  title?: string;
  description?: string;
  /** The base config; swept paths override it. */
  base: PartialConfig;
  /**
   * Sweep axes. An object of dotted path -> values is the cartesian product;
   * an array of points (see {@link zip}, {@link cartesian}, {@link exclude})
   * lists them explicitly.
   */
  sweep?: Record<string, unknown[]> | SweepPoint[];
  /** Seeds; every config runs once per seed. */
  seeds: number[];
  /** Claims this study tests. */
  claims?: ClaimRef[];
  /**
   * The full-length protocol, run with `--full`: dotted path -> value
   * overrides of `base` (sweep points still apply on top), and its seeds.
   */
  full?: { set: Record<string, unknown>; seeds?: number[] };
  /**
   * Says how the default budget differs from the full protocol; reports of
   * runs made without `--full` show it at the top.
   */
  shortened?: string;
  /** Slurm resources of every array task of `sweep --executor slurm` (flags override). */
  slurm?: SlurmResources;
  // --- contrasts and report options (issue 17) ---
  /** "Is A better than B?" questions about a swept axis (see `lib/spec/contrasts.ts`). */
  contrasts?: ContrastSpec[];
  /** How the report looks (see `lib/spec/report_options.ts`). */
  report?: ReportOptionsSpec;
  // --- end contrasts and report options ---
}

/** A validated experiment. */
export interface Experiment extends ExperimentSpec {
  /** Every point of the sweep; empty when the sweep is {@link Experiment.oversized}. */
  sweep: SweepPoint[];
  claims: ClaimRef[];
  /** Dotted paths that vary across the sweep, in order of appearance. */
  axes: string[];
  /** The declared contrasts (empty when none). */
  contrasts: ContrastSpec[];
  /**
   * Present when the sweep has more points than validation was allowed to
   * check one by one (`maxPoints`): how many, its first point, and the
   * limit. Such an experiment cannot be expanded; a command refuses it,
   * saying how to raise its maximum.
   */
  oversized?: { points: number; first: SweepPoint; checkedUpTo: number };
}

/**
 * The most runs a command plans unless told otherwise (`--max-runs`), and
 * the most sweep points validation checks one by one.
 */
export const DEFAULT_MAX_RUNS = 10_000;

/** Options of {@link validateExperiment}. */
export interface ValidateOptions {
  /**
   * Sweeps with more points are not expanded or checked point by point
   * (bounded work); the result is marked `oversized` instead (default
   * {@link DEFAULT_MAX_RUNS}).
   */
  maxPoints?: number;
}

/** An invalid experiment: every problem with its path. */
export class SpecError extends Error {
  /** The individual problems. */
  readonly issues: Issue[];
  /** The experiment file, when known. */
  file?: string;
  constructor(issues: Issue[], file?: string) {
    super(SpecError.format(issues, file));
    this.name = "SpecError";
    this.issues = issues;
    this.file = file;
  }
  /** Formats issues as one line each. */
  static format(issues: Issue[], file?: string): string {
    const head = file ? `${file}: ` : "";
    return issues.map((i) => `${head}${i.path}: ${i.message}`).join("\n");
  }
  /** Returns a copy of this error attributed to `file`. */
  withFile(file: string): SpecError {
    return new SpecError(this.issues, file);
  }
}

const TOP_FIELDS = [
  "name",
  "title",
  "description",
  "base",
  "sweep",
  "seeds",
  "claims",
  "full",
  "shortened",
  "slurm",
  "contrasts",
  "report",
];

/**
 * Validates an experiment spec; throws {@link SpecError} listing every
 * problem (path, value, what is accepted).
 */
export function validateExperiment(spec: unknown, options: ValidateOptions = {}): Experiment {
  const issues: Issue[] = [];
  const maxPoints = options.maxPoints ?? DEFAULT_MAX_RUNS;
  if (!isPlainObject(spec)) {
    throw new SpecError([{
      path: "(experiment)",
      message: `got ${show(spec)}, expected an object from defineExperiment({...})`,
    }]);
  }
  for (const key of Object.keys(spec)) {
    if (!TOP_FIELDS.includes(key)) {
      const guess = didYouMean(key, TOP_FIELDS);
      issues.push({
        path: key,
        message: `unknown field${guess ? `; did you mean "${guess}"?` : ""} Accepted fields: ${
          TOP_FIELDS.join(", ")
        }`,
      });
    }
  }
  validateValue(
    spec.name,
    { kind: "string", pattern: /^[a-z0-9-]+$/, hint: "a name of [a-z0-9-]+" },
    "name",
    issues,
  );
  for (const f of ["title", "description", "shortened"]) {
    if (spec[f] !== undefined) validateValue(spec[f], { kind: "string" }, f, issues);
  }
  validateValue(
    spec.seeds,
    { kind: "array", of: { kind: "int", min: 0, max: 2 ** 31 - 1 }, minLength: 1 },
    "seeds",
    issues,
  );
  if (Array.isArray(spec.seeds) && new Set(spec.seeds).size !== spec.seeds.length) {
    issues.push({ path: "seeds", message: `got ${show(spec.seeds)}, expected distinct seeds` });
  }
  const base = spec.base ?? {};
  if (!isPlainObject(base)) {
    issues.push({ path: "base", message: `got ${show(base)}, expected an object` });
  } else {
    resolveConfig(base, "base", issues);
  }
  const claims: ClaimRef[] = [];
  if (spec.claims !== undefined) {
    if (!Array.isArray(spec.claims)) {
      issues.push({
        path: "claims",
        message: `got ${show(spec.claims)}, expected an array of claim ids`,
      });
    } else {
      spec.claims.forEach((c, i) => {
        const id = typeof c === "string" ? c : isPlainObject(c) ? c.id : undefined;
        if (typeof id !== "string" || !(CLAIM_IDS as readonly string[]).includes(id)) {
          const guess = typeof id === "string" ? didYouMean(id, CLAIM_IDS) : null;
          issues.push({
            path: `claims[${i}]`,
            message: `got ${show(c)}, expected one of ${CLAIM_IDS.map((x) => `"${x}"`).join(", ")}${
              guess ? `; did you mean "${guess}"?` : ""
            }`,
          });
        } else claims.push(c as ClaimRef);
      });
    }
  }
  if (spec.full !== undefined) validateFull(spec.full, base, issues);
  issues.push(...validateSlurmResources(spec.slurm));
  const beforeSweep = issues.length;
  const size = sweepSize(spec.sweep);
  if (size && size.points > maxPoints) {
    // Too many points to check one by one: each axis value is still checked.
    if (isPlainObject(spec.sweep)) {
      const b = isPlainObject(base) ? base : {};
      for (const [key, values] of Object.entries(spec.sweep as Record<string, unknown[]>)) {
        values.forEach((v, i) => checkSweepValue(b, key, v, `sweep["${key}"][${i}]`, issues));
      }
    }
    if (issues.length) throw new SpecError(issues);
    return {
      ...(spec as unknown as ExperimentSpec),
      base: base as PartialConfig,
      sweep: [],
      claims,
      axes: size.axes,
      contrasts: [],
      oversized: { points: size.points, first: size.first, checkedUpTo: maxPoints },
    };
  }
  const points = validateSweep(spec.sweep, isPlainObject(base) ? base : {}, issues);
  const axes: string[] = [];
  for (const p of points) for (const k of Object.keys(p)) if (!axes.includes(k)) axes.push(k);
  // --- contrasts and report options (issue 17) ---
  // Checked against the swept axes, so only when the sweep itself is valid.
  const sweepOk = issues.length === beforeSweep;
  const contrasts = sweepOk ? validateContrasts(spec.contrasts, axes, points, issues) : [];
  if (sweepOk) validateReportOptions(spec.report, axes, issues);
  // --- end contrasts and report options ---
  if (issues.length) throw new SpecError(issues);
  return {
    ...(spec as unknown as ExperimentSpec),
    base: base as PartialConfig,
    sweep: points,
    claims,
    axes,
    contrasts,
  };
}

/**
 * The number of points of a well-formed sweep (the product of its axes'
 * lengths, or the length of its list), its axes and first point, without
 * expanding it; null when the sweep is absent or malformed (validation then
 * says what is wrong).
 */
function sweepSize(
  sweep: unknown,
): { points: number; axes: string[]; first: SweepPoint } | null {
  if (Array.isArray(sweep)) {
    if (!sweep.every(isPlainObject)) return null;
    const axes: string[] = [];
    for (const p of sweep) for (const k of Object.keys(p)) if (!axes.includes(k)) axes.push(k);
    return { points: sweep.length, axes, first: sweep[0] ?? {} };
  }
  if (!isPlainObject(sweep)) return null;
  const entries = Object.entries(sweep);
  if (!entries.every(([, v]) => Array.isArray(v) && v.length > 0)) return null;
  return {
    points: entries.reduce((n, [, v]) => n * (v as unknown[]).length, 1),
    axes: entries.map(([k]) => k),
    first: Object.fromEntries(entries.map(([k, v]) => [k, (v as unknown[])[0]])),
  };
}

/** `full`: its overrides must give a valid base, its seeds distinct non-negative integers. */
function validateFull(full: unknown, base: unknown, issues: Issue[]): void {
  if (!isPlainObject(full) || !isPlainObject(full.set)) {
    issues.push({
      path: "full",
      message: `got ${show(full)}, expected { set: { "dotted.path": value, ... }, seeds?: [...] }`,
    });
    return;
  }
  for (const key of Object.keys(full)) {
    if (key !== "set" && key !== "seeds") {
      issues.push({ path: `full.${key}`, message: "unknown field; accepted fields: set, seeds" });
    }
  }
  if (full.seeds !== undefined) {
    validateValue(
      full.seeds,
      { kind: "array", of: { kind: "int", min: 0, max: 2 ** 31 - 1 }, minLength: 1 },
      "full.seeds",
      issues,
    );
  }
  if (!isPlainObject(base)) return;
  const partial = structuredClone(base) as Record<string, unknown>;
  for (const [k, v] of Object.entries(full.set)) setPath(partial, k, v);
  resolveConfig(partial, "full.set", issues);
}

function validateSweep(
  sweep: unknown,
  base: Record<string, unknown>,
  issues: Issue[],
): SweepPoint[] {
  if (sweep === undefined) return [{}];
  const n0 = issues.length;
  let points: SweepPoint[];
  const where = new Map<SweepPoint, (key: string) => string>();
  if (Array.isArray(sweep)) {
    points = [];
    sweep.forEach((p, i) => {
      if (!isPlainObject(p)) {
        issues.push({
          path: `sweep[${i}]`,
          message: `got ${show(p)}, expected an object of dotted path -> value`,
        });
      } else {
        points.push(p);
        where.set(p, (key) => `sweep[${i}]["${key}"]`);
      }
    });
  } else if (isPlainObject(sweep)) {
    for (const [key, values] of Object.entries(sweep)) {
      if (!Array.isArray(values) || values.length === 0) {
        issues.push({
          path: `sweep["${key}"]`,
          message: `got ${show(values)}, expected a non-empty array of values`,
        });
      }
    }
    if (issues.length > n0) return [];
    // Check each value once, by axis and index, so errors name sweep["k"][2].
    for (const [key, values] of Object.entries(sweep as Record<string, unknown[]>)) {
      values.forEach((v, i) => checkSweepValue(base, key, v, `sweep["${key}"][${i}]`, issues));
    }
    if (issues.length > n0) return [];
    points = cartesian(sweep as Record<string, unknown[]>);
    return checkPoints(points, base, issues, () => (key) => `sweep["${key}"]`);
  } else {
    issues.push({
      path: "sweep",
      message: `got ${
        show(sweep)
      }, expected an object of dotted path -> values, or an array of points`,
    });
    return [];
  }
  return checkPoints(points, base, issues, (p) => where.get(p)!);
}

function checkSweepValue(
  base: Record<string, unknown>,
  key: string,
  value: unknown,
  label: string,
  issues: Issue[],
) {
  const withValue = structuredClone(base);
  setPath(withValue, key, value);
  const found = schemaAt(CONFIG_SCHEMA, key.split("."), withValue);
  if ("error" in found) {
    // One issue per unknown path, not one per value.
    const path = label.replace(/\[\d+\]$/, "");
    if (!issues.some((i) => i.path === path)) issues.push({ path, message: found.error });
    return;
  }
  const sub: Issue[] = [];
  validateValue(value, found.schema, label, sub);
  issues.push(
    ...sub.filter((s, i, a) =>
      a.findIndex((t) => t.path === s.path && t.message === s.message) === i
    ),
  );
}

function checkPoints(
  points: SweepPoint[],
  base: Record<string, unknown>,
  issues: Issue[],
  label: (p: SweepPoint) => (key: string) => string,
): SweepPoint[] {
  const seen = new Set<string>();
  for (const p of points) {
    const cfg = structuredClone(base);
    for (const [k, v] of Object.entries(p)) setPath(cfg, k, v);
    const pointIssues: Issue[] = [];
    for (const [k, v] of Object.entries(p)) {
      const found = schemaAt(CONFIG_SCHEMA, k.split("."), cfg);
      if ("error" in found) {
        pointIssues.push({ path: label(p)(k).replace(/\[\d+\]$/, ""), message: found.error });
      } else {
        validateValue(v, found.schema, label(p)(k), pointIssues);
      }
    }
    for (const msg of pointIssues) if (!issues.some((i) => i.path === msg.path)) issues.push(msg);
    const sub: Issue[] = [];
    // A point whose own values are bad is reported once, under its sweep path.
    if (pointIssues.length === 0) resolveConfig(cfg, "config", sub);
    for (const s of sub) {
      const msg = { path: s.path, message: `${s.message} (in the run with ${canonicalJson(p)})` };
      // A problem already reported in base (config.x is base.x) is not repeated.
      const inBase = "base" + s.path.slice("config".length);
      if (!issues.some((i) => i.path === msg.path || i.path === inBase)) issues.push(msg);
    }
    const key = canonicalJson(p);
    if (seen.has(key)) issues.push({ path: "sweep", message: `the point ${key} appears twice` });
    seen.add(key);
  }
  return points;
}

/** Typed identity for experiment files; validates eagerly. */
export function defineExperiment(spec: ExperimentSpec): ExperimentSpec {
  validateExperiment(spec);
  return spec;
}
