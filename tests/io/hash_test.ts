import assert from "node:assert/strict";
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { md5, sha256, sha256File } from "../../lib/io/mod.ts";
import { withTempDir } from "../_temp.ts";

Deno.test("sha256 of text and bytes matches the FIPS 180-2 test vectors", () => {
  const abc = "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad";
  assert.equal(sha256("abc"), abc);
  assert.equal(sha256(new TextEncoder().encode("abc")), abc);
  assert.equal(sha256(""), "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
  assert.notEqual(sha256("abd"), abc);
});

Deno.test("sha256 of a view hashes only the view's bytes", () => {
  const all = new Uint8Array([0, 97, 98, 99, 0]);
  assert.equal(sha256(all.subarray(1, 4)), sha256("abc"));
});

Deno.test("sha256File hashes a file's content; a missing file is an error", async () => {
  await withTempDir("io-hash-", (dir) => {
    const path = join(dir, "f.bin");
    writeFileSync(path, "abc");
    assert.equal(sha256File(path), sha256("abc"));
    assert.throws(() => sha256File(join(dir, "absent")), /absent/);
  });
});

Deno.test("md5 matches the RFC 1321 test vectors", () => {
  assert.equal(md5(new TextEncoder().encode("abc")), "900150983cd24fb0d6963f7d28e17f72");
  assert.equal(md5(new Uint8Array()), "d41d8cd98f00b204e9800998ecf8427e");
});
