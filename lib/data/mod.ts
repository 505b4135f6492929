/**
 * Data sets: synthetic mixtures and 1-D Gaussians with known truth, and
 * minibatch sampling.
 *
 * @module
 */
export * from "./dataset.ts";
export * from "./synthetic.ts";
export * from "./batches.ts";
