import assert from "node:assert/strict";
import { parseSamples } from "../../lib/report/sample_panels.ts";

Deno.test("parseSamples reads x or x,y and drops non-finite rows", () => {
  assert.deepEqual(parseSamples("x\n1\n2.5\nNaN\n"), { dim: 1, x: [1, 2.5], y: [] });
  assert.deepEqual(parseSamples("x,y\n1,2\n3,Infinity\n-1,-2\n"), {
    dim: 2,
    x: [1, -1],
    y: [2, -2],
  });
});
