/**
 * What a claim needs of a study before any run trains: the axes its rule
 * compares across (swept, with enough values) and the metrics it reads
 * (logged by the study's runs, which depends on the data and the loss).
 * Each claim declares its needs next to its rule (`requires` in
 * `defineClaim`); a sweep checks them first and refuses a study whose claim
 * could only come out INCONCLUSIVE for want of them. The needs mirror what
 * the rule itself looks for (`missingAxis`, `slopeSamples`, `missingMetric`),
 * so a study that meets them is one the rule can decide.
 *
 * @module
 */
import {
  didYouMean,
  type Experiment,
  isImageData,
  qualityMetrics,
  type RunPlan,
} from "../spec/mod.ts";
import type { RunConfig } from "../spec/config.ts";
import { formatValue } from "../analysis/labels.ts";
import { metricInfo, METRICS, type MetricStage } from "../metrics/registry.ts";

/** A study as planned, before any run: what a claim's needs are checked against. */
export interface ClaimStudy {
  /** The validated experiment (its swept axes). */
  exp: Experiment;
  /** Every planned run. */
  plans: readonly RunPlan[];
}

/** One planned configuration: its sweep point and resolved config. */
interface PlannedConfig {
  point: Record<string, unknown>;
  config: RunConfig;
}

/** The study's configurations, each once (whatever its seeds), in plan order. */
export function plannedConfigs(study: ClaimStudy): PlannedConfig[] {
  const seen = new Set<string>();
  const out: PlannedConfig[] = [];
  for (const p of study.plans) {
    if (seen.has(p.configId)) continue;
    seen.add(p.configId);
    out.push({ point: p.point, config: p.config });
  }
  return out;
}

/** How a claim uses an axis, for {@link axisProblem}. */
export interface AxisNeed {
  /** The axis' part in the rule, e.g. "the axis of D's inner-loop optimisation". */
  role: string;
  /** The slope claims: every value a positive number (the rule takes its log). */
  positive?: boolean;
  /** At least this many distinct values (default 2). */
  minValues?: number;
  /** Values that must be among the axis' values. */
  values?: readonly string[];
  /** The claim parameter naming the axis, for the way out (e.g. "axis"). */
  param: string;
  /** An example sweep for the way out, e.g. `"data.trainSize": [64, 4096]`. */
  example: string;
}

/**
 * What is missing of an axis the claim compares across: not swept, too few
 * values, values that are not positive numbers, or values it needs.
 *
 * @param study The planned study.
 * @param axis The dotted config path the claim's parameter names.
 * @param need How the claim uses it.
 * @returns The problem in a sentence, or null when the axis serves.
 */
export function axisProblem(study: ClaimStudy, axis: string, need: AxisNeed): string | null {
  const { exp } = study;
  const way = `sweep it (e.g. sweep: { ${need.example} }) or name another axis with ` +
    `params.${need.param}`;
  if (!exp.axes.includes(axis)) {
    const swept = exp.axes.length ? exp.axes.map((a) => `"${a}"`).join(", ") : "nothing";
    const guess = didYouMean(axis, exp.axes);
    return `needs "${axis}" swept (${need.role}), but the study sweeps ${swept}` +
      `${guess ? ` (did you mean "${guess}"?)` : ""}; ${way}`;
  }
  const values = plannedConfigs(study).map((c) => c.point[axis]);
  const distinct = [...new Set(values.map((v) => formatValue(v)))];
  if (need.positive) {
    const bad = values.filter((v) => !(typeof v === "number" && Number.isFinite(v) && v > 0));
    if (bad.length) {
      return `needs positive numbers on "${axis}" (${need.role}; the rule takes their log), ` +
        `got ${[...new Set(bad.map(formatValue))].join(", ")}`;
    }
  }
  const min = need.minValues ?? 2;
  if (distinct.length < min) {
    return `needs at least ${min} values of "${axis}" (${need.role}), the study has ` +
      `${distinct.join(", ")}; ${way}`;
  }
  const absent = (need.values ?? []).filter((v) => !distinct.includes(v));
  if (absent.length) {
    return `needs ${absent.map((v) => `"${v}"`).join(" and ")} among the values of "${axis}" ` +
      `(${need.role}), the study has ${distinct.join(", ")}`;
  }
  return null;
}

/**
 * The evaluation stages that run for a config (see `MetricStage`): which
 * metrics its runs log.
 *
 * @param config A resolved config.
 * @returns Its stages.
 */
export function stagesOf(config: RunConfig): MetricStage[] {
  const stages: MetricStage[] = ["common"];
  if (config.loss === "minimax" || config.loss === "non-saturating") stages.push("paper-losses");
  if (isImageData(config.data)) {
    stages.push("images");
    if (config.parzen) stages.push("parzen");
    if (config.parzen?.every) stages.push("parzen-curve");
  } else stages.push(config.data.name === "gaussian-1d" ? "gaussian-1d" : "mixture");
  const quality = qualityMetrics(config);
  if (quality.some((m) => m !== "memorisation")) stages.push("reference");
  if (quality.includes("precision-recall") || quality.includes("density-coverage")) {
    stages.push("quality");
  }
  if (isImageData(config.data)) {
    if (quality.some((m) => m === "fid" || m === "kid" || m === "inception-score")) {
      stages.push("features");
    }
    if (quality.includes("memorisation")) stages.push("memorisation");
  }
  return stages;
}

const STAGE_WORDS: Record<MetricStage, string> = {
  common: "every run",
  "paper-losses": `runs trained with loss "minimax" or "non-saturating"`,
  "gaussian-1d": `1-D data (data.name "gaussian-1d")`,
  mixture: `the 2-D mixtures (data.name "ring-8" or "grid-25")`,
  images: `image data (data.name "mnist", "fashion-mnist" or "cifar10")`,
  parzen: "image data with `parzen` set (the Parzen-window estimate at the end)",
  quality: "runs with `quality` asking for precision-recall or density-coverage",
  features: "image data with `quality` asking for fid, kid or inception-score",
  reference: "runs with `quality` (held-out references at the end)",
  memorisation: "image data with `quality` asking for memorisation",
  "parzen-curve": "image data with `parzen.every` > 0 (the Parzen estimate during training)",
};

/** How a config's runs differ from what a stage needs, e.g. `data "ring-8"`. */
function describeConfig(config: RunConfig, stages: readonly MetricStage[]): string {
  if (stages.includes("paper-losses") && !stages.some((s) => s !== "paper-losses")) {
    return `loss "${config.loss}"`;
  }
  if (stages.includes("parzen") && isImageData(config.data)) {
    return `data "${config.data.name}" without parzen`;
  }
  return `data "${config.data.name}"`;
}

/**
 * Whether every configuration (or those `where` keeps) logs a metric: the
 * metric must be registered and one of its stages must run for the config.
 *
 * @param study The planned study.
 * @param metric The metric the claim reads.
 * @param param The claim parameter naming the metric, if one does (for the way out).
 * @param where Which configurations the rule reads (default all).
 * @returns The problem in a sentence, or null when every such config logs it.
 */
export function metricProblem(
  study: ClaimStudy,
  metric: string,
  param?: string,
  where: (c: { point: Record<string, unknown>; config: RunConfig }) => boolean = () => true,
): string | null {
  const info = metricInfo(metric);
  if (!info) {
    const guess = didYouMean(metric, METRICS.map((m) => m.name));
    return `reads the metric "${metric}", which no run logs (no such metric${
      guess ? `; did you mean "${guess}"` : ""
    }; reports/README.md lists the metrics)`;
  }
  const lacking = plannedConfigs(study).filter(where).filter((c) =>
    !info.stages.some((s) => stagesOf(c.config).includes(s))
  );
  if (lacking.length === 0) return null;
  const have = [...new Set(lacking.map((c) => describeConfig(c.config, info.stages)))];
  const only = info.stages.map((s) => STAGE_WORDS[s]).join(" and ");
  return `reads the metric "${metric}", which runs log only on ${only}; ` +
    `${lacking.length === plannedConfigs(study).length ? "the study's runs" : "some runs"} ` +
    `use ${have.join(", ")}${param ? ` (or name another metric with params.${param})` : ""}`;
}
