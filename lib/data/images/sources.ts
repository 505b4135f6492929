/**
 * The sources of a data set's files, tried in order for every file: the
 * user's data directory (a bad copy there is an error), the cache, and
 * installed packages (a bad copy there is reported and skipped); for
 * CIFAR-10 the user's archive or extracted batches, then the cache.
 * Resolving a data set takes each file from the first source with a good
 * copy; a missing file is an error naming every place looked in.
 *
 * @module
 */
import { join } from "node:path";
import { readFileSync } from "node:fs";
import { sha256 } from "../../io/mod.ts";
import { checkCifar10 } from "../cifar10.ts";
import { DataError, readMaybeGzip } from "../idx.ts";
import { cacheSource } from "./cache.ts";
import { DATA_DIR_ENV, packageLabel, userDirs } from "./locations.ts";
import { knownFile, type ManifestFile } from "./registry.ts";
import { type Context, errorText, type Found, found, isFile, type Source } from "./search.ts";
import { archiveProblem, extractArchive, mismatch } from "./verify.ts";

/** The copies of a file in a directory: its upstream name, then with `.gz`. */
function copiesIn(dir: string, file: ManifestFile): string[] {
  return [join(dir, file.file), join(dir, `${file.file}.gz`)].filter(isFile);
}

/** How a user's data directory is named in messages: the folder and how it was given. */
function userPlace(ctx: Context, dir: string): string {
  return `data dir ${dir} (${ctx.dataDir!.via})`;
}

/**
 * A source over the copies of each file in a user's data directory: `take`
 * judges each copy in turn and returns the file, or undefined to try the
 * next copy; it throws for a bad copy (a user's copy must be right).
 */
function userDirSource(
  ctx: Context,
  dir: string,
  take: (path: string, bytes: Uint8Array, file: ManifestFile, place: string) => Found | undefined,
): Source {
  const place = userPlace(ctx, dir);
  return {
    place,
    get(file) {
      for (const path of copiesIn(dir, file)) {
        const got = take(path, readMaybeGzip(path), file, place);
        if (got) return got;
      }
      ctx.looked.add(place);
      return undefined;
    },
  };
}

/** IDX files (plain or .gz) in a user's data directory: a bad copy is an error. */
function userIdxSource(ctx: Context, dir: string): Source {
  return userDirSource(ctx, dir, (path, bytes, file, place) => {
    const hash = sha256(bytes);
    if (bytes.length === file.size && hash === file.sha256) {
      return found(file, bytes, hash, path, "data-dir", `data dir (${ctx.dataDir!.via})`);
    }
    const other = knownFile(hash);
    if (other && other !== `${ctx.name}/${file.file}`) {
      ctx.looked.add(place, `${path} is ${other}, skipped`);
      return undefined;
    }
    throw new DataError(path, `${ctx.name}: ${mismatch(path, file, bytes, hash)}`);
  });
}

/** IDX files in an installed package: a bad copy is reported and skipped. */
function packageIdxSource(ctx: Context, dir: string): Source {
  const via = packageLabel(ctx.name);
  const place = `${via} ${dir}`;
  return {
    place,
    get(file) {
      for (const path of copiesIn(dir, file)) {
        let bytes: Uint8Array;
        try {
          bytes = readMaybeGzip(path);
        } catch (e) {
          ctx.looked.add(place, errorText(e));
          ctx.warn(`${ctx.name}: ${errorText(e)}: skipped`);
          continue;
        }
        const hash = sha256(bytes);
        if (bytes.length === file.size && hash === file.sha256) {
          return found(file, bytes, hash, path, "package", via);
        }
        const note = mismatch(path, file, bytes, hash);
        ctx.looked.add(place, note);
        ctx.warn(`${ctx.name}: ${note}: skipped`);
      }
      ctx.looked.add(place);
      return undefined;
    },
  };
}

/** CIFAR-10's archive in a user's data directory: a bad archive is an error. */
function userArchiveSource(ctx: Context, dir: string): Source {
  const path = join(dir, ctx.ds.archive!.file);
  const place = userPlace(ctx, dir);
  let members: Map<string, Found> | undefined;
  return {
    place,
    get(file) {
      if (!members) {
        if (!isFile(path)) {
          ctx.looked.add(place);
          return undefined;
        }
        const bytes = new Uint8Array(readFileSync(path));
        const problem = archiveProblem(ctx.ds, path, bytes);
        if (problem) throw new DataError(path, `${ctx.name}: ${problem}`);
        members = extractArchive(ctx.ds, bytes, path, "data-dir", `data dir (${ctx.dataDir!.via})`);
      }
      return members.get(file.file);
    },
  };
}

/** Extracted CIFAR-10 batches in a user's data directory: format-checked (no published hash). */
function userBatchSource(ctx: Context, dir: string): Source {
  return userDirSource(ctx, dir, (path, bytes, file) => {
    checkCifar10(bytes, path, { count: file.count });
    const via = `data dir (${ctx.dataDir!.via}), format-checked only`;
    return found(file, bytes, sha256(bytes), path, "data-dir", via, "format");
  });
}

function sources(ctx: Context): Source[] {
  const list: Source[] = [];
  const dirs = ctx.dataDir ? userDirs(ctx.name, ctx.dataDir.dir) : [];
  if (ctx.ds.format === "idx") {
    for (const dir of dirs) list.push(userIdxSource(ctx, dir));
    list.push(cacheSource(ctx));
    for (const dir of ctx.packageDirs) list.push(packageIdxSource(ctx, dir));
  } else {
    const bases = ctx.dataDir ? [join(ctx.dataDir.dir, ctx.name), ctx.dataDir.dir] : [];
    for (const dir of bases) list.push(userArchiveSource(ctx, dir));
    for (const dir of dirs) list.push(userBatchSource(ctx, dir));
    list.push(cacheSource(ctx));
  }
  return list;
}

/**
 * Resolves every file from the first source that has a good copy.
 *
 * @param ctx The search.
 * @returns Upstream file name -> the file, undefined where no source has a good copy.
 * @throws {DataError} When a user-given file fails its checks.
 */
export function resolve(ctx: Context): Map<string, Found | undefined> {
  const list = sources(ctx);
  const out = new Map<string, Found | undefined>();
  for (const file of ctx.ds.files) {
    let hit: Found | undefined;
    for (const source of list) {
      hit = source.get(file);
      if (hit) break;
    }
    out.set(file.file, hit);
  }
  return out;
}

/**
 * Resolves every file; a missing one is an error.
 *
 * @param ctx The search.
 * @returns Upstream file name -> the file.
 * @throws {DataError} When a file is missing (see {@link missingError}) or a
 *   user-given file fails its checks.
 */
export function resolveAll(ctx: Context): Map<string, Found> {
  const resolved = resolve(ctx);
  const missing = missingFiles(resolved);
  if (missing.length) throw missingError(ctx, missing);
  return resolved as Map<string, Found>;
}

/**
 * The files no source had.
 *
 * @param resolved What {@link resolve} returned.
 * @returns Their upstream names.
 */
export function missingFiles(resolved: Map<string, Found | undefined>): string[] {
  return [...resolved].filter(([, f]) => !f).map(([n]) => n);
}

/**
 * The error for files that no source had: every place looked in and what
 * was seen there, then either the failed downloads or how to get the files.
 *
 * @param ctx The search.
 * @param missing The missing files' names.
 * @param failures The failed downloads, when fetching.
 * @returns The error.
 */
export function missingError(ctx: Context, missing: string[], failures?: string[]): DataError {
  const lines = [
    `${ctx.name}: no verified copy of ${
      missing.join(", ")
    } (${missing.length} of ${ctx.ds.files.length} files). Looked in:`,
    ...(ctx.dataDir ? [] : [`  - data dir: none given (--data-dir DIR or ${DATA_DIR_ENV})`]),
    ...ctx.looked.lines(),
    ...(failures
      ? [
        "Downloads failed:",
        ...failures.map((f) => `  - ${f}`),
        `Check the network, or get the upstream files (${
          ctx.ds.archive ? ctx.ds.archive.file : "see datasets/sources.json"
        }) yourself and pass --data-dir DIR (or set ${DATA_DIR_ENV}).`,
      ]
      : [
        `Run \`deno task data ${ctx.name}\` to download and verify it, or pass --data-dir DIR (or set ${DATA_DIR_ENV}) to a directory holding the upstream files.`,
      ]),
  ];
  return new DataError(ctx.name, lines.join("\n"));
}
