/**
 * Test helper: a test-sized feature network (4 and 8 channels, 16
 * features, two epochs on 3,000 MNIST images), so that tests never need the
 * minutes the real one takes, and a temporary cache that runs in this
 * process use for it.
 */
import {
  FEATURE_CONFIGS,
  type FeatureTrainConfig,
  setFeatureDefaults,
} from "../lib/features/mod.ts";

/** The test-sized MNIST feature network's config. */
export const TINY_FEATURES: FeatureTrainConfig = {
  ...FEATURE_CONFIGS.mnist,
  shape: { image: [28, 28, 1], conv: [4, 8], kernel: 5, width: 16, classes: 10 },
  epochs: 2,
  batchSize: 32,
  keep: 1,
  shift: 0,
  trainImages: 3000,
  testImages: 500,
};

/**
 * Makes every run of this process use the test-sized MNIST network, cached
 * in a temporary folder (trained on first use, a few seconds).
 *
 * @returns The folder.
 */
export function useTinyFeatures(): string {
  const dir = Deno.makeTempDirSync({ prefix: "features-" });
  setFeatureDefaults({ cacheDir: dir, configs: { mnist: TINY_FEATURES } });
  return dir;
}
