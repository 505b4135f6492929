/**
 * A small declarative schema for plain JSON-like values: validation with
 * field-level error messages ("did you mean" for near-miss field names) and
 * defaults. Only what experiment configs need; no clever indirection.
 *
 * @module
 */

/** One validation problem: where, what was found, what is accepted. */
export interface Issue {
  /** Dotted path with bracketed indices, e.g. `base.arch.hidden[1]`. */
  path: string;
  /** Human-readable description of the problem. */
  message: string;
}

/** A field schema. */
export type Schema =
  | { kind: "number"; min?: number; max?: number; gt?: number; default?: number }
  | { kind: "int"; min?: number; max?: number; default?: number }
  | { kind: "bool"; default?: boolean }
  | { kind: "string"; pattern?: RegExp; hint?: string; default?: string }
  | { kind: "enum"; values: readonly string[]; default?: string }
  | { kind: "array"; of: Schema; minLength?: number; default?: unknown[] }
  | { kind: "object"; fields: Record<string, Schema>; optional?: string[] }
  | {
    kind: "variant";
    /** The discriminating field, e.g. `name`. */
    key: string;
    variants: Record<string, { fields: Record<string, Schema>; optional?: string[] }>;
    default?: string;
  };

/** Formats a value for an error message. */
export function show(value: unknown): string {
  if (typeof value === "string") return JSON.stringify(value);
  if (value === undefined) return "nothing";
  if (typeof value === "number" && !Number.isFinite(value)) return String(value);
  try {
    const s = JSON.stringify(value);
    return s.length > 80 ? s.slice(0, 77) + "..." : s;
  } catch {
    return String(value);
  }
}

/** Levenshtein distance between two short strings. */
export function editDistance(a: string, b: string): number {
  const prev = new Array(b.length + 1).fill(0).map((_, i) => i);
  for (let i = 1; i <= a.length; i++) {
    let diag = prev[0];
    prev[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const tmp = prev[j];
      prev[j] = Math.min(
        prev[j] + 1,
        prev[j - 1] + 1,
        diag + (a[i - 1].toLowerCase() === b[j - 1].toLowerCase() ? 0 : 1),
      );
      diag = tmp;
    }
  }
  return prev[b.length];
}

/** The closest candidate to `word` if it is a plausible typo, else null. */
export function didYouMean(word: string, candidates: readonly string[]): string | null {
  let best: string | null = null;
  let bestD = Infinity;
  for (const c of candidates) {
    const d = editDistance(word, c);
    if (d < bestD) [best, bestD] = [c, d];
  }
  const limit = Math.max(1, Math.floor(Math.max(word.length, 3) / 3));
  return bestD <= limit ? best : null;
}

function describe(schema: Schema): string {
  switch (schema.kind) {
    case "number": {
      const parts = [];
      if (schema.gt !== undefined) parts.push(`> ${schema.gt}`);
      if (schema.min !== undefined) parts.push(`>= ${schema.min}`);
      if (schema.max !== undefined) parts.push(`<= ${schema.max}`);
      return `a finite number${parts.length ? " " + parts.join(" and ") : ""}`;
    }
    case "int": {
      const parts = [];
      if (schema.min !== undefined) parts.push(`>= ${schema.min}`);
      if (schema.max !== undefined) parts.push(`<= ${schema.max}`);
      return `an integer${parts.length ? " " + parts.join(" and ") : ""}`;
    }
    case "bool":
      return "true or false";
    case "string":
      return schema.hint ?? "a string";
    case "enum":
      return `one of ${schema.values.map((v) => JSON.stringify(v)).join(", ")}`;
    case "array":
      return `an array${schema.minLength ? ` of at least ${schema.minLength} items` : ""} of ${
        describe(schema.of)
      }`;
    case "object":
      return "an object";
    case "variant":
      return `an object with ${schema.key}: one of ${
        Object.keys(schema.variants).map((v) => JSON.stringify(v)).join(", ")
      }`;
  }
}

function isPlainObject(v: unknown): v is Record<string, unknown> {
  return typeof v === "object" && v !== null && !Array.isArray(v);
}

function childPath(path: string, key: string | number): string {
  if (typeof key === "number") return `${path}[${key}]`;
  return path ? `${path}.${key}` : key;
}

function validateFields(
  value: Record<string, unknown>,
  fields: Record<string, Schema>,
  optional: string[],
  path: string,
  issues: Issue[],
): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  const names = Object.keys(fields);
  for (const key of Object.keys(value)) {
    if (!(key in fields)) {
      const guess = didYouMean(key, names);
      issues.push({
        path: childPath(path, key),
        message: `unknown field${guess ? `; did you mean "${guess}"?` : ""} Accepted fields: ${
          names.join(", ")
        }`,
      });
    }
  }
  for (const [key, schema] of Object.entries(fields)) {
    const v = value[key];
    if (v === undefined) {
      // An optional field stays absent (even an object whose fields have defaults).
      if (optional.includes(key)) continue;
      const def = defaultOf(schema);
      if (def !== undefined) out[key] = def;
      else if (!optional.includes(key)) {
        issues.push({
          path: childPath(path, key),
          message: `missing; expected ${describe(schema)}`,
        });
      }
      continue;
    }
    out[key] = validateValue(v, schema, childPath(path, key), issues);
  }
  return out;
}

function defaultOf(schema: Schema): unknown {
  if (schema.kind === "object") {
    // An object whose every field has a default (or is optional) defaults too.
    const issues: Issue[] = [];
    const v = validateFields({}, schema.fields, schema.optional ?? [], "", issues);
    return issues.length === 0 ? v : undefined;
  }
  if (schema.kind === "variant") {
    if (schema.default === undefined) return undefined;
    const issues: Issue[] = [];
    const v = validateValue({ [schema.key]: schema.default }, schema, "", issues);
    return issues.length === 0 ? v : undefined;
  }
  const d = (schema as { default?: unknown }).default;
  return Array.isArray(d) ? [...d] : d;
}

/**
 * Validates `value` against `schema`, appending problems to `issues`, and
 * returns the value with defaults filled in.
 */
export function validateValue(
  value: unknown,
  schema: Schema,
  path: string,
  issues: Issue[],
): unknown {
  const bad = () => {
    issues.push({
      path,
      message: `got ${show(value)}, expected ${describe(schema)}`,
    });
    return value;
  };
  switch (schema.kind) {
    case "number":
      if (typeof value !== "number" || !Number.isFinite(value)) return bad();
      if (schema.gt !== undefined && !(value > schema.gt)) return bad();
      if (schema.min !== undefined && value < schema.min) return bad();
      if (schema.max !== undefined && value > schema.max) return bad();
      return value;
    case "int":
      if (typeof value !== "number" || !Number.isInteger(value)) return bad();
      if (schema.min !== undefined && value < schema.min) return bad();
      if (schema.max !== undefined && value > schema.max) return bad();
      return value;
    case "bool":
      return typeof value === "boolean" ? value : bad();
    case "string":
      if (typeof value !== "string") return bad();
      if (schema.pattern && !schema.pattern.test(value)) return bad();
      return value;
    case "enum": {
      if (typeof value === "string" && schema.values.includes(value)) return value;
      const guess = typeof value === "string" ? didYouMean(value, schema.values) : null;
      issues.push({
        path,
        message: `got ${show(value)}, expected ${describe(schema)}${
          guess ? `; did you mean "${guess}"?` : ""
        }`,
      });
      return value;
    }
    case "array":
      if (!Array.isArray(value)) return bad();
      if (schema.minLength !== undefined && value.length < schema.minLength) return bad();
      return value.map((v, i) => validateValue(v, schema.of, childPath(path, i), issues));
    case "object":
      if (!isPlainObject(value)) return bad();
      return validateFields(value, schema.fields, schema.optional ?? [], path, issues);
    case "variant": {
      if (!isPlainObject(value)) return bad();
      // An object without the tag (e.g. `optimizer: { lr }`) takes the default variant.
      const tag = value[schema.key] === undefined ? schema.default : value[schema.key];
      const names = Object.keys(schema.variants);
      const variant = typeof tag === "string" ? schema.variants[tag] : undefined;
      if (!variant) {
        const guess = typeof tag === "string" ? didYouMean(tag, names) : null;
        issues.push({
          path: childPath(path, schema.key),
          message: `got ${show(tag)}, expected one of ${
            names.map((n) => JSON.stringify(n)).join(", ")
          }${guess ? `; did you mean "${guess}"?` : ""}`,
        });
        return value;
      }
      const fields = { [schema.key]: { kind: "enum", values: names } as Schema, ...variant.fields };
      const tagged = { ...value, [schema.key]: tag };
      return validateFields(tagged, fields, variant.optional ?? [], path, issues);
    }
  }
}

/**
 * The schema that governs a dotted path (`optimizer.lr`) inside `schema`,
 * given the current value (needed to pick a variant), or an issue message
 * if the path does not exist.
 */
export function schemaAt(
  schema: Schema,
  parts: string[],
  value: unknown,
): { schema: Schema } | { error: string } {
  let s = schema;
  let v = value;
  for (let i = 0; i < parts.length; i++) {
    const part = parts[i];
    let fields: Record<string, Schema>;
    if (s.kind === "object") fields = s.fields;
    else if (s.kind === "variant") {
      const given = isPlainObject(v) ? v[s.key] : undefined;
      const tag = given === undefined ? s.default : given;
      const variant = typeof tag === "string" ? s.variants[tag] : undefined;
      fields = variant
        ? { [s.key]: { kind: "enum", values: Object.keys(s.variants) }, ...variant.fields }
        : {};
    } else {
      return { error: `"${parts.slice(0, i).join(".")}" is ${describe(s)} and has no fields` };
    }
    if (!(part in fields)) {
      const prefix = parts.slice(0, i).join(".");
      const guess = didYouMean(part, Object.keys(fields));
      return {
        error: `no field "${part}"${prefix ? ` in "${prefix}"` : ""}${
          guess ? `; did you mean "${[...parts.slice(0, i), guess].join(".")}"?` : ""
        } Accepted: ${Object.keys(fields).join(", ")}`,
      };
    }
    s = fields[part];
    v = isPlainObject(v) ? v[part] : undefined;
  }
  return { schema: s };
}
