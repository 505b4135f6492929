/**
 * tfjs backend choice and seeded random numbers.
 *
 * @module
 */
export * from "./backend.ts";
export * from "./rng.ts";
export * from "./gradients.ts";
