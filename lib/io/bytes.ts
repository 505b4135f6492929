/**
 * Byte arrays joined end to end (PNG chunks, archive members).
 *
 * @module
 */

/**
 * The arrays one after another in one new array.
 *
 * @param parts The arrays, in order.
 * @returns A new `Uint8Array` of their total length.
 */
export function concatBytes(parts: readonly Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let offset = 0;
  for (const p of parts) {
    out.set(p, offset);
    offset += p.length;
  }
  return out;
}
