/**
 * Seeded pseudo-random numbers. One run seed is split into named streams
 * (weight init, noise, data order, dropout, data set, evaluation) so that
 * each concern draws from its own sequence and adding draws to one never
 * shifts another. The generator is sfc32: small, fast, 128 bits of state
 * that serialise to four integers for checkpoints.
 *
 * @module
 */

/** Serialisable state of an {@link Rng}. */
export interface RngState {
  /** The four 32-bit words of sfc32. */
  s: [number, number, number, number];
  /** A cached second Box-Muller normal, or null. */
  spare: number | null;
}

/** 32-bit FNV-1a hash of a string. */
export function hashString(text: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return h >>> 0;
}

function splitmix32(x: number): number {
  x = (x + 0x9e3779b9) | 0;
  let z = x;
  z = Math.imul(z ^ (z >>> 16), 0x85ebca6b);
  z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35);
  return (z ^ (z >>> 16)) >>> 0;
}

/** A seeded generator of uniform and normal numbers. */
export class Rng {
  #a: number;
  #b: number;
  #c: number;
  #d: number;
  #spare: number | null = null;

  /**
   * @param seed an integer seed
   * @param stream an optional stream name; different names give independent
   *   sequences from the same seed
   */
  constructor(seed: number, stream = "") {
    const base = splitmix32((seed | 0) ^ hashString(stream));
    this.#a = splitmix32(base);
    this.#b = splitmix32(this.#a ^ 0x1b873593);
    this.#c = splitmix32(this.#b ^ 0xcc9e2d51);
    this.#d = 1;
    for (let i = 0; i < 15; i++) this.nextUint32();
  }

  /** Restores a generator from {@link Rng.state}. */
  static fromState(state: RngState): Rng {
    const r = new Rng(0);
    r.setState(state);
    return r;
  }

  /** The current state, for checkpoints. */
  state(): RngState {
    return { s: [this.#a, this.#b, this.#c, this.#d], spare: this.#spare };
  }

  /** Replaces the state with one from {@link Rng.state}. */
  setState(state: RngState): void {
    [this.#a, this.#b, this.#c, this.#d] = state.s;
    this.#spare = state.spare;
  }

  /** The next uniform 32-bit unsigned integer. */
  nextUint32(): number {
    const t = (((this.#a + this.#b) | 0) + this.#d) | 0;
    this.#d = (this.#d + 1) | 0;
    this.#a = this.#b ^ (this.#b >>> 9);
    this.#b = (this.#c + (this.#c << 3)) | 0;
    this.#c = (this.#c << 21) | (this.#c >>> 11);
    this.#c = (this.#c + t) | 0;
    return t >>> 0;
  }

  /**
   * Fills `out` with the next `out.length` values of {@link Rng.nextUint32},
   * in order (the same numbers, the same state after; faster in bulk).
   */
  fillUint32(out: Uint32Array): void {
    let a = this.#a, b = this.#b, c = this.#c, d = this.#d;
    const n = out.length;
    for (let i = 0; i < n; i++) {
      const t = (((a + b) | 0) + d) | 0;
      d = (d + 1) | 0;
      a = b ^ (b >>> 9);
      b = (c + (c << 3)) | 0;
      c = (c << 21) | (c >>> 11);
      c = (c + t) | 0;
      out[i] = t;
    }
    this.#a = a;
    this.#b = b;
    this.#c = c;
    this.#d = d;
  }

  /** A uniform number in [0, 1) with 32 bits of resolution. */
  uniform(): number {
    return this.nextUint32() / 4294967296;
  }

  /** A uniform integer in [0, n). */
  int(n: number): number {
    return Math.floor(this.uniform() * n);
  }

  /** A standard normal number (Box-Muller). */
  normal(): number {
    if (this.#spare !== null) {
      const v = this.#spare;
      this.#spare = null;
      return v;
    }
    let u = 0;
    while (u === 0) u = this.uniform();
    const v = this.uniform();
    const r = Math.sqrt(-2 * Math.log(u));
    this.#spare = r * Math.sin(2 * Math.PI * v);
    return r * Math.cos(2 * Math.PI * v);
  }

  /** A Float32Array of n standard normals times `scale` plus `shift`. */
  normals(n: number, scale = 1, shift = 0): Float32Array {
    const out = new Float32Array(n);
    for (let i = 0; i < n; i++) out[i] = shift + scale * this.normal();
    return out;
  }

  /** A Float32Array of n uniforms in [low, high). */
  uniforms(n: number, low = 0, high = 1): Float32Array {
    const out = new Float32Array(n);
    for (let i = 0; i < n; i++) out[i] = low + (high - low) * this.uniform();
    return out;
  }

  /** A random permutation of 0..n-1 (Fisher-Yates). */
  permutation(n: number): Int32Array {
    const p = new Int32Array(n);
    for (let i = 0; i < n; i++) p[i] = i;
    for (let i = n - 1; i > 0; i--) {
      const j = this.int(i + 1);
      const t = p[i];
      p[i] = p[j];
      p[j] = t;
    }
    return p;
  }
}
