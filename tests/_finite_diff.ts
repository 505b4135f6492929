/**
 * Gradient checks against central finite differences of a float64
 * reference function.
 */
import assert from "node:assert/strict";

/**
 * Asserts that `got[k]` is within `tol` of (f(theta + h e_k) - f(theta - h e_k)) / 2h
 * for every k.
 */
export function assertCentralDifferences(
  got: ArrayLike<number>,
  theta: number[],
  f: (theta: number[]) => number,
  options: { h?: number; tol?: number; label?: string } = {},
): void {
  const h = options.h ?? 1e-6;
  const tol = options.tol ?? 1e-4;
  assert.equal(got.length, theta.length, "one gradient per parameter");
  theta.forEach((_, k) => {
    const up = theta.slice();
    const down = theta.slice();
    up[k] += h;
    down[k] -= h;
    const fd = (f(up) - f(down)) / (2 * h);
    assert.ok(
      Math.abs(got[k] - fd) < tol,
      `${options.label ?? ""}: d/dtheta[${k}] ${got[k]} vs ${fd}`,
    );
  });
}
