/**
 * The types of the declarative schema of `schema.ts`: a field schema, the
 * problems validation reports, and {@link Infer}, the TypeScript type of a
 * value that passed validation against a schema declared `as const`.
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
