/**
 * The project root: where `deno.json`, `node_modules/` and `datasets/`
 * live. A module of its own so that light modules (data files, the data
 * command) can use it without loading tfjs.
 *
 * @module
 */
import { resolve } from "node:path";
import { fileURLToPath } from "node:url";

/** The project root (where deno.json and node_modules/ live). */
export const PROJECT_ROOT: string = resolve(fileURLToPath(new URL("../..", import.meta.url)));
