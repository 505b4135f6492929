/**
 * The download cache, `<cache>/<name>/` (default `datasets/cache/`,
 * git-ignored): every entry is checked against the manifest's size and
 * sha256 before use and never trusted otherwise. A bad entry is reported
 * and skipped, and deleted when fetching. CIFAR-10's batches have no
 * published checksum: the cache records, in `checksums.json`, the sha256 of
 * the batches extracted from a checked archive.
 *
 * @module
 */
import { readFileSync, unlinkSync } from "node:fs";
import { dirname, join } from "node:path";
import { sha256, writeAtomic } from "../../io/mod.ts";
import { DataError } from "../idx.ts";
import { type Context, errorText, type Found, found, isFile, type Source } from "./search.ts";
import { mismatch } from "./verify.ts";

/** The cache's record of CIFAR-10's batch hashes, in `<cache>/cifar10/`. */
const CACHE_CHECKSUMS = "checksums.json";

/** A verified download that cannot be written to the cache: stops the fetch (no other URL helps). */
export class CacheWriteError extends DataError {}

/**
 * Writes a cache file atomically.
 *
 * @param ctx The search.
 * @param path The file.
 * @param data Its content.
 * @throws {CacheWriteError} When it cannot be written, naming the file.
 */
export function saveToCache(ctx: Context, path: string, data: Uint8Array | string): void {
  try {
    writeAtomic(path, data);
  } catch (e) {
    throw new CacheWriteError(
      path,
      `${ctx.name}: cannot write the cache file ${path}: ${
        errorText(e)
      } (pass --cache-dir DIR to use another cache)`,
    );
  }
}

/**
 * Fills the cache with the files extracted from a checked archive, and
 * records their sha256 with the archive's checksums in `checksums.json`.
 *
 * @param ctx The search (its data set has an archive).
 * @param url Where the archive was downloaded from.
 * @param members The extracted files.
 * @returns The cache directory written.
 * @throws {CacheWriteError} When a file cannot be written.
 */
export function saveArchiveToCache(ctx: Context, url: string, members: Map<string, Found>): string {
  const a = ctx.ds.archive!;
  const dir = join(ctx.cacheDir, ctx.name);
  for (const [name, f] of members) saveToCache(ctx, join(dir, name), f.bytes);
  const files = Object.fromEntries([...members].map(([n, f]) => [n, f.record.sha256]));
  saveToCache(
    ctx,
    join(dir, CACHE_CHECKSUMS),
    JSON.stringify(
      { archive: { file: a.file, md5: a.md5, sha256: a.sha256, url }, files },
      null,
      2,
    ) +
      "\n",
  );
  return dir;
}

function dropBad(ctx: Context, path: string, note: string): void {
  ctx.looked.add(`cache ${dirname(path)}`, note);
  if (ctx.repairCache) {
    try {
      unlinkSync(path);
    } catch {
      // already gone
    }
    ctx.warn(`${ctx.name}: bad cache entry ${note}: deleted`);
  } else {
    ctx.warn(
      `${ctx.name}: bad cache entry ${note}: ignored (\`deno task data ${ctx.name}\` replaces it)`,
    );
  }
}

/**
 * The cache as a source: a bad entry is reported, never trusted, and
 * deleted in fetch mode.
 *
 * @param ctx The search.
 * @returns The source.
 */
export function cacheSource(ctx: Context): Source {
  const dir = join(ctx.cacheDir, ctx.name);
  const place = `cache ${dir}`;
  let recorded: Record<string, string> | undefined | null = null;
  const checksums = (): Record<string, string> | undefined => {
    if (recorded !== null) return recorded;
    recorded = readCacheChecksums(ctx, dir);
    return recorded;
  };
  return {
    place,
    get(file) {
      const path = join(dir, file.file);
      if (!isFile(path)) {
        ctx.looked.add(place);
        return undefined;
      }
      const expected = file.sha256 ?? checksums()?.[file.file];
      if (!expected) {
        dropBad(ctx, path, `${path}: no recorded checksum (${join(dir, CACHE_CHECKSUMS)})`);
        return undefined;
      }
      const bytes = new Uint8Array(readFileSync(path));
      const hash = sha256(bytes);
      if (bytes.length !== file.size || hash !== expected) {
        dropBad(ctx, path, mismatch(path, { ...file, sha256: expected }, bytes, hash));
        return undefined;
      }
      return found(file, bytes, hash, path, "cache", "cache");
    },
  };
}

/**
 * The sha256 of CIFAR-10 batches recorded when the cache was filled from a
 * checked archive; undefined when absent or not made from the manifest's archive.
 */
function readCacheChecksums(ctx: Context, dir: string): Record<string, string> | undefined {
  const path = join(dir, CACHE_CHECKSUMS);
  if (!isFile(path)) return undefined;
  try {
    const rec = JSON.parse(readFileSync(path, "utf8")) as {
      archive?: { sha256?: string };
      files?: Record<string, string>;
    };
    if (rec.archive?.sha256 !== ctx.ds.archive?.sha256) {
      ctx.warn(
        `${ctx.name}: ${path} was not made from the archive in datasets/sources.json: ignored`,
      );
      return undefined;
    }
    return rec.files;
  } catch (e) {
    ctx.warn(`${ctx.name}: ${path}: ${errorText(e)}: ignored`);
    return undefined;
  }
}
