/**
 * The generator and discriminator a config asks for: `mlp` (both nets
 * MLPs), `maxout` (the paper's ReLU generator and maxout discriminator with
 * dropout) or `dcgan` (convolutional nets for images). G draws its weights
 * first, then D, from the run's `init` stream.
 *
 * @module
 */
import { dHidden, generatorOutput, gHidden, type RunConfig } from "../spec/config.ts";
import type { Rng } from "../runtime/rng.ts";
import type { Dataset } from "../data/types.ts";
import { createMlp, marginalBias, type Net } from "../nets/mlp.ts";
import { createMaxout } from "../nets/maxout.ts";
import { createDcganDiscriminator, createDcganGenerator } from "../nets/dcgan.ts";

/** G and D of a run. */
export interface GanNets {
  g: Net;
  d: Net;
}

/** Builds G and D for `config` on `data`, drawing weights from `init`. */
export function buildNets(config: RunConfig, data: Dataset, init: Rng): GanNets {
  const { arch } = config;
  const images = data.truth.kind === "images";
  const dim = data.dim;
  if (arch.name === "mlp") {
    const g = createMlp({
      sizes: [arch.noiseDim, ...gHidden(arch), dim],
      activation: arch.activation,
      outputActivation: generatorOutput(config),
      name: "G",
      rng: init,
    });
    const d = createMlp({
      sizes: [dim, ...dHidden(arch), 1],
      activation: arch.activation,
      name: "D",
      rng: init,
    });
    return { g, d };
  }
  if (arch.name === "maxout") {
    const g = createMlp({
      sizes: [arch.noiseDim, ...arch.gHidden, dim],
      activation: "relu",
      outputActivation: generatorOutput(config),
      init: { kind: "uniform", scale: arch.gInit },
      ...(images && arch.outputBias === "marginals"
        ? { outputBias: marginalBias(data.train, dim) }
        : {}),
      name: "G",
      rng: init,
    });
    const d = createMaxout({
      sizes: [dim, ...arch.dUnits, 1],
      pieces: arch.pieces,
      inputKeep: arch.inputKeep,
      hiddenKeep: arch.hiddenKeep,
      init: { kind: "uniform", scale: arch.dInit },
      name: "D",
      rng: init,
    });
    return { g, d };
  }
  if (data.truth.kind !== "images") {
    throw new Error(`arch "dcgan" needs image data, got "${data.name}"`);
  }
  const shape = data.truth.shape;
  const g = createDcganGenerator({
    noiseDim: arch.noiseDim,
    shape,
    channels: arch.channels,
    name: "G",
    rng: init,
  });
  const batchNorm = arch.dNorm === "batch" ||
    (arch.dNorm === "auto" && config.loss !== "wasserstein-gp");
  const d = createDcganDiscriminator({
    shape,
    channels: arch.channels,
    batchNorm,
    name: "D",
    rng: init,
  });
  return { g, d };
}
