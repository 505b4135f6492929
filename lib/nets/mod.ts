/**
 * Architectures: the MLP generator and discriminator (D outputs logits).
 *
 * @module
 */
export * from "./mlp.ts";
