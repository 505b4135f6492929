import assert from "node:assert/strict";
import { erf, erfc } from "../../lib/metrics/erf.ts";

function relClose(actual: number, expected: number, rel = 1e-12): void {
  assert.ok(
    Math.abs(actual - expected) <= rel * Math.abs(expected),
    `${actual} is not within relative ${rel} of ${expected}`,
  );
}

// Reference values from Python's math.erf / math.erfc (glibc).
Deno.test("erf: known values on both sides of the series/fraction switch", () => {
  assert.equal(erf(0), 0);
  relClose(erf(0.1), 0.1124629160182849);
  relClose(erf(0.5), 0.5204998778130465);
  relClose(erf(1), 0.8427007929497149);
  relClose(erf(2), 0.9953222650189527);
  relClose(erf(2.49), 0.9995707121322661);
  relClose(erf(2.51), 0.9996142945182758);
  relClose(erf(3), 0.9999779095030014);
});

Deno.test("erf: odd function, and erf(-inf) = -1", () => {
  relClose(erf(-1), -0.8427007929497149);
  relClose(erf(-0.3), -0.3286267594591274);
  assert.equal(erf(-Infinity), -1);
  assert.equal(erf(Infinity), 1);
});

Deno.test("erfc: keeps relative accuracy deep in the upper tail", () => {
  relClose(erfc(1), 0.15729920705028513);
  relClose(erfc(2.4), 0.0006885138966450789, 1e-11);
  relClose(erfc(3), 2.2090496998585438e-5);
  relClose(erfc(5), 1.5374597944280351e-12);
  relClose(erfc(10), 2.088487583762545e-45);
  relClose(erfc(26), 5.663192408856143e-296);
  relClose(erfc(-1), 1.842700792949715);
});
