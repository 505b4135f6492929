import assert from "node:assert/strict";
import { concatBytes } from "../../lib/io/mod.ts";

Deno.test("concatBytes joins arrays end to end into a new array", () => {
  const a = new Uint8Array([1, 2]);
  const joined = concatBytes([a, new Uint8Array(0), new Uint8Array([3]), a.subarray(1)]);
  assert.deepEqual(joined, new Uint8Array([1, 2, 3, 2]));
  joined[0] = 9;
  assert.equal(a[0], 1, "a copy, not a view");
  assert.deepEqual(concatBytes([]), new Uint8Array(0));
});
