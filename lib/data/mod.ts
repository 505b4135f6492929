/**
 * Data sets: their types, synthetic mixtures and 1-D Gaussians with known
 * truth, image data sets (registry, sources, verification, loading), the
 * data set of a run config, and minibatch sampling.
 *
 * @module
 */
export * from "./types.ts";
export * from "./dataset.ts";
export * from "./synthetic.ts";
export * from "./images/mod.ts";
export * from "./batches.ts";
