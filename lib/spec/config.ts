/**
 * The run configuration, declared once: {@link CONFIG_SCHEMA} gives every
 * field's accepted values, default, description and chart title, and the
 * TypeScript types ({@link RunConfig} and its parts) are inferred from it.
 * The README's config table is generated from it (`config_doc.ts`). A
 * resolved config (every default filled in, a seed set) is what one
 * training run reads; its run id hashes it with default-valued fields left
 * out (`run_id.ts`).
 *
 * @module
 */
import { type Infer, type Issue, type Schema, validateValue } from "./schema.ts";

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
/** G's output nonlinearities; `auto` is sigmoid on image data and linear otherwise. */
export const OUTPUTS = ["auto", "linear", "sigmoid", "tanh"] as const;
/** Optimisers. */
export const OPTIMIZER_NAMES = ["adam", "sgd"] as const;
/** Hidden-layer activations of the MLP. */
export const ACTIVATIONS = ["relu", "leaky-relu", "tanh"] as const;
/** How D and G are updated in one iteration. */
export const UPDATE_RULES = ["alternating", "simultaneous"] as const;

const NOISES = ["gaussian", "uniform"] as const;

/**
 * The sample-quality metrics a config's `quality` can ask for: `fid`,
 * `kid` and `inception-score` use the image data set's feature network
 * (lib/features); `memorisation` needs image data; `precision-recall` and
 * `density-coverage` run on image features or, on synthetic data, in data
 * space.
 */
export const QUALITY_METRICS = [
  "fid",
  "kid",
  "precision-recall",
  "density-coverage",
  "inception-score",
  "memorisation",
] as const;
/** A quality metric name. */
export type QualityMetric = typeof QUALITY_METRICS[number];
/** Quality metrics that need a feature network or image data. */
export const IMAGE_ONLY_QUALITY_METRICS: readonly QualityMetric[] = [
  "fid",
  "kid",
  "inception-score",
  "memorisation",
];

const trainSize = {
  kind: "int",
  min: 1,
  default: 512,
  title: "training set size",
  doc: "training points, drawn from the seed",
} as const;
const validSize = {
  kind: "int",
  min: 1,
  default: 2048,
  title: "held-out set size",
  doc: "held-out points D is evaluated on",
} as const;

const widths = { kind: "array", of: { kind: "int", min: 1 } } as const;

function imageVariant<N extends ImageDataName>(name: N) {
  const split = IMAGE_SPLITS[name];
  return {
    doc: `${name}, split as in the paper (see datasets/README.md)`,
    fields: {
      trainSize: {
        kind: "int",
        min: 1,
        max: split.train,
        default: split.train,
        title: "training set size",
        doc: "the first images of the paper's training part",
      },
      validSize: {
        kind: "int",
        min: 1,
        max: split.valid,
        default: split.valid,
        title: "held-out set size",
        doc: "validation images, after the training part of the training file",
      },
      testSize: {
        kind: "int",
        min: 1,
        max: split.test,
        default: split.test,
        doc: "the first images of the test file",
      },
    },
  } as const;
}

const noiseDim = {
  kind: "int",
  min: 1,
  default: 100,
  title: "noise dimension",
  doc: "dimension of G's noise z",
} as const;
const noise = {
  kind: "enum",
  values: NOISES,
  default: "gaussian",
  title: "noise distribution",
  doc: "p_z: standard Gaussian, or uniform in [-1, 1]",
} as const;

/** The optimiser: Adam or SGD with momentum (and the paper's schedules). */
const OPTIMIZER_SCHEMA = {
  kind: "variant",
  key: "name",
  default: "adam",
  title: "optimiser",
  doc: "the optimiser of D and G (dOptimizer and gOptimizer change it for one of them)",
  variants: {
    adam: {
      doc: "Adam",
      fields: {
        lr: { kind: "number", gt: 0, default: 1e-3, title: "learning rate", doc: "step size" },
        beta1: {
          kind: "number",
          min: 0,
          max: 0.999999,
          default: 0.5,
          title: "Adam β1",
          doc: "decay of the first moment",
        },
        beta2: {
          kind: "number",
          min: 0,
          max: 0.999999999,
          default: 0.999,
          title: "Adam β2",
          doc: "decay of the second moment",
        },
        eps: { kind: "number", gt: 0, default: 1e-8, doc: "added to the denominator" },
      },
    },
    sgd: {
      doc: "SGD with heavy-ball momentum, optionally with the paper's schedules",
      fields: {
        lr: {
          kind: "number",
          gt: 0,
          default: 0.1,
          title: "learning rate",
          doc: "initial step size",
        },
        momentum: {
          kind: "number",
          min: 0,
          max: 0.999999,
          default: 0,
          title: "SGD momentum",
          doc: "momentum (at the start of the ramp, with momentumEnd)",
        },
        lrDecay: {
          kind: "number",
          min: 1,
          doc: "factor the learning rate is divided by after each update",
        },
        lrMin: { kind: "number", min: 0, doc: "floor of the decayed learning rate" },
        momentumEnd: {
          kind: "number",
          min: 0,
          max: 0.999999,
          doc: "momentum reached at the end of the ramp",
        },
        momentumRampEpochs: {
          kind: "number",
          gt: 0,
          doc: "epochs (passes over the training set) of the linear momentum ramp",
        },
      },
      optional: ["lrDecay", "lrMin", "momentumEnd", "momentumRampEpochs"],
    },
  },
} as const;

/** Every field of every optimiser, for the D- and G-only overlays. */
const OPTIMIZER_FIELDS = {
  ...OPTIMIZER_SCHEMA.variants.adam.fields,
  ...OPTIMIZER_SCHEMA.variants.sgd.fields,
};

/** The fields of {@link optimizerOverlay}: every optimiser field without a default, and `name`. */
type OverlayFields =
  & {
    -readonly [K in keyof typeof OPTIMIZER_FIELDS]: Omit<
      (typeof OPTIMIZER_FIELDS)[K],
      "default" | "title"
    >;
  }
  & { name: { kind: "enum"; values: typeof OPTIMIZER_NAMES; doc: string } };

/** The schema of `dOptimizer` and `gOptimizer`: an object whose every field is optional. */
interface OptimizerOverlaySchema {
  kind: "object";
  doc: string;
  fields: OverlayFields;
  optional: readonly (keyof OverlayFields)[];
}

/**
 * The schema of the optimiser of one net (`dOptimizer`, `gOptimizer`): a
 * partial optimiser config over the shared `optimizer`. Its fields have no
 * defaults (absent means the shared optimiser's value); which fields a value
 * may have depends on the optimiser it resolves to, which `resolveConfig`
 * checks (see {@link optimizerFor}).
 */
function optimizerOverlay(net: "D" | "G"): OptimizerOverlaySchema {
  const fields: Record<string, Schema> = {
    name: {
      kind: "enum",
      values: OPTIMIZER_NAMES,
      doc: `${net}'s optimiser when it differs from optimizer.name; then only the fields given ` +
        `here count and the others take that optimiser's defaults`,
    },
  };
  for (const [key, field] of Object.entries(OPTIMIZER_FIELDS)) {
    const { default: _default, title: _title, ...rest } = field as Schema & {
      default?: unknown;
      title?: string;
    };
    fields[key] = { ...rest, doc: `replaces optimizer.${key} for ${net}` } as Schema;
  }
  return {
    kind: "object",
    doc: `${net}'s optimiser as changes to the shared optimizer, e.g. { lr: 4e-4 } ` +
      `(${net === "D" ? "a two-time-scale update: D faster than G" : "G's own step size"}); ` +
      "absent: the shared optimizer. Fields equal to the shared optimizer's are dropped, so " +
      "they name the same runs as leaving them out",
    fields: fields as unknown as OverlayFields,
    optional: Object.keys(fields) as (keyof OverlayFields)[],
  };
}

/** The schema of a run config (without `seed`): the one declaration of every field. */
export const CONFIG_SCHEMA = {
  kind: "object",
  fields: {
    data: {
      kind: "variant",
      key: "name",
      default: "ring-8",
      title: "data set",
      doc: "the data set",
      variants: {
        "gaussian-1d": {
          doc: "a 1-D Gaussian p_data = N(mean, std^2) with a known density",
          fields: {
            trainSize,
            validSize,
            mean: { kind: "number", default: 4, doc: "mean of p_data" },
            std: {
              kind: "number",
              gt: 0,
              default: 0.5,
              title: "mode standard deviation",
              doc: "standard deviation of p_data",
            },
          },
        },
        "ring-8": {
          doc: "8 Gaussians evenly spaced on a ring",
          fields: {
            trainSize,
            validSize,
            radius: {
              kind: "number",
              gt: 0,
              default: 2,
              title: "ring radius",
              doc: "radius of the ring",
            },
            std: {
              kind: "number",
              gt: 0,
              default: 0.02,
              title: "mode standard deviation",
              doc: "standard deviation of each mode",
            },
          },
        },
        "grid-25": {
          doc: "25 Gaussians on the grid {-2s, -s, 0, s, 2s}^2",
          fields: {
            trainSize,
            validSize,
            spacing: {
              kind: "number",
              gt: 0,
              default: 2,
              title: "grid spacing",
              doc: "distance s between neighbouring modes",
            },
            std: {
              kind: "number",
              gt: 0,
              default: 0.05,
              title: "mode standard deviation",
              doc: "standard deviation of each mode",
            },
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
      doc: "the architecture of G and D",
      variants: {
        mlp: {
          doc: "a multi-layer perceptron for both G and D",
          fields: {
            noiseDim: { ...noiseDim, default: 2 },
            noise,
            hidden: {
              ...widths,
              default: [128, 128],
              title: "hidden widths",
              doc: "hidden widths of both nets unless gHidden or dHidden is given",
            },
            gHidden: { ...widths, title: "G hidden widths", doc: "G's hidden widths" },
            dHidden: { ...widths, title: "D hidden widths", doc: "D's hidden widths" },
            activation: {
              kind: "enum",
              values: ACTIVATIONS,
              default: "relu",
              title: "activation",
              doc: "hidden-layer activation of both nets",
            },
            output: {
              kind: "enum",
              values: OUTPUTS,
              default: "auto",
              doc: "G's output nonlinearity (auto: sigmoid on images, linear otherwise)",
            },
          },
          optional: ["gHidden", "dHidden"],
        },
        maxout: {
          doc: "the paper's MNIST nets: a ReLU G with sigmoid output and a maxout D with " +
            "dropout, weights uniform in ±init",
          fields: {
            noiseDim,
            noise,
            gHidden: {
              ...widths,
              default: [1200, 1200],
              title: "G hidden widths",
              doc: "G's ReLU hidden widths",
            },
            dUnits: { ...widths, default: [240, 240], doc: "D's maxout units per hidden layer" },
            pieces: { kind: "int", min: 1, default: 5, doc: "linear pieces per maxout unit" },
            inputKeep: {
              kind: "number",
              gt: 0,
              max: 1,
              default: 0.8,
              doc: "dropout keep-probability on D's input",
            },
            hiddenKeep: {
              kind: "number",
              gt: 0,
              max: 1,
              default: 0.5,
              doc: "dropout keep-probability on D's hidden layers",
            },
            gInit: {
              kind: "number",
              gt: 0,
              default: 0.05,
              doc: "G's weights are uniform in ±gInit",
            },
            dInit: {
              kind: "number",
              gt: 0,
              default: 0.005,
              doc: "D's weights are uniform in ±dInit",
            },
            outputBias: {
              kind: "enum",
              values: ["marginals", "zero"],
              default: "marginals",
              doc: "G's output bias: from the training images' pixel marginals, or zero",
            },
          },
        },
        dcgan: {
          doc: "DCGAN (Radford et al. 2016): transposed-convolution G, strided-convolution D, " +
            "batch norm with batch statistics; image data only, 28x28 or 32x32",
          fields: {
            noiseDim,
            noise,
            channels: { kind: "int", min: 1, default: 64, doc: "base channel width" },
            dNorm: {
              kind: "enum",
              values: ["auto", "batch", "none"],
              default: "auto",
              doc: "D's normalisation; auto is batch norm, none with loss wasserstein-gp",
            },
            imageSize: {
              kind: "int",
              min: 1,
              doc: "the image size the net is built for (28 or 32); when given it must match " +
                "the data",
            },
          },
          optional: ["imageSize"],
        },
      },
    },
    loss: {
      kind: "enum",
      values: LOSS_NAMES,
      default: "non-saturating",
      title: "loss variant",
      doc: "minimax and non-saturating (Goodfellow et al. 2014), least-squares (Mao et al. " +
        "2017), hinge (Lim & Ye 2017), wasserstein-gp (critic loss plus gpWeight times the " +
        "gradient penalty of Gulrajani et al. 2017)",
    },
    optimizer: OPTIMIZER_SCHEMA,
    dOptimizer: optimizerOverlay("D"),
    gOptimizer: optimizerOverlay("G"),
    k: {
      kind: "int",
      min: 1,
      default: 1,
      title: "D steps per G step",
      doc: "D steps per iteration (Algorithm 1)",
    },
    gSteps: {
      kind: "int",
      min: 0,
      default: 1,
      title: "G steps per iteration",
      doc: "G steps per iteration; 0 freezes G (D trains alone against a fixed G)",
    },
    batchSize: { kind: "int", min: 1, default: 128, title: "batch size", doc: "minibatch size" },
    steps: { kind: "int", min: 1, default: 3000, title: "training iterations", doc: "iterations" },
    evalEvery: {
      kind: "int",
      min: 1,
      default: 100,
      title: "iterations between evaluations",
      doc: "metrics are logged every this many iterations (and at 0 and the last)",
    },
    evalSamples: {
      kind: "int",
      min: 10,
      default: 2500,
      title: "samples per evaluation",
      doc: "generator samples drawn for each evaluation",
    },
    gpWeight: {
      kind: "number",
      min: 0,
      default: 10,
      doc: "weight of the gradient penalty; set it only with loss wasserstein-gp",
    },
    dLossScale: {
      kind: "number",
      gt: 0,
      default: 1,
      doc: "factor on D's loss; the paper's code minimises 0.5 (BCE real + BCE fake), so its " +
        "study sets 0.5",
    },
    update: {
      kind: "enum",
      values: UPDATE_RULES,
      default: "alternating",
      doc: "alternating: Algorithm 1 (k D updates, then gSteps G updates on fresh noise); " +
        "simultaneous: the public code's AdversaryCost2 (D's and G's gradients from one " +
        "minibatch and the parameters before the update, G's objective through D with the " +
        "same dropout masks; needs k 1 and gSteps 1)",
    },
    parzen: {
      kind: "object",
      doc: "(image data) the paper's Parzen-window estimate at the final evaluation " +
        "(parzen_ll, parzen_se, parzen_sigma); absent: not computed",
      fields: {
        samples: {
          kind: "int",
          min: 1,
          default: 10_000,
          doc: "generator samples the density is fitted on",
        },
        validPoints: {
          kind: "int",
          min: 1,
          default: 1_000,
          doc: "validation images that choose sigma",
        },
        testPoints: {
          kind: "int",
          min: 1,
          default: 10_000,
          doc: "test images the log-likelihood is reported on",
        },
        every: {
          kind: "int",
          min: 0,
          default: 0,
          doc: "also log a cheaper estimate during training (parzen_curve_ll, parzen_curve_se, " +
            "parzen_curve_sigma) at every evaluation whose step is a multiple of this (step 0 " +
            "and the last step included), for a curve of the estimate over training; 0: only " +
            "the full protocol at the end",
        },
        trainingPoints: {
          kind: "int",
          min: 1,
          default: 1_000,
          doc: "test images the estimate during training is reported on (the first ones, at " +
            "most testPoints); samples and validation images as in the full protocol",
        },
      },
    },
    quality: {
      kind: "object",
      doc: "sample quality and diversity at evaluations: on image data FID, KID, improved " +
        "precision/recall, density/coverage and the classifier Inception Score on the features of " +
        "the data set's own classifier (lib/features; not Inception-v3, so not comparable with " +
        "published FIDs), the same for held-out images at the end (the reference), and the " +
        "memorisation test; on synthetic data precision/recall and density/coverage in data " +
        "space; absent: not computed",
      fields: {
        metrics: {
          kind: "array",
          of: { kind: "enum", values: QUALITY_METRICS },
          doc: "which to compute; absent: every one the data supports (all on image data, " +
            "precision-recall and density-coverage on synthetic data)",
        },
        samples: {
          kind: "int",
          min: 10,
          default: 10_000,
          title: "quality samples",
          doc: "generator samples at the final evaluation, against as many training images or " +
            "points (fewer when the training set is smaller); the held-out reference uses as " +
            "many held-out ones as there are, up to this",
        },
        trainingSamples: {
          kind: "int",
          min: 0,
          default: 1_000,
          doc: "samples (and training images) at the other evaluations, a cheaper subset; 0: " +
            "the final evaluation only, else at least 10",
        },
        kidSubsets: { kind: "int", min: 1, default: 100, doc: "KID's random subsets" },
        kidSubsetSize: {
          kind: "int",
          min: 2,
          default: 1_000,
          doc: "vectors per KID subset from each set (capped at the smaller set)",
        },
        memorisationSamples: {
          kind: "int",
          min: 10,
          default: 1_000,
          doc: "samples, and held-out images, whose nearest training image the memorisation " +
            "test finds among all training images (final evaluation)",
        },
      },
      optional: ["metrics"],
    },
  },
  optional: ["dOptimizer", "gOptimizer", "parzen", "quality"],
} as const satisfies Schema;

/** A fully resolved run configuration without its seed. */
export type ResolvedConfig = Infer<typeof CONFIG_SCHEMA>;
/** A fully resolved run configuration: what one run reads. */
export type RunConfig = ResolvedConfig & {
  /** The run's seed; drives every random stream. */
  seed: number;
};
/** Data set configuration. */
export type DataConfig = RunConfig["data"];
/** A 1-D Gaussian p_data = N(mean, std^2), known density. */
export type Gaussian1dData = Extract<DataConfig, { name: "gaussian-1d" }>;
/** Eight Gaussians evenly spaced on a ring. */
export type Ring8Data = Extract<DataConfig, { name: "ring-8" }>;
/** 25 Gaussians on the grid {-2s, -s, 0, s, 2s}^2. */
export type Grid25Data = Extract<DataConfig, { name: "grid-25" }>;
/** An image data set, split as in the paper. */
export type ImageDataConfig = Extract<DataConfig, { name: ImageDataName }>;
/** Architecture configuration. */
export type ArchConfig = RunConfig["arch"];
/** A multi-layer perceptron for both G and D. */
export type MlpArch = Extract<ArchConfig, { name: "mlp" }>;
/** The paper's MNIST networks: a ReLU G and a maxout D with dropout. */
export type MaxoutArch = Extract<ArchConfig, { name: "maxout" }>;
/** DCGAN for 28x28 and 32x32 images. */
export type DcganArch = Extract<ArchConfig, { name: "dcgan" }>;
/** Optimiser configuration (used for both D and G). */
export type OptimizerConfig = RunConfig["optimizer"];
/** Adam. */
export type AdamConfig = Extract<OptimizerConfig, { name: "adam" }>;
/** SGD with momentum and the paper's optional schedules. */
export type SgdConfig = Extract<OptimizerConfig, { name: "sgd" }>;
/** The paper's Parzen-window protocol, with its sizes. */
export type ParzenConfig = NonNullable<RunConfig["parzen"]>;
/** The sample-quality metrics and their sample counts. */
export type QualityConfig = NonNullable<RunConfig["quality"]>;
/** A loss variant name. */
export type LossName = RunConfig["loss"];

/** A config before defaults are applied, as written in experiment files. */
export type PartialConfig = DeepPartial<ResolvedConfig>;

/** Recursive partial type. */
export type DeepPartial<T> = T extends (infer U)[] ? U[]
  : T extends object ? { [K in keyof T]?: DeepPartial<T[K]> }
  : T;

/**
 * Validates a partial config and fills in defaults. Paths in issues start
 * with `prefix` (e.g. `base`).
 */
export function resolveConfig(
  partial: unknown,
  prefix: string,
  issues: Issue[],
): ResolvedConfig {
  const before = issues.length;
  const config = validateValue(partial, CONFIG_SCHEMA, prefix, issues) as ResolvedConfig;
  acceptedByOverlays(config, prefix, issues.slice(before));
  const given = (partial ?? {}) as Record<string, unknown>;
  if (given.gpWeight !== undefined && config.loss !== "wasserstein-gp") {
    issues.push({
      path: `${prefix}.gpWeight`,
      message: `got ${config.gpWeight} with loss ${
        JSON.stringify(config.loss)
      }; gpWeight is used only by loss "wasserstein-gp"`,
    });
  }
  if (issues.length === before) issues.push(...crossFieldIssues(config, prefix));
  if (issues.length === before) {
    for (const key of OPTIMIZER_OVERLAYS) normaliseOverlay(config, key, prefix, issues);
  }
  return config;
}

/** The config fields that change the shared optimiser for one net. */
export const OPTIMIZER_OVERLAYS = ["dOptimizer", "gOptimizer"] as const;

/** D's or G's changes to the shared optimiser (`dOptimizer`, `gOptimizer`). */
export type OptimizerOverlay = NonNullable<ResolvedConfig["dOptimizer"]>;

/**
 * Rewrites the "unknown field" issues of `dOptimizer` and `gOptimizer` to
 * list the fields of the optimiser they resolve to, not of every optimiser.
 */
function acceptedByOverlays(config: ResolvedConfig, prefix: string, issues: Issue[]): void {
  const shared = config?.optimizer?.name;
  for (const key of OPTIMIZER_OVERLAYS) {
    const overlay = config?.[key] as Record<string, unknown> | undefined;
    const named = overlay?.name;
    const name = typeof named === "string" && named in OPTIMIZER_SCHEMA.variants ? named : shared;
    if (!name || !(name in OPTIMIZER_SCHEMA.variants)) continue;
    const fields = ["name", ...Object.keys(OPTIMIZER_SCHEMA.variants[name as "adam"].fields)];
    for (const issue of issues) {
      if (!issue.path.startsWith(`${prefix}.${key}.`)) continue;
      const at = issue.message.indexOf(" Accepted fields: ");
      if (!issue.message.startsWith("unknown field") || at < 0) continue;
      issue.message = `${issue.message.slice(0, at)} Accepted fields (optimiser "${name}"): ${
        fields.join(", ")
      }`;
    }
  }
}

/** The optimiser config of `overlay` over `shared`, before defaults (see {@link optimizerFor}). */
function mergedOptimizer(shared: OptimizerConfig, overlay: OptimizerOverlay): unknown {
  const sameName = overlay.name === undefined || overlay.name === shared.name;
  return sameName ? { ...shared, ...overlay, name: shared.name } : { ...overlay };
}

/**
 * Checks `config[key]` against the optimiser it resolves to (every field
 * must belong to it; the merged optimiser must be valid) and drops the
 * fields that equal the shared optimiser's, and the overlay when nothing is
 * left: `{ lr: <the shared lr> }` is the same run as no overlay.
 */
function normaliseOverlay(
  config: ResolvedConfig,
  key: typeof OPTIMIZER_OVERLAYS[number],
  prefix: string,
  issues: Issue[],
): void {
  const overlay = config[key];
  if (overlay === undefined) return;
  const shared = config.optimizer;
  const name = overlay.name ?? shared.name;
  const accepted = ["name", ...Object.keys(OPTIMIZER_SCHEMA.variants[name].fields)];
  const path = `${prefix}.${key}`;
  const before = issues.length;
  for (const field of Object.keys(overlay)) {
    if (accepted.includes(field)) continue;
    const whose = name === shared.name
      ? `${key} changes fields of the shared optimizer, "${name}"`
      : `${key} names the optimiser "${name}"`;
    issues.push({
      path: `${path}.${field}`,
      message: `"${field}" is not a field of the "${name}" optimiser (${whose}); accepted: ${
        accepted.join(", ")
      }`,
    });
  }
  if (issues.length > before) return;
  const merged = validateValue(
    mergedOptimizer(shared, overlay),
    OPTIMIZER_SCHEMA,
    path,
    issues,
  ) as OptimizerConfig;
  if (issues.length > before) return;
  issues.push(...optimizerIssues(merged, path));
  if (issues.length > before || name !== shared.name) return;
  const kept: Record<string, unknown> = {};
  for (const [field, value] of Object.entries(overlay)) {
    if (field !== "name" && (shared as Record<string, unknown>)[field] !== value) {
      kept[field] = value;
    }
  }
  if (Object.keys(kept).length === 0) delete config[key];
  else config[key] = kept as OptimizerOverlay;
}

/**
 * The optimiser of D or of G: the shared `optimizer` with `dOptimizer` or
 * `gOptimizer` applied (the overlay's fields replace the shared ones; an
 * overlay naming another optimiser stands alone, with that optimiser's
 * defaults).
 *
 * @param config A resolved config.
 * @param net "d" or "g".
 * @returns The optimiser config of that net.
 */
export function optimizerFor(config: ResolvedConfig, net: "d" | "g"): OptimizerConfig {
  const overlay = net === "d" ? config.dOptimizer : config.gOptimizer;
  if (overlay === undefined) return config.optimizer;
  const issues: Issue[] = [];
  const merged = validateValue(
    mergedOptimizer(config.optimizer, overlay),
    OPTIMIZER_SCHEMA,
    net === "d" ? "dOptimizer" : "gOptimizer",
    issues,
  ) as OptimizerConfig;
  if (issues.length) {
    throw new Error(issues.map((i) => `${i.path}: ${i.message}`).join("; "));
  }
  return merged;
}

/** Checks between the fields of one optimiser (SGD's schedules come in pairs). */
function optimizerIssues(optimizer: OptimizerConfig, path: string): Issue[] {
  const out: Issue[] = [];
  if (optimizer.name === "sgd") {
    if ((optimizer.momentumEnd === undefined) !== (optimizer.momentumRampEpochs === undefined)) {
      const missing = optimizer.momentumEnd === undefined ? "momentumEnd" : "momentumRampEpochs";
      out.push({
        path: `${path}.${missing}`,
        message: "momentumEnd and momentumRampEpochs go together (the ramp's end and its length)",
      });
    }
    if (optimizer.lrMin !== undefined && optimizer.lrDecay === undefined) {
      out.push({
        path: `${path}.lrMin`,
        message: "lrMin is the floor of a decayed learning rate; set lrDecay too",
      });
    }
  }
  return out;
}

/**
 * Checks between fields that the schema cannot express: an architecture
 * that does not fit the data's shape, options that only one loss, data set
 * or schedule uses.
 */
function crossFieldIssues(config: ResolvedConfig, prefix: string): Issue[] {
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
    const every = config.parzen.every;
    if (every > 0 && every <= config.steps && every % config.evalEvery !== 0) {
      out.push({
        path: `${prefix}.parzen.every`,
        message: `got ${every}, not a multiple of evalEvery (${config.evalEvery}); the estimate ` +
          "is taken at evaluations, so make it a multiple of evalEvery",
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
  if (config.quality) out.push(...qualityIssues(config, `${prefix}.quality`));
  out.push(...optimizerIssues(optimizer, `${prefix}.optimizer`));
  return out;
}

/**
 * The quality metrics a config computes: its `quality.metrics`, or every
 * one its data supports; none without `quality`.
 */
export function qualityMetrics(config: Pick<ResolvedConfig, "quality" | "data">): QualityMetric[] {
  if (!config.quality) return [];
  if (config.quality.metrics) return [...new Set(config.quality.metrics)];
  return isImageData(config.data)
    ? [...QUALITY_METRICS]
    : QUALITY_METRICS.filter((m) => !IMAGE_ONLY_QUALITY_METRICS.includes(m));
}

/** Checks of `quality` against the data: metrics the data cannot have, sample counts. */
function qualityIssues(config: ResolvedConfig, path: string): Issue[] {
  const out: Issue[] = [];
  const q = config.quality!;
  const data = config.data;
  if (!isImageData(data)) {
    (q.metrics ?? []).forEach((m, i) => {
      if (!IMAGE_ONLY_QUALITY_METRICS.includes(m)) return;
      const what = m === "memorisation"
        ? "compares samples with training images and needs image data"
        : "needs a feature network";
      out.push({
        path: `${path}.metrics[${i}]`,
        message: `metric ${JSON.stringify(m)} ${what}, and data "${data.name}" has none ` +
          `(feature networks exist for the image data sets ${
            IMAGE_DATA_NAMES.map((n) => `"${n}"`).join(", ")
          }); on "${data.name}" use "precision-recall" or "density-coverage" (in data space)`,
      });
    });
  }
  if (q.trainingSamples > 0 && q.trainingSamples < 10) {
    out.push({
      path: `${path}.trainingSamples`,
      message: `got ${q.trainingSamples}; expected 0 (final evaluation only) or at least 10`,
    });
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

/**
 * G's output nonlinearity: the mlp's `output`, where `auto` (and the
 * maxout and dcgan nets) mean sigmoid on image data and linear otherwise.
 */
export function generatorOutput(
  config: Pick<RunConfig, "arch" | "data">,
): "linear" | "sigmoid" | "tanh" {
  const { arch } = config;
  if (arch.name === "mlp" && arch.output !== "auto") return arch.output;
  return isImageData(config.data) ? "sigmoid" : "linear";
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
