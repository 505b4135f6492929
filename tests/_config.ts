/** Test helper: run configs from partial ones, as an experiment's base resolves them. */
import assert from "node:assert/strict";
import { resolveConfig, type RunConfig } from "../lib/spec/config.ts";

/** The run config of `partial` (defaults filled in) with `seed`; fails the test on any problem. */
export function config(partial: Record<string, unknown>, seed = 0): RunConfig {
  const issues: { path: string; message: string }[] = [];
  const c = resolveConfig(partial, "test", issues);
  assert.deepEqual(issues, []);
  return { ...c, seed };
}
