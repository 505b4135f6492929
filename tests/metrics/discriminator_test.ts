import assert from "node:assert/strict";
import { discriminatorStats, valueEstimate } from "../../lib/metrics/discriminator.ts";

function close(actual: number, expected: number, tol = 1e-12): void {
  assert.ok(Math.abs(actual - expected) <= tol, `${actual} is not within ${tol} of ${expected}`);
}

const s = (x: number) => 1 / (1 + Math.exp(-x));

Deno.test("discriminatorStats: hand-made logits", () => {
  // s(1) = 0.7310586, s(2) = 0.8807971, s(3) = 0.9525741, s(-x) = 1 - s(x).
  // train [2, -1, 0, 3]: mean D = (0.8807971 + 0.2689414 + 0.5 + 0.9525741) / 4 = 0.6505781
  //   acc (logit > 0) = 2/4; r_t = (1 - 1 + 0 + 1) / 4 = 0.25
  // valid [1, -2]: mean D = (0.7310586 + 0.1192029) / 2 = 0.4251307; acc = 1/2
  // gap = 0.6505781 - 0.4251307 = 0.2254474
  // fake [-3, -1, 1]: mean D = (0.0474259 + 0.2689414 + 0.7310586) / 3 = 0.3491420
  //   acc (logit < 0) = 2/3
  const stats = discriminatorStats([2, -1, 0, 3], new Float32Array([1, -2]), [-3, -1, 1]);
  close(stats.dRealTrain, 0.6505781, 1e-7);
  close(stats.dRealValid, 0.4251307, 1e-7);
  close(stats.dFake, 0.3491420, 1e-7);
  close(stats.dGap, 0.2254474, 1e-7);
  close(stats.dRealTrain, (s(2) + s(-1) + 0.5 + s(3)) / 4);
  assert.equal(stats.accRealTrain, 0.5);
  assert.equal(stats.accRealValid, 0.5);
  close(stats.accFake, 2 / 3);
  assert.equal(stats.rT, 0.25);
});

Deno.test("discriminatorStats: r_t is 1 when every train logit is positive, 0 for sign(0)", () => {
  assert.equal(discriminatorStats([0.1, 5, 9], [1], [-1]).rT, 1);
  assert.equal(discriminatorStats([0, 0], [1], [-1]).rT, 0);
  assert.equal(discriminatorStats([-1, -2], [1], [-1]).rT, -1);
  // A logit of exactly 0 is neither a correct real nor a correct fake.
  const zero = discriminatorStats([0], [0], [0]);
  assert.equal(zero.accRealTrain, 0);
  assert.equal(zero.accFake, 0);
  assert.equal(zero.dGap, 0);
});

Deno.test("valueEstimate: -log 4 when all logits are 0", () => {
  close(valueEstimate([0, 0, 0], new Float32Array(5)), -Math.log(4));
});

Deno.test("valueEstimate: hand-computed mean of log D and log(1 - D)", () => {
  // real [1, -2] -> (log s(1) + log s(-2)) / 2; fake [0.5] -> log(1 - s(0.5))
  const expected = (Math.log(s(1)) + Math.log(s(-2))) / 2 + Math.log(1 - s(0.5));
  close(valueEstimate([1, -2], [0.5]), expected);
});

Deno.test("valueEstimate: stays finite for saturated logits", () => {
  // A perfect D gives V -> 0; a totally fooled one gives large negative values.
  close(valueEstimate([1000], [-1000]), 0);
  assert.equal(valueEstimate([-1000], [1000]), -2000);
});
