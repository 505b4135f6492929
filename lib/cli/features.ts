/**
 * `deno task features <name>`: trains (or finds in the cache) the feature
 * network of an image data set and prints its test accuracy, training time
 * and cache folder; `--parzen-baselines` also computes (or finds) the
 * Parzen-window estimates of training images and of k-means centres under
 * the paper's protocol. Exits 2 on bad input, 1 when the network misses its
 * accuracy target or the data cannot be loaded.
 *
 * @module
 */
import { type BackendChoice, initBackend } from "../runtime/backend.ts";
import { DataError, IMAGE_DATASETS } from "../data/images/mod.ts";
import { FEATURE_ACCURACY_TARGETS, FEATURE_CONFIGS, loadFeatureNet } from "../features/mod.ts";
import { baselineConfig, parzenBaselines } from "../baselines/mod.ts";
import { IMAGE_SPLITS } from "../spec/config.ts";
import { datasetNameArg } from "./_dataset_arg.ts";
import { displayPath, HELP_FLAG, intFlag, parseFlags, runMain, UsageError } from "./common.ts";

const USAGE = `usage: deno task features <name> [--retrain] [--backend auto|wasm|cpu|tensorflow]
                           [--data-dir DIR] [--parzen-baselines [--samples N] [--valid N]
                           [--test N] [--train-size N]]
  <name>: ${IMAGE_DATASETS.join(", ")}
  --retrain: train again even when the cache holds a usable network
  --parzen-baselines: the Parzen estimates of training images and of k-means centres
    (sizes default to the paper's: 10,000 samples, 1,000 validation and 10,000 test images,
    k-means on the 50,000 training images)`;

/** Entry point. */
export async function main(args: string[]): Promise<number> {
  const { values, positionals } = parseFlags(args, {
    retrain: { type: "boolean", default: false },
    backend: { type: "string", default: "wasm" },
    "data-dir": { type: "string" },
    "parzen-baselines": { type: "boolean", default: false },
    samples: { type: "string" },
    valid: { type: "string" },
    test: { type: "string" },
    "train-size": { type: "string" },
    ...HELP_FLAG,
  });
  if (values.help) {
    console.log(USAGE);
    return 0;
  }
  const name = datasetNameArg(positionals, USAGE);
  const split = IMAGE_SPLITS[name];
  const sizes = {
    samples: intFlag("samples", values.samples) ?? 10_000,
    validPoints: intFlag("valid", values.valid) ?? 1_000,
    testPoints: intFlag("test", values.test) ?? split.test,
    trainSize: intFlag("train-size", values["train-size"]) ?? split.train,
  };
  if (
    sizes.validPoints > split.valid || sizes.testPoints > split.test ||
    sizes.trainSize > split.train
  ) {
    throw new UsageError(
      `${name} has ${split.train} training, ${split.valid} validation and ${split.test} test images; ` +
        `got --train-size ${sizes.trainSize}, --valid ${sizes.validPoints}, --test ${sizes.testPoints}`,
    );
  }
  if (sizes.samples > sizes.trainSize) {
    throw new UsageError(
      `--samples ${sizes.samples} is more than the ${sizes.trainSize} training images`,
    );
  }
  const backend = await initBackend(values.backend as BackendChoice);
  console.log(`backend: ${backend.name} (${backend.reason})`);
  const dataOptions = values["data-dir"] ? { dataDir: values["data-dir"] } : {};
  try {
    const r = loadFeatureNet(name, {
      retrain: values.retrain,
      data: dataOptions,
      log: (line) => console.log(line),
    });
    const m = r.meta;
    const target = FEATURE_ACCURACY_TARGETS[name];
    const c = FEATURE_CONFIGS[name];
    console.log(
      `${name} feature net (${
        c.shape.conv.join("-")
      } conv, ${c.shape.width} features, ${c.epochs} epochs): ` +
        `test accuracy ${
          (100 * m.testAccuracy).toFixed(2)
        }% on ${c.testImages} test images (target ${100 * target}%); ${
          r.trained ? "trained now" : "from the cache"
        }, training took ${m.seconds.toFixed(0)} s ` +
        `(${m.cpuSeconds.toFixed(0)} CPU s) on ${
          m.backend.split(":")[0]
        }; weights sha256 ${m.weightsSha256}; ` +
        `${displayPath(r.dir)}`,
    );
    if (values["parzen-baselines"]) {
      const b = parzenBaselines(
        baselineConfig(name, {
          samples: sizes.samples,
          validPoints: sizes.validPoints,
          testPoints: sizes.testPoints,
        }, sizes.trainSize),
        { data: dataOptions, log: (line) => console.log(line) },
      )!;
      console.log(
        `Parzen baselines (${sizes.samples} samples, σ on ${sizes.validPoints} validation images, ` +
          `${sizes.testPoints} test images): training images ${b.training.mean.toFixed(1)} ± ${
            b.training.se.toFixed(1)
          }; k-means (${sizes.samples} centres on ${sizes.trainSize} images, ${b.kmeans.iterations} iterations) ` +
          `${b.kmeans.mean.toFixed(1)} ± ${b.kmeans.se.toFixed(1)} (k-means took ${
            b.kmeans.seconds.toFixed(0)
          } s)`,
      );
    }
    if (m.testAccuracy < target) {
      console.error(
        `error: ${name} feature net reaches ${
          (100 * m.testAccuracy).toFixed(2)
        }%, below its target ${100 * target}%`,
      );
      return 1;
    }
    return 0;
  } catch (e) {
    if (!(e instanceof DataError)) throw e;
    console.error(`error: ${e.message}`);
    return 1;
  }
}

if (import.meta.main) await runMain(() => main(Deno.args));
