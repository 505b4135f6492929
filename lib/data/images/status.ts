/**
 * Whether a data set is available now: every file found and verified,
 * without network access and without decoding the images.
 *
 * @module
 */
import { DataError } from "../idx.ts";
import type { ImageDatasetName, ImageFileRecord } from "../types.ts";
import { type ImageSourceOptions, searchContext } from "./search.ts";
import { resolveAll } from "./sources.ts";

/**
 * Finds and checks every file of a data set without network access and
 * without decoding the images.
 *
 * @param name The data set.
 * @param options Where to look.
 * @returns The files and where each came from.
 * @throws {DataError} When a file is missing (naming every place looked in) or a
 *   user-given file fails its checksum.
 */
export function locateImageData(
  name: ImageDatasetName,
  options: ImageSourceOptions = {},
): { name: ImageDatasetName; files: ImageFileRecord[] } {
  const ctx = searchContext(name, options, false);
  const resolved = resolveAll(ctx);
  return { name, files: [...resolved.values()].map((f) => f.record) };
}

/**
 * Whether a data set can be loaded now (every file present and verified),
 * without network access.
 *
 * @param name The data set.
 * @param options Where to look.
 * @returns The files when available, otherwise the reason.
 */
export function imageDataStatus(
  name: ImageDatasetName,
  options: ImageSourceOptions = {},
): { available: true; files: ImageFileRecord[] } | { available: false; problem: string } {
  try {
    return { available: true, files: locateImageData(name, options).files };
  } catch (e) {
    if (e instanceof DataError) return { available: false, problem: e.message };
    throw e;
  }
}
