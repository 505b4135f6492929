/**
 * Reading a PNG file's size from its header.
 *
 * @module
 */

const SIGNATURE = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a];

/**
 * Width and height of a PNG from its header (the signature, then the IHDR
 * chunk, whose first two fields are the width and height).
 *
 * @param png The file's bytes.
 * @returns The size in pixels, or null when the bytes are not a PNG.
 */
export function pngSize(png: Uint8Array): { width: number; height: number } | null {
  if (png.length < 24 || SIGNATURE.some((b, i) => png[i] !== b)) return null;
  if (String.fromCharCode(...png.subarray(12, 16)) !== "IHDR") return null;
  const view = new DataView(png.buffer, png.byteOffset, png.byteLength);
  return { width: view.getUint32(16), height: view.getUint32(20) };
}
