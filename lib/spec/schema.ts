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

/** Words every field schema may carry, for the README's config table and chart labels. */
export interface Documented {
  /** What the field means, in a sentence or two (the README's config table). */
  doc?: string;
  /**
   * A short title for chart axes and legends, e.g. "learning rate"; on a
   * variant, the title of its key (e.g. `data.name`: "data set").
   */
  title?: string;
}

/** One variant of a `variant` schema: its fields (besides the key) and which are optional. */
export interface VariantSchema {
  fields: Readonly<Record<string, Schema>>;
  /** Fields that stay absent when not given (even with a default). */
  optional?: readonly string[];
  /** What the variant is. */
  doc?: string;
}

/** A field schema. */
export type Schema =
  | { kind: "number"; min?: number; max?: number; gt?: number; default?: number } & Documented
  | { kind: "int"; min?: number; max?: number; default?: number } & Documented
  | { kind: "bool"; default?: boolean } & Documented
  | { kind: "string"; pattern?: RegExp; hint?: string; default?: string } & Documented
  | { kind: "enum"; values: readonly string[]; default?: string } & Documented
  | { kind: "array"; of: Schema; minLength?: number; default?: readonly unknown[] } & Documented
  | {
    kind: "object";
    fields: Readonly<Record<string, Schema>>;
    /** Fields that stay absent when not given (even with a default). */
    optional?: readonly string[];
  } & Documented
  | {
    kind: "variant";
    /** The discriminating field, e.g. `name`. */
    key: string;
    variants: Readonly<Record<string, VariantSchema>>;
    default?: string;
  } & Documented;

type Simplify<T> = { [K in keyof T]: T[K] } & unknown;
type OptionalOf<S> = S extends { optional: readonly (infer O)[] } ? O : never;
type FieldsOf<F, O> = Simplify<
  & { -readonly [K in keyof F as K extends O ? never : K]: Infer<F[K]> }
  & { -readonly [K in keyof F as K extends O ? K : never]?: Infer<F[K]> }
>;

/**
 * The TypeScript type of a value that passed validation against schema `S`
 * (defaults filled in): fields with a default or required are present,
 * optional fields may be absent, a variant is a union tagged by its key.
 * Declare schemas `as const` so that enum values and variant names stay
 * literal types.
 */
export type Infer<S> = S extends { kind: "number" | "int" } ? number
  : S extends { kind: "bool" } ? boolean
  : S extends { kind: "string" } ? string
  : S extends { kind: "enum"; values: readonly (infer V)[] } ? V
  : S extends { kind: "array"; of: infer O } ? Infer<O>[]
  : S extends { kind: "object"; fields: infer F } ? FieldsOf<F, OptionalOf<S>>
  : S extends { kind: "variant"; key: infer K extends string; variants: infer V } ? {
      [N in keyof V & string]: Simplify<
        & { -readonly [P in K]: N }
        & FieldsOf<V[N] extends { fields: infer F } ? F : never, OptionalOf<V[N]>>
      >;
    }[keyof V & string]
  : never;

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
