/**
 * One Adam update of a variable as a single kernel on the wasm backend (a
 * WebAssembly SIMD loop, `wasm_simd.ts`), instead of the 13 element-wise ops
 * (and 13 passes over memory) that `lib/gan/optimizers.ts` writes out. Every intermediate is rounded to
 * float32 in the same order as those ops, so the result is bit-identical to
 * them on wasm and on cpu; on other backends {@link adamUpdate} runs the
 * ops themselves.
 *
 * The update, with c1 = 1 - beta1^t and c2 = 1 - beta2^t:
 *
 *     m' = beta1 m + (1 - beta1) g
 *     s' = beta2 s + (1 - beta2) g^2
 *     v' = v - (lr / c1) m' / (sqrt(s' / c2) + eps)
 *
 * @module
 */
import { tf } from "../deps.ts";
import { f32View, heapOffset, sizeOf, type WasmKernelFunc } from "./wasm_kernel_util.ts";
import { type AdamConstants, simdLoops, type WasmHeapBackend } from "./wasm_simd.ts";

/** Name of the fused Adam kernel. */
export const ADAM_UPDATE = "GanHarnessAdamUpdate";

/** Hyper-parameters of one update (t is the update number, from 1). */
export interface AdamStep {
  lr: number;
  beta1: number;
  beta2: number;
  eps: number;
  /** 1 - beta1^t. */
  c1: number;
  /** 1 - beta2^t. */
  c2: number;
}

/** The constants of one update: beta1, 1 - beta1, beta2, 1 - beta2, lr / c1, c2 and eps. */
export function adamConstants(h: AdamStep): AdamConstants {
  return {
    b1: h.beta1,
    b1c: 1 - h.beta1,
    b2: h.beta2,
    b2c: 1 - h.beta2,
    lr: h.lr / h.c1,
    c2: h.c2,
    eps: h.eps,
  };
}

/**
 * The updated variable, first and second moments, [v', m', s'], written
 * into new arrays (float32 rounding after every operation, as tfjs ops).
 */
export function adamInto(
  v: Float32Array,
  m: Float32Array,
  s: Float32Array,
  g: Float32Array,
  h: AdamStep,
  outV: Float32Array,
  outM: Float32Array,
  outS: Float32Array,
): void {
  const f = Math.fround;
  const k = adamConstants(h);
  const [b1, b1c, b2, b2c, lr, c2, eps] = [k.b1, k.b1c, k.b2, k.b2c, k.lr, k.c2, k.eps].map(f);
  const n = v.length;
  for (let i = 0; i < n; i++) {
    const gi = g[i];
    const mi = f(f(b1 * m[i]) + f(b1c * gi));
    const si = f(f(b2 * s[i]) + f(b2c * f(gi * gi)));
    const step = f(f(lr * mi) / f(f(Math.sqrt(f(si / c2))) + eps));
    outM[i] = mi;
    outS[i] = si;
    outV[i] = v[i] - step;
  }
}

/** The wasm kernel: inputs v, m, s, g (float32, one shape); outputs [v', m', s']. */
export const adamKernel: WasmKernelFunc = ({ inputs, backend, attrs }) => {
  const { v, m, s, g } = inputs as Record<"v" | "m" | "s" | "g", tf.TensorInfo>;
  for (const t of [m, s, g]) {
    if (t.shape.length !== v.shape.length || t.shape.some((d, i) => d !== v.shape[i])) {
      throw new Error(
        `${ADAM_UPDATE}: v, m, s and g must share one shape, got [${v.shape}] and [${t.shape}]`,
      );
    }
  }
  const outs = [v, m, s].map((t) => backend.makeOutput(t.shape, "float32"));
  const n = sizeOf(v.shape);
  const loops = simdLoops(backend as unknown as WasmHeapBackend);
  if (n > 0 && loops) {
    const k = adamConstants(attrs as unknown as AdamStep);
    const [pv, pm, ps, pg, ov, om, os] = [v, m, s, g, ...outs].map((t) => heapOffset(backend, t));
    loops.adam(pv, pm, ps, pg, ov, om, os, n, k);
  } else if (n > 0) {
    const view = (t: tf.TensorInfo) => f32View(backend, t, ADAM_UPDATE);
    adamInto(
      view(v),
      view(m),
      view(s),
      view(g),
      attrs as unknown as AdamStep,
      view(outs[0]),
      view(outs[1]),
      view(outs[2]),
    );
  }
  return outs;
};

/** Registers the fused Adam kernel for the wasm backend (idempotent). */
export function registerWasmAdamKernel(): void {
  if (tf.getKernel(ADAM_UPDATE, "wasm")) return;
  tf.registerKernel({
    kernelName: ADAM_UPDATE,
    backendName: "wasm",
    kernelFunc: adamKernel as unknown as tf.KernelFunc,
  });
}

/** Removes the fused Adam kernel (then {@link adamUpdate} runs the ops). */
export function unregisterWasmAdamKernel(): void {
  if (tf.getKernel(ADAM_UPDATE, "wasm")) tf.unregisterKernel(ADAM_UPDATE, "wasm");
}

/**
 * One Adam update: returns [v', m', s'] (new tensors; the caller assigns
 * them). One kernel on wasm when registered, else tfjs ops with the same
 * result bit for bit.
 */
export function adamUpdate(
  v: tf.Tensor,
  m: tf.Tensor,
  s: tf.Tensor,
  g: tf.Tensor,
  h: AdamStep,
): [tf.Tensor, tf.Tensor, tf.Tensor] {
  if (
    tf.getBackend() === "wasm" && tf.getKernel(ADAM_UPDATE, "wasm") &&
    [v, m, s, g].every((t) => t.dtype === "float32")
  ) {
    const out = tf.engine().runKernel(
      ADAM_UPDATE,
      { v, m, s, g },
      h as unknown as tf.NamedAttrMap,
    ) as tf.Tensor[];
    return [out[0], out[1], out[2]];
  }
  return tf.tidy(() => {
    const mi = tf.add(tf.mul(h.beta1, m), tf.mul(1 - h.beta1, g));
    const si = tf.add(tf.mul(h.beta2, s), tf.mul(1 - h.beta2, tf.square(g)));
    const step = tf.div(tf.mul(h.lr / h.c1, mi), tf.add(tf.sqrt(tf.div(si, h.c2)), h.eps));
    return [tf.sub(v, step), mi, si] as [tf.Tensor, tf.Tensor, tf.Tensor];
  });
}
