/**
 * FID against known answers: identical sets, Gaussians whose Fréchet
 * distance is known in closed form (commuting covariances in 6-D, any two
 * 2x2 covariances), and an independent float64 reference on samples (naive
 * covariances, the matrix square root of S_r S_f by Denman-Beavers
 * iteration, a different method from the library's eigendecompositions).
 */
import assert from "node:assert/strict";
import { fid, frechetDistance, type GaussianStats, gaussianStats } from "../../lib/metrics/fid.ts";
import { Rng } from "../../lib/runtime/rng.ts";

type M = number[][];
const mul = (a: M, b: M): M =>
  a.map((r) => b[0].map((_, j) => r.reduce((s, v, k) => s + v * b[k][j], 0)));
const tr = (a: M) => a.reduce((s, r, i) => s + r[i], 0);
const transpose = (a: M): M => a[0].map((_, j) => a.map((r) => r[j]));
const eye = (d: number): M =>
  Array.from({ length: d }, (_, i) => Array.from({ length: d }, (_, j) => (i === j ? 1 : 0)));

/** Inverse by Gauss-Jordan with partial pivoting (float64). */
function inverse(a: M): M {
  const d = a.length;
  const m = a.map((r, i) => [...r, ...eye(d)[i]]);
  for (let c = 0; c < d; c++) {
    let p = c;
    for (let r = c + 1; r < d; r++) if (Math.abs(m[r][c]) > Math.abs(m[p][c])) p = r;
    [m[c], m[p]] = [m[p], m[c]];
    const v = m[c][c];
    for (let j = 0; j < 2 * d; j++) m[c][j] /= v;
    for (let r = 0; r < d; r++) {
      if (r === c) continue;
      const f = m[r][c];
      for (let j = 0; j < 2 * d; j++) m[r][j] -= f * m[c][j];
    }
  }
  return m.map((r) => r.slice(d));
}

/** sqrtm by the Denman-Beavers iteration (for a matrix with positive real eigenvalues). */
function sqrtm(a: M): M {
  let y = a.map((r) => [...r]);
  let z = eye(a.length);
  for (let i = 0; i < 60; i++) {
    const yi = inverse(y);
    const zi = inverse(z);
    const ny = y.map((r, p) => r.map((v, q) => (v + zi[p][q]) / 2));
    z = z.map((r, p) => r.map((v, q) => (v + yi[p][q]) / 2));
    y = ny;
  }
  return y;
}

function stats(mean: number[], cov: M, n = 100): GaussianStats {
  return { n, dim: mean.length, mean: Float64Array.from(mean), cov: Float64Array.from(cov.flat()) };
}

/** A random orthogonal matrix (Gram-Schmidt on normals). */
function orthogonal(d: number, rng: Rng): M {
  const q: number[][] = [];
  for (let i = 0; i < d; i++) {
    let v = Array.from({ length: d }, () => rng.normal());
    for (const u of q) {
      const dot = v.reduce((s, x, k) => s + x * u[k], 0);
      v = v.map((x, k) => x - dot * u[k]);
    }
    const norm = Math.hypot(...v);
    q.push(v.map((x) => x / norm));
  }
  return q;
}

Deno.test("fid: identical sets give 0", () => {
  const rng = new Rng(1, "t");
  const x = { data: rng.normals(500 * 8), rows: 500, cols: 8 };
  const r = fid(x, x);
  assert.ok(Math.abs(r.fid) < 1e-9, String(r.fid));
  assert.equal(r.nReal, 500);
  assert.equal(r.nFake, 500);
});

Deno.test("frechetDistance: commuting covariances in 6-D: sum (sqrt a_i - sqrt b_i)^2 plus the mean term", () => {
  const rng = new Rng(2, "t");
  const q = orthogonal(6, rng);
  const a = [0.5, 1, 2, 3, 0.1, 4];
  const b = [2, 1, 0.5, 3, 0.4, 1];
  const cov = (l: number[]) =>
    mul(mul(transpose(q), l.map((v, i) => eye(6)[i].map((e) => e * v))), q);
  const mu1 = [1, 0, 0, 2, 0, 0];
  const mu2 = [0, 0, 1, 2, 0, 3];
  const expected = 1 + 1 + 9 + a.reduce((s, v, i) => s + (Math.sqrt(v) - Math.sqrt(b[i])) ** 2, 0);
  const got = frechetDistance(stats(mu1, cov(a)), stats(mu2, cov(b)));
  assert.ok(Math.abs(got - expected) < 1e-9, `${got} vs ${expected}`);
});

Deno.test("frechetDistance: any two 2x2 covariances: Tr sqrt(S1 S2) = sqrt(tr(S1 S2) + 2 sqrt(det S1 det S2))", () => {
  const s1 = [[2, 0.7], [0.7, 1]];
  const s2 = [[0.5, -0.2], [-0.2, 3]];
  const det = (m: M) => m[0][0] * m[1][1] - m[0][1] * m[1][0];
  const cross = Math.sqrt(tr(mul(s1, s2)) + 2 * Math.sqrt(det(s1) * det(s2)));
  const expected = 0.25 + 4 + tr(s1) + tr(s2) - 2 * cross;
  const got = frechetDistance(stats([0.5, 0], s1), stats([0, 2], s2));
  assert.ok(Math.abs(got - expected) < 1e-12, `${got} vs ${expected}`);
});

Deno.test("fid: samples of two 5-D Gaussians match a float64 reference (naive covariances, Denman-Beavers sqrtm)", () => {
  const rng = new Rng(3, "t");
  const d = 5;
  const n = 400;
  const real = new Float32Array(n * d);
  const fake = new Float32Array(n * d);
  for (let i = 0; i < n; i++) {
    const z = Array.from({ length: d }, () => rng.normal());
    for (let k = 0; k < d; k++) {
      real[i * d + k] = z[k] + 0.5 * z[(k + 1) % d];
      fake[i * d + k] = 1.5 * rng.normal() + (k === 0 ? 1 : 0) + 0.3 * z[k];
    }
  }
  const naive = (x: Float32Array) => {
    const mean = Array.from({ length: d }, (_, k) => {
      let s = 0;
      for (let i = 0; i < n; i++) s += x[i * d + k];
      return s / n;
    });
    const cov = Array.from({ length: d }, (_, a) =>
      Array.from({ length: d }, (_, b) => {
        let s = 0;
        for (let i = 0; i < n; i++) s += (x[i * d + a] - mean[a]) * (x[i * d + b] - mean[b]);
        return s / (n - 1);
      }));
    return { mean, cov };
  };
  const r = naive(real);
  const f = naive(fake);
  const expected = r.mean.reduce((s, v, k) => s + (v - f.mean[k]) ** 2, 0) + tr(r.cov) + tr(f.cov) -
    2 * tr(sqrtm(mul(r.cov, f.cov)));
  const got = fid({ data: real, rows: n, cols: d }, { data: fake, rows: n, cols: d });
  assert.ok(
    Math.abs(got.fid - expected) < 1e-9 * Math.max(1, expected),
    `${got.fid} vs ${expected}`,
  );
  const s = gaussianStats({ data: real, rows: n, cols: d });
  for (let a = 0; a < d; a++) {
    for (let b = 0; b < d; b++) assert.ok(Math.abs(s.cov[a * d + b] - r.cov[a][b]) < 1e-12);
  }
});

Deno.test("fid: bad input names the problem", () => {
  assert.throws(() => gaussianStats([[1, 2]]), /at least 2/);
  assert.throws(
    () => frechetDistance(stats([0], [[1]]), stats([0, 0], eye(2))),
    /dimensions differ \(1 and 2\)/,
  );
  assert.throws(() => fid([[1], [2]], [[1, 2], [3, 4]]), /same number of columns/);
});
