/**
 * Experiment files: `defineExperiment`, sweep helpers, validation of the
 * whole study with field-level errors, grid expansion and stable run ids.
 *
 * @module
 */
import { sha256 } from "../io/mod.ts";
import { type SlurmResources, validateSlurmResources } from "./slurm.ts";
import { type PartialConfig, resolveConfig, type RunConfig } from "./config.ts";
import { didYouMean, type Issue, schemaAt, show, validateValue } from "./schema.ts";
import { CONFIG_SCHEMA } from "./config.ts";

/** Claim ids a study may test (see PAPER.md). */
export const CLAIM_IDS = [
  "optimal-d",
  "global-optimum",
  "saturation",
  "d-overfits",
  "mode-collapse",
  "parzen-table",
  "convergence-1d",
] as const;

/** One point of a sweep: dotted path -> value. */
export type SweepPoint = Record<string, unknown>;

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
}

/** A validated experiment. */
export interface Experiment extends ExperimentSpec {
  sweep: SweepPoint[];
  claims: ClaimRef[];
  /** Dotted paths that vary across the sweep, in order of appearance. */
  axes: string[];
}

/** One planned run: resolved config, seed and id. */
export interface RunPlan {
  /** Stable id: hash of the resolved config, then the seed. */
  id: string;
  /** Hash of the resolved config without the seed (shared by its seeds). */
  configId: string;
  seed: number;
  /** Values of the swept paths for this run. */
  point: SweepPoint;
  config: RunConfig;
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

function isPlainObject(v: unknown): v is Record<string, unknown> {
  return typeof v === "object" && v !== null && !Array.isArray(v);
}

function clone<T>(v: T): T {
  return structuredClone(v);
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

/** JSON with object keys sorted at every level: equal configs give equal text. */
export function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(",")}]`;
  if (isPlainObject(value)) {
    const keys = Object.keys(value).filter((k) => value[k] !== undefined).sort();
    return `{${keys.map((k) => `${JSON.stringify(k)}:${canonicalJson(value[k])}`).join(",")}}`;
  }
  return JSON.stringify(value);
}

/** Short hash of a config, independent of key order. */
export function configHash(config: unknown): string {
  return sha256(canonicalJson(config)).slice(0, 10);
}

/** The run id of a resolved config (seed included). */
export function runId(config: RunConfig): string {
  const { seed, ...rest } = config;
  return `${configHash(rest)}-s${seed}`;
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
];

/**
 * Validates an experiment spec; throws {@link SpecError} listing every
 * problem (path, value, what is accepted).
 */
export function validateExperiment(spec: unknown): Experiment {
  const issues: Issue[] = [];
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
  const points = validateSweep(spec.sweep, isPlainObject(base) ? base : {}, issues);
  if (issues.length) throw new SpecError(issues);
  const axes: string[] = [];
  for (const p of points) for (const k of Object.keys(p)) if (!axes.includes(k)) axes.push(k);
  return {
    ...(spec as unknown as ExperimentSpec),
    base: base as PartialConfig,
    sweep: points,
    claims,
    axes,
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
  const partial = clone(base) as Record<string, unknown>;
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
  const withValue = clone(base);
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
    const cfg = clone(base);
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

/** Options for {@link expandRuns}. */
export interface ExpandOptions {
  /** Overrides `steps` in every run (smoke runs). */
  steps?: number;
  /** Uses seeds 0..n-1 of the experiment's list (or 0..n-1 if longer). */
  seeds?: number;
  /** Runs the experiment's full-length protocol (its `full` overrides and seeds). */
  full?: boolean;
}

/** Expands an experiment into its runs: every sweep point x every seed. */
export function expandRuns(exp: Experiment, options: ExpandOptions = {}): RunPlan[] {
  if (options.full && !exp.full) {
    throw new SpecError([{
      path: "full",
      message: `--full: experiment "${exp.name}" has no full protocol (no "full" field)`,
    }]);
  }
  const full = options.full ? exp.full : undefined;
  let seeds = full?.seeds ?? exp.seeds;
  if (options.seeds !== undefined) {
    seeds = options.seeds <= seeds.length
      ? seeds.slice(0, options.seeds)
      : Array.from({ length: options.seeds }, (_, i) => i);
  }
  const plans: RunPlan[] = [];
  for (const point of exp.sweep) {
    const partial = clone(exp.base) as Record<string, unknown>;
    for (const [k, v] of Object.entries(full?.set ?? {})) setPath(partial, k, v);
    for (const [k, v] of Object.entries(point)) setPath(partial, k, v);
    if (options.steps !== undefined) {
      partial.steps = options.steps;
      const every = (partial.evalEvery as number | undefined) ?? 100;
      if (every > options.steps) partial.evalEvery = Math.max(1, Math.floor(options.steps / 4));
    }
    const issues: Issue[] = [];
    const resolved = resolveConfig(partial, "config", issues);
    if (issues.length) throw new SpecError(issues);
    const configId = configHash(resolved);
    for (const seed of seeds) {
      const config: RunConfig = { ...clone(resolved), seed };
      plans.push({ id: `${configId}-s${seed}`, configId, seed, point, config });
    }
  }
  return plans;
}
