/**
 * For library functions called from a user's script or notebook: a tfjs
 * computation before any backend is ready fails deep inside tfjs ("backend
 * 'wasm' has not yet been initialized"); {@link requireBackend} fails
 * first, naming the function and `initBackend`, and {@link ensureBackend}
 * initialises the default backend for functions that are async anyway.
 *
 * @module
 */
import { tf } from "../deps.ts";
import { initBackend } from "./backend.ts";

/** Whether a tfjs backend has been initialised (by `initBackend`, or by the caller through tfjs). */
export function backendReady(): boolean {
  const engine = tf.engine() as unknown as { backendName?: string | null };
  return typeof engine.backendName === "string" && engine.backendName !== "";
}

/**
 * Throws a clear error when no backend is ready.
 *
 * @param fn The function that needs one, for the message.
 */
export function requireBackend(fn: string): void {
  if (backendReady()) return;
  throw new Error(
    `${fn} runs on tfjs and no backend is initialised: call \`await initBackend()\` ` +
      '(import { initBackend } from ".../mod.ts") once before it',
  );
}

/** Initialises the default backend (`auto`) unless one is ready. */
export async function ensureBackend(): Promise<void> {
  if (!backendReady()) await initBackend("auto");
}
