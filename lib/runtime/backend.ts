/**
 * Choosing the tfjs backend. `auto` takes the native binding
 * (`@tensorflow/tfjs-node-gpu`, then `@tensorflow/tfjs-node`) only where it is
 * installed and loads, else the wasm backend, and says which and why in one
 * line. Asking for `tensorflow` where the binding is missing is a
 * {@link BackendError} naming the setup step.
 *
 * On wasm, matrix products run on a native BLAS when one loads, with faster
 * sums, activations and an Adam kernel beside them (`wasm_kernels.ts`; the
 * reference MLP-GAN step of `bench/step.ts` runs about 20x faster than on
 * the shipped kernels, within 10% of PyTorch on one core), and the convolution
 * kernels of `wasm_conv.ts` are registered (the shipped wasm backend has no
 * `Conv2DBackpropFilter`). A missing BLAS library means the plain wasm
 * products, said in the reason line, never a failure. `GAN_HARNESS_BLAS=off`
 * or `initBackend("wasm", { nativeBlas: false })` turns native BLAS off for
 * comparisons; `{ fastKernels: false }` keeps every shipped kernel but the
 * convolutions.
 *
 * @module
 */
import { tf } from "../deps.ts";
import { setWasmPaths } from "../deps.ts";
import { existsSync } from "node:fs";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { registerComparisonGradients } from "./gradients.ts";
import { registerWasmKernels } from "./wasm_kernels.ts";
import { registerWasmConvKernels } from "./wasm_conv.ts";
import { PROJECT_ROOT } from "./project_root.ts";

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
  /**
   * On wasm: the native BLAS its matrix products run on (name and path),
   * absent when they run in wasm (the reason line says why).
   */
  blas?: string;
}

/** Options of {@link initBackend}. */
export interface InitBackendOptions {
  /**
   * On wasm, run matrix products on a native BLAS when one loads (default
   * true; the environment variable `GAN_HARNESS_BLAS=off` also turns it off).
   */
  nativeBlas?: boolean;
  /**
   * On wasm, register this project's faster kernels (default true); false
   * keeps the shipped ones (the convolution kernels are registered either way).
   */
  fastKernels?: boolean;
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
  "install it with `deno task setup:native`, or `deno task setup:gpu` for CUDA (both need internet for libtensorflow)";

export { PROJECT_ROOT } from "./project_root.ts";

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

/** Registers the wasm kernels of this project; returns the info with its BLAS said. */
function setupWasmKernels(info: BackendInfo, options: InitBackendOptions): BackendInfo {
  registerWasmConvKernels();
  const setup = registerWasmKernels(options);
  const withNote = { ...info, reason: `${info.reason}; ${setup.note}` };
  return setup.blas ? { ...withNote, blas: setup.blas } : withNote;
}

/**
 * Initialises tfjs with the chosen backend and returns what was chosen.
 * Throws {@link BackendError} when an explicit choice cannot be met.
 */
export async function initBackend(
  choice: BackendChoice = "auto",
  options: InitBackendOptions = {},
): Promise<BackendInfo> {
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
  if (info.name === "wasm") info = setupWasmKernels(info, options);
  current = info;
  return info;
}
