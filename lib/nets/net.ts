/**
 * What every architecture shares: the {@link Net} interface, seeded weight
 * initialisation, inverted dropout driven by an {@link Rng}, and parameter
 * counts for reports.
 *
 * Every weight is drawn from a seeded {@link Rng} and written into a raw
 * `tf.variable` (tfjs initialisers use Math.random and would break
 * determinism). Data flows as 2-D tensors `[batch, features]`.
 *
 * @module
 */
import { tf } from "../deps.ts";
import type { Rng } from "../runtime/rng.ts";

/** Options of {@link Net.apply}. */
export interface ApplyOptions {
  /**
   * Training mode: dropout masks are drawn from this stream, so one seed
   * drives dropout too. Absent: inference, no dropout. Nets without dropout
   * ignore it.
   */
  dropout?: Rng;
}

/** A network: its variables and its forward function. */
export interface Net {
  /** Trainable variables, in a fixed order (checkpoints rely on it). */
  variables: tf.Variable[];
  /** Maps a [batch, in] tensor to [batch, out]. */
  apply(x: tf.Tensor2D, options?: ApplyOptions): tf.Tensor2D;
  /**
   * The outputs of each hidden layer (after its activation) in inference
   * mode, for health checks (dead units). Absent for nets that do not
   * expose them.
   */
  hiddenOutputs?(x: tf.Tensor2D): tf.Tensor2D[];
  /** Frees the variables. */
  dispose(): void;
}

/**
 * How weights are initialised (biases start at zero either way):
 * `glorot` is Glorot-uniform, U(±sqrt(6 / (fanIn + fanOut))); `uniform` is
 * U(-scale, scale).
 */
export type WeightInit = { kind: "glorot" } | { kind: "uniform"; scale: number };

/** A trainable variable holding `init`, which is then released. */
export function variableFrom(init: tf.Tensor, name?: string, trainable = true): tf.Variable {
  const v = tf.variable(init, trainable, name);
  init.dispose();
  return v;
}

/**
 * A `[fanIn, fanOut]` weight matrix drawn from `rng` by `init` (row-major,
 * `fanIn * fanOut` uniform draws), as a variable named `name`.
 */
export function denseWeights(
  fanIn: number,
  fanOut: number,
  init: WeightInit,
  rng: Rng,
  name: string,
): tf.Variable {
  const limit = init.kind === "glorot" ? Math.sqrt(6 / (fanIn + fanOut)) : init.scale;
  if (!(limit > 0) || !Number.isFinite(limit)) {
    throw new RangeError(`${name}: weight init scale must be a finite number > 0, got ${limit}`);
  }
  return variableFrom(
    tf.tensor2d(rng.uniforms(fanIn * fanOut, -limit, limit), [fanIn, fanOut]),
    name,
  );
}

/**
 * The inverted-dropout mask of `n` entries: each entry is `1 / keep` with
 * probability `keep` (entry i kept when the i-th uniform of `rng` is below
 * `keep`) and 0 otherwise. Draws exactly `n` uniforms.
 */
export function dropoutMask(n: number, keep: number, rng: Rng): Float32Array {
  const mask = new Float32Array(n);
  dropoutMaskInto(mask, keep, rng);
  return mask;
}

/**
 * Writes a {@link dropoutMask} of `out.length` entries into `out` (the same
 * draws, the same values). `scratch`, at least as long as `out`, holds the
 * raw draws; one is allocated when it is absent or too short.
 */
export function dropoutMaskInto(
  out: Float32Array,
  keep: number,
  rng: Rng,
  scratch?: Uint32Array,
): void {
  const n = out.length;
  const raw = scratch && scratch.length >= n ? scratch.subarray(0, n) : new Uint32Array(n);
  rng.fillUint32(raw);
  // Entry 1 when kept: a lookup, not a branch (a mispredicted branch per entry costs 4x more).
  const values = new Float32Array([0, 1 / keep]);
  // uniform() < keep, without the division: uniform() is nextUint32() / 2^32.
  const threshold = keep * 4294967296;
  for (let i = 0; i < n; i++) out[i] = values[+(raw[i] < threshold)];
}

/**
 * Inverted dropout at training time: multiplies `x` by a {@link dropoutMask}
 * drawn from `rng`, so kept entries are scaled by exactly `1 / keep` and
 * dropped ones are 0. Without `rng` (inference), or with `keep` 1, returns
 * `x` unchanged and draws nothing. The mask is a constant tensor, so this
 * works inside `tf.variableGrads` and `tf.grad`.
 */
export function dropout(x: tf.Tensor2D, keep: number, rng?: Rng): tf.Tensor2D {
  if (!(keep > 0 && keep <= 1)) {
    throw new RangeError(`dropout keep probability must be in (0, 1], got ${keep}`);
  }
  if (rng === undefined || keep === 1) return x;
  const mask = tf.tensor2d(dropoutMask(x.size, keep, rng), x.shape);
  const out = tf.mul(x, mask) as tf.Tensor2D;
  mask.dispose();
  return out;
}

/** Number of scalar parameters of a net (the sum of its variables' sizes). */
export function parameterCount(net: Pick<Net, "variables">): number {
  return net.variables.reduce((total, v) => total + v.size, 0);
}

/**
 * A short description of a net for logs and reports: one line per variable
 * (`name [shape]`) and a closing line with the parameter count.
 */
export function describeNet(net: Pick<Net, "variables">): string {
  const lines = net.variables.map((v) => `${v.name} [${v.shape.join(", ")}]`);
  lines.push(`${parameterCount(net).toLocaleString("en-US")} parameters`);
  return lines.join("\n");
}
