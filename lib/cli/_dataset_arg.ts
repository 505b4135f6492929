/**
 * The one positional argument of `deno task data` and `deno task features`:
 * an image data set's name.
 *
 * @module
 */
import { IMAGE_DATASETS, isImageDatasetName } from "../data/images/mod.ts";
import type { ImageDataName } from "../spec/config.ts";
import { UsageError } from "./common.ts";

/**
 * The data set named by the command line's only positional argument.
 *
 * @param positionals The positional arguments.
 * @param usage The command's usage text, shown when the name is missing.
 * @returns The name.
 * @throws UsageError when there is none, more than one, or an unknown one.
 */
export function datasetNameArg(positionals: readonly string[], usage: string): ImageDataName {
  if (positionals.length !== 1) {
    throw new UsageError(
      positionals.length === 0
        ? `missing data set name\n${usage}`
        : `expected one data set name, got ${positionals.length}: ${positionals.join(" ")}`,
    );
  }
  const name = positionals[0];
  if (!isImageDatasetName(name)) {
    throw new UsageError(
      `unknown data set "${name}": expected one of ${
        IMAGE_DATASETS.map((n) => `"${n}"`).join(", ")
      }`,
    );
  }
  return name;
}
