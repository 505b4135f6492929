/**
 * Checking files against `datasets/sources.json`: a file's size and sha256,
 * CIFAR-10's archive (size, md5, sha256), and extracting the batches of a
 * checked archive.
 *
 * @module
 */
import { md5, sha256 } from "../../io/mod.ts";
import { checkCifar10, readTar } from "../cifar10.ts";
import { DataError, gunzip } from "../idx.ts";
import type { ImageFileOrigin } from "../types.ts";
import type { ManifestDataset, ManifestFile } from "./registry.ts";
import { type Found, found } from "./search.ts";

/**
 * What is wrong with a file whose size or hash differs from the manifest's.
 *
 * @param path Where it was read.
 * @param file The manifest's file (its size and sha256).
 * @param bytes The content read.
 * @param hash The content's sha256.
 * @returns `<path>: wrong size: ...` or `<path>: sha256 mismatch: expected ..., got ...`.
 */
export function mismatch(
  path: string,
  file: ManifestFile,
  bytes: Uint8Array,
  hash: string,
): string {
  return bytes.length !== file.size
    ? `${path}: wrong size: expected ${file.size} bytes, got ${bytes.length}`
    : `${path}: sha256 mismatch: expected ${file.sha256}, got ${hash}`;
}

/**
 * Checks an archive's bytes against the manifest.
 *
 * @param ds The data set (with an archive).
 * @param where Where the bytes came from, for the message.
 * @param bytes The archive.
 * @returns The problem (size, md5 or sha256 naming expected and actual), or undefined.
 */
export function archiveProblem(
  ds: ManifestDataset,
  where: string,
  bytes: Uint8Array,
): string | undefined {
  const a = ds.archive!;
  if (bytes.length !== a.size) {
    return `${where}: wrong size: expected ${a.size} bytes, got ${bytes.length}`;
  }
  const m = md5(bytes);
  if (m !== a.md5) return `${where}: md5 mismatch: expected ${a.md5}, got ${m}`;
  const s = sha256(bytes);
  if (s !== a.sha256) return `${where}: sha256 mismatch: expected ${a.sha256}, got ${s}`;
  return undefined;
}

/**
 * Extracts the manifest's files from a checked archive, each format-checked.
 *
 * @param ds The data set.
 * @param bytes The archive (`.tar.gz`).
 * @param where Where it came from (a path or URL).
 * @param origin The kind of source.
 * @param via A description of the source.
 * @returns Upstream file name -> the file.
 * @throws {DataError} When a member is missing or malformed.
 */
export function extractArchive(
  ds: ManifestDataset,
  bytes: Uint8Array,
  where: string,
  origin: ImageFileOrigin,
  via: string,
): Map<string, Found> {
  const files = ds.files;
  const members = readTar(gunzip(bytes, where), where, new Set(files.map((f) => f.member!)));
  const out = new Map<string, Found>();
  for (const f of files) {
    const content = members.get(f.member!);
    if (!content) throw new DataError(where, `${where}: member ${f.member} is missing`);
    checkCifar10(content, `${where}:${f.member}`, { count: f.count });
    out.set(
      f.file,
      found(f, content, sha256(content), `${where}:${f.member}`, origin, via, "archive"),
    );
  }
  return out;
}
