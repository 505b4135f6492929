/**
 * Run ids: a short hash of a resolved config with its default-valued fields
 * left out (so a field added later with a default never changes an
 * existing id), then the seed. The same experiment file always maps to the
 * same run directories, key order changes nothing, and adding a value to an
 * axis only adds runs.
 *
 * @module
 */
import { sha256 } from "../io/mod.ts";
import { CONFIG_SCHEMA, type ResolvedConfig, type RunConfig } from "./config.ts";
import { isPlainObject } from "./sweep_points.ts";
import { withoutDefaults } from "./schema.ts";

/** JSON with object keys sorted at every level: equal configs give equal text. */
export function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(",")}]`;
  if (isPlainObject(value)) {
    const keys = Object.keys(value).filter((k) => value[k] !== undefined).sort();
    return `{${keys.map((k) => `${JSON.stringify(k)}:${canonicalJson(value[k])}`).join(",")}}`;
  }
  return JSON.stringify(value);
}

/** Short hash of any JSON value, independent of key order. */
export function configHash(value: unknown): string {
  return sha256(canonicalJson(value)).slice(0, 10);
}

/**
 * A resolved config (without seed) with every field that holds its default
 * left out: what its id hashes.
 *
 * @param config The resolved config.
 * @returns The fields that differ from the defaults.
 */
export function minimalConfig(config: ResolvedConfig): Record<string, unknown> {
  return (withoutDefaults(config, CONFIG_SCHEMA) ?? {}) as Record<string, unknown>;
}

/**
 * The id shared by every seed of a resolved config.
 *
 * @param config The resolved config (a seed, if present, is ignored).
 * @returns 10 hex digits.
 */
export function configId(config: ResolvedConfig | RunConfig): string {
  const { seed: _seed, ...rest } = config as RunConfig;
  return configHash(minimalConfig(rest));
}

/** The run id of a resolved config (seed included), e.g. `83403be286-s0`. */
export function runId(config: RunConfig): string {
  return `${configId(config)}-s${config.seed}`;
}
