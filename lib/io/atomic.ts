/**
 * Atomic file writes (temp file in the same directory, then rename) and
 * JSON files: a killed process never leaves a half-written file that a
 * later step trusts.
 *
 * @module
 */
import { mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";

/**
 * Writes a file atomically: the data goes to a temp file in the same
 * directory, which is then renamed over `path`. Creates missing parent
 * directories. When the write or the rename fails, the temp file is removed
 * and the error is thrown; `path` keeps its old content.
 *
 * @param path The file to write.
 * @param data Its new content.
 */
export function writeAtomic(path: string, data: string | Uint8Array): void {
  mkdirSync(dirname(path), { recursive: true });
  const tmp = `${path}.${Deno.pid}.${Math.random().toString(36).slice(2)}.tmp`;
  try {
    writeFileSync(tmp, data);
    renameSync(tmp, path);
  } catch (e) {
    try {
      rmSync(tmp, { force: true });
    } catch {
      // the original error says what went wrong
    }
    throw e;
  }
}

/** Writes files atomically under one folder and lists their paths in the order written. */
export class FolderWriter {
  /** The paths written so far, in order. */
  readonly files: string[] = [];

  /** @param dir The folder (created with its first file when missing). */
  constructor(readonly dir: string) {}

  /**
   * Writes one file atomically (see {@link writeAtomic}).
   *
   * @param name Its path relative to the folder, e.g. `charts/a.svg`.
   * @param data Its content.
   */
  write(name: string, data: string | Uint8Array): void {
    const path = join(this.dir, name);
    writeAtomic(path, data);
    this.files.push(path);
  }
}

/**
 * Writes JSON atomically: pretty-printed (two spaces), trailing newline.
 *
 * @param path The file to write.
 * @param value Any JSON-serialisable value.
 */
export function writeJson(path: string, value: unknown): void {
  writeAtomic(path, JSON.stringify(value, null, 2) + "\n");
}

/**
 * Reads a JSON file.
 *
 * @param path The file.
 * @returns The parsed value, or null when the file is absent, unreadable or not JSON.
 */
export function readJson<T>(path: string): T | null {
  try {
    return JSON.parse(readFileSync(path, "utf8")) as T;
  } catch {
    return null;
  }
}
