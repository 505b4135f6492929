import assert from "node:assert/strict";
import {
  IMAGE_DATASETS,
  IMAGE_MANIFEST,
  imageShape,
  isImageDatasetName,
} from "../../../lib/data/images/mod.ts";

Deno.test("registry: names, shapes, name check", () => {
  assert.deepEqual([...IMAGE_DATASETS], ["mnist", "fashion-mnist", "cifar10"]);
  assert.deepEqual(imageShape("mnist"), [28, 28, 1]);
  assert.deepEqual(imageShape("fashion-mnist"), [28, 28, 1]);
  assert.deepEqual(imageShape("cifar10"), [32, 32, 3]);
  assert.ok(isImageDatasetName("cifar10"));
  assert.ok(!isImageDatasetName("cifar-10"));
  assert.throws(
    // deno-lint-ignore no-explicit-any
    () => imageShape("mnsit" as any),
    /unknown image data set "mnsit": expected one of "mnist", "fashion-mnist", "cifar10"/,
  );
});

Deno.test("manifest: sizes agree with the IDX headers, hashes are sha256, every file has URLs", () => {
  for (const name of ["mnist", "fashion-mnist"] as const) {
    const ds = IMAGE_MANIFEST[name];
    assert.equal(ds.files.length, 4);
    for (const f of ds.files) {
      assert.equal(f.size, f.kind === "images" ? 16 + f.count * 784 : 8 + f.count, f.file);
      assert.match(f.sha256!, /^[0-9a-f]{64}$/);
      assert.ok(f.urls!.length >= 2);
      for (const u of f.urls!) assert.ok(u.endsWith(`/${f.file}.gz`), u);
    }
  }
  assert.equal(
    IMAGE_MANIFEST.mnist.files[0].sha256,
    "ba891046e6505d7aadcbbe25680a0738ad16aec93bde7f9b65e87a2fc25776db",
  );
  assert.equal(IMAGE_MANIFEST.mnist.files[0].md5, "6bbc9ace898e44ae57da46a324031adb");
  const c = IMAGE_MANIFEST.cifar10;
  assert.equal(c.archive!.md5, "c32a1d4ab5d03f1284b67883e8d87530");
  assert.equal(c.archive!.size, 170052171);
  assert.deepEqual(c.files.map((f) => [f.split, f.size]), [
    ...Array(5).fill(["train", 30730000]),
    ["test", 30730000],
  ]);
});
