/**
 * A tiny WebAssembly assembler for the SIMD loops of `wasm_simd.ts`: LEB128
 * and float encodings, the few opcodes those loops use (v128 arithmetic,
 * comparisons, bit-select, loads and stores), and a module of functions that
 * each run one loop over a byte range of an imported `env.memory`, 16 bytes
 * (one v128) per iteration.
 *
 * @module
 */

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

/** Value type i32 (pointers, byte counts). */
export const I32 = 0x7f;
/** Value type f32 (scalar parameters). */
export const F32 = 0x7d;
const V128 = 0x7b;

/** Bytecode that leaves one value on the stack (or, for statements, none). */
export type Code = number[];

/** local.get i. */
export const get = (i: number): Code => [0x20, ...uleb(i)];
/** local.set i to the value `v` leaves. */
export const set = (i: number, v: Code): Code => [...v, 0x21, ...uleb(i)];
/** A SIMD (0xfd-prefixed) opcode. */
export const simd = (opcode: number): Code => [0xfd, ...uleb(opcode)];
const MEMARG = [0x02, 0x00]; // align 2^2 bytes (a hint), offset 0

/** The f32x4 (and v128 bit-select) opcodes the loops use. */
export const OP = {
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

/** A binary f32x4 operation on the values `a` and `b` leave. */
export const bin = (op: keyof typeof OP, a: Code, b: Code): Code => [...a, ...b, ...simd(OP[op])];
/** A v128 of four copies of the float32 constant `x`. */
export const splatConst = (x: number): Code => [0x43, ...f32Bytes(x), ...simd(OP.splat)];
/** A v128 of four copies of f32 local (parameter) `i`. */
export const splatParam = (i: number): Code => [...get(i), ...simd(OP.splat)];
/** Lane by lane: `ifTrue` where `mask` is set, else `ifFalse`. */
export const bitselect = (ifTrue: Code, ifFalse: Code, mask: Code): Code => [
  ...ifTrue,
  ...ifFalse,
  ...mask,
  ...simd(OP.bitselect),
];

/** v128.load from the address `addr` leaves. */
export const LOAD = (addr: Code): Code => [...addr, ...simd(0x00), ...MEMARG];
/** v128.store of `v` at the address `addr` leaves. */
export const STORE = (addr: Code, v: Code): Code => [...addr, ...v, ...simd(0x0b), ...MEMARG];

/** One exported function: a loop over `bytes` bytes, 16 per iteration. */
export interface FuncSpec {
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

/** The bytes of a module that imports `env.memory` and exports `funcs` by name. */
export function assemble(funcs: FuncSpec[]): Uint8Array<ArrayBuffer> {
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
