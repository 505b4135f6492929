/**
 * A small declarative schema for plain JSON-like values: validation with
 * field-level error messages ("did you mean" for near-miss field names) and
 * defaults. Only what experiment configs need; no clever indirection.
 *
 * @module
 */
import { didYouMean } from "./did_you_mean.ts";
import type { Issue, Schema } from "./schema_types.ts";

// The schema's types and "did you mean" live in their own modules; every
// importer of the schema keeps importing them from here.
export { didYouMean, editDistance } from "./did_you_mean.ts";
export type { Documented, Infer, Issue, Schema, VariantSchema } from "./schema_types.ts";

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

/** What a schema accepts, in words, e.g. "an integer >= 1". */
export function describe(schema: Schema): string {
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
  fields: Readonly<Record<string, Schema>>,
  optional: readonly string[],
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
    let fields: Readonly<Record<string, Schema>>;
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

function sameValue(a: unknown, b: unknown): boolean {
  return JSON.stringify(a) === JSON.stringify(b);
}

/**
 * A validated value with every field that equals its default left out, at
 * every level: a variant's key when it names the default variant, an
 * object (or variant) whose fields all took their defaults, a field equal
 * to its default. Fields without a default are kept, and so is an optional
 * field that is present (its presence means something; inside it, default
 * values are left out). Validating the result gives back `value`; two
 * values that resolve alike give the same result, and a field added to the
 * schema later with a default leaves it as it is.
 *
 * @param value A value that passed {@link validateValue} against `schema`.
 * @param schema Its schema.
 * @returns The value without its default-valued fields (undefined when the
 *   whole value is its default).
 */
export function withoutDefaults(value: unknown, schema: Schema): unknown {
  const def = defaultOf(schema);
  if (def !== undefined && sameValue(value, def)) return undefined;
  return insideWithoutDefaults(value, schema);
}

/** The fields of an object or variant value without their defaults; other values as they are. */
function insideWithoutDefaults(value: unknown, schema: Schema): unknown {
  if (schema.kind === "object" && isPlainObject(value)) {
    return fieldsWithoutDefaults(value, schema.fields, schema.optional ?? []);
  }
  if (schema.kind === "variant" && isPlainObject(value)) {
    const tag = value[schema.key];
    const variant = typeof tag === "string" ? schema.variants[tag] : undefined;
    if (!variant) return value;
    const { [schema.key]: _tag, ...rest } = value;
    const out = fieldsWithoutDefaults(rest, variant.fields, variant.optional ?? []);
    return tag === schema.default ? out : { [schema.key]: tag, ...out };
  }
  return value;
}

function fieldsWithoutDefaults(
  value: Record<string, unknown>,
  fields: Readonly<Record<string, Schema>>,
  optional: readonly string[],
): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [key, v] of Object.entries(value)) {
    const field = fields[key];
    if (v === undefined) continue;
    if (!field) out[key] = v;
    else if (optional.includes(key)) out[key] = insideWithoutDefaults(v, field);
    else {
      const kept = withoutDefaults(v, field);
      if (kept !== undefined) out[key] = kept;
    }
  }
  return out;
}
