import assert from "node:assert/strict";
import { classifierScore, softmaxRows } from "../../lib/metrics/inception_score.ts";
import { Rng } from "../../lib/runtime/rng.ts";

/** Confident logits: 50 for `cls`, 0 elsewhere. */
function confident(classOf: (i: number) => number, n: number, classes = 10): Float32Array {
  const out = new Float32Array(n * classes);
  for (let i = 0; i < n; i++) out[i * classes + classOf(i)] = 50;
  return out;
}

Deno.test("classifierScore: confident and balanced over 10 classes gives 10; one class gives 1", () => {
  const balanced = classifierScore(confident((i) => i % 10, 1000), 10);
  assert.ok(Math.abs(balanced.mean - 10) < 1e-6, String(balanced.mean));
  assert.ok(balanced.sd < 1e-6);
  const one = classifierScore(confident(() => 3, 1000), 10);
  assert.ok(Math.abs(one.mean - 1) < 1e-9, String(one.mean));
  const uncertain = classifierScore(new Float32Array(1000 * 10), 10);
  assert.ok(Math.abs(uncertain.mean - 1) < 1e-12);
});

Deno.test("classifierScore: matches a float64 reference (log-softmax, numpy.array_split parts)", () => {
  const rng = new Rng(6, "t");
  const n = 103;
  const logits = rng.normals(n * 4, 2);
  const got = classifierScore(logits, 4, 10);
  const sizes = Array.from({ length: 10 }, (_, s) => (s < n % 10 ? 11 : 10));
  let from = 0;
  const scores = sizes.map((size) => {
    const rows = Array.from({ length: size }, (_, i) => {
      const l = Array.from(logits.subarray((from + i) * 4, (from + i + 1) * 4));
      const lse = Math.log(l.reduce((s, v) => s + Math.exp(v), 0));
      return l.map((v) => v - lse);
    });
    from += size;
    const py = [0, 1, 2, 3].map((c) => rows.reduce((s, r) => s + Math.exp(r[c]), 0) / size);
    const kl = rows.reduce(
      (s, r) => s + r.reduce((t, lp, c) => t + Math.exp(lp) * (lp - Math.log(py[c])), 0),
      0,
    );
    return Math.exp(kl / size);
  });
  const mean = scores.reduce((a, b) => a + b) / 10;
  assert.ok(Math.abs(got.mean - mean) < 1e-12, `${got.mean} vs ${mean}`);
  assert.equal(got.n, n);
  const p = softmaxRows([1000, 0], 2);
  assert.ok(p[0] === 1 && p[1] === 0);
});

Deno.test("classifierScore: bad input names the problem", () => {
  assert.throws(() => classifierScore([1, 2, 3], 2), /not a multiple of 2 classes/);
  assert.throws(() => classifierScore([1, 2], 2, 3), /splits is 3/);
  assert.throws(() => classifierScore([1, NaN], 2, 1), /logit 1 is NaN/);
});
