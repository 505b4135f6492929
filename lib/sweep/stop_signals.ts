/**
 * Stopping on Ctrl-C (SIGINT) and SIGTERM (Slurm's scancel and time limit,
 * `kill`): a handler listens to both while a piece of work runs, and only
 * then.
 *
 * @module
 */

/**
 * Runs `body` with `onSignal` called on every SIGINT and SIGTERM (with how
 * many came so far, 1 for the first); the listeners are removed when `body`
 * settles.
 */
export async function withStopSignals<T>(
  onSignal: (count: number) => void,
  body: () => Promise<T>,
): Promise<T> {
  let count = 0;
  const listener = () => onSignal(++count);
  Deno.addSignalListener("SIGINT", listener);
  Deno.addSignalListener("SIGTERM", listener);
  try {
    return await body();
  } finally {
    Deno.removeSignalListener("SIGINT", listener);
    Deno.removeSignalListener("SIGTERM", listener);
  }
}
