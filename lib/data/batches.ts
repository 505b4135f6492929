/**
 * Minibatches from a finite training set: reshuffled every epoch from the
 * `order` stream, drawn without replacement within an epoch.
 *
 * @module
 */
import { Rng, type RngState } from "../runtime/rng.ts";

/** Serialisable state of a {@link BatchSampler}. */
export interface BatchSamplerState {
  rng: RngState;
  order: number[];
  position: number;
}

/** Draws minibatches of rows from a row-major array. */
export class BatchSampler {
  #data: Float32Array;
  #dim: number;
  #n: number;
  #rng: Rng;
  #order: Int32Array;
  #position: number;

  constructor(data: Float32Array, dim: number, rng: Rng) {
    this.#data = data;
    this.#dim = dim;
    this.#n = data.length / dim;
    this.#rng = rng;
    this.#order = rng.permutation(this.#n);
    this.#position = 0;
  }

  /** The next `size` rows, crossing epoch boundaries as needed. */
  next(size: number): Float32Array {
    const out = new Float32Array(size * this.#dim);
    for (let i = 0; i < size; i++) {
      if (this.#position === this.#n) {
        this.#order = this.#rng.permutation(this.#n);
        this.#position = 0;
      }
      const row = this.#order[this.#position++];
      out.set(this.#data.subarray(row * this.#dim, (row + 1) * this.#dim), i * this.#dim);
    }
    return out;
  }

  /** State for checkpoints. */
  state(): BatchSamplerState {
    return { rng: this.#rng.state(), order: Array.from(this.#order), position: this.#position };
  }

  /** Restores a state from {@link BatchSampler.state}. */
  setState(s: BatchSamplerState): void {
    this.#rng.setState(s.rng);
    this.#order = Int32Array.from(s.order);
    this.#position = s.position;
  }
}
