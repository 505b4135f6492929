/**
 * Where a study's runs and report live: `runs/<name>/` and
 * `reports/<name>/` under the output root (`--out DIR`, default the current
 * directory).
 *
 * @module
 */
import { join, relative, resolve } from "node:path";

/** The two output trees of one experiment. */
export interface OutputPaths {
  root: string;
  runs: string;
  reports: string;
  /** Settings of the last sweep (steps, seeds) so the report finds its runs. */
  sweepFile: string;
}

/** Output paths of experiment `name` under `outRoot`. */
export function outputPaths(name: string, outRoot = "."): OutputPaths {
  const root = resolve(outRoot);
  const runs = join(root, "runs", name);
  return {
    root,
    runs,
    reports: join(root, "reports", name),
    sweepFile: join(runs, "sweep.json"),
  };
}

/** A path for messages: relative to the working directory when inside it. */
export function displayPath(path: string): string {
  const rel = relative(".", path);
  return rel === "" ? "." : rel.startsWith("..") ? path : rel;
}
