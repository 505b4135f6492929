/**
 * Loading an experiment file: import it, take its default export, validate.
 * Every failure is a {@link SpecError} that names the file.
 *
 * @module
 */
import { existsSync, statSync } from "node:fs";
import { resolve } from "node:path";
import { pathToFileURL } from "node:url";
import { type Experiment, SpecError, validateExperiment } from "./experiment.ts";

/** Imports and validates `experiments/<x>.ts`; throws {@link SpecError}. */
export async function loadExperiment(file: string): Promise<Experiment> {
  const path = resolve(file);
  if (!existsSync(path) || !statSync(path).isFile()) {
    throw new SpecError([{
      path: "(file)",
      message: `no such experiment file; expected a path like experiments/k-steps.ts`,
    }], file);
  }
  let mod: Record<string, unknown>;
  try {
    mod = await import(pathToFileURL(path).href);
  } catch (e) {
    if (e instanceof SpecError) throw e.withFile(file);
    const msg = e instanceof Error ? e.message.split("\n")[0] : String(e);
    throw new SpecError([{ path: "(file)", message: `could not be loaded: ${msg}` }], file);
  }
  if (mod.default === undefined) {
    throw new SpecError([{
      path: "(default export)",
      message: "missing; expected `export default defineExperiment({...})`",
    }], file);
  }
  try {
    return validateExperiment(mod.default);
  } catch (e) {
    if (e instanceof SpecError) throw e.withFile(file);
    throw e;
  }
}
