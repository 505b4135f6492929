/**
 * File-system faults as one kind of error: {@link IoError} names the
 * operation, the path and the reason in one line ("cannot write
 * runs/x/metrics.csv: no space left on device (ENOSPC)"), whatever raised
 * it (node:fs's errors with a `code`, Deno's `Deno.errors.*`, Deno's
 * refusal of a path under the task's permissions). Commands print that
 * line instead of a stack trace.
 *
 * @module
 */

/** What was being done to the path, in words: "write", "read", "create the directory", ... */
export type IoOperation =
  | "write"
  | "read"
  | "create the directory"
  | "rename"
  | "remove"
  | "open"
  | "list"
  | "lock";

/** A file-system fault: the operation, the path, and why. */
export class IoError extends Error {
  /** The operation that failed. */
  readonly op: IoOperation;
  /** The path it failed on. */
  readonly path: string;
  /** The system's error code (`ENOSPC`, `EROFS`, ...), or Deno's error name (`NotCapable`). */
  readonly code: string;
  /** The reason in words, e.g. "no space left on device". */
  readonly reason: string;

  constructor(op: IoOperation, path: string, code: string, reason: string, cause?: unknown) {
    super(`cannot ${op} ${path}: ${reason}${code ? ` (${code})` : ""}`, { cause });
    this.name = "IoError";
    this.op = op;
    this.path = path;
    this.code = code;
    this.reason = reason;
  }
}

/** Reasons for the codes a user meets, in words. */
const REASONS: Record<string, string> = {
  ENOSPC: "no space left on device",
  EDQUOT: "disk quota exceeded",
  EROFS: "read-only file system",
  EACCES: "permission denied",
  EPERM: "operation not permitted",
  ENOTDIR: "a part of the path is not a directory",
  EISDIR: "it is a directory",
  ENOENT: "no such file or directory",
  EEXIST: "it already exists",
  ENOTEMPTY: "the directory is not empty",
  EMFILE: "too many open files",
  ENFILE: "too many open files in the system",
  EIO: "input/output error",
  ENAMETOOLONG: "the name is too long",
  ELOOP: "too many symbolic links",
  EBUSY: "the resource is busy",
  EXDEV: "not on the same file system",
  NotCapable: "not allowed under this command's Deno permissions (Deno refuses special " +
    "paths such as /proc and /dev without --allow-all)",
  PermissionDenied: "permission denied",
  NotADirectory: "a part of the path is not a directory",
  IsADirectory: "it is a directory",
  NotFound: "no such file or directory",
  AlreadyExists: "it already exists",
  ReadOnly: "read-only file system",
};

/** Deno's error classes for file-system faults, by name. */
const DENO_CODES: Record<string, string> = {
  NotCapable: "NotCapable",
  PermissionDenied: "EACCES",
  NotADirectory: "ENOTDIR",
  IsADirectory: "EISDIR",
  NotFound: "ENOENT",
  AlreadyExists: "EEXIST",
  ReadOnly: "EROFS",
  FilesystemLoop: "ELOOP",
};

/** node:fs's syscall names, as operations. */
const SYSCALLS: Record<string, IoOperation> = {
  open: "open",
  write: "write",
  read: "read",
  mkdir: "create the directory",
  rename: "rename",
  unlink: "remove",
  rmdir: "remove",
  rm: "remove",
  scandir: "list",
  opendir: "list",
  stat: "read",
  lstat: "read",
  access: "open",
};

/** The code of a file-system error (node's `code` or Deno's class name), or null for anything else. */
function faultCode(e: unknown): string | null {
  if (!(e instanceof Error)) return null;
  if (e instanceof IoError) return e.code;
  const code = (e as { code?: unknown }).code;
  if (typeof code === "string" && /^E[A-Z]+$/.test(code)) return code;
  const denoClass = (Deno.errors as Record<string, unknown>)[e.name];
  if (
    Object.hasOwn(DENO_CODES, e.name) && typeof denoClass === "function" &&
    e instanceof (denoClass as ErrorConstructor)
  ) {
    return DENO_CODES[e.name];
  }
  return null;
}

/**
 * Whether an error is a file-system fault (no space, read-only, permission,
 * not a directory, refused under Deno's permissions, ...).
 *
 * @param e Anything thrown.
 * @returns True for such faults and for {@link IoError}s.
 */
export function isIoFault(e: unknown): boolean {
  return faultCode(e) !== null;
}

/** The path a Deno or node error names in its message: `'...'` or `"..."`. */
function pathInMessage(message: string): string | undefined {
  return /'([^']+)'/.exec(message)?.[1] ?? /"([^"]+)"/.exec(message)?.[1];
}

/**
 * The {@link IoError} for a file-system fault, or null for any other error.
 *
 * @param e Anything thrown.
 * @param op The operation, when the caller knows it (else from node's `syscall`).
 * @param path The path, when the caller knows it (else from the error).
 * @returns The error, with the operation, the path and the reason.
 */
export function toIoError(e: unknown, op?: IoOperation, path?: string): IoError | null {
  if (e instanceof IoError) return e;
  const code = faultCode(e);
  if (code === null) return null;
  const err = e as Error & { syscall?: string; path?: string };
  const where = path ?? err.path ?? pathInMessage(err.message) ?? "(unknown path)";
  const what = op ?? SYSCALLS[err.syscall ?? ""] ?? "open";
  const reason = what === "create the directory" && code === "EEXIST"
    ? "a file of that name is in the way"
    : REASONS[code] ?? err.message.split("\n")[0];
  return new IoError(what, where, code, reason, e);
}

/**
 * Runs `body`; a file-system fault it throws becomes an {@link IoError}
 * naming `op` and `path`. Any other error passes through unchanged.
 *
 * @param op The operation.
 * @param path The path.
 * @param body The work.
 * @returns What `body` returns.
 */
export function withIoErrors<T>(op: IoOperation, path: string, body: () => T): T {
  try {
    return body();
  } catch (e) {
    throw toIoError(e, op, path) ?? e;
  }
}
