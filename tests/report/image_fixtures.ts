/**
 * An image study on disk for report tests: MNIST-shaped run directories
 * with final Parzen metrics and small real PNGs (`samples.png`,
 * `samples_nn.png`) written with the harness's own encoder.
 *
 * Plan order is k = 1, 2, 3 x seeds 0, 1, 2 (run indices 0..8):
 * - k=1: every seed done with both PNGs; parzen_ll 200, 201, 202.
 * - k=2: seed 0 failed, seed 1 done with both PNGs (parzen_ll 211,
 *   parzen_se 2.1), seed 2 without a directory.
 * - k=3: every seed done; seed 0 left no PNG, seed 1 only `samples.png`,
 *   seed 2 both; parzen_ll 220, 221, 222.
 *
 * @module
 */
import { encodePng, imageGrid } from "../../lib/data/image_grid.ts";
import type { ExperimentSpec, RunPlan } from "../../lib/spec/mod.ts";
import { metricsToCsv, type RunState } from "../../lib/sweep/store.ts";
import { writeAtomic, writeJson } from "../../lib/io/mod.ts";
import { type DiskStudy, diskStudy, writeRunStatus } from "./store_fixtures.ts";

/** The image study: k in {1, 2, 3}, seeds 0..2, a shortened budget and a full protocol. */
export const IMAGE_SPEC: ExperimentSpec = {
  name: "img",
  title: "MNIST Parzen",
  base: {
    data: { name: "mnist", trainSize: 100, validSize: 50, testSize: 50 },
    arch: { name: "mlp", noiseDim: 4, hidden: [8] },
    steps: 100,
    evalEvery: 50,
  },
  sweep: { k: [1, 2, 3] },
  seeds: [0, 1, 2],
  claims: ["parzen-table"],
  full: { set: { steps: 1000 } },
  shortened: "100 iterations instead of the paper's 1000",
};

/** Run states by plan index (missing: no directory). */
export const IMAGE_STATES: (RunState | "missing")[] = [
  "done",
  "done",
  "done",
  "failed",
  "done",
  "missing",
  "done",
  "done",
  "done",
];

/** Which PNGs each run leaves, by plan index. */
const IMAGES: ("both" | "grid" | "none")[] = [
  "both",
  "both",
  "both",
  "none",
  "both",
  "none",
  "none",
  "grid",
  "both",
];

/** Final metrics of run `index` of the image study. */
export function imageMetrics(plan: RunPlan, index: number): Record<string, number> {
  const config = Math.floor(index / 3);
  return {
    modes: 10 - config,
    mode_kl: 0.01 * (config + 1),
    nn_dist: 5 + 0.1 * plan.seed,
    parzen_ll: 200 + 10 * config + plan.seed,
    parzen_se: 2 + 0.1 * plan.seed,
    parzen_sigma: 0.2 + 0.01 * config,
  };
}

/**
 * A small grey PNG that differs from run to run: `count` 4x4 images in a
 * grid of `columns`.
 *
 * @param index The run's plan index (sets the pixel values).
 * @param count Images in the grid.
 * @param columns Images per row.
 * @returns The PNG file's bytes.
 */
export function fakePng(index: number, count: number, columns: number): Uint8Array {
  const pixels = new Float32Array(count * 16);
  for (let i = 0; i < pixels.length; i++) pixels[i] = ((i * 7 + index * 13) % 17) / 16;
  return encodePng(imageGrid(pixels, [4, 4, 1], { columns }));
}

/**
 * Writes the image study under `<root>/runs/img/` and reads it back.
 *
 * @param root The output root.
 * @param spec The experiment (default {@link IMAGE_SPEC}).
 * @returns The study.
 */
export function writeImageStudy(root: string, spec: ExperimentSpec = IMAGE_SPEC): DiskStudy {
  return diskStudy(root, spec, (plan, i, p) => {
    const state = IMAGE_STATES[i];
    if (state === "missing") return;
    writeRunStatus(p, plan, state, "Error: fixture failure");
    if (state !== "done") return;
    const final = imageMetrics(plan, i);
    // Parzen is estimated at the final evaluation only: NaN (no value) before.
    const early = { ...final, parzen_ll: NaN, parzen_se: NaN, parzen_sigma: NaN };
    writeAtomic(
      p.metrics,
      metricsToCsv([
        { step: 0, ...early, modes: final.modes - 2 },
        { step: 50, ...early, modes: final.modes - 1 },
        { step: 100, ...final },
      ]),
    );
    writeJson(p.final, { step: 100, metrics: final });
    if (IMAGES[i] !== "none") writeAtomic(p.samplesPng, fakePng(i, 10, 10));
    if (IMAGES[i] === "both") writeAtomic(p.neighboursPng, fakePng(i + 100, 6, 6));
  });
}
