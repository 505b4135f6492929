import assert from "node:assert/strict";
import { inflateSync } from "node:zlib";
import { crc32, encodePng, imageGrid, pairImages } from "../../lib/data/image_grid.ts";

/** Decodes the PNGs encodePng writes (8-bit grey or RGB, filter 0), checking every CRC. */
function decodePng(bytes: Uint8Array) {
  assert.deepEqual(Array.from(bytes.subarray(0, 8)), [137, 80, 78, 71, 13, 10, 26, 10]);
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  let offset = 8;
  let width = 0, height = 0, colour = -1;
  const idat: Uint8Array[] = [];
  const types: string[] = [];
  while (offset < bytes.length) {
    const length = view.getUint32(offset);
    const type = new TextDecoder().decode(bytes.subarray(offset + 4, offset + 8));
    const data = bytes.subarray(offset + 8, offset + 8 + length);
    assert.equal(
      view.getUint32(offset + 8 + length),
      crc32(bytes.subarray(offset + 4, offset + 8 + length)),
      `${type} CRC`,
    );
    types.push(type);
    if (type === "IHDR") {
      const h = new DataView(data.buffer, data.byteOffset, data.byteLength);
      width = h.getUint32(0);
      height = h.getUint32(4);
      assert.equal(data[8], 8);
      colour = data[9];
    }
    if (type === "IDAT") idat.push(data);
    offset += 12 + length;
  }
  assert.deepEqual(types, ["IHDR", "IDAT", "IEND"]);
  const channels = colour === 0 ? 1 : 3;
  const raw = new Uint8Array(inflateSync(idat[0]));
  const stride = width * channels;
  const pixels = new Uint8Array(width * height * channels);
  for (let y = 0; y < height; y++) {
    assert.equal(raw[y * (stride + 1)], 0, "filter type 0");
    pixels.set(raw.subarray(y * (stride + 1) + 1, (y + 1) * (stride + 1)), y * stride);
  }
  return { width, height, channels, pixels };
}

Deno.test("crc32: the standard check value", () => {
  assert.equal(crc32(new TextEncoder().encode("123456789")), 0xcbf43926);
});

Deno.test("imageGrid: tiles images with gaps, clips and rounds pixel values", () => {
  // Three 2x2 grey images, two per row, gap 1, black background.
  const images = Float32Array.from([0, 1, 0.5, 2, 0.25, 0.25, 0.25, 0.25, -1, NaN, 1, 1]);
  const g = imageGrid(images, [2, 2, 1], { columns: 2, gap: 1, background: 0 });
  assert.equal(g.width, 2 * 2 + 3);
  assert.equal(g.height, 2 * 2 + 3);
  const at = (x: number, y: number) => g.pixels[y * g.width + x];
  assert.deepEqual([at(1, 1), at(2, 1), at(1, 2), at(2, 2)], [0, 255, 128, 255]);
  assert.deepEqual([at(4, 1), at(5, 2)], [64, 64]);
  assert.deepEqual([at(1, 4), at(2, 4), at(1, 5)], [0, 0, 255]); // -1 and NaN -> 0
  assert.equal(at(0, 0), 0); // background
  assert.equal(at(4, 4), 0); // empty cell
});

Deno.test("imageGrid: rejects shapes that are not [h, w, 1|3] and partial images", () => {
  assert.throws(() => imageGrid(new Float32Array(8), [2, 2, 2], { columns: 1 }), /\[h, w, 1\]/);
  assert.throws(() => imageGrid(new Float32Array(7), [2, 2, 1], { columns: 1 }), /multiple of 4/);
});

Deno.test("encodePng: grey and RGB rasters round-trip through a decoder", () => {
  const grey = imageGrid(Float32Array.from({ length: 4 * 9 }, (_, i) => (i % 9) / 8), [3, 3, 1], {
    columns: 2,
  });
  const g = decodePng(encodePng(grey));
  assert.equal(g.channels, 1);
  assert.deepEqual([g.width, g.height], [grey.width, grey.height]);
  assert.deepEqual(g.pixels, grey.pixels);
  const rgb = imageGrid(Float32Array.from({ length: 2 * 12 }, (_, i) => (i % 7) / 6), [2, 2, 3], {
    columns: 2,
  });
  const c = decodePng(encodePng(rgb));
  assert.equal(c.channels, 3);
  assert.deepEqual(c.pixels, rgb.pixels);
  assert.throws(() => encodePng({ ...rgb, width: rgb.width + 1 }), /expected/);
});

Deno.test("pairImages: interleaves image by image", () => {
  const a = Float32Array.from([1, 1, 2, 2]);
  const b = Float32Array.from([9, 9, 8, 8]);
  assert.deepEqual(Array.from(pairImages(a, b, 2)), [1, 1, 9, 9, 2, 2, 8, 8]);
  assert.throws(() => pairImages(a, b.subarray(0, 2), 2), /equal size/);
});
