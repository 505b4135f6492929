import assert from "node:assert/strict";
import { pngSize } from "../../lib/io/mod.ts";

/** The first 24 bytes of a PNG: signature, IHDR length, type, width, height. */
function header(width: number, height: number, type = "IHDR"): Uint8Array {
  const bytes = new Uint8Array(33);
  bytes.set([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
  const view = new DataView(bytes.buffer);
  view.setUint32(8, 13);
  bytes.set([...type].map((c) => c.charCodeAt(0)), 12);
  view.setUint32(16, width);
  view.setUint32(20, height);
  return bytes;
}

Deno.test("pngSize reads width and height from the IHDR chunk", () => {
  assert.deepEqual(pngSize(header(62, 8)), { width: 62, height: 8 });
  assert.deepEqual(pngSize(header(70000, 1)), { width: 70000, height: 1 });
});

Deno.test("pngSize reads a PNG inside a larger buffer (a view)", () => {
  const buffer = new Uint8Array(100);
  buffer.set(header(3, 4), 10);
  assert.deepEqual(pngSize(buffer.subarray(10, 43)), { width: 3, height: 4 });
});

Deno.test("pngSize: null for bytes that are not a PNG", () => {
  assert.equal(pngSize(new TextEncoder().encode("<svg></svg> and more bytes here")), null);
  assert.equal(pngSize(new Uint8Array(4)), null);
  assert.equal(pngSize(header(1, 1).subarray(0, 23)), null, "too short");
  assert.equal(pngSize(header(1, 1, "IDAT")), null, "first chunk not IHDR");
});
