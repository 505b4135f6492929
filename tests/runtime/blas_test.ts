/**
 * The native BLAS binding: sgemm and sgemv against a float64 JavaScript
 * reference over shapes, transposes, strides, alpha and beta; the library
 * search and its messages. Skipped (with a message) only where no BLAS
 * library loads (Debian: `apt-get install libopenblas0-serial`).
 */
import assert from "node:assert/strict";
import {
  type Blas,
  blasCandidates,
  blasStatus,
  loadBlas,
  nativeBlas,
  searchBlas,
} from "../../lib/runtime/blas.ts";
import { Rng } from "../../lib/runtime/rng.ts";

const blas = nativeBlas();
const status = blasStatus();
if (!blas) {
  console.log(
    `blas_test: skipped, no native BLAS: ${"reason" in status ? status.reason : ""}`,
  );
}
const ignore = blas === null;

/** Row-major reference: C = alpha op(A) op(B) + beta C, in float64. */
function refGemm(...args: Parameters<Blas["sgemm"]>): Float64Array {
  const [transA, transB, m, n, k, alpha, a, lda, b, ldb, beta, c, ldc] = args;
  const out = new Float64Array(m * n);
  for (let i = 0; i < m; i++) {
    for (let j = 0; j < n; j++) {
      let s = 0;
      for (let p = 0; p < k; p++) {
        const av = transA ? a[p * lda + i] : a[i * lda + p];
        const bv = transB ? b[j * ldb + p] : b[p * ldb + j];
        s += av * bv;
      }
      out[i * n + j] = alpha * s + (beta === 0 ? 0 : beta * c[i * ldc + j]);
    }
  }
  return out;
}

function close(got: ArrayLike<number>, want: ArrayLike<number>, scale: number, what: string) {
  assert.equal(got.length, want.length, `${what}: length`);
  for (let i = 0; i < want.length; i++) {
    const tol = 1e-5 * scale + 1e-6 * Math.abs(want[i]);
    if (!(Math.abs(got[i] - want[i]) <= tol)) {
      assert.fail(`${what}: element ${i} is ${got[i]}, expected ${want[i]} (tolerance ${tol})`);
    }
  }
}

Deno.test({
  name: "sgemm matches a float64 reference over shapes, transposes, strides, alpha and beta",
  ignore,
  fn() {
    const rng = new Rng(7, "blas-test");
    const shapes = [[1, 1, 1], [3, 5, 4], [17, 1, 9], [1, 13, 6], [33, 20, 65], [64, 48, 1]];
    for (const [m, n, k] of shapes) {
      for (const transA of [false, true]) {
        for (const transB of [false, true]) {
          for (const [alpha, beta] of [[1, 0], [0.5, 1], [-2, 0.25]]) {
            // Row strides wider than the matrix (pad 3) check lda/ldb/ldc.
            const lda = (transA ? m : k) + 3;
            const ldb = (transB ? k : n) + 3;
            const ldc = n + 2;
            const a = rng.normals((transA ? k : m) * lda);
            const b = rng.normals((transB ? n : k) * ldb);
            const c = rng.normals(m * ldc);
            if (beta === 0) c.fill(NaN); // beta 0 must ignore C, NaN included
            const want = refGemm(transA, transB, m, n, k, alpha, a, lda, b, ldb, beta, c, ldc);
            blas!.sgemm(transA, transB, m, n, k, alpha, a, lda, b, ldb, beta, c, ldc);
            const got = new Float64Array(m * n);
            for (let i = 0; i < m; i++) {
              for (let j = 0; j < n; j++) got[i * n + j] = c[i * ldc + j];
            }
            close(got, want, Math.sqrt(k) * 2, `sgemm ${m}x${n}x${k} tA=${transA} tB=${transB}`);
          }
        }
      }
    }
  },
});

Deno.test({
  name: "sgemv matches a float64 reference, both orientations, with strides",
  ignore,
  fn() {
    const rng = new Rng(8, "blas-test");
    for (const [m, n] of [[1, 1], [7, 3], [3, 7], [200, 50]]) {
      for (const trans of [false, true]) {
        const lda = n + 1;
        const a = rng.normals(m * lda);
        const [xLen, yLen] = trans ? [m, n] : [n, m];
        const x = rng.normals(xLen * 2); // incX 2
        const y = rng.normals(yLen);
        const beta = 0.5;
        const want = new Float64Array(yLen);
        for (let i = 0; i < yLen; i++) {
          let s = 0;
          for (let p = 0; p < xLen; p++) {
            s += (trans ? a[p * lda + i] : a[i * lda + p]) * x[2 * p];
          }
          want[i] = 1.5 * s + beta * y[i];
        }
        blas!.sgemv(trans, m, n, 1.5, a, lda, x, 2, beta, y, 1);
        close(y, want, Math.sqrt(xLen) * 2, `sgemv ${m}x${n} trans=${trans}`);
      }
    }
  },
});

Deno.test({
  name: "sgemm is bit-identical run to run (one thread) and writes into views of a larger buffer",
  ignore,
  fn() {
    const rng = new Rng(9, "blas-test");
    const [m, n, k] = [96, 80, 130];
    const heap = new Float32Array(m * k + k * n + m * n + 8);
    heap.set(rng.normals(m * k + k * n), 0);
    const a = heap.subarray(0, m * k);
    const b = heap.subarray(m * k, m * k + k * n);
    const c = heap.subarray(m * k + k * n, m * k + k * n + m * n);
    heap.fill(123, m * k + k * n + m * n); // guard cells after C
    blas!.sgemm(false, false, m, n, k, 1, a, k, b, n, 0, c, n);
    const first = c.slice();
    c.fill(0);
    blas!.sgemm(false, false, m, n, k, 1, a, k, b, n, 0, c, n);
    assert.deepEqual(c, first);
    assert.ok(heap.subarray(heap.length - 8).every((v) => v === 123), "wrote past C");
  },
});

Deno.test({
  name: "saxpy: y += alpha x, with strides",
  ignore,
  fn() {
    const rng = new Rng(10, "blas-test");
    const x = rng.normals(40);
    const y = rng.normals(40);
    // Strided: x contiguous (15 entries), y every other entry.
    const y2 = y.slice();
    blas!.saxpy(15, -0.3, x, 1, y2, 2);
    for (let i = 0; i < 40; i++) {
      const expect = i % 2 === 0 && i < 30 ? y[i] + Math.fround(-0.3) * x[i / 2] : y[i];
      assert.ok(Math.abs(y2[i] - expect) < 1e-6, `${i}: ${y2[i]} vs ${expect}`);
    }
    const y3 = y.slice();
    blas!.saxpy(40, 2, x, 1, y3, 1);
    y3.forEach((v, i) => assert.ok(Math.abs(v - (y[i] + 2 * x[i])) < 1e-5));
  },
});

Deno.test("the library search: off, a missing path, candidates per platform", () => {
  const off = searchBlas("off");
  assert.ok("reason" in off && /disabled \(GAN_HARNESS_BLAS=off\)/.test(off.reason));
  const missing = searchBlas("/nonexistent/libnothing.so");
  assert.ok("reason" in missing);
  assert.match(missing.reason, /\/nonexistent\/libnothing\.so/);
  assert.match(missing.reason, /unset it/);
  assert.throws(() => loadBlas("/nonexistent/libnothing.so"));
  assert.ok(blasCandidates("darwin", "aarch64").some((p) => p.includes("Accelerate")));
  assert.equal(
    blasCandidates("linux", "x86_64")[0],
    "/usr/lib/x86_64-linux-gnu/openblas-serial/libopenblas.so.0",
  );
  assert.ok(blasCandidates("linux", "aarch64")[0].includes("aarch64-linux-gnu"));
  if (blas) {
    assert.ok(blas.name.length > 0 && blas.path.length > 0);
    assert.equal(nativeBlas(), blas, "cached");
  }
});
