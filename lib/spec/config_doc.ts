/**
 * The config schema as documentation: every field's dotted path with the
 * variants it belongs to, its accepted values, default and description,
 * rendered as the README's config table, and the titles charts use for
 * swept paths. Everything here is read from `CONFIG_SCHEMA`.
 *
 * @module
 */
import { CONFIG_SCHEMA } from "./config.ts";
import { describe, type Schema } from "./schema.ts";

/** One documented field. */
export interface FieldDoc {
  /** Dotted path, e.g. `optimizer.lr`. */
  path: string;
  /** The variants it belongs to, e.g. `optimizer.name = "sgd"`; "" when every config has it. */
  when: string;
  /** The accepted values, e.g. "a finite number > 0". */
  accepted: string;
  /** The default as JSON, "" when none. */
  defaultText: string;
  /** Whether the field may stay absent. */
  optional: boolean;
  /** Its description. */
  doc: string;
  /** Its short title, if any. */
  title?: string;
}

function defaultText(schema: Schema): string {
  if (schema.kind === "variant") {
    return schema.default === undefined ? "" : JSON.stringify(schema.default);
  }
  if (schema.kind === "object") return "";
  const d = (schema as { default?: unknown }).default;
  return d === undefined ? "" : JSON.stringify(d);
}

function walk(
  schema: Schema,
  path: string,
  when: string[],
  optional: boolean,
  out: FieldDoc[],
): void {
  if (schema.kind === "object") {
    if (path) {
      out.push({
        path,
        when: when.join("; "),
        accepted: "an object",
        defaultText: "",
        optional,
        doc: schema.doc ?? "",
      });
    }
    for (const [key, field] of Object.entries(schema.fields)) {
      const child = path ? `${path}.${key}` : key;
      walk(field, child, when, (schema.optional ?? []).includes(key), out);
    }
    return;
  }
  if (schema.kind === "variant") {
    const names = Object.keys(schema.variants);
    out.push({
      path: `${path}.${schema.key}`,
      when: when.join("; "),
      accepted: describe({ kind: "enum", values: names }),
      defaultText: defaultText(schema),
      optional,
      doc: `${schema.doc ?? ""}: ${
        names.map((n) => `${JSON.stringify(n)}, ${schema.variants[n].doc ?? ""}`).join("; ")
      }`,
      ...(schema.title ? { title: schema.title } : {}),
    });
    for (const name of names) {
      const v = schema.variants[name];
      for (const [key, field] of Object.entries(v.fields)) {
        const cond = [...when, `${path}.${schema.key} = ${JSON.stringify(name)}`];
        walk(field, `${path}.${key}`, cond, (v.optional ?? []).includes(key), out);
      }
    }
    return;
  }
  out.push({
    path,
    when: when.join("; "),
    accepted: describe(schema),
    defaultText: defaultText(schema),
    optional,
    doc: schema.doc ?? "",
    ...(schema.title ? { title: schema.title } : {}),
  });
}

/**
 * Every field of the config schema, in declaration order; a field that
 * several variants share with the same accepted values, default and
 * description is listed once, naming all of them.
 *
 * @returns The fields.
 */
export function configFields(): FieldDoc[] {
  const raw: FieldDoc[] = [];
  walk(CONFIG_SCHEMA, "", [], false, raw);
  const out: FieldDoc[] = [];
  for (const f of raw) {
    const same = out.find((o) =>
      o.path === f.path && o.accepted === f.accepted && o.defaultText === f.defaultText &&
      o.doc === f.doc && o.optional === f.optional
    );
    if (!same) out.push({ ...f });
    else if (f.when && same.when) {
      const [key] = same.when.split(" = ");
      const value = f.when.split(" = ")[1];
      if (f.when.startsWith(key + " = ")) same.when = `${same.when}, ${value}`;
    }
  }
  return out;
}

const TITLES = new Map<string, string>();
for (const f of configFields()) if (f.title && !TITLES.has(f.path)) TITLES.set(f.path, f.title);

/**
 * The short title of a config path, for chart axes and legends.
 *
 * @param path A dotted path, e.g. `optimizer.lr`.
 * @returns Its title, or undefined when the schema gives none.
 */
export function fieldTitle(path: string): string | undefined {
  return TITLES.get(path);
}

function cell(text: string): string {
  return text.replaceAll("|", "\\|");
}

/**
 * The README's config table, generated from the schema: one row per field
 * (path, which configs have it, accepted values, default, description).
 *
 * @returns Markdown lines (header, separator, rows).
 */
export function configTableMarkdown(): string[] {
  const rows = configFields().map((f) => {
    const def = f.defaultText ? `\`${f.defaultText}\`` : f.optional ? "absent" : "required";
    return `| \`${f.path}\` | ${cell(f.when ? `${f.when}` : "")} | ${cell(f.accepted)} | ${
      cell(def)
    } | ${cell(f.doc)} |`;
  });
  return [
    "| field | for | accepted | default | meaning |",
    "| --- | --- | --- | --- | --- |",
    ...rows,
  ];
}
