/**
 * The WebAssembly SIMD loops on the wasm heap: the module assembles and
 * validates, and every loop gives exactly the bits of its float32
 * JavaScript twin for lengths that are and are not multiples of 4 (the
 * tail runs in JavaScript), at unaligned offsets, without touching memory
 * past the output.
 */
import assert from "node:assert/strict";
import * as tf from "@tensorflow/tfjs";
import { useBackend } from "../_backend.ts";
import { Rng } from "../../lib/runtime/rng.ts";
import {
  type SimdLoops,
  simdLoops,
  simdModuleBytes,
  tanhF32,
  type WasmHeapBackend,
} from "../../lib/runtime/wasm_simd.ts";
import {
  leakyReluGradInto,
  leakyReluInto,
  tanhGradInto,
  tanhInto,
} from "../../lib/runtime/wasm_elementwise.ts";
import { adamConstants, adamInto } from "../../lib/runtime/fused_adam.ts";

const rng = new Rng(4, "wasm-simd-test");

interface Heap {
  malloc(bytes: number): number;
  free(ptr: number): void;
  f32(): Float32Array;
}

function heapOf(): { loops: SimdLoops; heap: Heap } {
  const backend = tf.backend() as unknown as WasmHeapBackend & {
    wasm: { _malloc(n: number): number; _free(p: number): void; HEAPF32: Float32Array };
  };
  const loops = simdLoops(backend);
  assert.ok(loops, "the SIMD loops should load on the wasm backend");
  const w = backend.wasm;
  return {
    loops,
    heap: {
      malloc: (bytes) => w._malloc(bytes),
      free: (p) => w._free(p),
      f32: () =>
        new Float32Array(
          (w as unknown as { asm: { memory: WebAssembly.Memory } }).asm.memory.buffer,
        ),
    },
  };
}

/** Copies arrays onto the heap at a 4-byte (not 16-byte) aligned offset; returns their offsets. */
function place(heap: Heap, arrays: Float32Array[], extra: number) {
  const n = arrays[0].length;
  const bytes = (arrays.length + extra) * (n + 8) * 4 + 16;
  const base = heap.malloc(bytes);
  const ptrs = [...arrays, ...Array.from({ length: extra }, () => new Float32Array(n))].map(
    (_, i) => base + 4 + i * (n + 8) * 4,
  );
  const h = heap.f32();
  h.fill(777, base >> 2, (base + bytes) >> 2); // guard values around everything
  arrays.forEach((a, i) => h.set(a, ptrs[i] >> 2));
  return { base, ptrs, read: (i: number) => heap.f32().slice(ptrs[i] >> 2, (ptrs[i] >> 2) + n) };
}

function sameBits(got: Float32Array, want: Float32Array, what: string) {
  assert.equal(got.length, want.length);
  for (let i = 0; i < want.length; i++) {
    if (!Object.is(got[i], want[i])) assert.fail(`${what}[${i}]: ${got[i]} vs ${want[i]}`);
  }
}

function values(n: number): Float32Array {
  const special = [0, -0, NaN, Infinity, -Infinity, 9.5, -9.5, 1e-7];
  return Float32Array.from({ length: n }, (_, i) => i < special.length ? special[i] : 0)
    .map((v, i) => (i < special.length ? v : rng.normal() * 3));
}

Deno.test("the SIMD module assembles and validates", () => {
  assert.ok(WebAssembly.validate(simdModuleBytes()));
});

Deno.test("SIMD loops give exactly the bits of their float32 JavaScript twins, any length", async () => {
  await useBackend("wasm");
  const { loops, heap } = heapOf();
  for (const n of [0, 1, 3, 4, 5, 8, 13, 1000, 1027]) {
    const x = values(n);
    const dy = Float32Array.from({ length: n }, () => rng.normal());
    const y = Float32Array.from(x, tanhF32);
    const want = new Float32Array(n);

    let p = place(heap, [x], 1);
    loops.tanh(p.ptrs[0], p.ptrs[1], n);
    tanhInto(x, want);
    sameBits(p.read(1), want, `tanh n=${n}`);
    assert.equal(heap.f32()[(p.ptrs[1] >> 2) + n], 777, "tanh wrote past its output");
    heap.free(p.base);

    p = place(heap, [x], 1);
    loops.leakyRelu(p.ptrs[0], p.ptrs[1], n, 0.2);
    leakyReluInto(x, 0.2, want);
    sameBits(p.read(1), want, `leakyRelu n=${n}`);
    heap.free(p.base);

    p = place(heap, [dy, x], 1);
    loops.leakyReluGrad(p.ptrs[0], p.ptrs[1], p.ptrs[2], n, 0.2);
    leakyReluGradInto(dy, x, 0.2, want);
    sameBits(p.read(2), want, `leakyReluGrad n=${n}`);
    heap.free(p.base);

    p = place(heap, [dy, y], 1);
    loops.tanhGrad(p.ptrs[0], p.ptrs[1], p.ptrs[2], n);
    tanhGradInto(dy, y, want);
    sameBits(p.read(2), want, `tanhGrad n=${n}`);
    heap.free(p.base);

    const v = Float32Array.from({ length: n }, () => rng.normal());
    const m = Float32Array.from({ length: n }, () => rng.normal() * 0.1);
    const s = Float32Array.from({ length: n }, () => Math.abs(rng.normal()) * 0.01);
    const h = { lr: 2e-4, beta1: 0.5, beta2: 0.999, eps: 1e-8, c1: 0.75, c2: 0.002 };
    p = place(heap, [v, m, s, dy], 3);
    const [pv, pm, ps, pg, ov, om, os] = p.ptrs;
    loops.adam(pv, pm, ps, pg, ov, om, os, n, adamConstants(h));
    const [wv, wm, ws] = [new Float32Array(n), new Float32Array(n), new Float32Array(n)];
    adamInto(v, m, s, dy, h, wv, wm, ws);
    sameBits(p.read(4), wv, `adam v n=${n}`);
    sameBits(p.read(5), wm, `adam m n=${n}`);
    sameBits(p.read(6), ws, `adam s n=${n}`);
    heap.free(p.base);
  }
});

Deno.test("tanhF32 is within a few float32 ulp of tanh and exactly +-1 beyond 9", () => {
  for (let i = -2000; i <= 2000; i++) {
    const x = Math.fround(i * 0.005);
    const want = Math.tanh(x);
    const got = tanhF32(x);
    assert.ok(Math.abs(got - want) <= 3e-7 * Math.max(Math.abs(want), 1e-3), `tanh(${x}) = ${got}`);
  }
  assert.equal(tanhF32(9.5), 1);
  assert.equal(tanhF32(-100), -1);
  assert.ok(Number.isNaN(tanhF32(NaN)));
  assert.ok(Object.is(tanhF32(-0), -0));
});
