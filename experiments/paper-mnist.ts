import { defineExperiment } from "../mod.ts";

/**
 * Table 1 and Figure 2 of Goodfellow et al. (2014) on real MNIST, with the
 * protocol of the paper's public configuration (PAPER.md): the ReLU
 * generator 100-1200-1200-784 with a sigmoid output whose bias starts at
 * the pixel marginals, the maxout discriminator 240x5-240x5 with dropout
 * (keep 0.8 on the input, 0.5 on hidden layers), uniform initialisation,
 * D's loss halved as in the paper's code, D and G updated simultaneously
 * from one minibatch (its AdversaryCost2), SGD with batch 100, learning rate
 * 0.1 divided by 1.000004 per update (floor 1e-6) and momentum rising from
 * 0.5 to 0.7 by epoch 250; training images 0..49999, validation
 * 50000..59999, the 10,000 test images. At the end, the Parzen-window
 * estimate: 10,000 samples, sigma from 10 values in [0.1, 1] chosen on
 * 1,000 validation images, mean and standard error on the test images;
 * during training (every 1,000 updates, 5,000 with `--full`) the same
 * estimate on the first 1,000 test images, charted against epochs with the
 * paper's 225 ± 2 as a band.
 *
 * The default budget is shortened to fit 30 minutes on 2 cores; `--full`
 * runs the paper's length (the public configuration trains for hundreds of
 * epochs; here 300 epochs = 150,000 updates, where the momentum ramp has
 * ended), five seeds.
 */
export default defineExperiment({
  name: "paper-mnist",
  title: "Parzen-window log-likelihood on MNIST (Table 1, Figure 2)",
  base: {
    data: { name: "mnist", trainSize: 50_000, validSize: 10_000, testSize: 10_000 },
    arch: {
      name: "maxout",
      noiseDim: 100,
      noise: "gaussian",
      gHidden: [1200, 1200],
      dUnits: [240, 240],
      pieces: 5,
      inputKeep: 0.8,
      hiddenKeep: 0.5,
      gInit: 0.05,
      dInit: 0.005,
      outputBias: "marginals",
    },
    loss: "non-saturating",
    dLossScale: 0.5,
    // The public code updates D and G from one minibatch and the same parameters.
    update: "simultaneous",
    optimizer: {
      name: "sgd",
      lr: 0.1,
      momentum: 0.5,
      lrDecay: 1.000004,
      lrMin: 1e-6,
      momentumEnd: 0.7,
      momentumRampEpochs: 250,
    },
    k: 1,
    gSteps: 1,
    batchSize: 100,
    steps: 5000,
    evalEvery: 1000,
    evalSamples: 1000,
    // The full protocol at the end; during training, every 1,000 updates, the same estimate
    // on the first 1,000 test images (parzen_curve_ll: the report's curve against epochs).
    parzen: {
      samples: 10_000,
      validPoints: 1_000,
      testPoints: 10_000,
      every: 1_000,
      trainingPoints: 1_000,
    },
  },
  seeds: [0, 1, 2],
  claims: ["parzen-table"],
  full: {
    set: { steps: 150_000, evalEvery: 5_000, "parzen.every": 5_000 },
    seeds: [0, 1, 2, 3, 4],
  },
  shortened: "5,000 updates (10 epochs) per seed and 3 seeds instead of 150,000 updates " +
    "(300 epochs) and 5 seeds; the momentum ramp and learning-rate decay have barely begun",
});
