/**
 * Benchmark: the feature metrics of an image study at full size: 10,000
 * real MNIST images (the first training images) against 10,000 others (the
 * test images, standing in for generator samples), features included:
 * the feature network's forward pass over all 20,000 images, then FID,
 * KID (100 subsets of 1,000), improved precision/recall (k 3) and
 * density/coverage (k 5). Target: within 30 s on one core. Each part is
 * timed, and the CPU seconds of the process are given beside the wall
 * time (the build machine is shared).
 *
 * The feature network comes from the cache (`deno task features mnist`);
 * when none is cached it is trained first, which is not timed.
 *
 * Runs on the backend the caller initialised (`deno task bench features`:
 * auto). Run directly for another size: `deno run -A bench/features.ts --n 2000`.
 *
 * @module
 */
import process from "node:process";
import * as tf from "@tensorflow/tfjs";
import { type BackendChoice, currentBackend, initBackend } from "../lib/runtime/backend.ts";
import { loadImageData } from "../lib/data/images/load.ts";
import { extractFeatures, loadFeatureNet } from "../lib/features/mod.ts";
import { fid } from "../lib/metrics/fid.ts";
import { kid } from "../lib/metrics/kid.ts";
import { prdc } from "../lib/metrics/prdc.ts";

function cpuSeconds(): number {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1e6;
}

/** What {@link featuresBench} measured (seconds). */
export interface FeaturesBenchResult {
  backend: string;
  /** Images per set. */
  n: number;
  /** Everything: features, FID, KID, precision/recall, density/coverage. */
  seconds: number;
  cpuSeconds: number;
  features: number;
  fid: number;
  kid: number;
  prdc: number;
  /** The values, as a sanity check. */
  values: Record<string, number>;
}

/** Runs the benchmark and prints the times. */
export function featuresBench(
  options: { n?: number; print?: boolean } = {},
): Promise<FeaturesBenchResult> {
  const n = options.n ?? 10_000;
  const net = loadFeatureNet("mnist").net;
  const data = loadImageData("mnist");
  const real = data.train.images.subarray(0, n * 784);
  const other = data.test.images.subarray(0, n * 784);
  const lap = () => {
    const t = performance.now();
    return () => (performance.now() - t) / 1000;
  };
  const c0 = cpuSeconds();
  const all = lap();
  let t = lap();
  const fr = extractFeatures(net, real, n);
  const ff = extractFeatures(net, other, n);
  const features = t();
  const rows = (f: Float32Array) => ({ data: f, rows: n, cols: net.shape.width });
  t = lap();
  const f = fid(rows(fr.features), rows(ff.features));
  const fidSeconds = t();
  t = lap();
  const k = kid(rows(fr.features), rows(ff.features));
  const kidSeconds = t();
  t = lap();
  const p = prdc(rows(fr.features), rows(ff.features));
  const prdcSeconds = t();
  const seconds = all();
  const result: FeaturesBenchResult = {
    backend: tf.getBackend(),
    n,
    seconds,
    cpuSeconds: cpuSeconds() - c0,
    features,
    fid: fidSeconds,
    kid: kidSeconds,
    prdc: prdcSeconds,
    values: {
      fid: f.fid,
      kid: k.mean,
      precision: p.precision,
      recall: p.recall,
      density: p.density,
      coverage: p.coverage,
    },
  };
  if (options.print ?? true) {
    const blas = (currentBackend() as { blas?: string } | null)?.blas;
    console.log(
      `features: ${n} training vs ${n} test MNIST images on ${result.backend}${
        blas ? ` (${blas})` : ""
      }`,
    );
    console.log(
      `features: all ${seconds.toFixed(2)} s (target 30 s; ${
        result.cpuSeconds.toFixed(2)
      } CPU s): ` +
        `features ${features.toFixed(2)} s, FID ${fidSeconds.toFixed(2)} s, KID ${
          kidSeconds.toFixed(2)
        } s, ` +
        `precision/recall + density/coverage ${prdcSeconds.toFixed(2)} s`,
    );
    console.log(
      `features: FID ${f.fid.toFixed(3)}, KID ${k.mean.toFixed(5)}, precision ${
        p.precision.toFixed(3)
      }, ` +
        `recall ${p.recall.toFixed(3)}, density ${p.density.toFixed(3)}, coverage ${
          p.coverage.toFixed(3)
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
  const info = await initBackend((flag("--backend") ?? "auto") as BackendChoice);
  console.log(`backend: ${info.reason}`);
  await featuresBench({ n: flag("--n") === undefined ? undefined : Number(flag("--n")) });
}
