/**
 * Fetching a data set: every file from the user's directory, the cache or an
 * installed package when a verified copy is there, otherwise downloaded from
 * the locations in `datasets/sources.json` (every mirror in turn), verified,
 * and saved to the cache. Nothing unverified is ever cached.
 *
 * @module
 */
import { join } from "node:path";
import { sha256 } from "../../io/mod.ts";
import { gunzip } from "../idx.ts";
import type { ImageDatasetName, ImageFileRecord } from "../types.ts";
import { CacheWriteError, saveArchiveToCache, saveToCache } from "./cache.ts";
import type { ManifestFile } from "./registry.ts";
import {
  type Context,
  errorText,
  type Found,
  found,
  type ImageSourceOptions,
  searchContext,
} from "./search.ts";
import { missingError, missingFiles, resolve } from "./sources.ts";
import { archiveProblem, extractArchive, mismatch } from "./verify.ts";

/** Options of {@link fetchImageData}. */
export interface FetchImageOptions extends ImageSourceOptions {
  /** Called with progress messages. */
  onProgress?(message: string): void;
  /** The fetch function for downloads (default: the global `fetch`). */
  fetch?: typeof fetch;
}

/** What {@link fetchImageData} resolved. */
export interface FetchImageResult {
  /** The data set. */
  name: ImageDatasetName;
  /** Every file, where it came from, its size and hash. */
  files: ImageFileRecord[];
}

async function download(
  url: string,
  fetchFn: typeof fetch,
  progress: (m: string) => void,
): Promise<Uint8Array> {
  const res = await fetchFn(url);
  if (!res.ok) {
    await res.body?.cancel();
    throw new Error(`HTTP ${res.status}${res.statusText ? ` ${res.statusText}` : ""}`);
  }
  const total = Number(res.headers.get("content-length")) || 0;
  if (!res.body) return new Uint8Array(await res.arrayBuffer());
  const chunks: Uint8Array[] = [];
  let received = 0;
  let nextReport = 0.25;
  for await (const chunk of res.body) {
    chunks.push(chunk);
    received += chunk.length;
    if (total > 4_000_000 && received / total >= nextReport) {
      progress(`  ${Math.floor((100 * received) / total)}% of ${(total / 1e6).toFixed(1)} MB`);
      nextReport += 0.25;
    }
  }
  const out = new Uint8Array(received);
  let offset = 0;
  for (const chunk of chunks) {
    out.set(chunk, offset);
    offset += chunk.length;
  }
  return out;
}

/** Downloads one IDX file from its URLs in turn; returns it checked, or the failure of every URL. */
async function downloadIdx(
  ctx: Context,
  file: ManifestFile,
  fetchFn: typeof fetch,
  progress: (m: string) => void,
): Promise<Found | string[]> {
  const failures: string[] = [];
  for (const url of file.urls ?? []) {
    progress(`${ctx.name}: downloading ${url}`);
    try {
      const raw = await download(url, fetchFn, progress);
      const bytes = url.endsWith(".gz") || (raw[0] === 0x1f && raw[1] === 0x8b)
        ? gunzip(raw, url)
        : raw;
      const hash = sha256(bytes);
      if (bytes.length !== file.size || hash !== file.sha256) {
        const note = mismatch(url, file, bytes, hash);
        failures.push(note);
        progress(`${ctx.name}: ${note}`);
        continue;
      }
      const path = join(ctx.cacheDir, ctx.name, file.file);
      saveToCache(ctx, path, bytes);
      progress(`${ctx.name}: ${file.file}: sha256 ok, saved to ${path}`);
      return found(file, bytes, hash, url, "download", "download");
    } catch (e) {
      if (e instanceof CacheWriteError) throw e;
      failures.push(`${url}: ${errorText(e)}`);
      progress(`${ctx.name}: ${url}: ${errorText(e)}`);
    }
  }
  return failures;
}

/** Downloads CIFAR-10's archive, checks it and fills the cache with its batches. */
async function downloadArchive(
  ctx: Context,
  fetchFn: typeof fetch,
  progress: (m: string) => void,
): Promise<Map<string, Found> | string[]> {
  const a = ctx.ds.archive!;
  const failures: string[] = [];
  for (const url of a.urls) {
    progress(`${ctx.name}: downloading ${url} (${(a.size / 1e6).toFixed(0)} MB)`);
    try {
      const bytes = await download(url, fetchFn, progress);
      const problem = archiveProblem(ctx.ds, url, bytes);
      if (problem) {
        failures.push(problem);
        progress(`${ctx.name}: ${problem}`);
        continue;
      }
      progress(`${ctx.name}: ${a.file}: size, md5 and sha256 ok; extracting`);
      const members = extractArchive(ctx.ds, bytes, url, "download", "download");
      const dir = saveArchiveToCache(ctx, url, members);
      progress(`${ctx.name}: saved ${members.size} files to ${dir}`);
      return members;
    } catch (e) {
      if (e instanceof CacheWriteError) throw e;
      failures.push(`${url}: ${errorText(e)}`);
      progress(`${ctx.name}: ${url}: ${errorText(e)}`);
    }
  }
  return failures;
}

/**
 * Resolves every file of a data set: from the user's directory, the cache or
 * an installed package when a verified copy is there, otherwise downloads it
 * into the cache and verifies it (every mirror in turn). Bad cache entries
 * are deleted and replaced.
 *
 * @param name The data set.
 * @param options Where to look, progress output and the fetch function.
 * @returns Every file, where it came from, its size and hash.
 * @throws {DataError} When a user-given file fails its checksum, or a file
 *   cannot be had from any source (naming each URL and why it failed).
 */
export async function fetchImageData(
  name: ImageDatasetName,
  options: FetchImageOptions = {},
): Promise<FetchImageResult> {
  const ctx = searchContext(name, options, true);
  const progress = options.onProgress ?? (() => {});
  const fetchFn = options.fetch ?? globalThis.fetch;
  const resolved = resolve(ctx);
  let missing = missingFiles(resolved);
  const failures: string[] = [];
  if (missing.length && ctx.ds.format === "idx") {
    for (const file of ctx.ds.files.filter((f) => missing.includes(f.file))) {
      const got = await downloadIdx(ctx, file, fetchFn, progress);
      if (Array.isArray(got)) failures.push(...got);
      else resolved.set(file.file, got);
    }
  } else if (missing.length) {
    const got = await downloadArchive(ctx, fetchFn, progress);
    if (Array.isArray(got)) failures.push(...got);
    else for (const [file, f] of got) if (!resolved.get(file)) resolved.set(file, f);
  }
  missing = missingFiles(resolved);
  if (missing.length) throw missingError(ctx, missing, failures);
  return { name, files: ctx.ds.files.map((f) => resolved.get(f.file)!.record) };
}
