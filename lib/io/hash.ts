/**
 * Content hashes: sha256 (data sets, the lock file, config ids) and md5
 * (published archive checksums), as lowercase hex.
 *
 * @module
 */
import { createHash } from "node:crypto";
import { readFileSync } from "node:fs";

/**
 * The sha256 of bytes or of text (UTF-8).
 *
 * @param data The bytes or text.
 * @returns 64 lowercase hex digits.
 */
export function sha256(data: string | Uint8Array): string {
  return createHash("sha256").update(data).digest("hex");
}

/**
 * The sha256 of a file's content.
 *
 * @param path The file.
 * @returns 64 lowercase hex digits.
 * @throws When the file cannot be read.
 */
export function sha256File(path: string): string {
  return sha256(readFileSync(path));
}

/**
 * The md5 of bytes (only to compare with published md5 checksums).
 *
 * @param data The bytes.
 * @returns 32 lowercase hex digits.
 */
export function md5(data: Uint8Array): string {
  return createHash("md5").update(data).digest("hex");
}
