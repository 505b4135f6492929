/**
 * The run configuration: its TypeScript types, its schema with defaults,
 * and validation. A resolved config (every default filled in, a seed set)
 * is what one training run reads and what its run id is derived from.
 *
 * @module
 */
import { type Issue, type Schema, validateValue } from "./schema.ts";

/** Data sets the harness knows. */
export const DATA_NAMES = ["gaussian-1d", "ring-8", "grid-25"] as const;
/** Loss variants. */
export const LOSS_NAMES = [
  "minimax",
  "non-saturating",
  "least-squares",
  "hinge",
  "wasserstein-gp",
] as const;
/** Architectures. */
export const ARCH_NAMES = ["mlp"] as const;
/** Optimisers. */
export const OPTIMIZER_NAMES = ["adam", "sgd"] as const;
/** Hidden-layer activations of the MLP. */
export const ACTIVATIONS = ["relu", "leaky-relu", "tanh"] as const;

/** A loss variant name. */
export type LossName = typeof LOSS_NAMES[number];

/** A 1-D Gaussian p_data = N(mean, std^2), known density. */
export interface Gaussian1dData {
  name: "gaussian-1d";
  trainSize: number;
  validSize: number;
  mean: number;
  std: number;
}

/** Eight Gaussians evenly spaced on a ring. */
export interface Ring8Data {
  name: "ring-8";
  trainSize: number;
  validSize: number;
  radius: number;
  std: number;
}

/** 25 Gaussians on the grid {-2s, -s, 0, s, 2s}^2. */
export interface Grid25Data {
  name: "grid-25";
  trainSize: number;
  validSize: number;
  spacing: number;
  std: number;
}

/** Data set configuration. */
export type DataConfig = Gaussian1dData | Ring8Data | Grid25Data;

/** A multi-layer perceptron for both G and D. */
export interface MlpArch {
  name: "mlp";
  /** Dimension of G's noise z. */
  noiseDim: number;
  /** Noise distribution p_z. */
  noise: "gaussian" | "uniform";
  /** Hidden widths used by both nets unless overridden. */
  hidden: number[];
  /** Hidden widths of G (defaults to `hidden`). */
  gHidden?: number[];
  /** Hidden widths of D (defaults to `hidden`). */
  dHidden?: number[];
  activation: typeof ACTIVATIONS[number];
}

/** Architecture configuration. */
export type ArchConfig = MlpArch;

/** Adam. */
export interface AdamConfig {
  name: "adam";
  lr: number;
  beta1: number;
  beta2: number;
  eps: number;
}

/** SGD with (heavy-ball) momentum. */
export interface SgdConfig {
  name: "sgd";
  lr: number;
  momentum: number;
}

/** Optimiser configuration (used for both D and G). */
export type OptimizerConfig = AdamConfig | SgdConfig;

/** A fully resolved run configuration. */
export interface RunConfig {
  data: DataConfig;
  arch: ArchConfig;
  loss: LossName;
  optimizer: OptimizerConfig;
  /** D steps per iteration (Algorithm 1). */
  k: number;
  /** G steps per iteration; 0 freezes G (train D alone against a fixed G). */
  gSteps: number;
  batchSize: number;
  /** Training iterations. */
  steps: number;
  /** Metrics are logged every this many iterations (and at the last). */
  evalEvery: number;
  /** Generator samples drawn for each evaluation. */
  evalSamples: number;
  /** Weight of the gradient penalty of `wasserstein-gp` (10 when absent). */
  gpWeight?: number;
  /** The run's seed; drives every random stream. */
  seed: number;
}

/** A config before defaults are applied, as written in experiment files. */
export type PartialConfig = DeepPartial<Omit<RunConfig, "seed">>;

/** Recursive partial type. */
export type DeepPartial<T> = T extends (infer U)[] ? U[]
  : T extends object ? { [K in keyof T]?: DeepPartial<T[K]> }
  : T;

const sizes = {
  trainSize: { kind: "int", min: 1, default: 512 },
  validSize: { kind: "int", min: 1, default: 2048 },
} as const satisfies Record<string, Schema>;

const widths: Schema = { kind: "array", of: { kind: "int", min: 1 } };

/** The schema of a run config (without `seed`). */
export const CONFIG_SCHEMA: Schema = {
  kind: "object",
  fields: {
    data: {
      kind: "variant",
      key: "name",
      default: "ring-8",
      variants: {
        "gaussian-1d": {
          fields: {
            ...sizes,
            mean: { kind: "number", default: 4 },
            std: { kind: "number", gt: 0, default: 0.5 },
          },
        },
        "ring-8": {
          fields: {
            ...sizes,
            radius: { kind: "number", gt: 0, default: 2 },
            std: { kind: "number", gt: 0, default: 0.02 },
          },
        },
        "grid-25": {
          fields: {
            ...sizes,
            spacing: { kind: "number", gt: 0, default: 2 },
            std: { kind: "number", gt: 0, default: 0.05 },
          },
        },
      },
    },
    arch: {
      kind: "variant",
      key: "name",
      default: "mlp",
      variants: {
        mlp: {
          fields: {
            noiseDim: { kind: "int", min: 1, default: 2 },
            noise: { kind: "enum", values: ["gaussian", "uniform"], default: "gaussian" },
            hidden: { ...widths, default: [128, 128] },
            gHidden: widths,
            dHidden: widths,
            activation: { kind: "enum", values: ACTIVATIONS, default: "relu" },
          },
          optional: ["gHidden", "dHidden"],
        },
      },
    },
    loss: { kind: "enum", values: LOSS_NAMES, default: "non-saturating" },
    optimizer: {
      kind: "variant",
      key: "name",
      default: "adam",
      variants: {
        adam: {
          fields: {
            lr: { kind: "number", gt: 0, default: 1e-3 },
            beta1: { kind: "number", min: 0, max: 0.999999, default: 0.5 },
            beta2: { kind: "number", min: 0, max: 0.999999999, default: 0.999 },
            eps: { kind: "number", gt: 0, default: 1e-8 },
          },
        },
        sgd: {
          fields: {
            lr: { kind: "number", gt: 0, default: 0.1 },
            momentum: { kind: "number", min: 0, max: 0.999999, default: 0 },
          },
        },
      },
    },
    k: { kind: "int", min: 1, default: 1 },
    gSteps: { kind: "int", min: 0, default: 1 },
    batchSize: { kind: "int", min: 1, default: 128 },
    steps: { kind: "int", min: 1, default: 3000 },
    evalEvery: { kind: "int", min: 1, default: 100 },
    evalSamples: { kind: "int", min: 10, default: 2500 },
    // Optional without a default, so configs that do not use it keep their run ids.
    gpWeight: { kind: "number", min: 0 },
  },
  optional: ["gpWeight"],
};

/**
 * Validates a partial config and fills in defaults. Paths in issues start
 * with `prefix` (e.g. `base`).
 */
export function resolveConfig(
  partial: unknown,
  prefix: string,
  issues: Issue[],
): Omit<RunConfig, "seed"> {
  const config = validateValue(partial, CONFIG_SCHEMA, prefix, issues) as Omit<RunConfig, "seed">;
  if (config.gpWeight !== undefined && config.loss !== "wasserstein-gp") {
    issues.push({
      path: `${prefix}.gpWeight`,
      message: `got ${config.gpWeight} with loss ${
        JSON.stringify(config.loss)
      }; gpWeight is used only by loss "wasserstein-gp"`,
    });
  }
  return config;
}

/** G's hidden widths. */
export function gHidden(arch: ArchConfig): number[] {
  return arch.gHidden ?? arch.hidden;
}

/** D's hidden widths. */
export function dHidden(arch: ArchConfig): number[] {
  return arch.dHidden ?? arch.hidden;
}

/** Dimension of a data set's samples. */
export function dataDim(data: DataConfig): number {
  return data.name === "gaussian-1d" ? 1 : 2;
}
