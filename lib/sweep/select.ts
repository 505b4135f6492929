/**
 * Selecting runs from the command line: `--only path=value` keeps the runs
 * whose resolved config has that value at that dotted path.
 *
 * @module
 */
import { canonicalJson, getPath, type RunPlan } from "../spec/mod.ts";

/** A `--only` filter that names no config path or matches nothing. */
export class SelectError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "SelectError";
  }
}

/** Parses `path=value` (the value as JSON when it parses, else a string). */
export function parseAssignment(flag: string, text: string): [string, unknown] {
  const eq = text.indexOf("=");
  if (eq <= 0) throw new SelectError(`--${flag}: got "${text}", expected path=value, e.g. k=5`);
  const raw = text.slice(eq + 1);
  try {
    return [text.slice(0, eq), JSON.parse(raw)];
  } catch {
    return [text.slice(0, eq), raw];
  }
}

/** Keeps the plans matching every `path=value` filter. */
export function selectPlans(plans: RunPlan[], filters: string[]): RunPlan[] {
  let out = plans;
  for (const f of filters) {
    const [path, value] = parseAssignment("only", f);
    const lookup = (p: RunPlan) => path === "seed" ? p.seed : getPath(p.config, path);
    if (plans.length && plans.every((p) => lookup(p) === undefined)) {
      throw new SelectError(`--only ${f}: no field "${path}" in the run config`);
    }
    const want = canonicalJson(value);
    const kept = out.filter((p) => canonicalJson(lookup(p)) === want);
    if (kept.length === 0) {
      const seen = [...new Set(plans.map((p) => canonicalJson(lookup(p))))].join(", ");
      throw new SelectError(`--only ${f}: no run has ${path}=${want}; the values are ${seen}`);
    }
    out = kept;
  }
  return out;
}
