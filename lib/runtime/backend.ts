/**
 * Choosing the tfjs backend. `auto` takes the native binding
 * (`@tensorflow/tfjs-node-gpu`, then `@tensorflow/tfjs-node`) only where it is
 * installed and loads, else the wasm backend, and says which and why in one
 * line. Asking for `tensorflow` where the binding is missing is a
 * {@link BackendError} naming the setup step.
 *
 * @module
 */
import * as tf from "@tensorflow/tfjs";
import { setWasmPaths } from "@tensorflow/tfjs-backend-wasm";
import { existsSync } from "node:fs";
import { join, resolve } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { registerComparisonGradients } from "./gradients.ts";

/** Backends a user can ask for. */
export const BACKEND_CHOICES = ["auto", "tensorflow", "wasm", "cpu"] as const;
/** A backend choice. */
export type BackendChoice = typeof BACKEND_CHOICES[number];

/** The backend in use and why it was chosen. */
export interface BackendInfo {
  /** tfjs backend name: tensorflow, wasm or cpu. */
  name: string;
  /** One line saying which backend and why. */
  reason: string;
  /** The npm package of the native binding, when used. */
  nativePackage?: string;
}

/** A backend that cannot be used, with the step that fixes it. */
export class BackendError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "BackendError";
  }
}

const NATIVE_PACKAGES = ["@tensorflow/tfjs-node-gpu", "@tensorflow/tfjs-node"] as const;
const NATIVE_VERSION = "4.22.0";
const SETUP_HINT =
  "install it with `deno task setup:native` (needs internet for libtensorflow; add --gpu for CUDA)";

/** The project root (where deno.json and node_modules/ live). */
export const PROJECT_ROOT = resolve(fileURLToPath(new URL("../..", import.meta.url)));

let current: BackendInfo | null = null;

/** The backend chosen by {@link initBackend}, or null before it ran. */
export function currentBackend(): BackendInfo | null {
  return current;
}

async function tryNative(): Promise<{ info?: BackendInfo; why: string }> {
  const reasons: string[] = [];
  for (const pkg of NATIVE_PACKAGES) {
    const dir = join(PROJECT_ROOT, "node_modules", pkg);
    if (!existsSync(dir)) {
      reasons.push(`${pkg} is not installed`);
      continue;
    }
    try {
      // A computed specifier: the binding is optional and not type-checked.
      const spec = `npm:${pkg}@${NATIVE_VERSION}`;
      await import(spec);
      if (await tf.setBackend("tensorflow")) {
        return {
          info: {
            name: "tensorflow",
            reason: `native binding ${pkg} loaded`,
            nativePackage: pkg,
          },
          why: "",
        };
      }
      reasons.push(`${pkg} is installed but its backend did not initialise`);
    } catch (e) {
      const msg = e instanceof Error ? e.message.split("\n")[0] : String(e);
      reasons.push(`${pkg} is installed but failed to load (${msg})`);
    }
  }
  return { why: reasons.join("; ") };
}

async function useWasm(): Promise<boolean> {
  const dist = join(PROJECT_ROOT, "node_modules", "@tensorflow", "tfjs-backend-wasm", "dist");
  if (!existsSync(join(dist, "tfjs-backend-wasm-simd.wasm"))) return false;
  setWasmPaths(pathToFileURL(dist).href + "/");
  try {
    return await tf.setBackend("wasm");
  } catch {
    return false;
  }
}

/**
 * Initialises tfjs with the chosen backend and returns what was chosen.
 * Throws {@link BackendError} when an explicit choice cannot be met.
 */
export async function initBackend(choice: BackendChoice = "auto"): Promise<BackendInfo> {
  if (!(BACKEND_CHOICES as readonly string[]).includes(choice)) {
    throw new BackendError(
      `--backend: got "${choice}", expected one of ${BACKEND_CHOICES.join(", ")}`,
    );
  }
  let info: BackendInfo;
  if (choice === "tensorflow") {
    const native = await tryNative();
    if (!native.info) {
      throw new BackendError(
        `--backend tensorflow: the native binding is not available: ${native.why}; ${SETUP_HINT}, or use --backend auto`,
      );
    }
    info = native.info;
  } else if (choice === "cpu") {
    await tf.setBackend("cpu");
    info = { name: "cpu", reason: "cpu backend requested (--backend cpu)" };
  } else if (choice === "wasm") {
    if (!(await useWasm())) {
      throw new BackendError(
        "--backend wasm: the wasm backend did not load; run the command from the project root with `deno task` so node_modules/ is populated",
      );
    }
    info = { name: "wasm", reason: "wasm backend requested (--backend wasm)" };
  } else {
    const native = await tryNative();
    if (native.info) info = { ...native.info, reason: `auto: ${native.info.reason}` };
    else if (await useWasm()) {
      info = { name: "wasm", reason: `auto: no native binding (${native.why})` };
    } else {
      await tf.setBackend("cpu");
      info = {
        name: "cpu",
        reason: `auto: no native binding (${native.why}) and wasm did not load`,
      };
    }
  }
  await tf.ready();
  registerComparisonGradients();
  current = info;
  return info;
}
