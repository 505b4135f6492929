/**
 * The run configuration: its TypeScript types, its schema with defaults,
 * and validation. A resolved config (every default filled in, a seed set)
 * is what one training run reads and what its run id is derived from.
 *
 * @module
 */
import { type Issue, type Schema, validateValue } from "./schema.ts";

/** Synthetic data sets (known truth). */
export const SYNTHETIC_DATA_NAMES = ["gaussian-1d", "ring-8", "grid-25"] as const;
/** Image data sets (real files; see datasets/README.md). */
export const IMAGE_DATA_NAMES = ["mnist", "fashion-mnist", "cifar10"] as const;
/** Data sets the harness knows. */
export const DATA_NAMES = [...SYNTHETIC_DATA_NAMES, ...IMAGE_DATA_NAMES] as const;
/** An image data set name. */
export type ImageDataName = typeof IMAGE_DATA_NAMES[number];

/** Image shape [height, width, channels] of each image data set. */
export const IMAGE_SHAPES: Record<ImageDataName, [number, number, number]> = {
  mnist: [28, 28, 1],
  "fashion-mnist": [28, 28, 1],
  cifar10: [32, 32, 3],
};

/**
 * The paper's split of each image data set: training images `0..train-1`,
 * validation images `train..train+valid-1` of the training file, and the
 * test file.
 */
export const IMAGE_SPLITS: Record<ImageDataName, { train: number; valid: number; test: number }> = {
  mnist: { train: 50_000, valid: 10_000, test: 10_000 },
  "fashion-mnist": { train: 50_000, valid: 10_000, test: 10_000 },
  cifar10: { train: 45_000, valid: 5_000, test: 10_000 },
};
/** Loss variants. */
export const LOSS_NAMES = [
  "minimax",
  "non-saturating",
  "least-squares",
  "hinge",
  "wasserstein-gp",
] as const;
/** Architectures. */
export const ARCH_NAMES = ["mlp", "maxout", "dcgan"] as const;
/** Image sizes (height = width) the dcgan architecture is built for. */
export const DCGAN_SIZES = [28, 32] as const;
/** Output nonlinearities of G. */
export const OUTPUTS = ["linear", "sigmoid", "tanh"] as const;
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

/**
 * An image data set, split as in the paper: the first `trainSize` of the
 * training images, `validSize` held-out images after them, the first
 * `testSize` test images.
 */
export interface ImageDataConfig {
  name: ImageDataName;
  trainSize: number;
  validSize: number;
  testSize: number;
}

/** Data set configuration. */
export type DataConfig = Gaussian1dData | Ring8Data | Grid25Data | ImageDataConfig;

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
  /** G's output nonlinearity (default: sigmoid on images, linear otherwise). */
  output?: typeof OUTPUTS[number];
}

/**
 * The paper's MNIST networks: a ReLU generator and a maxout discriminator
 * with dropout, uniform initialisation.
 */
export interface MaxoutArch {
  name: "maxout";
  noiseDim: number;
  noise: "gaussian" | "uniform";
  /** G's ReLU hidden widths. */
  gHidden: number[];
  /** D's maxout units per hidden layer. */
  dUnits: number[];
  /** Linear pieces per maxout unit. */
  pieces: number;
  /** Dropout keep-probability on D's input. */
  inputKeep: number;
  /** Dropout keep-probability on D's hidden layers. */
  hiddenKeep: number;
  /** G's weights are uniform in +-gInit. */
  gInit: number;
  /** D's weights are uniform in +-dInit. */
  dInit: number;
  /** G's output bias: from the training images' pixel marginals, or zero. */
  outputBias: "marginals" | "zero";
}

/**
 * DCGAN (Radford et al. 2016): transposed-convolution G, strided-convolution
 * D, batch norm, for 28x28 and 32x32 images.
 */
export interface DcganArch {
  name: "dcgan";
  noiseDim: number;
  noise: "gaussian" | "uniform";
  /** Base channel width. */
  channels: number;
  /** D's normalisation; `auto` is batch norm, none with loss `wasserstein-gp`. */
  dNorm: "auto" | "batch" | "none";
  /** The image size the net is built for; when given it must match the data. */
  imageSize?: typeof DCGAN_SIZES[number];
}

/** Architecture configuration. */
export type ArchConfig = MlpArch | MaxoutArch | DcganArch;

/** Adam. */
export interface AdamConfig {
  name: "adam";
  lr: number;
  beta1: number;
  beta2: number;
  eps: number;
}

/**
 * SGD with (heavy-ball) momentum, optionally with the paper's schedules:
 * the learning rate divided by `lrDecay` after every update (not below
 * `lrMin`), and momentum rising linearly from `momentum` to `momentumEnd`
 * over the first `momentumRampEpochs` epochs.
 */
export interface SgdConfig {
  name: "sgd";
  lr: number;
  momentum: number;
  /** Factor (>= 1) the learning rate is divided by after each update. */
  lrDecay?: number;
  /** Floor of the decayed learning rate. */
  lrMin?: number;
  /** Momentum reached at the end of the ramp. */
  momentumEnd?: number;
  /** Epochs (passes over the training set) of the momentum ramp. */
  momentumRampEpochs?: number;
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
  /** Parzen-window log-likelihood of the test set at the end (image data only). */
  parzen?: ParzenConfig;
  /**
   * How D and G are updated: `alternating` (Algorithm 1: k D updates, then
   * gSteps G updates on fresh noise; the default when absent) or
   * `simultaneous` (the public code: both gradients from one minibatch and
   * the parameters before the update; needs k = 1 and gSteps = 1).
   */
  update?: "alternating" | "simultaneous";
  /**
   * Factor on D's loss (1 when absent). The paper's code minimises
   * 0.5 * (BCE real + BCE fake): 0.5 reproduces its D step sizes.
   */
  dLossScale?: number;
  /** The run's seed; drives every random stream. */
  seed: number;
}

/** The paper's Parzen-window protocol, with its sizes. */
export interface ParzenConfig {
  /** Generator samples the density is fitted on (10,000 in the paper). */
  samples: number;
  /** Validation images that choose sigma (1,000). */
  validPoints: number;
  /** Test images the log-likelihood is reported on (10,000). */
  testPoints: number;
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

function imageVariant(name: ImageDataName) {
  const split = IMAGE_SPLITS[name];
  return {
    fields: {
      trainSize: { kind: "int", min: 1, max: split.train, default: split.train },
      validSize: { kind: "int", min: 1, max: split.valid, default: split.valid },
      testSize: { kind: "int", min: 1, max: split.test, default: split.test },
    },
  } satisfies { fields: Record<string, Schema> };
}

const noiseFields = {
  noiseDim: { kind: "int", min: 1, default: 100 },
  noise: { kind: "enum", values: ["gaussian", "uniform"], default: "gaussian" },
} as const satisfies Record<string, Schema>;

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
        mnist: imageVariant("mnist"),
        "fashion-mnist": imageVariant("fashion-mnist"),
        cifar10: imageVariant("cifar10"),
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
            output: { kind: "enum", values: OUTPUTS },
          },
          optional: ["gHidden", "dHidden", "output"],
        },
        maxout: {
          fields: {
            ...noiseFields,
            gHidden: { ...widths, default: [1200, 1200] },
            dUnits: { ...widths, default: [240, 240] },
            pieces: { kind: "int", min: 1, default: 5 },
            inputKeep: { kind: "number", gt: 0, max: 1, default: 0.8 },
            hiddenKeep: { kind: "number", gt: 0, max: 1, default: 0.5 },
            gInit: { kind: "number", gt: 0, default: 0.05 },
            dInit: { kind: "number", gt: 0, default: 0.005 },
            outputBias: { kind: "enum", values: ["marginals", "zero"], default: "marginals" },
          },
        },
        dcgan: {
          fields: {
            ...noiseFields,
            channels: { kind: "int", min: 1, default: 64 },
            dNorm: { kind: "enum", values: ["auto", "batch", "none"], default: "auto" },
            imageSize: { kind: "int", min: 1 },
          },
          optional: ["imageSize"],
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
            lrDecay: { kind: "number", min: 1 },
            lrMin: { kind: "number", min: 0 },
            momentumEnd: { kind: "number", min: 0, max: 0.999999 },
            momentumRampEpochs: { kind: "number", gt: 0 },
          },
          optional: ["lrDecay", "lrMin", "momentumEnd", "momentumRampEpochs"],
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
    dLossScale: { kind: "number", gt: 0 },
    update: { kind: "enum", values: ["alternating", "simultaneous"] },
    parzen: {
      kind: "object",
      fields: {
        samples: { kind: "int", min: 1, default: 10_000 },
        validPoints: { kind: "int", min: 1, default: 1_000 },
        testPoints: { kind: "int", min: 1, default: 10_000 },
      },
    },
  },
  optional: ["gpWeight", "parzen", "dLossScale", "update"],
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
  const before = issues.length;
  const config = validateValue(partial, CONFIG_SCHEMA, prefix, issues) as Omit<RunConfig, "seed">;
  if (config.gpWeight !== undefined && config.loss !== "wasserstein-gp") {
    issues.push({
      path: `${prefix}.gpWeight`,
      message: `got ${config.gpWeight} with loss ${
        JSON.stringify(config.loss)
      }; gpWeight is used only by loss "wasserstein-gp"`,
    });
  }
  if (issues.length === before) issues.push(...crossFieldIssues(config, prefix));
  return config;
}

/**
 * Checks between fields that the schema cannot express: an architecture
 * that does not fit the data's shape, options that only one loss, data set
 * or schedule uses.
 */
function crossFieldIssues(config: Omit<RunConfig, "seed">, prefix: string): Issue[] {
  const out: Issue[] = [];
  const { data, arch, optimizer } = config;
  const image = isImageData(data);
  if (arch.name === "dcgan") {
    if (!image) {
      out.push({
        path: `${prefix}.arch.name`,
        message: `arch "dcgan" needs image data, but data is "${data.name}" (${
          dataDim(data)
        }-D points); use arch "mlp" or "maxout" for it, or data ${
          IMAGE_DATA_NAMES.map((n) => `"${n}"`).join(", ")
        }`,
      });
    } else {
      const [h, w] = IMAGE_SHAPES[data.name];
      const sizes = DCGAN_SIZES as readonly number[];
      if (arch.imageSize !== undefined && !sizes.includes(arch.imageSize)) {
        out.push({
          path: `${prefix}.arch.imageSize`,
          message: `got ${arch.imageSize}; dcgan is built for ${DCGAN_SIZES.join(" or ")}`,
        });
      } else if (arch.imageSize !== undefined && arch.imageSize !== h) {
        out.push({
          path: `${prefix}.arch.imageSize`,
          message:
            `a ${arch.imageSize}x${arch.imageSize} dcgan does not fit data "${data.name}" (${h}x${w} images); set imageSize ${h} or leave it out`,
        });
      }
    }
  }
  if (config.update === "simultaneous" && (config.k !== 1 || config.gSteps !== 1)) {
    out.push({
      path: `${prefix}.update`,
      message:
        `"simultaneous" updates D and G once each per iteration; got k ${config.k} and gSteps ${config.gSteps}, set both to 1 or use "alternating"`,
    });
  }
  if (config.parzen && !image) {
    out.push({
      path: `${prefix}.parzen`,
      message: `the Parzen-window estimate needs image data, but data is "${data.name}"`,
    });
  }
  if (config.parzen && image) {
    const split = IMAGE_SPLITS[data.name];
    if (config.parzen.validPoints > data.validSize) {
      out.push({
        path: `${prefix}.parzen.validPoints`,
        message: `got ${config.parzen.validPoints}, more than data.validSize (${data.validSize})`,
      });
    }
    if (config.parzen.testPoints > data.testSize) {
      out.push({
        path: `${prefix}.parzen.testPoints`,
        message:
          `got ${config.parzen.testPoints}, more than data.testSize (${data.testSize}; at most ${split.test})`,
      });
    }
  }
  if (optimizer.name === "sgd") {
    if ((optimizer.momentumEnd === undefined) !== (optimizer.momentumRampEpochs === undefined)) {
      const missing = optimizer.momentumEnd === undefined ? "momentumEnd" : "momentumRampEpochs";
      out.push({
        path: `${prefix}.optimizer.${missing}`,
        message: "momentumEnd and momentumRampEpochs go together (the ramp's end and its length)",
      });
    }
    if (optimizer.lrMin !== undefined && optimizer.lrDecay === undefined) {
      out.push({
        path: `${prefix}.optimizer.lrMin`,
        message: "lrMin is the floor of a decayed learning rate; set lrDecay too",
      });
    }
  }
  return out;
}

/** Whether a data config names an image data set. */
export function isImageData(data: DataConfig): data is ImageDataConfig {
  return (IMAGE_DATA_NAMES as readonly string[]).includes(data.name);
}

/** G's hidden widths (mlp and maxout). */
export function gHidden(arch: MlpArch | MaxoutArch): number[] {
  return arch.name === "maxout" ? arch.gHidden : arch.gHidden ?? arch.hidden;
}

/** D's hidden widths (mlp). */
export function dHidden(arch: MlpArch): number[] {
  return arch.dHidden ?? arch.hidden;
}

/** Shape of one sample: [1] or [2] for points, [h, w, c] for images. */
export function dataShape(data: DataConfig): number[] {
  if (isImageData(data)) return [...IMAGE_SHAPES[data.name]];
  return [data.name === "gaussian-1d" ? 1 : 2];
}

/** Dimension of a data set's samples (pixels times channels for images). */
export function dataDim(data: DataConfig): number {
  return dataShape(data).reduce((a, b) => a * b, 1);
}
