/**
 * Architectures: the MLP generator and discriminator, the paper's maxout
 * discriminator, and the DCGAN nets. Discriminators output logits.
 *
 * @module
 */
export * from "./net.ts";
export * from "./mlp.ts";
export * from "./maxout.ts";
export * from "./dcgan.ts";
