/**
 * Element-wise loops in WebAssembly SIMD (4 float32 lanes) that run on the
 * tfjs wasm backend's own memory: a small module, assembled here from a few
 * opcodes, imports the backend's `WebAssembly.Memory`, so its functions take
 * the byte offsets of tensors on the wasm heap and read and write them in
 * place, with no copies and no views.
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

/** The part of the wasm backend the loops need: its module (memory) and tensor offsets. */
export interface WasmHeapBackend {
  wasm: { asm?: { memory?: WebAssembly.Memory } };
}

// ---------------------------------------------------------------- encoding

function uleb(n: number): number[] {
  const out: number[] = [];
  do {
    let byte = n & 0x7f;
    n >>>= 7;
    if (n !== 0) byte |= 0x80;
    out.push(byte);
  } while (n !== 0);
  return out;
}

function sleb(n: number): number[] {
  const out: number[] = [];
  while (true) {
    const byte = n & 0x7f;
    n >>= 7;
    if ((n === 0 && (byte & 0x40) === 0) || (n === -1 && (byte & 0x40) !== 0)) {
      out.push(byte);
      return out;
    }
    out.push(byte | 0x80);
  }
}

function f32Bytes(x: number): number[] {
  return [...new Uint8Array(new Float32Array([x]).buffer)];
}

function vec(items: number[][]): number[] {
  return [...uleb(items.length), ...items.flat()];
}

function section(id: number, body: number[]): number[] {
  return [id, ...uleb(body.length), ...body];
}

const I32 = 0x7f;
const F32 = 0x7d;
const V128 = 0x7b;

/** Bytecode that leaves one value on the stack (or, for statements, none). */
type Code = number[];

const get = (i: number): Code => [0x20, ...uleb(i)];
const set = (i: number, v: Code): Code => [...v, 0x21, ...uleb(i)];
const simd = (opcode: number): Code => [0xfd, ...uleb(opcode)];
const MEMARG = [0x02, 0x00]; // align 2^2 bytes (a hint), offset 0

const OP = {
  splat: 0x13,
  lt: 0x43,
  gt: 0x44,
  bitselect: 0x52,
  sqrt: 0xe3,
  add: 0xe4,
  sub: 0xe5,
  mul: 0xe6,
  div: 0xe7,
  min: 0xe8,
  max: 0xe9,
} as const;

const bin = (op: keyof typeof OP, a: Code, b: Code): Code => [...a, ...b, ...simd(OP[op])];
const splatConst = (x: number): Code => [0x43, ...f32Bytes(x), ...simd(OP.splat)];
const splatParam = (i: number): Code => [...get(i), ...simd(OP.splat)];
const bitselect = (ifTrue: Code, ifFalse: Code, mask: Code): Code => [
  ...ifTrue,
  ...ifFalse,
  ...mask,
  ...simd(OP.bitselect),
];

interface FuncSpec {
  name: string;
  /** Parameter types: pointers and the byte count are i32, scalars f32. */
  params: number[];
  /** Index of the parameter holding the byte count. */
  bytes: number;
  /** Extra v128 locals the body uses (after the loop counter). */
  vectors: number;
  /** Statements run once before the loop (e.g. constant splats into locals). */
  setup: Code;
  /** The loop body; `at(p)` is the address of the current vector of pointer parameter p. */
  body: (at: (p: number) => Code) => Code;
}

function funcBody(f: FuncSpec): number[] {
  const counter = f.params.length;
  const at = (p: number): Code => [...get(p), ...get(counter), 0x6a]; // ptr + i
  const code: Code = [
    ...f.setup,
    0x02,
    0x40, // block
    0x03,
    0x40, // loop
    ...get(counter),
    ...get(f.bytes),
    0x4f, // i32.ge_u
    0x0d,
    ...uleb(1), // br_if out of the block
    ...f.body(at),
    ...set(counter, [...get(counter), 0x41, ...sleb(16), 0x6a]),
    0x0c,
    ...uleb(0), // br to the loop
    0x0b,
    0x0b, // end loop, end block
    0x0b, // end function
  ];
  const locals = vec([[...uleb(1), I32], [...uleb(f.vectors), V128]]);
  const body = [...locals, ...code];
  return [...uleb(body.length), ...body];
}

function assemble(funcs: FuncSpec[]): Uint8Array<ArrayBuffer> {
  const types = section(1, vec(funcs.map((f) => [0x60, ...vec(f.params.map((t) => [t])), 0x00])));
  const imports = section(
    2,
    vec([[...name("env"), ...name("memory"), 0x02, 0x00, ...uleb(0)]]),
  );
  const functions = section(3, vec(funcs.map((_, i) => uleb(i))));
  const exports = section(7, vec(funcs.map((f, i) => [...name(f.name), 0x00, ...uleb(i)])));
  const code = section(10, vec(funcs.map(funcBody)));
  return new Uint8Array([
    0x00,
    0x61,
    0x73,
    0x6d,
    0x01,
    0x00,
    0x00,
    0x00,
    ...types,
    ...imports,
    ...functions,
    ...exports,
    ...code,
  ]);
}

function utf8(s: string): number[] {
  return [...new TextEncoder().encode(s)];
}

function name(s: string): number[] {
  const bytes = utf8(s);
  return [...uleb(bytes.length), ...bytes];
}

// ---------------------------------------------------------------- kernels

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

const LOAD = (addr: Code): Code => [...addr, ...simd(0x00), ...MEMARG];
const STORE = (addr: Code, v: Code): Code => [...addr, ...v, ...simd(0x0b), ...MEMARG];

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
