import { cartesian, defineExperiment } from "../mod.ts";
import { RING_BASELINE } from "./_baselines.ts";

const LOSSES = ["minimax", "non-saturating", "least-squares", "hinge", "wasserstein-gp"];

/**
 * The paper's losses against the ones that followed it: minimax and
 * non-saturating (Goodfellow et al. 2014), least-squares (Mao et al. 2017),
 * hinge (Lim & Ye 2017) and WGAN-GP (Gulrajani et al. 2017), on 8 Gaussians
 * on a ring and 25 on a grid (modes captured, share of high-quality
 * samples, KL of the mode shares), and with a small budget on MNIST
 * (classes covered by the samples' nearest training images, distance to
 * them). Same nets, optimiser and budget for every loss. Sample quality as
 * the field measures it: on the mixtures improved precision/recall and
 * density/coverage in data space beside the mode counts; on MNIST FID,
 * KID, precision/recall, density/coverage and the classifier Inception
 * Score on the features of the harness's own MNIST classifier; 2,000
 * samples at the end and 500 during training, beside the same metrics for
 * held-out data, and on MNIST the memorisation test.
 */
export default defineExperiment({
  name: "loss-variants",
  title: "Loss variants: modes captured on 2-D mixtures and MNIST",
  base: {
    ...RING_BASELINE,
    steps: 1200,
    quality: { samples: 2000, trainingSamples: 500, memorisationSamples: 1000 },
  },
  sweep: [
    ...cartesian({ "data.name": ["ring-8", "grid-25"], loss: LOSSES }),
    ...cartesian({
      loss: LOSSES,
      data: [{ name: "mnist", trainSize: 10_000, validSize: 1_000, testSize: 1_000 }],
      arch: [{ name: "mlp", noiseDim: 32, hidden: [256, 256], activation: "leaky-relu" }],
      batchSize: [64],
      steps: [1000],
      evalEvery: [250],
      evalSamples: [500],
    }),
  ],
  seeds: [0, 1, 2],
  claims: ["no-memorisation"],
});
