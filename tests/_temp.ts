/** Test helper: a temporary directory that lives for one test body. */

/**
 * Runs `body` with a new temporary directory (name starting with
 * `prefix`) and removes the directory afterwards, whether `body` returns or
 * throws.
 */
export async function withTempDir<T>(
  prefix: string,
  body: (dir: string) => T | Promise<T>,
): Promise<T> {
  const dir = await Deno.makeTempDir({ prefix });
  try {
    return await body(dir);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
}

/** {@link withTempDir} for a synchronous `body`. */
export function withTempDirSync<T>(prefix: string, body: (dir: string) => T): T {
  const dir = Deno.makeTempDirSync({ prefix });
  try {
    return body(dir);
  } finally {
    Deno.removeSync(dir, { recursive: true });
  }
}
