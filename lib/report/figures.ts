/**
 * Figure-2 style sample figures of image runs: for each configuration, the
 * first `done` seed that left `samples_nn.png` (30 generator samples, each
 * beside its nearest training image) or `samples.png` (a grid of samples,
 * 10 per row) has them copied into the report's `figures/` folder as
 * `<configId>-samples_nn.png` and `<configId>-samples.png`, so the report
 * shows them without the run store.
 *
 * @module
 */
import { existsSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { join } from "node:path";
import { pngSize, writeAtomic } from "../io/mod.ts";
import { isImageData } from "../spec/config.ts";
import { runPaths } from "../sweep/store.ts";
import type { Aggregate } from "./aggregate.ts";

/** The two image files an image run leaves, in the order reports show them. */
export const FIGURE_KINDS = ["samples_nn", "samples"] as const;

/** One of {@link FIGURE_KINDS}. */
export type FigureKind = typeof FIGURE_KINDS[number];

/** One image of a sample figure. */
export interface FigureImage {
  /** Which file of the run. */
  kind: FigureKind;
  /** Path relative to the report directory, e.g. `figures/<configId>-samples_nn.png`. */
  file: string;
  /** The file in the run directory. */
  source: string;
  /** The PNG's bytes. */
  bytes: Uint8Array;
  /** Pixel width and height from the PNG header (0 when unreadable). */
  width: number;
  height: number;
  /** A caption naming the configuration, the seed and what the image shows. */
  caption: string;
}

/** The sample figures of one configuration, from one of its runs. */
export interface SampleFigure {
  configId: string;
  /** The configuration's label, e.g. "k=5" ("base" when nothing is swept). */
  label: string;
  /** The run the images come from. */
  runId: string;
  seed: number;
  /** One or two images, in {@link FIGURE_KINDS} order. */
  images: FigureImage[];
}

/** The figures a report shows. */
export interface SampleFigures {
  /** Up to `max` configurations, in plan order. */
  figures: SampleFigure[];
  /** Configurations that have images (shown or not). */
  eligible: number;
  /** The cap that applied. */
  max: number;
}

/** Options for {@link collectFigures}. */
export interface FigureOptions {
  /** At most this many configurations get figures (default 16, the first in plan order). */
  max?: number;
}

/** Names this module writes under `figures/`; those of an earlier build that are gone are removed. */
const OWN_FIGURE = /^.+-samples(?:_nn)?\.png$/;

/**
 * Width and height of a PNG from its IHDR chunk.
 *
 * @param bytes The PNG file.
 * @returns [width, height], or [0, 0] when the bytes are not a PNG.
 */
export function pngDimensions(bytes: Uint8Array): [number, number] {
  const size = pngSize(bytes);
  return size ? [size.width, size.height] : [0, 0];
}

function caption(kind: FigureKind, label: string, seed: number, runId: string): string {
  const what = kind === "samples_nn"
    ? "generator samples, each beside its nearest training image (right of each pair; " +
      "Figure 2 of the paper)"
    : "generator samples, 10 per row";
  return `${label}, seed ${seed} (run \`${runId}\`): ${what}`;
}

function sourcePath(dir: string, kind: FigureKind): string {
  const p = runPaths(dir);
  return kind === "samples_nn" ? p.neighboursPng : p.samplesPng;
}

/**
 * Finds the sample figures of a sweep: per configuration, the first `done`
 * run (by seed) that left `samples_nn.png` or `samples.png`, both read when
 * present. Configurations past `max` are counted, not read.
 *
 * @param agg The aggregated sweep (run records carry their directories).
 * @param options The cap on configurations.
 * @returns The figures, how many configurations had images and the cap.
 */
export function collectFigures(agg: Aggregate, options: FigureOptions = {}): SampleFigures {
  const max = options.max ?? 16;
  const figures: SampleFigure[] = [];
  let eligible = 0;
  for (const config of agg.configs) {
    // Only image runs leave these files: skip the rest without touching the disk.
    if (!config.runs[0] || !isImageData(config.runs[0].plan.config.data)) continue;
    const runs = config.runs.filter((r) => r.state === "done" && r.record)
      .sort((a, b) => a.plan.seed - b.plan.seed);
    const run = runs.find((r) =>
      FIGURE_KINDS.some((k) => existsSync(sourcePath(r.record!.dir, k)))
    );
    if (!run) continue;
    eligible++;
    if (figures.length >= max) continue;
    const images: FigureImage[] = [];
    for (const kind of FIGURE_KINDS) {
      const source = sourcePath(run.record!.dir, kind);
      let bytes: Uint8Array;
      try {
        bytes = readFileSync(source);
      } catch {
        continue;
      }
      const [width, height] = pngDimensions(bytes);
      images.push({
        kind,
        file: `figures/${config.configId}-${kind}.png`,
        source,
        bytes,
        width,
        height,
        caption: caption(kind, config.label, run.plan.seed, run.plan.id),
      });
    }
    if (images.length === 0) continue;
    figures.push({
      configId: config.configId,
      label: config.label,
      runId: run.plan.id,
      seed: run.plan.seed,
      images,
    });
  }
  return { figures, eligible, max };
}

/**
 * Writes each figure's images under `<outDir>/figures/` and removes the
 * figure files of earlier builds that are no longer shown (and the folder,
 * when that leaves it empty).
 *
 * @param figures The figures from {@link collectFigures}.
 * @param outDir The report directory.
 * @returns The paths written.
 */
export function writeFigures(figures: readonly SampleFigure[], outDir: string): string[] {
  const files: string[] = [];
  const kept = new Set<string>();
  for (const f of figures) {
    for (const image of f.images) {
      const path = join(outDir, image.file);
      writeAtomic(path, image.bytes);
      files.push(path);
      kept.add(image.file.slice("figures/".length));
    }
  }
  const dir = join(outDir, "figures");
  let names: string[] = [];
  try {
    names = readdirSync(dir);
  } catch {
    return files;
  }
  let left = names.length;
  for (const name of names) {
    if (OWN_FIGURE.test(name) && !kept.has(name)) {
      rmSync(join(dir, name), { force: true });
      left--;
    }
  }
  if (left === 0) rmSync(dir, { recursive: true, force: true });
  return files;
}

/**
 * The sentence that says which seed the figures show and how many
 * configurations were left out by the cap.
 *
 * @param figs The figures.
 * @returns One sentence.
 */
export function figuresNote(figs: SampleFigures): string {
  const base = "One seed per configuration (the first `done` run that left the images).";
  const left = figs.eligible - figs.figures.length;
  return left > 0
    ? `${base} First ${figs.figures.length} of ${figs.eligible} configurations shown ` +
      `(at most ${figs.max}); ${left} left out.`
    : base;
}
