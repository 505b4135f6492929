/**
 * A fully connected net whose parameters are one flat `Float32Array`, with
 * forward and backward passes written out by hand: matrix products on a
 * native BLAS ({@link Blas}), everything else in plain loops over
 * preallocated buffers (`flat_ops.ts`). No tensors are made, so a training
 * step costs its matrix products and a few passes over memory, where the
 * same step in tfjs ops spends as long again in per-op overhead, copies and
 * small kernels. `lib/gan/fast_steps.ts` trains the paper's MNIST nets with it.
 *
 * Layers are affine (`x W + b` and an activation) or maxout (`x W + b` with
 * `pieces * units` columns, piece-major as in `maxout.ts`, pooled to
 * `units`), each optionally with inverted dropout on its input at training
 * time. The parameters are laid out as the tfjs nets' variables, in their
 * order: each layer's `W` (`[in, width]`, row-major), then its `b`.
 *
 * Dropout masks are drawn before a forward pass with
 * {@link FlatNet.drawMasks}, in segments of rows (for one segment: the
 * first layer's mask, then the next layer's...), so a pass over stacked
 * real and generated rows draws exactly what two separate tfjs passes draw.
 *
 * Gradients go straight into an optimiser's buffer as
 * `target = alpha * gradient + beta * target` (a {@link ParamSink}), which
 * is how SGD with momentum folds its velocity update into the products.
 *
 * @module
 */
import type { Blas } from "../runtime/blas.ts";
import { gemm } from "../runtime/matmul_plan.ts";
import type { Rng } from "../runtime/rng.ts";
import { dropoutMaskInto } from "./net.ts";
import {
  activateInPlace,
  activationGrad,
  fillRows,
  FLAT_ACTIVATIONS,
  type FlatActivation,
  maxoutPool,
  maxoutRoute,
  multiplyInto,
} from "./flat_ops.ts";

export { FLAT_ACTIVATIONS, type FlatActivation } from "./flat_ops.ts";

/** One layer of a {@link FlatNet}. */
export interface FlatLayerSpec {
  /** Input width. */
  in: number;
  /** Output width (maxout: units). */
  out: number;
  /** Pieces per maxout unit; absent: an affine layer with `activation`. */
  pieces?: number;
  /** An affine layer's activation (default linear); not used by maxout layers. */
  activation?: FlatActivation;
  /** Keep probability of inverted dropout on the layer's input in training passes (default 1: none). */
  keep?: number;
}

/** Where {@link FlatNet.backward} writes parameter gradients: `target = alpha * grad + beta * target`. */
export interface ParamSink {
  alpha: number;
  beta: number;
  /** As long as {@link FlatNet.params}, laid out alike. */
  target: Float32Array;
  /**
   * Called once per layer, as soon as the pass no longer reads that layer's
   * parameters (its gradient is in `target` and the gradient below it is
   * computed), with the layer's range in the parameters: an optimiser may
   * update them there, while the gradient is still in cache.
   */
  done?(start: number, end: number): void;
}

/** What {@link FlatNet.backward} computes besides propagating through the layers. */
export interface BackwardOptions {
  /** Receives the gradient of every parameter. */
  params?: ParamSink;
  /** Receives the gradient with respect to the net's input (rows x input width). */
  inputGrad?: Float32Array;
}

interface Layer {
  in: number;
  out: number;
  width: number;
  pieces: number;
  maxout: boolean;
  activation: FlatActivation;
  keep: number;
  wOffset: number;
  bOffset: number;
  /** The layer's input after dropout, when it has dropout (else the previous output is used). */
  dropped: Float32Array | null;
  mask: Float32Array | null;
  /** The input of the last forward pass (dropped, or the previous layer's output). */
  input: Float32Array;
  /** x W + b; for affine layers also the output (activated in place). */
  z: Float32Array;
  /** Maxout: the pooled output and the winning column of each unit. */
  pooled: Float32Array | null;
  arg: Int32Array | null;
  /** Backward scratch: the gradient at z, and at the output (layers below the last). */
  dz: Float32Array;
  dOut: Float32Array | null;
}

function checkSpec(spec: FlatLayerSpec, i: number, prev: number | null): void {
  const where = `FlatNet layer ${i}`;
  for (const key of ["in", "out"] as const) {
    if (!Number.isInteger(spec[key]) || spec[key] < 1) {
      throw new RangeError(`${where}: ${key} must be a positive integer, got ${spec[key]}`);
    }
  }
  if (prev !== null && spec.in !== prev) {
    throw new RangeError(`${where}: in is ${spec.in}, but the previous layer gives ${prev}`);
  }
  if (spec.pieces !== undefined && (!Number.isInteger(spec.pieces) || spec.pieces < 1)) {
    throw new RangeError(`${where}: pieces must be a positive integer, got ${spec.pieces}`);
  }
  const keep = spec.keep ?? 1;
  if (!(keep > 0 && keep <= 1)) {
    throw new RangeError(`${where}: keep must be in (0, 1], got ${keep}`);
  }
  const act = spec.activation ?? "linear";
  if (!(FLAT_ACTIVATIONS as readonly string[]).includes(act)) {
    throw new RangeError(
      `${where}: activation must be one of ${FLAT_ACTIVATIONS.join(", ")}, got ${act}`,
    );
  }
}

/** A fully connected net on flat buffers (see the module doc). */
export class FlatNet {
  /** Every parameter, layer by layer: W then b. */
  readonly params: Float32Array;
  /** Shapes of the parameters, in order (as the tfjs variables'). */
  readonly shapes: number[][];
  /** Offset of each parameter in {@link FlatNet.params}. */
  readonly offsets: number[];
  /** Rows a pass may have at most. */
  readonly maxRows: number;
  readonly #layers: Layer[];
  readonly #blas: Blas;
  readonly #ones: Float32Array;
  readonly #draws: Uint32Array;
  #masked = false;
  #rows = 0;

  /**
   * @param specs The layers, input first.
   * @param maxRows The largest number of rows a pass will have.
   * @param blas The BLAS the products run on.
   */
  constructor(specs: FlatLayerSpec[], maxRows: number, blas: Blas) {
    if (specs.length === 0) throw new RangeError("FlatNet: needs at least one layer");
    if (!Number.isInteger(maxRows) || maxRows < 1) {
      throw new RangeError(`FlatNet: maxRows must be a positive integer, got ${maxRows}`);
    }
    this.maxRows = maxRows;
    this.#blas = blas;
    this.shapes = [];
    this.offsets = [];
    let offset = 0;
    let maxIn = 0;
    this.#layers = specs.map((spec, i) => {
      checkSpec(spec, i, i === 0 ? null : specs[i - 1].out);
      const maxout = spec.pieces !== undefined;
      const pieces = spec.pieces ?? 1;
      const width = maxout ? spec.out * pieces : spec.out;
      const keep = spec.keep ?? 1;
      const last = i + 1 === specs.length;
      maxIn = Math.max(maxIn, spec.in);
      const layer: Layer = {
        in: spec.in,
        out: spec.out,
        width,
        pieces,
        maxout,
        activation: spec.activation ?? "linear",
        keep,
        wOffset: offset,
        bOffset: offset + spec.in * width,
        dropped: keep < 1 ? new Float32Array(maxRows * spec.in) : null,
        mask: keep < 1 ? new Float32Array(maxRows * spec.in) : null,
        input: new Float32Array(0),
        z: new Float32Array(maxRows * width),
        pooled: maxout ? new Float32Array(maxRows * spec.out) : null,
        arg: maxout ? new Int32Array(maxRows * spec.out) : null,
        dz: new Float32Array(maxRows * width),
        dOut: last ? null : new Float32Array(maxRows * spec.out),
      };
      this.shapes.push([spec.in, width], [width]);
      this.offsets.push(offset, offset + spec.in * width);
      offset += spec.in * width + width;
      return layer;
    });
    this.params = new Float32Array(offset);
    this.#ones = new Float32Array(maxRows).fill(1);
    this.#draws = new Uint32Array(maxRows * maxIn);
  }

  /** Width of the input. */
  get inputWidth(): number {
    return this.#layers[0].in;
  }

  /** Width of the output. */
  get outputWidth(): number {
    return this.#layers[this.#layers.length - 1].out;
  }

  /**
   * Draws the dropout masks of the next forward pass from `rng`: for each
   * segment of rows in order (sizes in `segments`, from row 0 on), each
   * layer's mask in layer order, as a tfjs pass over that segment alone
   * would. Layers without dropout draw nothing.
   */
  drawMasks(rng: Rng, segments: number[]): void {
    let start = 0;
    for (const rows of segments) {
      if (start + rows > this.maxRows) {
        throw new RangeError(`FlatNet.drawMasks: ${start + rows} rows, at most ${this.maxRows}`);
      }
      for (const l of this.#layers) {
        if (!l.mask) continue;
        const mask = l.mask.subarray(start * l.in, (start + rows) * l.in);
        dropoutMaskInto(mask, l.keep, rng, this.#draws);
      }
      start += rows;
    }
  }

  /**
   * The forward pass over `rows` rows of `x` (rows x input width), with the
   * masks of {@link FlatNet.drawMasks} when `masked` (training) or without
   * dropout. Returns a view of the output (rows x output width), valid until
   * the next pass. `x` must stay unchanged until the backward pass.
   */
  forward(x: Float32Array, rows: number, masked: boolean): Float32Array {
    if (rows > this.maxRows) {
      throw new RangeError(`FlatNet.forward: ${rows} rows, at most ${this.maxRows}`);
    }
    if (x.length < rows * this.inputWidth) {
      throw new RangeError(
        `FlatNet.forward: x has ${x.length} values, need ${rows} rows of ${this.inputWidth}`,
      );
    }
    this.#masked = masked;
    this.#rows = rows;
    const p = this.params;
    let h = x;
    for (const l of this.#layers) {
      if (masked && l.mask && l.dropped) {
        multiplyInto(h, l.mask, rows * l.in, l.dropped);
        l.input = l.dropped;
      } else l.input = h;
      fillRows(l.z, p.subarray(l.bOffset, l.bOffset + l.width), rows);
      gemm(
        this.#blas,
        false,
        false,
        rows,
        l.width,
        l.in,
        1,
        l.input,
        l.in,
        p.subarray(l.wOffset, l.bOffset),
        l.width,
        1,
        l.z,
        l.width,
      );
      if (l.maxout) {
        maxoutPool(l.z, rows, l.out, l.pieces, l.pooled!, l.arg!);
        h = l.pooled!;
      } else {
        activateInPlace(l.z, rows * l.width, l.activation);
        h = l.z;
      }
    }
    return h.subarray(0, rows * this.outputWidth);
  }

  /**
   * The backward pass over rows `r0 .. r0 + rows - 1` of the last forward
   * pass, from `dy`, the gradient at the output of those rows (rows x output
   * width): parameter gradients into `options.params`, the input gradient
   * into `options.inputGrad`. Parameters are read, never written here; a
   * sink's `done` may update each layer's once the pass is past it.
   */
  backward(r0: number, rows: number, dy: Float32Array, options: BackwardOptions = {}): void {
    if (r0 < 0 || r0 + rows > this.#rows) {
      throw new RangeError(
        `FlatNet.backward: rows ${r0}..${
          r0 + rows - 1
        } are not in the last forward pass (${this.#rows} rows)`,
      );
    }
    const { params, inputGrad } = options;
    if (params && params.target.length !== this.params.length) {
      throw new RangeError(
        `FlatNet.backward: the gradient target has ${params.target.length} values, need ${this.params.length}`,
      );
    }
    const blas = this.#blas;
    const p = this.params;
    let grad = dy;
    for (let i = this.#layers.length - 1; i >= 0; i--) {
      const l = this.#layers[i];
      let dz: Float32Array;
      if (l.maxout) {
        maxoutRoute(grad, l.arg!.subarray(r0 * l.out), rows, l.out, l.pieces, l.dz);
        dz = l.dz;
      } else if (l.activation === "linear") {
        dz = grad;
      } else {
        activationGrad(grad, l.z.subarray(r0 * l.width), rows * l.width, l.activation, l.dz);
        dz = l.dz;
      }
      const input = l.input.subarray(r0 * l.in);
      if (params) {
        gemm(
          blas,
          true,
          false,
          l.in,
          l.width,
          rows,
          params.alpha,
          input,
          l.in,
          dz,
          l.width,
          params.beta,
          params.target.subarray(l.wOffset, l.bOffset),
          l.width,
        );
        blas.sgemv(
          true,
          rows,
          l.width,
          params.alpha,
          dz,
          l.width,
          this.#ones,
          1,
          params.beta,
          params.target.subarray(l.bOffset, l.bOffset + l.width),
          1,
        );
      }
      const below = i > 0 ? this.#layers[i - 1] : null;
      if (!below && !inputGrad) {
        params?.done?.(l.wOffset, l.bOffset + l.width);
        break;
      }
      const dIn = below ? below.dOut! : inputGrad!;
      if (!below && dIn.length < rows * l.in) {
        throw new RangeError(
          `FlatNet.backward: inputGrad has ${dIn.length} values, need ${rows} rows of ${l.in}`,
        );
      }
      gemm(
        blas,
        false,
        true,
        rows,
        l.in,
        l.width,
        1,
        dz,
        l.width,
        p.subarray(l.wOffset, l.bOffset),
        l.width,
        0,
        dIn,
        l.in,
      );
      params?.done?.(l.wOffset, l.bOffset + l.width);
      if (this.#masked && l.mask) {
        multiplyInto(dIn, l.mask.subarray(r0 * l.in), rows * l.in, dIn);
      }
      grad = dIn;
    }
  }
}
