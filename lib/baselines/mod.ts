/**
 * Baselines computed once per data set and protocol and cached: the
 * Parzen-window estimates of training images and of k-means centres beside
 * the paper's Table 1 (Theis et al. 2016).
 *
 * @module
 */
export * from "./parzen_baselines.ts";
