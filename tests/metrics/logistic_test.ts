import assert from "node:assert/strict";
import { sigmoid, softplus } from "../../lib/metrics/logistic.ts";

function close(actual: number, expected: number, tol = 1e-12): void {
  assert.ok(Math.abs(actual - expected) <= tol, `${actual} is not within ${tol} of ${expected}`);
}

Deno.test("sigmoid: 1/2 at 0, symmetric, hand-computed value", () => {
  assert.equal(sigmoid(0), 0.5);
  close(sigmoid(2), 1 / (1 + Math.exp(-2)));
  close(sigmoid(-2) + sigmoid(2), 1);
  close(sigmoid(-3), Math.exp(-3) / (1 + Math.exp(-3)));
});

Deno.test("sigmoid: saturates at large |x| without NaN", () => {
  assert.equal(sigmoid(1000), 1);
  assert.equal(sigmoid(-1000), 0);
  // exp(-740) is a subnormal double; the stable branch keeps it above 0.
  assert.ok(sigmoid(-740) > 0);
});

Deno.test("softplus: log 2 at 0 and log(1 + e^x) at moderate x", () => {
  close(softplus(0), Math.LN2);
  close(softplus(1), Math.log(1 + Math.E));
  close(softplus(-1), Math.log(1 + Math.exp(-1)));
});

Deno.test("softplus: no overflow for large positive x, no underflow loss for negative x", () => {
  assert.equal(softplus(1000), 1000);
  close(softplus(800), 800);
  assert.equal(softplus(-1000), 0);
  // log1p keeps precision where log(1 + tiny) would round to 0.
  close(softplus(-40), Math.exp(-40), 1e-30);
  assert.ok(softplus(-40) > 0);
});
