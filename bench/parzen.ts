/**
 * Benchmark: the paper's Parzen-window protocol at full size on random data
 * in [0, 1]: 10,000 generator samples x 784 dimensions, sigma chosen among
 * the 10 bandwidths on 1,000 validation points, then 10,000 test points
 * evaluated at all 10 bandwidths (`parzenEstimate` with its defaults). That
 * is 11,000 x 10,000 squared distances through float32 matrix products
 * (1.7e11 flops) and their log-mean-exp at every sigma. Target: within 10 s
 * on the 2-core build machine. Also times the distances alone (one matrix
 * product pass over the test points) to split the cost.
 *
 * Runs on the backend the caller initialised (`deno task bench parzen`:
 * auto). Run directly for another backend or size:
 * `deno run -A bench/parzen.ts --backend cpu --test 1000`.
 *
 * @module
 */
import { parzenEstimate } from "../lib/metrics/parzen.ts";
import { SquaredDistances, toRowSet } from "../lib/metrics/distances.ts";
import { Rng } from "../lib/runtime/rng.ts";
import { type BackendChoice, currentBackend, initBackend } from "../lib/runtime/backend.ts";
import * as tf from "@tensorflow/tfjs";
import process from "node:process";

/** CPU seconds of this process so far (user + system): less sensitive to other load than wall time. */
function cpuSeconds(): number {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1e6;
}

/** What {@link parzenBench} measured. */
export interface ParzenBenchResult {
  /** tfjs backend. */
  backend: string;
  /** The native BLAS the wasm matrix products ran on, or null when none. */
  blas: string | null;
  /** Samples, validation points, test points, dimensions. */
  samples: number;
  valid: number;
  test: number;
  dims: number;
  /** Seconds for `parzenEstimate` (all of it: packing, both sets, all sigmas). */
  seconds: number;
  /** CPU seconds of the process during `parzenEstimate` (all threads). */
  cpuSeconds: number;
  /** Seconds for the test set's distances alone (matrix products and norms, no exponentials). */
  distanceSeconds: number;
  /** Matrix-product rate of the whole estimate, GFLOP/s (2 * (valid + test) * samples * dims). */
  gflops: number;
  /** The chosen sigma and the test mean, as a sanity check. */
  sigma: number;
  mean: number;
  se: number;
}

/** Options of {@link parzenBench}: sizes (default the paper's). */
export interface ParzenBenchOptions {
  samples?: number;
  valid?: number;
  test?: number;
  dims?: number;
  /** Print the result lines (default true). */
  print?: boolean;
}

/** Runs the benchmark on the active backend and prints seconds. */
export function parzenBench(options: ParzenBenchOptions = {}): Promise<ParzenBenchResult> {
  const nS = options.samples ?? 10_000;
  const nV = options.valid ?? 1_000;
  const nT = options.test ?? 10_000;
  const d = options.dims ?? 784;
  const rng = new Rng(0, "bench-parzen");
  const samples = { data: rng.uniforms(nS * d), rows: nS, cols: d };
  const valid = { data: rng.uniforms(nV * d), rows: nV, cols: d };
  const test = { data: rng.uniforms(nT * d), rows: nT, cols: d };
  const info = currentBackend();
  const backend = tf.getBackend();
  const blas = backend === "wasm" ? (info as { blas?: string } | null)?.blas ?? null : null;

  let t0 = performance.now();
  const c0 = cpuSeconds();
  const est = parzenEstimate(samples, valid, test);
  const seconds = (performance.now() - t0) / 1000;
  const cpu = cpuSeconds() - c0;

  t0 = performance.now();
  const dist = new SquaredDistances(toRowSet(samples, "parzenBench", "samples"));
  let sink = 0;
  try {
    dist.forEachRow(toRowSet(test, "parzenBench", "test"), (_q, d2) => sink += d2[0]);
  } finally {
    dist.dispose();
  }
  const distanceSeconds = (performance.now() - t0) / 1000;
  if (!Number.isFinite(sink)) throw new Error("parzenBench: distances are not finite");

  const gflops = 2 * (nV + nT) * nS * d / seconds / 1e9;
  const result: ParzenBenchResult = {
    backend,
    blas,
    samples: nS,
    valid: nV,
    test: nT,
    dims: d,
    seconds,
    cpuSeconds: cpu,
    distanceSeconds,
    gflops,
    sigma: est.sigma,
    mean: est.mean,
    se: est.se,
  };
  if (options.print ?? true) {
    console.log(
      `parzen: ${nS} samples x (${nV} valid + ${nT} test) x ${d} dims, 10 sigmas, on ${backend}` +
        (backend === "wasm" ? ` (${blas ? `native BLAS ${blas}` : "no native BLAS"})` : ""),
    );
    console.log(
      `parzen: parzenEstimate ${seconds.toFixed(2)} s (target 10 s; ${cpu.toFixed(2)} CPU s; ${
        gflops.toFixed(1)
      } GFLOP/s overall); test distances alone ${distanceSeconds.toFixed(2)} s`,
    );
    console.log(
      `parzen: sigma ${est.sigma.toFixed(3)}, test mean ${est.mean.toFixed(2)} +- ${
        est.se.toFixed(2)
      }`,
    );
  }
  return Promise.resolve(result);
}

if (import.meta.main) {
  const args = Deno.args;
  const flag = (name: string): string | undefined => {
    const i = args.indexOf(name);
    return i >= 0 ? args[i + 1] : undefined;
  };
  const choice = (flag("--backend") ?? "auto") as BackendChoice;
  const info = await initBackend(choice);
  console.log(`backend: ${info.reason}`);
  const num = (name: string) => flag(name) === undefined ? undefined : Number(flag(name));
  await parzenBench({
    samples: num("--samples"),
    valid: num("--valid"),
    test: num("--test"),
    dims: num("--dims"),
  });
}
