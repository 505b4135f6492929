/**
 * The state of one search for a data set's files, shared by every source:
 * the options (where to look), the places looked in with what was seen
 * there, and what a source returns (a checked file with its bytes).
 *
 * @module
 */
import { statSync } from "node:fs";
import { DataError } from "../idx.ts";
import type {
  ImageDatasetName,
  ImageFileCheck,
  ImageFileOrigin,
  ImageFileRecord,
} from "../types.ts";
import { DATA_DIR_ENV, DEFAULT_CACHE_DIR, defaultPackageDirs, processEnv } from "./locations.ts";
import { type ManifestDataset, type ManifestFile, manifestOf } from "./registry.ts";

/** Where to look for data. */
export interface ImageSourceOptions {
  /** A directory of upstream files (`--data-dir`); default: `GAN_HARNESS_DATA_DIR`. */
  dataDir?: string;
  /** The download cache; default `<project>/datasets/cache` (git-ignored). */
  cacheDir?: string;
  /** Environment variables (default: the process's). */
  env?: Record<string, string | undefined>;
  /**
   * Directories of installed packages holding the files (default: see
   * {@link defaultPackageDirs}); `[]` looks in none.
   */
  packageDirs?: string[];
  /** Called with each warning (a bad cache entry, a bad package file); default `console.warn`. */
  onWarning?(message: string): void;
  /**
   * The data set's entry to use instead of the one in `datasets/sources.json`
   * (tests; a private mirror with its own URLs).
   */
  manifest?: ManifestDataset;
}

/** A file found and checked, with its uncompressed bytes. */
export interface Found {
  /** The file, where it came from and how it was checked. */
  record: ImageFileRecord;
  /** Its uncompressed content. */
  bytes: Uint8Array;
}

/** One place files may come from. */
export interface Source {
  /** For messages: what and where, e.g. `cache /x/datasets/cache/mnist/`. */
  place: string;
  /** The checked file, or undefined when this source has none (a bad copy is noted or thrown). */
  get(file: ManifestFile): Found | undefined;
}

/** What the search saw, for the error when a file is missing. */
export class Looked {
  /** Place -> what was seen there (empty: nothing found). */
  readonly notes = new Map<string, string[]>();

  /** Records that `place` was looked in, with an optional note on what was seen. */
  add(place: string, note?: string): void {
    const list = this.notes.get(place) ?? [];
    if (note && !list.includes(note)) list.push(note);
    this.notes.set(place, list);
  }

  /** One line per place, for an error message. */
  lines(): string[] {
    return [...this.notes].map(([place, notes]) =>
      `  - ${place}: ${notes.length ? notes.join("; ") : "not found"}`
    );
  }
}

/** One search: the data set, where to look, and what was seen. */
export interface Context {
  /** The data set. */
  name: ImageDatasetName;
  /** Its manifest entry. */
  ds: ManifestDataset;
  /** The user's data directory and what named it (`--data-dir` or the variable). */
  dataDir?: { dir: string; via: string };
  /** The download cache. */
  cacheDir: string;
  /** Directories of installed packages. */
  packageDirs: string[];
  /** Reports a warning. */
  warn(message: string): void;
  /** Fetch mode: delete bad cache entries. */
  repairCache: boolean;
  /** The places looked in. */
  looked: Looked;
}

/**
 * Whether a path is a file (following links).
 *
 * @param path Any path.
 * @returns False when absent or not a file.
 */
export function isFile(path: string): boolean {
  try {
    return statSync(path).isFile();
  } catch {
    return false;
  }
}

function isDir(path: string): boolean {
  try {
    return statSync(path).isDirectory();
  } catch {
    return false;
  }
}

/**
 * An error's message with its cause's, for one-line reports.
 *
 * @param e Anything thrown.
 * @returns The text.
 */
export function errorText(e: unknown): string {
  if (!(e instanceof Error)) return String(e);
  const cause = e.cause instanceof Error ? e.cause.message : undefined;
  return cause && !e.message.includes(cause) ? `${e.message} (${cause})` : e.message;
}

/**
 * Starts a search for a data set's files.
 *
 * @param name The data set.
 * @param options Where to look.
 * @param repairCache True when fetching: bad cache entries are deleted.
 * @returns The search's context.
 * @throws {DataError} For an unknown data set, or a data directory that does not exist.
 */
export function searchContext(
  name: ImageDatasetName,
  options: ImageSourceOptions,
  repairCache: boolean,
): Context {
  const known = manifestOf(name);
  const ds = options.manifest ?? known;
  const env = options.env ?? processEnv();
  let dataDir: Context["dataDir"];
  if (options.dataDir !== undefined) dataDir = { dir: options.dataDir, via: "--data-dir" };
  else if (env[DATA_DIR_ENV]) dataDir = { dir: env[DATA_DIR_ENV]!, via: DATA_DIR_ENV };
  if (dataDir && !isDir(dataDir.dir)) {
    throw new DataError(
      dataDir.dir,
      `${name}: data directory ${dataDir.dir} (${dataDir.via}) does not exist or is not a directory`,
    );
  }
  return {
    name,
    ds,
    dataDir,
    cacheDir: options.cacheDir ?? DEFAULT_CACHE_DIR,
    packageDirs: options.packageDirs ?? defaultPackageDirs(name, env),
    warn: options.onWarning ?? ((m) => console.warn(`warning: ${m}`)),
    repairCache,
    looked: new Looked(),
  };
}

/**
 * A found file's record.
 *
 * @param file The manifest's file.
 * @param bytes Its uncompressed content.
 * @param hash The content's sha256.
 * @param source Where it was read: a path, `archive:member`, or a URL.
 * @param origin The kind of source.
 * @param via A description of the source.
 * @param checked How it was checked (default `sha256`).
 * @returns The file with its bytes.
 */
export function found(
  file: ManifestFile,
  bytes: Uint8Array,
  hash: string,
  source: string,
  origin: ImageFileOrigin,
  via: string,
  checked: ImageFileCheck = "sha256",
): Found {
  return {
    bytes,
    record: { file: file.file, sha256: hash, source, origin, via, size: bytes.length, checked },
  };
}
