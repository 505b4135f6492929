/**
 * The watchdog of `load.ts`, run as a Web Worker while an experiment file
 * is imported: when the import has not finished after the given time (a
 * loop that never ends blocks the main thread, so no timer there can fire),
 * it prints the given error line and ends the whole process with exit code
 * 2 (`_exit` from the C library through FFI; without `--allow-ffi`,
 * SIGKILL where `--allow-run` allows it). The main thread terminates the
 * worker as soon as the import settles.
 *
 * Protocol: the main thread posts `{ ms, message }`; the worker answers
 * `"armed"` once its timer runs.
 *
 * @module
 */

/** The C library's `_exit`, or null where it cannot be loaded. */
function cExit(): ((code: number) => void) | null {
  const names = Deno.build.os === "darwin"
    ? ["/usr/lib/libSystem.B.dylib"]
    : ["libc.so.6", "libc.so", "libc.musl-x86_64.so.1", "libc.musl-aarch64.so.1"];
  for (const name of names) {
    try {
      const lib = Deno.dlopen(name, { _exit: { parameters: ["i32"], result: "void" } });
      return (code) => lib.symbols._exit(code);
    } catch {
      // try the next name
    }
  }
  return null;
}

/** The worker's global scope (typed here: the project type-checks with the window's types). */
const scope = self as unknown as {
  onmessage: (e: MessageEvent<{ ms: number; message: string }>) => void;
  postMessage(message: unknown): void;
};

scope.onmessage = (e) => {
  const { ms, message } = e.data;
  setTimeout(() => {
    console.error(message);
    const exit = cExit();
    if (exit) exit(2);
    try {
      Deno.kill(Deno.pid, "SIGKILL");
    } catch {
      // neither FFI nor run permission: the message stands, the process keeps waiting
    }
  }, ms);
  scope.postMessage("armed");
};
