/**
 * Recording the BLAS calls of a training step and replaying its matrix
 * products alone, for `bench/paper_mnist.ts`: the floor an update's time is
 * compared with is the time of exactly its own products (the same shapes,
 * transposes, scalars and data), measured in the same run.
 *
 * What counts as a matrix product: every `sgemm`, and every `sgemv` but the
 * bias-gradient sums (a product with a vector of ones: a reduction, not a
 * layer's product). `saxpy` (SGD's w += v) is an optimiser update, not a
 * product.
 *
 * @module
 */
import type { Blas } from "../lib/runtime/blas.ts";

/** One recorded call. */
export interface BlasCall {
  fn: "sgemm" | "sgemv" | "saxpy";
  args: unknown[];
  /** Whether it counts as a matrix product (see the module doc). */
  product: boolean;
}

function allOnes(x: Float32Array, n: number): boolean {
  for (let i = 0; i < n; i++) if (x[i] !== 1) return false;
  return true;
}

/** A {@link Blas} that passes every call on and records it while `recording` is true. */
export class RecordingBlas implements Blas {
  readonly name: string;
  readonly path: string;
  recording = false;
  readonly calls: BlasCall[] = [];
  readonly #inner: Blas;

  constructor(inner: Blas) {
    this.#inner = inner;
    this.name = inner.name;
    this.path = inner.path;
  }

  sgemm(...args: Parameters<Blas["sgemm"]>): void {
    if (this.recording) this.calls.push({ fn: "sgemm", args: [...args], product: true });
    this.#inner.sgemm(...args);
  }

  sgemv(...args: Parameters<Blas["sgemv"]>): void {
    if (this.recording) {
      // sgemv(trans, m, n, alpha, a, lda, x, incX, ...): x has n entries (m when transposed).
      const [trans, m, n, , , , x, incX] = args;
      const sum = incX === 1 && allOnes(x, trans ? m : n);
      this.calls.push({ fn: "sgemv", args: [...args], product: !sum });
    }
    this.#inner.sgemv(...args);
  }

  saxpy(...args: Parameters<Blas["saxpy"]>): void {
    if (this.recording) this.calls.push({ fn: "saxpy", args: [...args], product: false });
    this.#inner.saxpy(...args);
  }
}

/**
 * The matrix products of `calls`, ready to run again and again on copies of
 * their data (the recorded buffers are left alone): a function that runs
 * them all once, and their count and multiply-adds.
 */
export function productReplay(
  blas: Blas,
  calls: BlasCall[],
): { run(): void; count: number; madds: number } {
  const copies = new Map<ArrayBufferLike, ArrayBuffer>();
  const copyOf = (a: Float32Array): Float32Array => {
    let buffer = copies.get(a.buffer);
    if (!buffer) {
      buffer = (a.buffer as ArrayBuffer).slice(0);
      copies.set(a.buffer, buffer);
    }
    return new Float32Array(buffer, a.byteOffset, a.length);
  };
  const products = calls.filter((c) => c.product).map((c) => ({
    fn: c.fn,
    args: c.args.map((a) => (a instanceof Float32Array ? copyOf(a) : a)),
  }));
  let madds = 0;
  for (const c of products) {
    const a = c.args as number[];
    madds += c.fn === "sgemm" ? a[2] * a[3] * a[4] : a[1] * a[2];
  }
  return {
    count: products.length,
    madds,
    run() {
      for (const c of products) {
        if (c.fn === "sgemm") blas.sgemm(...(c.args as Parameters<Blas["sgemm"]>));
        else blas.sgemv(...(c.args as Parameters<Blas["sgemv"]>));
      }
    },
  };
}
