/**
 * `deno task features`: bad input exits 2 with a message naming what is
 * wrong and what is accepted, before anything is loaded or trained. (The
 * training itself is tested at test size in tests/features/.)
 */
import assert from "node:assert/strict";
import { cli } from "./_cli.ts";

Deno.test("features CLI: an unknown data set, a missing name and bad sizes exit 2", async () => {
  const unknown = await cli("features", ["ring-8"]);
  assert.equal(unknown.code, 2, unknown.stderr);
  assert.match(
    unknown.stderr,
    /unknown data set "ring-8": expected one of "mnist", "fashion-mnist", "cifar10"/,
  );
  const missing = await cli("features", []);
  assert.equal(missing.code, 2);
  assert.match(missing.stderr, /missing data set name/);
  const sizes = await cli("features", [
    "mnist",
    "--parzen-baselines",
    "--samples",
    "20000",
    "--train-size",
    "10000",
  ]);
  assert.equal(sizes.code, 2);
  assert.match(sizes.stderr, /--samples 20000 is more than the 10000 training images/);
  const bad = await cli("features", ["mnist", "--test", "0"]);
  assert.equal(bad.code, 2);
  assert.match(bad.stderr, /--test: got "0", expected an integer >= 1/);
});
