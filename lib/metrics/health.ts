/**
 * Run validity: health checks computed from a run's evaluations, so that a
 * run whose training failed in a way the verdicts would misread is never
 * taken as evidence. A run that fails a check stays `done`; claims leave it
 * out (unless a claim measures that very failure, e.g. mode collapse) and
 * reports count it under "runs that cannot be evidence".
 *
 * The checks, with their thresholds (constants below):
 *
 * - `d_dead`: D has stopped telling reals from fakes while G is still far
 *   from p_data. Either D's output does not depend on x (`d_spread`, the
 *   standard deviation of D(x) over the held-out reals and the fakes, below
 *   {@link D_FLAT}) while a measure that does not use D says p_g is far from
 *   p_data (JS above {@link JS_FAR} on 1-D data; on the mixtures fewer than
 *   half the modes captured or fewer than half the samples of high quality;
 *   on images fewer than half the classes covered); or every unit of one of
 *   D's hidden layers gives the same output on every evaluation point
 *   (`d_active` 0: dead ReLUs or saturated units); or D's gradient has
 *   vanished (`d_grad_norm` below {@link GRAD_VANISHED}). At the true
 *   optimum D is also flat, so flatness alone never fails the check.
 * - `g_collapsed`: G's samples have almost no spread: `g_spread` (their
 *   standard deviation relative to the data's narrowest structure: p_data's
 *   sd on 1-D data, a mode's sd on the mixtures, the pixels' sd on images)
 *   below {@link G_COLLAPSED}.
 * - `no_progress`: G trained (gSteps > 0) but the independent measure did
 *   not move from step 0: on 1-D data the final JS is above
 *   {@link NO_PROGRESS_RATIO} of its start and above {@link JS_FAR}; on the
 *   mixtures neither the modes captured nor the share of high-quality
 *   samples rose.
 *
 * NaN and infinite values are already the run state `diverged`.
 *
 * @module
 */

import { isImageData, type RunConfig } from "../spec/config.ts";

/** `d_spread` below this: D's output does not depend on x. */
export const D_FLAT = 0.01;
/** 1-D JS divergence above this: p_g is far from p_data (the estimator's floor is about 0.001). */
export const JS_FAR = 0.05;
/** `d_grad_norm` below this: D's gradient has vanished. */
export const GRAD_VANISHED = 1e-6;
/** `g_spread` below this: G has collapsed onto (nearly) one point. */
export const G_COLLAPSED = 0.1;
/** Final JS above this share of its start (and above JS_FAR): no progress. */
export const NO_PROGRESS_RATIO = 0.9;

/** The health checks, in report order. */
export const HEALTH_CHECKS = ["d_dead", "g_collapsed", "no_progress"] as const;
/** A health check's id. */
export type HealthCheckId = typeof HEALTH_CHECKS[number];

/** What the checks need to know about a run besides its metrics. */
export interface HealthContext {
  /** The kind of data: known density (1-D), mixture of Gaussians (2-D) or images. */
  data: "gaussian-1d" | "mixture" | "images";
  /** Modes of the mixture, or classes of the images. */
  modes?: number;
  /** G steps per iteration (0: G frozen, so no progress is expected). */
  gSteps: number;
}

/** One failed check, with the numbers behind it. */
export interface HealthFailure {
  check: HealthCheckId;
  /** What was measured, e.g. "d_spread 0.004 < 0.01 while js 0.27 > 0.05". */
  detail: string;
}

/** The health of one run. */
export interface RunHealth {
  /** True when no check failed. */
  valid: boolean;
  /** The failed checks. */
  failures: HealthFailure[];
}

function fmt(x: number): string {
  if (!Number.isFinite(x)) return String(x);
  return String(Number(x.toPrecision(3)));
}

/** Whether p_g is far from p_data by a measure that does not use D, and why. */
function farFromData(final: Record<string, number>, ctx: HealthContext): string | null {
  if (ctx.data === "gaussian-1d") {
    const js = final.js;
    return js > JS_FAR ? `js ${fmt(js)} > ${JS_FAR}` : null;
  }
  const modes = final.modes;
  const total = ctx.modes ?? NaN;
  if (Number.isFinite(modes) && modes < total / 2) {
    return `${fmt(modes)} of ${total} ${ctx.data === "images" ? "classes" : "modes"} covered`;
  }
  const hq = final.hq_share;
  if (ctx.data === "mixture" && Number.isFinite(hq) && hq < 0.5) {
    return `hq_share ${fmt(hq)} < 0.5`;
  }
  return null;
}

/**
 * The health checks of one run.
 *
 * @param final The run's final metrics (its last evaluation).
 * @param start Its metrics at step 0, when logged.
 * @param ctx What the checks need to know about the run.
 * @returns Whether the run is valid, and each failed check with its numbers.
 */
export function assessHealth(
  final: Record<string, number>,
  start: Record<string, number> | undefined,
  ctx: HealthContext,
): RunHealth {
  const failures: HealthFailure[] = [];
  const far = farFromData(final, ctx);
  const dead: string[] = [];
  if (final.d_spread < D_FLAT && far) {
    dead.push(
      `D's output does not depend on x (d_spread ${fmt(final.d_spread)} < ${D_FLAT}) ` +
        `while ${far}`,
    );
  }
  if (final.d_active === 0) dead.push("every unit of a hidden layer of D is inactive (d_active 0)");
  if (final.d_grad_norm < GRAD_VANISHED) {
    dead.push(`D's gradient vanished (d_grad_norm ${fmt(final.d_grad_norm)} < ${GRAD_VANISHED})`);
  }
  if (dead.length) failures.push({ check: "d_dead", detail: dead.join("; ") });
  if (final.g_spread < G_COLLAPSED) {
    failures.push({
      check: "g_collapsed",
      detail: `G's samples have almost no spread (g_spread ${
        fmt(final.g_spread)
      } < ${G_COLLAPSED})`,
    });
  }
  if (ctx.gSteps > 0 && start) {
    if (ctx.data === "gaussian-1d") {
      const [a, b] = [start.js, final.js];
      if (b > JS_FAR && b > NO_PROGRESS_RATIO * a) {
        failures.push({
          check: "no_progress",
          detail: `js went from ${fmt(a)} to ${fmt(b)} (above ${NO_PROGRESS_RATIO} of its start)`,
        });
      }
    } else if (ctx.data === "mixture") {
      if (final.modes <= start.modes && final.hq_share <= start.hq_share) {
        failures.push({
          check: "no_progress",
          detail: `modes ${fmt(start.modes)} -> ${fmt(final.modes)} and hq_share ` +
            `${fmt(start.hq_share)} -> ${fmt(final.hq_share)} did not rise`,
        });
      }
    }
  }
  return { valid: failures.length === 0, failures };
}

/**
 * Population standard deviation of the values (0 for fewer than two).
 *
 * @param values The values.
 * @returns The standard deviation.
 */
export function spread(values: ArrayLike<number>): number {
  const n = values.length;
  if (n < 2) return 0;
  let mean = 0;
  for (let i = 0; i < n; i++) mean += values[i];
  mean /= n;
  let ss = 0;
  for (let i = 0; i < n; i++) ss += (values[i] - mean) ** 2;
  return Math.sqrt(ss / n);
}

/**
 * The spread of rows of `dim` values: the square root of the mean, over
 * the columns, of each column's population variance.
 *
 * @param rows Row-major values.
 * @param dim Columns per row.
 * @returns The spread (0 for fewer than two rows).
 */
export function rowSpread(rows: ArrayLike<number>, dim: number): number {
  const n = Math.floor(rows.length / dim);
  if (n < 2) return 0;
  const mean = new Float64Array(dim);
  for (let i = 0; i < n; i++) for (let j = 0; j < dim; j++) mean[j] += rows[i * dim + j];
  for (let j = 0; j < dim; j++) mean[j] /= n;
  let ss = 0;
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < dim; j++) ss += (rows[i * dim + j] - mean[j]) ** 2;
  }
  return Math.sqrt(ss / (n * dim));
}

/**
 * The share of units whose output varies over the rows, in the layer where
 * that share is smallest: 0 when some hidden layer is entirely dead (every
 * unit gives the same output on every row).
 *
 * @param layers Each hidden layer's outputs, rows x units, row-major.
 * @param rows The number of rows.
 * @returns The smallest share over the layers (NaN without layers).
 */
export function activeShare(layers: readonly Float32Array[], rows: number): number {
  if (layers.length === 0 || rows === 0) return NaN;
  let worst = 1;
  for (const out of layers) {
    const units = out.length / rows;
    let active = 0;
    for (let u = 0; u < units; u++) {
      let lo = Infinity;
      let hi = -Infinity;
      for (let r = 0; r < rows; r++) {
        const v = out[r * units + u];
        if (v < lo) lo = v;
        if (v > hi) hi = v;
      }
      if (hi - lo > 1e-6 * Math.max(1, Math.abs(hi))) active++;
    }
    worst = Math.min(worst, active / units);
  }
  return worst;
}

/**
 * What the checks need to know about a run, from its config.
 *
 * @param config The run's resolved config.
 * @returns The data kind, its modes or classes, and G's steps.
 */
export function healthContextOf(config: Pick<RunConfig, "data" | "gSteps">): HealthContext {
  const { data } = config;
  if (isImageData(data)) return { data: "images", modes: 10, gSteps: config.gSteps };
  if (data.name === "gaussian-1d") return { data: "gaussian-1d", gSteps: config.gSteps };
  return { data: "mixture", modes: data.name === "ring-8" ? 8 : 25, gSteps: config.gSteps };
}

/** Short names of the checks, for reports. */
export const HEALTH_TITLES: Record<HealthCheckId, string> = {
  d_dead: "D dead",
  g_collapsed: "G collapsed",
  no_progress: "no progress",
};
