/**
 * Losses, optimisers and the training loop (Algorithm 1).
 *
 * @module
 */
export * from "./losses.ts";
export * from "./optimizers.ts";
export * from "./train.ts";
export * from "./checkpoint.ts";
