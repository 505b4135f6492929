/**
 * The element-wise work of {@link FlatNet}'s passes, as plain loops over
 * row-major `Float32Array`s: broadcasting a bias into rows, activations and
 * their gradients, maxout pooling and its gradient routing, and applying a
 * dropout mask. Each result is rounded to float32 as the matching tfjs op
 * rounds it (activations are computed in float64 and rounded once).
 *
 * The loops choose without branches where the choice depends on the data
 * (relu, its gradient, maxout's comparisons): a comparison becomes a 0 or
 * -1 bit mask applied to the float32 bits through an `Int32Array` view, or
 * an index into a two-entry table. On activations the sign is a coin flip,
 * and a mispredicted branch per entry made these loops 4-7x slower. The
 * results are exactly those of the branching forms.
 *
 * @module
 */

/** Activations of an affine layer of a {@link FlatNet}. */
export const FLAT_ACTIVATIONS = ["linear", "relu", "leaky-relu", "tanh", "sigmoid"] as const;
/** One of {@link FLAT_ACTIVATIONS}. */
export type FlatActivation = typeof FLAT_ACTIVATIONS[number];

/** The slope of `leaky-relu` for negative inputs (as the MLP's). */
export const LEAKY_SLOPE = 0.2;

const fr = Math.fround;

/** Writes `bias` (length `cols`) into each of the first `rows` rows of `out`. */
export function fillRows(out: Float32Array, bias: Float32Array, rows: number): void {
  const cols = bias.length;
  for (let r = 0; r < rows; r++) out.set(bias, r * cols);
}

/** The float32 bits of `x` (a view of the same memory). */
function bitsOf(x: Float32Array): Int32Array {
  return new Int32Array(x.buffer, x.byteOffset, x.length);
}

/** Applies `activation` to the first `n` entries of `x`, in place. */
export function activateInPlace(x: Float32Array, n: number, activation: FlatActivation): void {
  switch (activation) {
    case "linear":
      return;
    case "relu": {
      // x < 0 ? 0 : x (NaN stays NaN).
      const bits = bitsOf(x);
      for (let i = 0; i < n; i++) bits[i] &= -(+!(x[i] < 0));
      return;
    }
    case "leaky-relu": {
      // x < 0 ? slope x : x, as x times 1 or slope.
      const factor = new Float32Array([1, LEAKY_SLOPE]);
      for (let i = 0; i < n; i++) x[i] = x[i] * factor[+(x[i] < 0)];
      return;
    }
    case "tanh":
      for (let i = 0; i < n; i++) x[i] = Math.tanh(x[i]);
      return;
    case "sigmoid":
      for (let i = 0; i < n; i++) x[i] = 1 / (1 + Math.exp(-x[i]));
      return;
  }
}

/**
 * The gradient through an activation from its output `y`: `dz = dy * f'(.)`
 * for the first `n` entries, written into `dz` (which may be `dy`). relu and
 * leaky-relu use the sign of the output (the same as the input's); tanh is
 * dy (1 - y^2) and sigmoid dy (y (1 - y)), in float32 steps as tfjs takes them.
 */
export function activationGrad(
  dy: Float32Array,
  y: Float32Array,
  n: number,
  activation: FlatActivation,
  dz: Float32Array,
): void {
  switch (activation) {
    case "linear":
      if (dz !== dy) dz.set(dy.subarray(0, n));
      return;
    case "relu": {
      // y > 0 ? dy : 0.
      const dyBits = bitsOf(dy);
      const dzBits = bitsOf(dz);
      for (let i = 0; i < n; i++) dzBits[i] = dyBits[i] & -(+(y[i] > 0));
      return;
    }
    case "leaky-relu": {
      // y > 0 ? dy : slope dy, as dy times 1 or slope.
      const factor = new Float32Array([LEAKY_SLOPE, 1]);
      for (let i = 0; i < n; i++) dz[i] = dy[i] * factor[+(y[i] > 0)];
      return;
    }
    case "tanh":
      for (let i = 0; i < n; i++) dz[i] = fr(dy[i] * fr(1 - fr(y[i] * y[i])));
      return;
    case "sigmoid":
      for (let i = 0; i < n; i++) dz[i] = fr(dy[i] * fr(y[i] * fr(1 - y[i])));
      return;
  }
}

/**
 * Maxout pooling of `rows` rows of `z` (`units * pieces` columns, column
 * `piece * units + unit`): `out[r, u]` is the largest piece of unit u (the
 * earliest on ties), and `arg[r, u]` its column in z.
 */
export function maxoutPool(
  z: Float32Array,
  rows: number,
  units: number,
  pieces: number,
  out: Float32Array,
  arg: Int32Array,
): void {
  const width = units * pieces;
  const zBits = bitsOf(z);
  const outBits = bitsOf(out);
  for (let r = 0; r < rows; r++) {
    const zr = r * width;
    const or = r * units;
    for (let u = 0; u < units; u++) {
      out[or + u] = z[zr + u];
      arg[or + u] = u;
    }
    for (let p = 1; p < pieces; p++) {
      const zp = zr + p * units;
      const col = p * units;
      for (let u = 0; u < units; u++) {
        // if (z > out) { out = z; arg = col }, without a branch.
        const take = -(+(z[zp + u] > out[or + u]));
        outBits[or + u] ^= (outBits[or + u] ^ zBits[zp + u]) & take;
        arg[or + u] ^= (arg[or + u] ^ (col + u)) & take;
      }
    }
  }
}

/**
 * The gradient of {@link maxoutPool}: each unit's gradient `dy[r, u]` goes
 * to the winning column `arg[r, u]` of `dz` (`rows` rows of `units * pieces`
 * columns); every other entry of those rows is zero.
 */
export function maxoutRoute(
  dy: Float32Array,
  arg: Int32Array,
  rows: number,
  units: number,
  pieces: number,
  dz: Float32Array,
): void {
  const width = units * pieces;
  dz.fill(0, 0, rows * width);
  for (let r = 0; r < rows; r++) {
    const zr = r * width;
    const yr = r * units;
    for (let u = 0; u < units; u++) dz[zr + arg[yr + u]] = dy[yr + u];
  }
}

/** `out[i] = x[i] * mask[i]` for the first `n` entries (`out` may be `x`). */
export function multiplyInto(
  x: Float32Array,
  mask: Float32Array,
  n: number,
  out: Float32Array,
): void {
  for (let i = 0; i < n; i++) out[i] = x[i] * mask[i];
}
