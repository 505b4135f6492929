/** Test helper: puts tfjs on a given backend once per test file. */
import * as tf from "@tensorflow/tfjs";
import { initBackend } from "../lib/runtime/backend.ts";

/** Runs `f` on the cpu backend and comes back to wasm (for comparisons with the wasm kernels). */
export async function onCpu<T>(f: () => T): Promise<T> {
  await tf.setBackend("cpu");
  try {
    return f();
  } finally {
    await tf.setBackend("wasm");
  }
}

/** Initialises the wasm backend (or cpu) for tests. */
export async function useBackend(name: "wasm" | "cpu" = "wasm"): Promise<void> {
  if (tf.getBackend() !== name) await initBackend(name);
}
