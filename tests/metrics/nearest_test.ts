import assert from "node:assert/strict";
import { nearestNeighbours } from "../../lib/metrics/nearest.ts";
import { Rng } from "../../lib/runtime/rng.ts";
import { useBackend } from "../_backend.ts";

await useBackend("wasm");

// Reference: float64 double loop, strict < so the lowest index wins ties (numpy.argmin).
function brute(
  queries: ArrayLike<number>[],
  refs: ArrayLike<number>[],
): { index: number[]; distance: number[] } {
  const index: number[] = [];
  const distance: number[] = [];
  for (const x of queries) {
    let best = -1;
    let bestD2 = Infinity;
    refs.forEach((mu, j) => {
      let s = 0;
      for (let k = 0; k < x.length; k++) s += (x[k] - mu[k]) ** 2;
      if (s < bestD2) {
        best = j;
        bestD2 = s;
      }
    });
    index.push(best);
    distance.push(Math.fround(Math.sqrt(bestD2)));
  }
  return { index, distance };
}

function rows(data: Float32Array, cols: number): number[][] {
  const out: number[][] = [];
  for (let i = 0; i < data.length; i += cols) out.push(Array.from(data.subarray(i, i + cols)));
  return out;
}

function assertSame(
  got: { index: Int32Array; distance: Float32Array },
  want: { index: number[]; distance: number[] },
  what: string,
): void {
  assert.deepEqual(Array.from(got.index), want.index, `${what}: indices`);
  assert.deepEqual(Array.from(got.distance), want.distance, `${what}: distances`);
}

Deno.test("nearestNeighbours equals a float64 brute force for every Rows form and block size", () => {
  const r = new Rng(21, "nearest-test");
  const d = 6;
  const refData = r.uniforms(500 * d);
  const qData = r.uniforms(60 * d);
  const refs = rows(refData, d);
  const queries = rows(qData, d);
  const want = brute(queries, refs);
  const forms = {
    "number[] rows": [queries, refs],
    "Float32Array rows": [
      queries.map((x) => Float32Array.from(x)),
      refs.map((x) => Float32Array.from(x)),
    ],
    "flat matrix": [{ data: qData, rows: 60, cols: d }, { data: refData, rows: 500, cols: d }],
  } as const;
  for (const [form, [q, ref]] of Object.entries(forms)) {
    assertSame(nearestNeighbours(q, ref), want, form);
  }
  for (const blockSize of [1, 7, 60, 1000]) {
    assertSame(nearestNeighbours(queries, refs, { blockSize }), want, `blockSize ${blockSize}`);
  }
});

Deno.test("nearestNeighbours: ties go to the lowest index, duplicates give distance 0", () => {
  // Integer coordinates: every distance is exact, so the ties are exact.
  const refs = [[1, 0], [0, 1], [-1, 0], [0, -1], [3, 3], [0, 1]];
  const queries = [[0, 0], [0, 1], [2, 2], [0, 2]];
  const got = nearestNeighbours(queries, refs);
  // [0,0]: four refs at distance 1, lowest is 0. [0,1]: refs 1 and 5 coincide with it.
  // [2,2]: ref 4 at sqrt 2, refs 0 and 1 at sqrt 5. [0,2]: refs 1 and 5 at distance 1.
  assert.deepEqual(Array.from(got.index), [0, 1, 4, 1]);
  assert.deepEqual(Array.from(got.distance), [1, 0, Math.fround(Math.SQRT2), 1]);
  assertSame(got, brute(queries, refs), "ties");
});

Deno.test("nearestNeighbours: close points far from the origin are resolved exactly", () => {
  // Rows near 1e4 in every coordinate, 1e-3 apart: ||x||^2 + ||mu||^2 - 2 x.mu in float32
  // without centring would lose every digit of the difference.
  const r = new Rng(22, "nearest-close");
  const d = 16;
  const refs = rows(r.uniforms(300 * d, 1e4, 1e4 + 1e-2), d);
  const perm = r.permutation(300).slice(0, 40);
  const queries = Array.from(perm, (j) => refs[j].map((v) => v + (r.uniform() - 0.5) * 1e-5));
  const got = nearestNeighbours(queries, refs);
  assert.deepEqual(Array.from(got.index), Array.from(perm));
  assertSame(got, brute(queries, refs), "close points");
  // Queries equal to refs: distance exactly 0, at the first copy.
  const same = nearestNeighbours(refs.slice(0, 10), [...refs, ...refs]);
  assert.deepEqual(Array.from(same.index), [0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
  assert.ok(same.distance.every((v) => v === 0));
});

Deno.test("nearestNeighbours: MNIST-sized rows (d = 784), queries near refs and random", () => {
  const r = new Rng(23, "nearest-784");
  const d = 784;
  const refs = rows(r.uniforms(200 * d), d);
  const queries = [
    ...rows(r.uniforms(10 * d), d),
    ...refs.slice(0, 10).map((x) => x.map((v) => v + r.normal() * 1e-3)),
  ];
  assertSame(nearestNeighbours(queries, refs), brute(queries, refs), "d = 784");
});

Deno.test("nearestNeighbours: values whose products overflow float32 fall back to float64", () => {
  const refs = [[0, 0], [1e20, 1], [-1e20, 0]];
  const got = nearestNeighbours([[1e20, 0], [0, 3]], refs);
  assert.deepEqual(Array.from(got.index), [1, 0]);
  assert.deepEqual(Array.from(got.distance), [1, 3]);
});

Deno.test("nearestNeighbours: the cpu backend gives the same answers", async () => {
  const r = new Rng(24, "nearest-cpu");
  const refs = rows(r.uniforms(100 * 5), 5);
  const queries = rows(r.uniforms(20 * 5), 5);
  await useBackend("cpu");
  try {
    assertSame(nearestNeighbours(queries, refs), brute(queries, refs), "cpu");
  } finally {
    await useBackend("wasm");
  }
});

Deno.test("nearestNeighbours: bad input is an error naming the argument and what is accepted", () => {
  const ok = [[0, 1], [1, 0]];
  const cases: [() => unknown, RegExp][] = [
    [
      () => nearestNeighbours([], ok),
      /nearestNeighbours: queries is empty; expected at least one row/,
    ],
    [() => nearestNeighbours(ok, []), /nearestNeighbours: refs is empty/],
    [() => nearestNeighbours(ok, [[0, 1], [2]]), /refs\[1\] has 1 values but refs\[0\] has 2/],
    [() => nearestNeighbours([[0, 1, 2]], ok), /queries has 3 values per row but refs has 2/],
    [
      () => nearestNeighbours(ok, [[0, Infinity]]),
      /refs\[0\]\[1\] is Infinity; expected finite numbers/,
    ],
    [
      () => nearestNeighbours({ data: new Float32Array(4), rows: 2, cols: 3 }, ok),
      /queries.data has 4 values, expected rows \* cols = 2 \* 3 = 6/,
    ],
    [
      () => nearestNeighbours({ data: [0, 1] as unknown as Float32Array, rows: 1, cols: 2 }, ok),
      /queries.data is .*; expected a Float32Array/,
    ],
    [
      () => nearestNeighbours(ok, ok, { blockSize: 1.5 }),
      /options.blockSize is 1.5; expected an integer >= 1/,
    ],
  ];
  for (const [f, re] of cases) assert.throws(f, re);
});
