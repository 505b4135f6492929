/** Test helper: puts tfjs on a given backend once per test file. */
import * as tf from "@tensorflow/tfjs";
import { initBackend } from "../lib/runtime/backend.ts";

/** Initialises the wasm backend (or cpu) for tests. */
export async function useBackend(name: "wasm" | "cpu" = "wasm"): Promise<void> {
  if (tf.getBackend() !== name) await initBackend(name);
}
