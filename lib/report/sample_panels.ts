/**
 * The panels of the sample charts: per configuration, the first `done` run
 * (by seed) that left the file a chart shows, read from its directory
 * (`samples.csv`, `discriminator.csv`), with the truth of its data; and
 * the pieces every sample chart shares (facet, seed note, shared scales).
 *
 * @module
 */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { parseNumberTable } from "../io/mod.ts";
import { truthOf } from "../data/synthetic.ts";
import type { SyntheticDataConfig, Truth } from "../data/types.ts";
import { isImageData } from "../spec/config.ts";
import type { Aggregate, ConfigSummary } from "./aggregate.ts";
import type { JoinedRun } from "../analysis/join.ts";

/** Generator samples read from a run's `samples.csv`. */
export interface Samples {
  /** 1 (column `x`) or 2 (`x,y`). */
  dim: number;
  /** First coordinate of each sample. */
  x: number[];
  /** Second coordinate (empty when `dim` is 1). */
  y: number[];
}

/**
 * Parses `samples.csv` (header `x` or `x,y`, one sample per line).
 *
 * @param text The file's text.
 * @returns The samples; non-finite rows (empty cells, `NaN`) are dropped.
 */
export function parseSamples(text: string): Samples {
  const table = parseNumberTable(text);
  const dim = table.columns.length >= 2 ? 2 : 1;
  const x: number[] = [];
  const y: number[] = [];
  for (const cells of table.rows) {
    const a = cells[0];
    const b = dim === 2 ? cells[1] : 0;
    if (!Number.isFinite(a) || !Number.isFinite(b)) continue;
    x.push(a);
    if (dim === 2) y.push(b);
  }
  return { dim, x, y };
}

/**
 * Reads `samples.csv` from a run directory.
 *
 * @param dir The run directory.
 * @returns The samples, or null when the file is absent, unreadable or empty.
 */
export function readSamples(dir: string): Samples | null {
  let text: string;
  try {
    text = readFileSync(join(dir, "samples.csv"), "utf8");
  } catch {
    return null;
  }
  const s = parseSamples(text);
  return s.x.length ? s : null;
}

/** D and D* on a grid, read from a run's `discriminator.csv` (`x,d,d_star`). */
export function readDiscriminator(dir: string): { x: number; d: number; dStar: number }[] | null {
  let text: string;
  try {
    text = readFileSync(join(dir, "discriminator.csv"), "utf8");
  } catch {
    return null;
  }
  const rows = parseNumberTable(text).rows.map(([x, d, dStar]) => ({ x, d, dStar }))
    .filter((r) => [r.x, r.d, r.dStar].every(Number.isFinite));
  return rows.length ? rows : null;
}

/** A configuration with the truth of its data and one run's samples. */
export interface Panel {
  config: ConfigSummary;
  run: JoinedRun;
  truth: Truth;
  samples: Samples;
}

/**
 * The panels of the configurations whose data is of kind `kind` (at most
 * `max`), and how many configurations the seed note names: every one with a
 * `done` run when the cap cut the list (those beyond it are not read).
 */
export function panels(agg: Aggregate, kind: Truth["kind"], max: number): [Panel[], number] {
  const out: Panel[] = [];
  let eligible = 0;
  for (const config of agg.configs) {
    const first = config.runs[0];
    // Image runs leave PNG grids instead of samples.csv.
    if (!first || isImageData(first.plan.config.data)) continue;
    const data = first.plan.config.data as SyntheticDataConfig;
    if (truthOf(data).kind !== kind) continue;
    const runs = config.runs.filter((r) => r.state === "done" && r.record)
      .sort((a, b) => a.plan.seed - b.plan.seed);
    if (runs.length === 0) continue;
    eligible++;
    if (out.length >= max) continue;
    for (const run of runs) {
      const samples = readSamples(run.record!.dir);
      if (!samples || samples.dim !== (kind === "gaussian-1d" ? 1 : 2)) continue;
      out.push({ config, run, truth: truthOf(data), samples });
      break;
    }
  }
  // Configurations beyond the cap were not read: say how many there were.
  return [out, out.length >= max ? eligible : out.length];
}

/** The subtitle part that says which seed each panel shows. */
export function seedNote(shown: number, eligible: number): string {
  const base = "one seed per configuration (the first done run with samples)";
  return eligible > shown ? `${base}; first ${shown} of ${eligible} configurations` : base;
}

/** Whether every panel's data has the same truth (then the charts share their x scale). */
export function sameTruth(ps: Panel[]): boolean {
  return ps.every((p) => JSON.stringify(p.truth) === JSON.stringify(ps[0].truth));
}

/**
 * The facet of one panel per configuration, in plan order; a panel's title
 * is its configuration, one swept value per line (never cut off).
 */
export function facet(ps: Panel[]) {
  return {
    field: "label",
    type: "nominal",
    title: null,
    sort: ps.map((p) => p.config.label),
    header: { labelLimit: 0, labelExpr: "split(datum.label, ', ')", labelLineHeight: 14 },
  };
}
