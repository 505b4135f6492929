/**
 * Loading an experiment file: import it, take its default export, validate.
 * Every failure is a {@link SpecError} that names the file, including a
 * file that misbehaves while it loads: one that throws, one that calls
 * `Deno.exit()` or `process.exit()` (refused while it loads), and one that
 * never finishes loading (a top-level await that never resolves, or a loop
 * that never ends: `load_watchdog.ts` ends the process after the time
 * limit, exit 2, with the same message), all within a bounded time.
 *
 * @module
 */
import { existsSync, statSync } from "node:fs";
import process from "node:process";
import { resolve } from "node:path";
import { pathToFileURL } from "node:url";
import {
  type Experiment,
  SpecError,
  validateExperiment,
  type ValidateOptions,
} from "./experiment.ts";

/** Seconds an experiment file may take to load unless `GAN_HARNESS_LOAD_TIMEOUT` says otherwise. */
export const DEFAULT_LOAD_TIMEOUT_SEC = 60;

/** The environment variable that sets the load time limit in seconds. */
export const LOAD_TIMEOUT_ENV = "GAN_HARNESS_LOAD_TIMEOUT";

/** Options of {@link loadExperiment}. */
export interface LoadOptions extends ValidateOptions {
  /** Seconds the import may take (default `$GAN_HARNESS_LOAD_TIMEOUT`, else 60). */
  timeoutSec?: number;
}

function timeoutFromEnv(): number {
  try {
    const v = Number(Deno.env.get(LOAD_TIMEOUT_ENV));
    return Number.isFinite(v) && v > 0 ? v : DEFAULT_LOAD_TIMEOUT_SEC;
  } catch {
    return DEFAULT_LOAD_TIMEOUT_SEC;
  }
}

/** Thrown in place of exiting when an experiment file calls an exit function while it loads. */
class ExitAtLoad extends Error {
  constructor(readonly how: string) {
    super(`${how} called while loading`);
  }
}

/** Starts the watchdog worker; resolves once its timer runs. */
async function armWatchdog(ms: number, message: string): Promise<Worker | null> {
  let worker: Worker;
  try {
    worker = new Worker(new URL("./load_watchdog.ts", import.meta.url).href, { type: "module" });
  } catch {
    return null;
  }
  await new Promise<void>((resolve) => {
    worker.onmessage = () => resolve();
    worker.onerror = (e) => {
      e.preventDefault();
      resolve();
    };
    worker.postMessage({ ms, message });
  });
  return worker;
}

/**
 * Imports a module with the exit functions refused and a time limit.
 *
 * @param url The module.
 * @param file The file as given, for messages.
 * @param timeoutSec The time limit.
 * @returns The module's namespace.
 */
async function guardedImport(
  url: string,
  file: string,
  timeoutSec: number,
): Promise<Record<string, unknown>> {
  const late = `did not finish loading within ${timeoutSec} s (a top-level await that never ` +
    `resolves, or a loop that never ends?); experiment files only declare a study`;
  // The watchdog fires a little after the timer here, for a main thread that never yields.
  const watchdog = await armWatchdog(
    timeoutSec * 1000 + 2000,
    `error: ${SpecError.format([{ path: "(file)", message: late }], file)}`,
  );
  const denoExit = Deno.exit;
  const processExit = process.exit;
  const refuse = (how: string) => (code?: number) => {
    throw new ExitAtLoad(`${how}(${code ?? ""})`);
  };
  let timer: ReturnType<typeof setTimeout> | undefined;
  try {
    Deno.exit = refuse("Deno.exit") as typeof Deno.exit;
    process.exit = refuse("process.exit") as typeof process.exit;
    return await Promise.race([
      import(url),
      new Promise<never>((_, reject) => {
        timer = setTimeout(
          () => reject(new SpecError([{ path: "(file)", message: late }], file)),
          timeoutSec * 1000,
        );
      }),
    ]);
  } finally {
    clearTimeout(timer);
    Deno.exit = denoExit;
    process.exit = processExit;
    watchdog?.terminate();
  }
}

/** Imports and validates `experiments/<x>.ts`; throws {@link SpecError}. */
export async function loadExperiment(file: string, options: LoadOptions = {}): Promise<Experiment> {
  const path = resolve(file);
  if (!existsSync(path) || !statSync(path).isFile()) {
    throw new SpecError([{
      path: "(file)",
      message: `no such experiment file; expected a path like experiments/k-steps.ts`,
    }], file);
  }
  let mod: Record<string, unknown>;
  try {
    mod = await guardedImport(
      pathToFileURL(path).href,
      file,
      options.timeoutSec ?? timeoutFromEnv(),
    );
  } catch (e) {
    if (e instanceof SpecError) throw e.file ? e : e.withFile(file);
    if (e instanceof ExitAtLoad) {
      throw new SpecError([{
        path: "(file)",
        message: `calls ${e.how} while loading; an experiment file only declares a study ` +
          "(export default defineExperiment({...}))",
      }], file);
    }
    const msg = e instanceof Error ? e.message.split("\n")[0] : String(e);
    throw new SpecError([{ path: "(file)", message: `could not be loaded: ${msg}` }], file);
  }
  if (mod.default === undefined) {
    throw new SpecError([{
      path: "(default export)",
      message: "missing; expected `export default defineExperiment({...})`",
    }], file);
  }
  try {
    return validateExperiment(mod.default, options);
  } catch (e) {
    if (e instanceof SpecError) throw e.withFile(file);
    throw e;
  }
}
