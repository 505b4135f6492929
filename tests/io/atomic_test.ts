import assert from "node:assert/strict";
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { readJson, writeAtomic, writeJson } from "../../lib/io/mod.ts";
import { withTempDir } from "../_temp.ts";

Deno.test("writeAtomic writes text or bytes, replaces old content, creates parent dirs", async () => {
  await withTempDir("io-atomic-", (dir) => {
    const path = join(dir, "a", "b", "file.txt");
    writeAtomic(path, "first");
    assert.equal(readFileSync(path, "utf8"), "first");
    writeAtomic(path, new Uint8Array([104, 105]));
    assert.equal(readFileSync(path, "utf8"), "hi");
    assert.deepEqual(readdirSync(join(dir, "a", "b")), ["file.txt"], "no temp file left behind");
  });
});

Deno.test("writeAtomic: a failed rename throws, removes the temp file, leaves the target", async () => {
  await withTempDir("io-atomic-", (dir) => {
    // The target is a non-empty directory: the temp file is written, the rename fails.
    const target = join(dir, "target");
    mkdirSync(target);
    writeFileSync(join(target, "keep.txt"), "kept");
    assert.throws(() => writeAtomic(target, "data"));
    assert.deepEqual(readdirSync(dir), ["target"], "the temp file was removed");
    assert.equal(readFileSync(join(target, "keep.txt"), "utf8"), "kept");
  });
});

Deno.test("writeAtomic: a path below a plain file throws and creates nothing", async () => {
  await withTempDir("io-atomic-", (dir) => {
    // The parent "directory" is a file: nothing can be created under it.
    const parent = join(dir, "plain");
    writeFileSync(parent, "x");
    assert.throws(() => writeAtomic(join(parent, "sub", "f.txt"), "data"));
    assert.deepEqual(readdirSync(dir), ["plain"]);
    assert.equal(readFileSync(parent, "utf8"), "x");
  });
});

Deno.test("writeJson writes pretty JSON with a trailing newline; readJson reads it back", async () => {
  await withTempDir("io-atomic-", (dir) => {
    const path = join(dir, "v.json");
    const value = { a: 1, b: [true, null, "x"], c: { d: 0.1 } };
    writeJson(path, value);
    assert.equal(readFileSync(path, "utf8"), JSON.stringify(value, null, 2) + "\n");
    assert.ok(readFileSync(path, "utf8").endsWith("}\n"));
    assert.deepEqual(readJson(path), value);
  });
});

Deno.test("readJson gives null for an absent file or one that is not JSON", async () => {
  await withTempDir("io-atomic-", (dir) => {
    assert.equal(readJson(join(dir, "absent.json")), null);
    const bad = join(dir, "bad.json");
    writeFileSync(bad, "{ half");
    assert.equal(existsSync(bad), true);
    assert.equal(readJson(bad), null);
  });
});
