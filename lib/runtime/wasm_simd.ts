/**
 * Element-wise loops in WebAssembly SIMD (4 float32 lanes) that run on the
 * tfjs wasm backend's own memory: a small module, assembled from a few
 * opcodes (`wasm_assembler.ts`), imports the backend's `WebAssembly.Memory`,
 * so its functions take the byte offsets of tensors on the wasm heap and
 * read and write them in place, with no copies and no views.
 *
 * Functions (every count a multiple of 4; {@link SimdLoops} does the last
 * 0-3 elements in JavaScript with the same float32 operations, so any
 * length gives the same bits as an all-SIMD loop):
 *
 * - `tanh`: Eigen's 13/6 rational approximation, clamped to [-9, 9], in
 *   float32 (a few ulp).
 * - `leakyRelu`: x < 0 ? alpha x : x; `leakyReluGrad`: x > 0 ? dy : alpha dy.
 * - `tanhGrad`: dy (1 - y^2), the same float32 operations as tfjs's ops.
 * - `adam`: one Adam update, the same float32 operations in the same order
 *   as the written-out tfjs ops (bit-identical to them).
 *
 * Every operation is a plain IEEE float32 operation (no fused multiply-add),
 * so results are the same on every machine and run.
 *
 * @module
 */
import {
  assemble,
  bin,
  bitselect,
  type Code,
  F32,
  type FuncSpec,
  get,
  I32,
  LOAD,
  OP,
  set,
  simd,
  splatConst,
  splatParam,
  STORE,
} from "./wasm_assembler.ts";

/** The part of the wasm backend the loops need: its module (memory) and tensor offsets. */
export interface WasmHeapBackend {
  wasm: { asm?: { memory?: WebAssembly.Memory } };
}

/** Eigen's generic_fast_tanh_float coefficients (float32). */
const TANH_P = [
  -2.76076847742355e-16,
  2.00018790482477e-13,
  -8.60467152213735e-11,
  5.12229709037114e-8,
  1.48572235717979e-5,
  6.37261928875436e-4,
  4.89352455891786e-3,
];
const TANH_Q = [1.19825839466702e-6, 1.18534705686654e-4, 2.268434632439e-3, 4.89352518554385e-3];

/** Horner's rule on v128 locals: ((c0 x + c1) x + c2) ... with constants in locals. */
function horner(consts: number[], x: Code): Code {
  let acc = get(consts[0]);
  for (let i = 1; i < consts.length; i++) acc = bin("add", bin("mul", acc, x), get(consts[i]));
  return acc;
}

function specs(): FuncSpec[] {
  // tanh(in, out, bytes): locals 4 = i, 5.. vectors
  const tanh: FuncSpec = (() => {
    const [x, x2, lo, hi] = [4, 5, 6, 7];
    const p = TANH_P.map((_, i) => 8 + i);
    const q = TANH_Q.map((_, i) => 8 + TANH_P.length + i);
    const setup: Code = [
      ...set(lo, splatConst(-9)),
      ...set(hi, splatConst(9)),
      ...TANH_P.flatMap((c, i) => set(p[i], splatConst(c))),
      ...TANH_Q.flatMap((c, i) => set(q[i], splatConst(c))),
    ];
    return {
      name: "tanh",
      params: [I32, I32, I32],
      bytes: 2,
      vectors: 4 + p.length + q.length,
      setup,
      body: (at) => [
        ...set(x, bin("min", bin("max", LOAD(at(0)), get(lo)), get(hi))),
        ...set(x2, bin("mul", get(x), get(x))),
        ...STORE(
          at(1),
          bin("div", bin("mul", horner(p, get(x2)), get(x)), horner(q, get(x2))),
        ),
      ],
    };
  })();
  // leakyRelu(in, out, bytes, alpha): locals 4 = i, 5 = x, 6 = alpha, 7 = zero
  const leakyRelu: FuncSpec = {
    name: "leakyRelu",
    params: [I32, I32, I32, F32],
    bytes: 2,
    vectors: 3,
    setup: [...set(6, splatParam(3)), ...set(7, splatConst(0))],
    body: (at) => [
      ...set(5, LOAD(at(0))),
      ...STORE(at(1), bitselect(bin("mul", get(5), get(6)), get(5), bin("lt", get(5), get(7)))),
    ],
  };
  // leakyReluGrad(dy, x, out, bytes, alpha): locals 5 = i, 6 = dy, 7 = alpha, 8 = zero
  const leakyReluGrad: FuncSpec = {
    name: "leakyReluGrad",
    params: [I32, I32, I32, I32, F32],
    bytes: 3,
    vectors: 3,
    setup: [...set(7, splatParam(4)), ...set(8, splatConst(0))],
    body: (at) => [
      ...set(6, LOAD(at(0))),
      ...STORE(
        at(2),
        bitselect(get(6), bin("mul", get(6), get(7)), bin("gt", LOAD(at(1)), get(8))),
      ),
    ],
  };
  // tanhGrad(dy, y, out, bytes): locals 4 = i, 5 = y, 6 = one
  const tanhGrad: FuncSpec = {
    name: "tanhGrad",
    params: [I32, I32, I32, I32],
    bytes: 3,
    vectors: 2,
    setup: set(6, splatConst(1)),
    body: (at) => [
      ...set(5, LOAD(at(1))),
      ...STORE(at(2), bin("mul", bin("sub", get(6), bin("mul", get(5), get(5))), LOAD(at(0)))),
    ],
  };
  // adam(v, m, s, g, outV, outM, outS, bytes, b1, b1c, b2, b2c, lr, c2, eps)
  // locals 15 = i; vectors 16 = g, 17 = mi, 18 = si, 19..25 = constants
  const adam: FuncSpec = (() => {
    const [g, mi, si] = [16, 17, 18];
    const k = (j: number) => 19 + j; // b1, b1c, b2, b2c, lr, c2, eps
    return {
      name: "adam",
      params: [I32, I32, I32, I32, I32, I32, I32, I32, F32, F32, F32, F32, F32, F32, F32],
      bytes: 7,
      vectors: 10,
      setup: [0, 1, 2, 3, 4, 5, 6].flatMap((j) => set(k(j), splatParam(8 + j))),
      body: (at) => [
        ...set(g, LOAD(at(3))),
        ...set(mi, bin("add", bin("mul", get(k(0)), LOAD(at(1))), bin("mul", get(k(1)), get(g)))),
        ...set(
          si,
          bin(
            "add",
            bin("mul", get(k(2)), LOAD(at(2))),
            bin("mul", get(k(3)), bin("mul", get(g), get(g))),
          ),
        ),
        ...STORE(at(5), get(mi)),
        ...STORE(at(6), get(si)),
        ...STORE(
          at(4),
          bin(
            "sub",
            LOAD(at(0)),
            bin(
              "div",
              bin("mul", get(k(4)), get(mi)),
              bin("add", [...bin("div", get(si), get(k(5))), ...simd(OP.sqrt)], get(k(6))),
            ),
          ),
        ),
      ],
    };
  })();
  return [tanh, leakyRelu, leakyReluGrad, tanhGrad, adam];
}

/** The assembled module's bytes (exported for tests). */
export function simdModuleBytes(): Uint8Array<ArrayBuffer> {
  return assemble(specs());
}

// ------------------------------------------------------ float32 scalar twins

const f = Math.fround;
const PF = TANH_P.map(f);
const QF = TANH_Q.map(f);

/** tanh of one float32 exactly as the SIMD loop computes it. */
export function tanhF32(v: number): number {
  const x = f(Math.min(Math.max(v, -9), 9));
  const x2 = f(x * x);
  let p = PF[0];
  for (let i = 1; i < PF.length; i++) p = f(f(p * x2) + PF[i]);
  let q = QF[0];
  for (let i = 1; i < QF.length; i++) q = f(f(q * x2) + QF[i]);
  return f(f(p * x) / q);
}

/** Adam's float32 constants from its hyper-parameters. */
export interface AdamConstants {
  b1: number;
  b1c: number;
  b2: number;
  b2c: number;
  lr: number;
  c2: number;
  eps: number;
}

/** Element-wise loops on the wasm heap; pointers are byte offsets, n counts floats. */
export interface SimdLoops {
  tanh(x: number, out: number, n: number): void;
  leakyRelu(x: number, out: number, n: number, alpha: number): void;
  leakyReluGrad(dy: number, x: number, out: number, n: number, alpha: number): void;
  tanhGrad(dy: number, y: number, out: number, n: number): void;
  adam(
    v: number,
    m: number,
    s: number,
    g: number,
    outV: number,
    outM: number,
    outS: number,
    n: number,
    k: AdamConstants,
  ): void;
}

type Raw = {
  tanh(x: number, out: number, bytes: number): void;
  leakyRelu(x: number, out: number, bytes: number, alpha: number): void;
  leakyReluGrad(dy: number, x: number, out: number, bytes: number, alpha: number): void;
  tanhGrad(dy: number, y: number, out: number, bytes: number): void;
  adam(...args: number[]): void;
};

function loops(raw: Raw, memory: WebAssembly.Memory): SimdLoops {
  // The last n % 4 elements, in JavaScript with the same float32 operations.
  const heap = () => new Float32Array(memory.buffer);
  const split = (n: number) => [n & ~3, n & 3] as const;
  return {
    tanh(x, out, n) {
      const [body, tail] = split(n);
      raw.tanh(x, out, body * 4);
      if (tail) {
        const h = heap();
        for (let i = body; i < n; i++) h[(out >> 2) + i] = tanhF32(h[(x >> 2) + i]);
      }
    },
    leakyRelu(x, out, n, alpha) {
      const [body, tail] = split(n);
      raw.leakyRelu(x, out, body * 4, alpha);
      if (tail) {
        const h = heap();
        const a = f(alpha);
        for (let i = body; i < n; i++) {
          const v = h[(x >> 2) + i];
          h[(out >> 2) + i] = v < 0 ? f(v * a) : v;
        }
      }
    },
    leakyReluGrad(dy, x, out, n, alpha) {
      const [body, tail] = split(n);
      raw.leakyReluGrad(dy, x, out, body * 4, alpha);
      if (tail) {
        const h = heap();
        const a = f(alpha);
        for (let i = body; i < n; i++) {
          const d = h[(dy >> 2) + i];
          h[(out >> 2) + i] = h[(x >> 2) + i] > 0 ? d : f(d * a);
        }
      }
    },
    tanhGrad(dy, y, out, n) {
      const [body, tail] = split(n);
      raw.tanhGrad(dy, y, out, body * 4);
      if (tail) {
        const h = heap();
        for (let i = body; i < n; i++) {
          const v = h[(y >> 2) + i];
          h[(out >> 2) + i] = f(f(1 - f(v * v)) * h[(dy >> 2) + i]);
        }
      }
    },
    adam(v, m, s, g, outV, outM, outS, n, k) {
      const [body, tail] = split(n);
      raw.adam(v, m, s, g, outV, outM, outS, body * 4, k.b1, k.b1c, k.b2, k.b2c, k.lr, k.c2, k.eps);
      if (tail) {
        const h = heap();
        const c = {
          b1: f(k.b1),
          b1c: f(k.b1c),
          b2: f(k.b2),
          b2c: f(k.b2c),
          lr: f(k.lr),
          c2: f(k.c2),
          eps: f(k.eps),
        };
        for (let i = body; i < n; i++) {
          const gi = h[(g >> 2) + i];
          const mi = f(f(c.b1 * h[(m >> 2) + i]) + f(c.b1c * gi));
          const si = f(f(c.b2 * h[(s >> 2) + i]) + f(c.b2c * f(gi * gi)));
          h[(outM >> 2) + i] = mi;
          h[(outS >> 2) + i] = si;
          const step = f(f(c.lr * mi) / f(f(Math.sqrt(f(si / c.c2))) + c.eps));
          h[(outV >> 2) + i] = f(h[(v >> 2) + i] - step);
        }
      }
    },
  };
}

const instances = new WeakMap<WebAssembly.Memory, SimdLoops>();

/**
 * The SIMD loops bound to the memory of a tfjs wasm backend (compiled once
 * per memory), or null when the backend exposes no memory or this runtime
 * has no WebAssembly SIMD.
 */
export function simdLoops(backend: WasmHeapBackend): SimdLoops | null {
  const memory = backend.wasm?.asm?.memory;
  if (!(memory instanceof WebAssembly.Memory)) return null;
  const known = instances.get(memory);
  if (known) return known;
  try {
    const module = new WebAssembly.Module(simdModuleBytes());
    const instance = new WebAssembly.Instance(module, { env: { memory } });
    const made = loops(instance.exports as unknown as Raw, memory);
    instances.set(memory, made);
    return made;
  } catch {
    return null;
  }
}
