import assert from "node:assert/strict";
import * as tf from "@tensorflow/tfjs";
import {
  logMeanExp,
  PARZEN_SIGMAS,
  parzenEstimate,
  parzenLogLikelihood,
  parzenLogLikelihoods,
  selectParzenSigma,
} from "../../lib/metrics/parzen.ts";
import { Rng } from "../../lib/runtime/rng.ts";
import { useBackend } from "../_backend.ts";

await useBackend("wasm");

// Reference: a float64 double loop over every (point, sample) pair, with the
// log-mean-exp taken in log space (largest term out first).
function bruteLogP(samples: number[][], x: ArrayLike<number>, sigma: number): number {
  const d = x.length;
  const e = samples.map((mu) => {
    let s = 0;
    for (let k = 0; k < d; k++) s += (x[k] - mu[k]) ** 2;
    return -s / (2 * sigma * sigma);
  });
  const max = Math.max(...e);
  const lme = max + Math.log(e.reduce((acc, v) => acc + Math.exp(v - max), 0) / e.length);
  return lme - d * Math.log(sigma * Math.sqrt(2 * Math.PI));
}

function summary(values: number[], ddof = 0): { mean: number; se: number } {
  const n = values.length;
  const mean = values.reduce((a, b) => a + b, 0) / n;
  const ss = values.reduce((a, v) => a + (v - mean) ** 2, 0);
  return { mean, se: Math.sqrt(ss / (n - ddof)) / Math.sqrt(n) };
}

function rows(data: Float32Array, cols: number): number[][] {
  const out: number[][] = [];
  for (let i = 0; i < data.length; i += cols) out.push(Array.from(data.subarray(i, i + cols)));
  return out;
}

/**
 * The stated tolerance for log p(x): the float32 distance error bound
 * errorScale * (||x_c||^2 + ||mu_c||^2) over 2 sigma^2 (x_c, mu_c centred on
 * the samples' mean; errorScale = 2 (gamma_{d+1} + 5u), u = 2^-24), plus
 * 1e-9 for the table exponentials and the skipped terms.
 */
function tolerance(samples: number[][], points: number[][], sigma: number): number {
  const d = samples[0].length;
  const centre = new Array(d).fill(0);
  for (const s of samples) for (let k = 0; k < d; k++) centre[k] += s[k] / samples.length;
  const norm = (r: number[]) => r.reduce((a, v, k) => a + (v - centre[k]) ** 2, 0);
  const u = 2 ** -24;
  const g = (d + 1) * u / (1 - (d + 1) * u);
  const scale = 2 * (g + 5 * u);
  const bound = scale * (Math.max(...points.map(norm)) + Math.max(...samples.map(norm)));
  return bound / (2 * sigma * sigma) + 1e-9;
}

function close(actual: number, expected: number, tol: number, what = ""): void {
  assert.ok(
    Math.abs(actual - expected) <= tol,
    `${what}${actual} is not within ${tol} of ${expected} (off by ${Math.abs(actual - expected)})`,
  );
}

const D = 7;
const rng = new Rng(11, "parzen-test");
const sampleData = rng.uniforms(300 * D);
const pointData = rng.uniforms(40 * D);
const samples = rows(sampleData, D);
const points = rows(pointData, D);
const forms = {
  "number[] rows": [samples, points],
  "Float32Array rows": [
    samples.map((r) => Float32Array.from(r)),
    points.map((r) => Float32Array.from(r)),
  ],
  "flat matrix": [
    { data: sampleData, rows: 300, cols: D },
    { data: pointData, rows: 40, cols: D },
  ],
} as const;

Deno.test("PARZEN_SIGMAS: 10 values log-spaced in [0.1, 1] (numpy.logspace(-1, 0, 10))", () => {
  assert.equal(PARZEN_SIGMAS.length, 10);
  close(PARZEN_SIGMAS[0], 0.1, 1e-16);
  close(PARZEN_SIGMAS[9], 1, 1e-16);
  const numpy = [
    0.1,
    0.12915496650148839,
    0.16681005372000587,
    0.21544346900318834,
    0.2782559402207124,
    0.35938136638046275,
    0.46415888336127786,
    0.5994842503189409,
    0.774263682681127,
    1,
  ];
  PARZEN_SIGMAS.forEach((s, k) => close(s, numpy[k], 1e-15, `sigma ${k}: `));
});

Deno.test("logMeanExp: stable for huge magnitudes, exact edge cases", () => {
  close(logMeanExp([-1e6, -1e6 - 1]), -1e6 + Math.log((1 + Math.exp(-1)) / 2), 1e-9);
  close(logMeanExp([1000, 1000]), 1000, 1e-12);
  assert.equal(logMeanExp([]), -Infinity);
  assert.equal(logMeanExp([-Infinity, -Infinity]), -Infinity);
  close(logMeanExp([-Infinity, 0]), Math.log(0.5), 1e-15);
  assert.ok(Number.isNaN(logMeanExp([0, NaN])));
});

Deno.test("parzenLogLikelihoods matches a float64 brute force at every sigma, for every Rows form", () => {
  for (const [form, [s, p]] of Object.entries(forms)) {
    const lls = parzenLogLikelihoods(s, p, PARZEN_SIGMAS);
    assert.equal(lls.length, PARZEN_SIGMAS.length);
    PARZEN_SIGMAS.forEach((sigma, k) => {
      const tol = tolerance(samples, points, sigma);
      assert.equal(lls[k].length, points.length);
      points.forEach((x, i) => {
        close(
          lls[k][i],
          bruteLogP(samples, x, sigma),
          tol,
          `${form}, sigma ${sigma}, point ${i}: `,
        );
      });
    });
  }
});

Deno.test("parzenLogLikelihood: mean and se = population std / sqrt(n) (ddof 0, as numpy.std)", () => {
  const sigma = 0.2;
  const brute = points.map((x) => bruteLogP(samples, x, sigma));
  const want = summary(brute, 0);
  const tol = tolerance(samples, points, sigma);
  // sd is 1-Lipschitz in the largest per-point error, so se is off by at most tol / sqrt(n).
  const seTol = tol / Math.sqrt(points.length);
  for (const [form, [s, p]] of Object.entries(forms)) {
    const got = parzenLogLikelihood(s, p, sigma);
    close(got.mean, want.mean, tol, `${form} mean: `);
    close(got.se, want.se, seTol, `${form} se: `);
  }
  // ddof 1 would differ by a factor sqrt(n / (n - 1)), far beyond the tolerance.
  const ddof1 = summary(brute, 1).se;
  assert.ok(Math.abs(ddof1 - want.se) > 100 * seTol, `the test cannot tell ddof 0 from 1`);
  // One point: se 0.
  assert.equal(parzenLogLikelihood(samples, [points[0]], sigma).se, 0);
});

Deno.test("parzenLogLikelihood: block size does not change the result beyond the tolerance", () => {
  const sigma = 0.1;
  const tol = tolerance(samples, points, sigma);
  const ref = parzenLogLikelihood(samples, points, sigma);
  for (const blockSize of [1, 3, 40, 1000]) {
    const got = parzenLogLikelihood(samples, points, sigma, { blockSize });
    close(got.mean, ref.mean, 2 * tol, `blockSize ${blockSize}: `);
  }
});

Deno.test("parzen: huge distances stay finite (no -Infinity where the log-space value is finite)", () => {
  // Points 1000 away in every coordinate: -||x - mu||^2 / (2 sigma^2) is about -3.5e8
  // at sigma 0.1, so exp underflows in every term and a naive log(mean(exp)) is -Infinity.
  const far = points.map((r) => r.map((v) => v + 1000));
  const sigma = 0.1;
  const naive = Math.log(
    samples.reduce(
      (a, mu) => a + Math.exp(-far[0].reduce((s, v, k) => s + (v - mu[k]) ** 2, 0) / 0.02),
      0,
    ) / samples.length,
  );
  assert.equal(naive, -Infinity);
  const lls = parzenLogLikelihoods(samples, far, [sigma, 1])[0];
  const tol = tolerance(samples, far, sigma);
  far.forEach((x, i) => {
    const want = bruteLogP(samples, x, sigma);
    assert.ok(Number.isFinite(lls[i]), `point ${i}: ${lls[i]}`);
    close(lls[i], want, tol, `far point ${i}: `);
    assert.ok(tol < 1e-5 * Math.abs(want), `tolerance ${tol} is loose against ${want}`);
  });
});

Deno.test("parzen: points equal to samples (close points, float32 cancellation) match the brute force", () => {
  const same = samples.slice(0, 20);
  for (const sigma of [0.1, 1]) {
    const lls = parzenLogLikelihoods(samples, same, [sigma])[0];
    const tol = tolerance(samples, same, sigma);
    same.forEach((x, i) => close(lls[i], bruteLogP(samples, x, sigma), tol, `sample ${i}: `));
  }
});

Deno.test("parzen: MNIST-sized rows (d = 784) stay within the stated tolerance at sigma 0.1", () => {
  const r = new Rng(5, "parzen-784");
  const d = 784;
  const s = rows(r.uniforms(60 * d), d);
  const p = rows(r.uniforms(8 * d), d);
  // Half of the points are copies of samples: the distance-0 case at full width.
  p.push(...s.slice(0, 8));
  for (const sigma of [0.1, 1]) {
    const lls = parzenLogLikelihoods(s, p, [sigma])[0];
    const tol = tolerance(s, p, sigma);
    let worst = 0;
    p.forEach((x, i) => {
      const want = bruteLogP(s, x, sigma);
      close(lls[i], want, tol, `sigma ${sigma}, point ${i}: `);
      worst = Math.max(worst, Math.abs(lls[i] - want));
    });
    // The bound is a worst case over summation orders; the real error is far smaller.
    assert.ok(worst < tol / 10, `worst error ${worst} vs tolerance ${tol}`);
  }
});

Deno.test("selectParzenSigma picks the argmax of the brute-force validation means", () => {
  const r = new Rng(3, "parzen-sigma");
  // Samples from a Gaussian blob with std 0.3: a middle bandwidth wins.
  const s = rows(r.normals(400 * 3, 0.3), 3);
  const v = rows(r.normals(50 * 3, 0.3), 3);
  const got = selectParzenSigma(s, v);
  const means = PARZEN_SIGMAS.map((sigma) => summary(v.map((x) => bruteLogP(s, x, sigma))).mean);
  const best = means.indexOf(Math.max(...means));
  assert.ok(best > 0 && best < 9, `the designed case should peak inside the grid, got ${best}`);
  assert.equal(got.sigma, PARZEN_SIGMAS[best]);
  assert.deepEqual(got.scores.map((x) => x.sigma), PARZEN_SIGMAS);
  got.scores.forEach((score, k) =>
    close(score.mean, means[k], tolerance(s, v, score.sigma), `sigma ${score.sigma}: `)
  );
  // Custom sigmas, in the given order; the best is found wherever it sits.
  const custom = [1, PARZEN_SIGMAS[best], 0.1];
  const c = selectParzenSigma(s, v, custom);
  assert.equal(c.sigma, PARZEN_SIGMAS[best]);
  assert.deepEqual(c.scores.map((x) => x.sigma), custom);
  // The same sigma twice scores the same, bit for bit.
  const twice = selectParzenSigma(s, v, [0.5, 0.5]);
  assert.equal(twice.scores[0].mean, twice.scores[1].mean);
});

Deno.test("parzenEstimate = sigma search on valid, then the test mean and se at that sigma", () => {
  const r = new Rng(4, "parzen-estimate");
  const s = rows(r.normals(300 * 4, 0.3), 4);
  const v = rows(r.normals(30 * 4, 0.3), 4);
  const t = { data: r.normals(70 * 4, 0.3), rows: 70, cols: 4 };
  const calls: [number, number][] = [];
  const est = parzenEstimate(s, v, t, {
    blockSize: 16,
    onProgress: (done, total) => calls.push([done, total]),
  });
  const search = selectParzenSigma(s, v);
  assert.equal(est.sigma, search.sigma);
  assert.equal(est.n, 70);
  const direct = parzenLogLikelihood(s, t, est.sigma);
  close(est.mean, direct.mean, 1e-9);
  close(est.se, direct.se, 1e-9);
  est.scores.forEach((score, k) => {
    close(score.mean, search.scores[k].mean, 1e-9);
    const test = parzenLogLikelihood(s, t, score.sigma);
    close(score.test!.mean, test.mean, 1e-9);
    close(score.test!.se, test.se, 1e-9);
  });
  // Brute force on the test set at the chosen sigma.
  const tRows = rows(t.data, 4);
  const want = summary(tRows.map((x) => bruteLogP(s, x, est.sigma)));
  close(est.mean, want.mean, tolerance(s, tRows, est.sigma));
  // Progress: blocks of 16 over 30 valid + 70 test points, ending at (100, 100).
  assert.deepEqual(calls.map(([d]) => d), [16, 30, 46, 62, 78, 94, 100]);
  assert.ok(calls.every(([, total]) => total === 100));
  // testEverySigma false: the same estimate, no per-sigma test results.
  const lean = parzenEstimate(s, v, t, { testEverySigma: false });
  assert.equal(lean.sigma, est.sigma);
  close(lean.mean, est.mean, 1e-9);
  close(lean.se, est.se, 1e-9);
  assert.ok(lean.scores.every((x) => x.test === undefined));
});

Deno.test("parzen: the cpu backend agrees with the brute force too", async () => {
  await useBackend("cpu");
  try {
    assert.equal(tf.getBackend(), "cpu");
    const sigma = 0.15;
    const lls = parzenLogLikelihoods(samples, points, [sigma])[0];
    const tol = tolerance(samples, points, sigma);
    points.forEach((x, i) => close(lls[i], bruteLogP(samples, x, sigma), tol, `point ${i}: `));
  } finally {
    await useBackend("wasm");
  }
});

Deno.test("parzen: bad input is an error naming the argument and what is accepted", () => {
  const ok = [[0, 1], [1, 0]];
  const cases: [() => unknown, RegExp][] = [
    [
      () => parzenLogLikelihood([], ok, 0.1),
      /parzenLogLikelihood: samples is empty; expected at least one row/,
    ],
    [() => parzenLogLikelihood(ok, [], 0.1), /points is empty/],
    [
      () => parzenLogLikelihood([[0, 1], [1]], ok, 0.1),
      /samples\[1\] has 1 values but samples\[0\] has 2; every row of samples must have the same length/,
    ],
    [
      () => parzenLogLikelihood(ok, [[0, 1, 2]], 0.1),
      /points has 3 values per row but samples has 2/,
    ],
    [() => parzenLogLikelihood([[]], ok, 0.1), /samples\[0\] has no values/],
    [
      () => parzenLogLikelihood(ok, [[0, NaN]], 0.1),
      /points\[0\]\[1\] is NaN; expected finite numbers/,
    ],
    [
      () => parzenLogLikelihood({ data: new Float32Array(5), rows: 2, cols: 3 }, ok, 0.1),
      /samples.data has 5 values, expected rows \* cols = 2 \* 3 = 6/,
    ],
    [
      () => parzenLogLikelihood({ data: new Float32Array(0), rows: 0, cols: 2 }, ok, 0.1),
      /samples is empty \(rows 0\)/,
    ],
    [() => parzenLogLikelihood(ok, ok, 0), /sigma is 0; expected a finite number > 0/],
    [() => parzenLogLikelihood(ok, ok, -1), /sigma is -1; expected a finite number > 0/],
    [() => parzenLogLikelihood(ok, ok, NaN), /sigma is NaN/],
    [
      () => parzenLogLikelihood(ok, ok, 0.1, { blockSize: 0 }),
      /options.blockSize is 0; expected an integer >= 1/,
    ],
    [() => selectParzenSigma(ok, ok, []), /selectParzenSigma: sigmas must be a non-empty array/],
    [
      () => selectParzenSigma(ok, ok, [0.1, -0.2]),
      /sigmas\[1\] is -0.2; expected a finite number > 0/,
    ],
    [
      () => parzenEstimate(ok, ok, [[1]]),
      /parzenEstimate: test has 1 values per row but samples has 2/,
    ],
    [() => parzenEstimate(ok, [], ok), /parzenEstimate: valid is empty/],
    [() => parzenEstimate(ok, ok, ok, { sigmas: [Infinity] }), /options.sigmas\[0\] is Infinity/],
  ];
  for (const [f, re] of cases) assert.throws(f, re);
});
