/**
 * A native CBLAS library (OpenBLAS, BLIS or Apple's Accelerate) loaded with
 * `Deno.dlopen`, for the matrix products of the wasm backend (see
 * `wasm_matmul.ts`). Typed arrays go to the library as FFI `buffer`
 * parameters: no copy, so views of the wasm heap work in place.
 *
 * The library runs on one thread (each sweep worker is one process on one
 * core; one thread also keeps results bit-identical run to run).
 *
 * Which library: the environment variable `GAN_HARNESS_BLAS` set to `off`
 * disables native BLAS; set to a path it loads that library only; unset, the
 * first of {@link blasCandidates} that loads wins (a single-threaded
 * OpenBLAS, then BLIS, then a threaded OpenBLAS held to one thread; on macOS
 * Accelerate). Loading needs `--allow-ffi`; without it, or without a
 * library, {@link nativeBlas} returns null and {@link blasStatus} says why.
 *
 * Debian: `apt-get install libopenblas0-serial` (or `libblis4-serial`).
 * Where no library is found, the reason says the command that installs one
 * on this system ({@link blasInstallHint}) and what its absence costs
 * ({@link NO_BLAS_SLOWDOWN}).
 *
 * @module
 */
import { readFileSync } from "node:fs";

/** The environment variable that disables native BLAS (`off`) or names the library to load. */
export const BLAS_ENV = "GAN_HARNESS_BLAS";

/** Row-major single-precision products from a native CBLAS library. */
export interface Blas {
  /** What was loaded, e.g. `OpenBLAS 0.3.21 (Haswell)`. */
  name: string;
  /** The path it was loaded from. */
  path: string;
  /**
   * C = alpha * op(A) * op(B) + beta * C, row-major; op(A) is m x k, op(B)
   * is k x n, C is m x n; `lda`, `ldb`, `ldc` are the row strides of A, B and
   * C as stored (before the transpose). With beta 0, C's prior contents are
   * ignored (NaN included).
   */
  sgemm(
    transA: boolean,
    transB: boolean,
    m: number,
    n: number,
    k: number,
    alpha: number,
    a: Float32Array,
    lda: number,
    b: Float32Array,
    ldb: number,
    beta: number,
    c: Float32Array,
    ldc: number,
  ): void;
  /**
   * y = alpha * op(A) * x + beta * y, row-major; A is m x n as stored (row
   * stride `lda`); op(A) is A or its transpose; `incX`, `incY` are the
   * element strides of x and y.
   */
  sgemv(
    transA: boolean,
    m: number,
    n: number,
    alpha: number,
    a: Float32Array,
    lda: number,
    x: Float32Array,
    incX: number,
    beta: number,
    y: Float32Array,
    incY: number,
  ): void;
  /** y = alpha * x + y over `n` elements with strides `incX`, `incY`. */
  saxpy(
    n: number,
    alpha: number,
    x: Float32Array,
    incX: number,
    y: Float32Array,
    incY: number,
  ): void;
}

/** Whether native BLAS loaded: the library, or one line saying why not. */
export type BlasStatus = { blas: Blas } | { reason: string };

const ROW_MAJOR = 101;
const NO_TRANS = 111;
const TRANS = 112;

/**
 * The parameters `cblas_sgemm` and `cblas_sgemv` end with alike: alpha, A
 * and its row stride, B (or x) and its stride, beta, C (or y) and its stride.
 */
const SCALED_OPERANDS = ["f32", "buffer", "i32", "buffer", "i32", "f32", "buffer", "i32"] as const;

const SYMBOLS = {
  // order, transA, transB, m, n, k, then the scaled operands.
  cblas_sgemm: {
    parameters: ["i32", "i32", "i32", "i32", "i32", "i32", ...SCALED_OPERANDS],
    result: "void",
  },
  // order, trans, m, n, then the scaled operands.
  cblas_sgemv: { parameters: ["i32", "i32", "i32", "i32", ...SCALED_OPERANDS], result: "void" },
  // n, alpha, x, incX, y, incY.
  cblas_saxpy: {
    parameters: ["i32", "f32", "buffer", "i32", "buffer", "i32"],
    result: "void",
  },
} as const;

const OPTIONAL_SYMBOLS = {
  openblas_set_num_threads: { parameters: ["i32"], result: "void", optional: true },
  openblas_get_config: { parameters: [], result: "pointer", optional: true },
  openblas_get_corename: { parameters: [], result: "pointer", optional: true },
  bli_thread_set_num_threads: { parameters: ["i64"], result: "void", optional: true },
  bli_info_get_version_str: { parameters: [], result: "pointer", optional: true },
} as const;

const ALL_SYMBOLS = { ...SYMBOLS, ...OPTIONAL_SYMBOLS };

/**
 * Library paths tried in order when `GAN_HARNESS_BLAS` is unset: on Linux a
 * single-threaded OpenBLAS (Debian `libopenblas0-serial`), BLIS (`libblis4-serial`),
 * then whatever `libopenblas.so.0` points to (held to one thread); on macOS
 * Homebrew's OpenBLAS, then Accelerate.
 */
export function blasCandidates(
  os: string = Deno.build.os,
  arch: string = Deno.build.arch,
): string[] {
  if (os === "darwin") {
    return [
      "/opt/homebrew/opt/openblas/lib/libopenblas.dylib",
      "/usr/local/opt/openblas/lib/libopenblas.dylib",
      "/System/Library/Frameworks/Accelerate.framework/Accelerate",
    ];
  }
  if (os === "windows") return ["libopenblas.dll", "openblas.dll"];
  const triple = arch === "aarch64" ? "aarch64-linux-gnu" : "x86_64-linux-gnu";
  const debian = `/usr/lib/${triple}`;
  return [
    `${debian}/openblas-serial/libopenblas.so.0`,
    `${debian}/blis-serial/libblis.so.4`,
    `${debian}/libopenblas.so.0`,
    `${debian}/openblas-pthread/libopenblas.so.0`,
    `${debian}/openblas-openmp/libopenblas.so.0`,
    `${debian}/blis-pthread/libblis.so.4`,
    `${debian}/blis-openmp/libblis.so.4`,
    `${debian}/libblis.so.4`,
    "/usr/lib64/libopenblas.so.0",
    "/usr/lib64/libopenblaso.so.0",
    "/usr/lib/libopenblas.so.0",
    "/usr/lib64/libblis.so.4",
    "/usr/lib/libblis.so.4",
  ];
}

function envGet(name: string): string | undefined {
  try {
    return Deno.env.get(name);
  } catch {
    return undefined;
  }
}

function envSetIfUnset(name: string, value: string): void {
  try {
    if (Deno.env.get(name) === undefined) Deno.env.set(name, value);
  } catch {
    // Without --allow-env the library's own default applies; set_num_threads below still holds it to one thread.
  }
}

function cString(ptr: Deno.PointerValue): string {
  return ptr === null ? "" : new Deno.UnsafePointerView(ptr).getCString();
}

function describe(lib: Deno.DynamicLibrary<typeof ALL_SYMBOLS>, path: string): string {
  const s = lib.symbols;
  if (s.openblas_get_config) {
    const config = cString(s.openblas_get_config());
    const version = /OpenBLAS\s+([\d.]+)/.exec(config)?.[1];
    const core = s.openblas_get_corename ? cString(s.openblas_get_corename()) : "";
    return `OpenBLAS${version ? ` ${version}` : ""}${core ? ` (${core})` : ""}`;
  }
  if (s.bli_info_get_version_str) return `BLIS ${cString(s.bli_info_get_version_str())}`;
  if (path.includes("Accelerate")) return "Accelerate";
  return path.split("/").pop() ?? path;
}

/**
 * Loads the CBLAS library at `path`, holds it to one thread and checks one
 * small product against a hand-computed result. Throws an Error saying what
 * failed (missing file, no `--allow-ffi`, missing symbols, wrong results).
 */
export function loadBlas(path: string): Blas {
  // Before the library starts: threaded builds read these when they load.
  for (const name of ["OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "BLIS_NUM_THREADS"]) {
    envSetIfUnset(name, "1");
  }
  if (path.includes("Accelerate")) envSetIfUnset("VECLIB_MAXIMUM_THREADS", "1");
  const lib = Deno.dlopen(path, ALL_SYMBOLS);
  const s = lib.symbols;
  s.openblas_set_num_threads?.(1);
  s.bli_thread_set_num_threads?.(1n);
  const blas: Blas = {
    name: describe(lib, path),
    path,
    sgemm(transA, transB, ...rest) {
      s.cblas_sgemm(ROW_MAJOR, transA ? TRANS : NO_TRANS, transB ? TRANS : NO_TRANS, ...rest);
    },
    sgemv(transA, ...rest) {
      s.cblas_sgemv(ROW_MAJOR, transA ? TRANS : NO_TRANS, ...rest);
    },
    saxpy(...args) {
      s.cblas_saxpy(...args);
    },
  };
  // A 2x3 by 3x2 product with transposes and a non-packed stride: catches a
  // 64-bit-integer build or a broken library before it corrupts a run.
  const a = new Float32Array([1, 2, 3, 99, 4, 5, 6, 99]); // 2x3, lda 4
  const bT = new Float32Array([7, 9, 11, 8, 10, 12]); // B^T stored 2x3
  const c = new Float32Array([NaN, NaN, NaN, NaN]);
  blas.sgemm(false, true, 2, 2, 3, 1, a, 4, bT, 3, 0, c, 2);
  const y = new Float32Array([NaN, NaN, NaN]);
  blas.sgemv(true, 2, 3, 1, a, 4, new Float32Array([1, 1]), 1, 0, y, 1);
  const z = new Float32Array([1, 2, 3]);
  blas.saxpy(3, 2, y, 1, z, 1);
  const ok = [58, 64, 139, 154].every((v, i) => c[i] === v) &&
    [5, 7, 9].every((v, i) => y[i] === v) && [11, 16, 21].every((v, i) => z[i] === v);
  if (!ok) {
    lib.close();
    throw new Error(
      `${path}: cblas_sgemm/cblas_sgemv/cblas_saxpy gave wrong results on a 2x3 check ([${
        c.join(", ")
      }], [${y.join(", ")}], [${
        z.join(", ")
      }]); is it a 64-bit-integer (ILP64) build? Point ${BLAS_ENV} at a 32-bit-integer CBLAS or set it to off`,
    );
  }
  return blas;
}

let cached: BlasStatus | undefined;

/**
 * Finds and loads a native BLAS once per process (see the module doc for the
 * order and `GAN_HARNESS_BLAS`). Never throws.
 */
export function blasStatus(): BlasStatus {
  if (cached) return cached;
  cached = searchBlas(envGet(BLAS_ENV));
  return cached;
}

/** The native BLAS of this process, or null when none loads (never throws; cached). */
export function nativeBlas(): Blas | null {
  const status = blasStatus();
  return "blas" in status ? status.blas : null;
}

function firstLine(e: unknown): string {
  return (e instanceof Error ? e.message : String(e)).split("\n")[0];
}

/**
 * How much slower the quick start's runs are without a native BLAS: 4 runs
 * of the k-steps study (k = 1, 2, 5 and 10 on 64 points) took 28-31 s of
 * CPU time with OpenBLAS and 112-121 s with `GAN_HARNESS_BLAS=off` on the
 * 2-core build machine, 4.0x (README, Quick start). Larger nets lose more
 * (the reference MLP-GAN step of `bench/step.ts`: about 23x).
 */
export const NO_BLAS_SLOWDOWN = 4;

/**
 * The command that installs a single-threaded native BLAS this module
 * finds, for the system it runs on: Debian and Ubuntu
 * `apt-get install libopenblas0-serial`, Fedora and RHEL
 * `dnf install openblas-serial`, Arch `pacman -S openblas`, Alpine
 * `apk add openblas`, openSUSE `zypper install libopenblas_serial0`, macOS
 * `brew install openblas`; null where none is known.
 *
 * @param os `Deno.build.os`.
 * @param osRelease The text of `/etc/os-release` (read when not given on Linux).
 * @returns The command, or null.
 */
export function blasInstallHint(
  os: string = Deno.build.os,
  osRelease?: string,
): string | null {
  if (os === "darwin") return "brew install openblas";
  if (os !== "linux") return null;
  let text = osRelease;
  if (text === undefined) {
    try {
      text = readFileSync("/etc/os-release", "utf8");
    } catch {
      text = "";
    }
  }
  const field = (name: string) =>
    new RegExp(`^${name}="?([^"\n]*)"?$`, "m").exec(text!)?.[1].toLowerCase().split(/\s+/) ?? [];
  const ids = [...field("ID"), ...field("ID_LIKE")];
  const has = (...names: string[]) => names.some((n) => ids.includes(n));
  if (has("debian", "ubuntu")) return "apt-get install libopenblas0-serial";
  if (has("fedora", "rhel", "centos")) return "dnf install openblas-serial";
  if (has("arch")) return "pacman -S openblas";
  if (has("alpine")) return "apk add openblas";
  if (has("suse", "opensuse")) return "zypper install libopenblas_serial0";
  return null;
}

/**
 * The reason line when no native BLAS is found: what it costs and how to
 * install one here.
 *
 * @param tried How many places were searched.
 * @param hint The install command ({@link blasInstallHint}), or null.
 * @returns One line.
 */
export function noBlasReason(tried: number, hint: string | null = blasInstallHint()): string {
  return `no native BLAS library found (tried ${tried} places), so runs take about ` +
    `${NO_BLAS_SLOWDOWN}x as long (more for large nets); ${
      hint
        ? `install one with: ${hint}`
        : "install a single-threaded OpenBLAS or BLIS, or point GAN_HARNESS_BLAS at one"
    }`;
}

/**
 * Loads a native BLAS as `GAN_HARNESS_BLAS=choice` would (`off`, a path, or
 * undefined to search `candidates`, by default {@link blasCandidates}),
 * without caching. Never throws.
 */
export function searchBlas(
  choiceRaw: string | undefined,
  candidates: readonly string[] = blasCandidates(),
): BlasStatus {
  const choice = choiceRaw?.trim();
  if (choice && /^(off|none|0|false|no)$/i.test(choice)) {
    return { reason: `native BLAS disabled (${BLAS_ENV}=${choice})` };
  }
  if (typeof Deno?.dlopen !== "function") return { reason: "this runtime has no Deno.dlopen" };
  const paths = choice ? [choice] : candidates;
  const failures: string[] = [];
  for (const path of paths) {
    try {
      return { blas: loadBlas(path) };
    } catch (e) {
      if (e instanceof Deno.errors.NotCapable || e instanceof Deno.errors.PermissionDenied) {
        return {
          reason: "native BLAS needs --allow-ffi (the deno tasks of this project grant it)",
        };
      }
      failures.push(`${path}: ${firstLine(e)}`);
    }
  }
  if (choice) {
    return {
      reason: `${BLAS_ENV}=${choice} did not load (${
        failures[0]
      }); unset it to search the usual places`,
    };
  }
  return { reason: noBlasReason(paths.length) };
}
