import { defineExperiment } from "../mod.ts";

/**
 * Architectures on images: an MLP generator and discriminator against
 * DCGAN (transposed-convolution G, strided-convolution D, batch norm) and
 * the paper's ReLU G with a maxout D, on MNIST with the same loss,
 * optimiser and budget. Reports classes covered by the samples (label of
 * each sample's nearest training image), their balance and the distance to
 * the nearest training image, plus D's overfitting gap; and sample quality
 * as the field measures it: FID, KID, precision/recall, density/coverage
 * and the classifier Inception Score on the features of the harness's own
 * MNIST classifier (2,000 samples at the end, 500 during training), beside
 * the same metrics for held-out images, and the memorisation test.
 */
export default defineExperiment({
  name: "architectures",
  title: "MLP, maxout and DCGAN on MNIST",
  base: {
    data: { name: "mnist", trainSize: 10_000, validSize: 1_000, testSize: 1_000 },
    arch: { name: "mlp", noiseDim: 32, hidden: [256, 256], activation: "leaky-relu" },
    loss: "non-saturating",
    optimizer: { name: "adam", lr: 2e-4, beta1: 0.5 },
    k: 1,
    batchSize: 64,
    steps: 1000,
    evalEvery: 250,
    evalSamples: 500,
    quality: { samples: 2000, trainingSamples: 500, memorisationSamples: 1000 },
  },
  sweep: {
    arch: [
      { name: "mlp", noiseDim: 32, hidden: [256, 256], activation: "leaky-relu" },
      { name: "maxout", noiseDim: 32, gHidden: [256, 256], dUnits: [128, 128], pieces: 5 },
      { name: "dcgan", noiseDim: 32, channels: 16 },
    ],
  },
  seeds: [0, 1, 2],
  claims: ["no-memorisation"],
});
