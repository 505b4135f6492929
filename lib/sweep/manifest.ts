/**
 * The manifest of a run: versions, backend, git commit, lock and data set
 * hashes, host. Enough to say later exactly what produced a result.
 *
 * @module
 */
import { existsSync, readFileSync } from "node:fs";
import { cpus, hostname, platform, release } from "node:os";
import { join } from "node:path";
import { tf } from "../deps.ts";
import { sha256, sha256File } from "../io/mod.ts";
import { PROJECT_ROOT } from "../runtime/backend.ts";
import type { BackendInfo } from "../runtime/backend.ts";
import type { Dataset } from "../data/types.ts";

/** Contents of `manifest.json`. */
export interface Manifest {
  createdAt: string;
  deno: string;
  v8: string;
  typescript: string;
  tfjs: string;
  backend: string;
  backendReason: string;
  gitCommit: string | null;
  lockSha256: string | null;
  /**
   * The data the run trained and was evaluated on: hashes of the float
   * arrays, and for image data the source files with their verified sha256.
   */
  dataset: {
    name: string;
    trainSha256: string;
    validSha256: string;
    files?: { file: string; sha256: string; source: string }[];
  };
  host: { hostname: string; platform: string; release: string; cpu: string; cores: number };
  /**
   * Size and sha256 of each file the run wrote (`config.json`,
   * `metrics.csv`, `final.json`, samples), recorded when it finished; a file
   * that no longer matches is damaged (`verify.ts`).
   */
  outputs?: Record<string, { size: number; sha256: string }>;
}

/** The commit checked out in `root` (read from .git without running git). */
export function gitCommit(root = PROJECT_ROOT): string | null {
  try {
    const gitDir = join(root, ".git");
    const head = readFileSync(join(gitDir, "HEAD"), "utf8").trim();
    if (!head.startsWith("ref: ")) return head;
    const ref = head.slice(5);
    const loose = join(gitDir, ref);
    if (existsSync(loose)) return readFileSync(loose, "utf8").trim();
    const packed = readFileSync(join(gitDir, "packed-refs"), "utf8");
    const line = packed.split("\n").find((l) => l.endsWith(` ${ref}`));
    return line ? line.split(" ")[0] : null;
  } catch {
    return null;
  }
}

/** Builds the manifest of a run. */
export function buildManifest(backend: BackendInfo, data: Dataset): Manifest {
  const lock = join(PROJECT_ROOT, "deno.lock");
  const bytes = (a: Float32Array) => new Uint8Array(a.buffer, a.byteOffset, a.byteLength);
  const cpu = cpus();
  return {
    createdAt: new Date().toISOString(),
    deno: Deno.version.deno,
    v8: Deno.version.v8,
    typescript: Deno.version.typescript,
    tfjs: tf.version.tfjs,
    backend: backend.name,
    backendReason: backend.reason,
    gitCommit: gitCommit(),
    lockSha256: existsSync(lock) ? sha256File(lock) : null,
    dataset: {
      name: data.name,
      trainSha256: sha256(bytes(data.train)),
      validSha256: sha256(bytes(data.valid)),
      ...(data.files ? { files: data.files } : {}),
    },
    host: {
      hostname: hostname(),
      platform: platform(),
      release: release(),
      cpu: cpu[0]?.model ?? "unknown",
      cores: cpu.length,
    },
  };
}
