/**
 * Atomic file writes (temp file in the same directory, then rename) and
 * JSON files: a killed process never leaves a half-written file that a
 * later step trusts. A file-system fault (no space, read-only, permission)
 * is thrown as an `IoError` naming the operation and the target path, and
 * leaves no temp file behind.
 *
 * Fault injection for tests: `GAN_HARNESS_IO_FAULT=<CODE>:<path part>[:<n>]`
 * makes the n-th and every later write (default the first) of a path
 * containing `<path part>` fail with that code (e.g. `ENOSPC:metrics.csv:3`),
 * after its temp file was created, as a full disk does.
 *
 * @module
 */
import { mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from "node:fs";
import { basename, dirname, join } from "node:path";
import { IoError, toIoError } from "./errors.ts";

/** The environment variable of injected write faults (see the module doc). */
export const IO_FAULT_ENV = "GAN_HARNESS_IO_FAULT";

interface InjectedFault {
  code: string;
  part: string;
  from: number;
  seen: number;
}

function injectedFault(): InjectedFault | null {
  let spec: string | undefined;
  try {
    spec = Deno.env.get(IO_FAULT_ENV);
  } catch {
    return null;
  }
  const m = /^(E[A-Z]+):([^:]+)(?::(\d+))?$/.exec(spec?.trim() ?? "");
  return m ? { code: m[1], part: m[2], from: Number(m[3] ?? 1), seen: 0 } : null;
}

const fault = injectedFault();

/** Throws the injected fault for `path`, if one is due (see the module doc). */
function maybeInjectFault(path: string): void {
  if (!fault || !path.includes(fault.part)) return;
  if (++fault.seen < fault.from) return;
  throw new IoError("write", path, fault.code, `injected fault (${IO_FAULT_ENV})`);
}

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
  try {
    mkdirSync(dirname(path), { recursive: true });
  } catch (e) {
    throw toIoError(e, "create the directory") ?? e;
  }
  const tmp = `${path}.${Deno.pid}.${Math.random().toString(36).slice(2)}.tmp`;
  let step: "write" | "rename" = "write";
  try {
    writeFileSync(tmp, data);
    maybeInjectFault(path);
    step = "rename";
    renameSync(tmp, path);
  } catch (e) {
    try {
      rmSync(tmp, { force: true });
    } catch {
      // the original error says what went wrong
    }
    throw toIoError(e, step, step === "write" ? path : `${basename(tmp)} to ${path}`) ?? e;
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

/**
 * Writes JSON in place, not atomically: the last resort on a full disk,
 * where no temp file can be created but overwriting a small file (whose
 * blocks truncation frees) still fits. Used only to record that a fault cut
 * a run short; a torn write leaves a file that is not JSON, which readers
 * treat as damaged.
 *
 * @param path The file to overwrite.
 * @param value Any JSON-serialisable value.
 * @throws {IoError} When even that fails.
 */
export function overwriteJson(path: string, value: unknown): void {
  try {
    writeFileSync(path, JSON.stringify(value, null, 2) + "\n");
  } catch (e) {
    throw toIoError(e, "write", path) ?? e;
  }
}

/**
 * Writes JSON atomically, and where the disk has no room for a temp file,
 * in place ({@link overwriteJson}).
 *
 * @param path The file to write.
 * @param value Any JSON-serialisable value.
 * @throws {IoError} When neither works.
 */
export function writeJsonOnFullDisk(path: string, value: unknown): void {
  try {
    writeJson(path, value);
  } catch (e) {
    const io = toIoError(e);
    if (!io || !["ENOSPC", "EDQUOT"].includes(io.code)) throw e;
    overwriteJson(path, value);
  }
}

/** A JSON file as read: its value, absent, or why it could not be used. */
export type JsonFile<T> =
  | { state: "ok"; value: T }
  | { state: "absent" }
  | { state: "unreadable"; problem: string };

/**
 * Reads a JSON file, telling an absent file from one that cannot be used.
 *
 * @param path The file.
 * @returns `ok` with the value; `absent` when there is no such file;
 *   `unreadable` with the reason (not JSON, empty, a directory, no permission).
 */
export function readJsonFile<T>(path: string): JsonFile<T> {
  let text: string;
  try {
    text = readFileSync(path, "utf8");
  } catch (e) {
    if ((e as { code?: string }).code === "ENOENT") return { state: "absent" };
    const io = toIoError(e, "read", path);
    return { state: "unreadable", problem: io ? `${io.reason} (${io.code})` : String(e) };
  }
  if (text.trim() === "") return { state: "unreadable", problem: "empty file" };
  try {
    return { state: "ok", value: JSON.parse(text) as T };
  } catch (e) {
    return {
      state: "unreadable",
      problem: `not JSON (${e instanceof Error ? e.message.split("\n")[0] : String(e)})`,
    };
  }
}
