/** An image run whose samples become NaN finishes `diverged`, with samples.png and no samples_nn.png. */
import assert from "node:assert/strict";
import { existsSync } from "node:fs";
import { join } from "node:path";
import { executeRun } from "../../lib/sweep/run.ts";
import { expandRuns, validateExperiment } from "../../lib/spec/mod.ts";
import { currentBackend } from "../../lib/runtime/backend.ts";
import { useBackend } from "../_backend.ts";
import { withTempDir } from "../_temp.ts";

await useBackend("wasm");

Deno.test("executeRun: an image run whose G's samples become NaN is diverged, not failed", async () => {
  const [plan] = expandRuns(validateExperiment({
    name: "diverging-images",
    base: {
      data: { name: "mnist", trainSize: 200, validSize: 50, testSize: 50 },
      arch: { name: "maxout", noiseDim: 8, gHidden: [16], dUnits: [8], pieces: 2 },
      optimizer: { name: "sgd", lr: 1e20 },
      batchSize: 20,
      steps: 4,
      evalEvery: 2,
      evalSamples: 40,
    },
    seeds: [0],
  }));
  await withTempDir("diverged-image-", async (dir) => {
    const status = await executeRun(plan, dir, { backend: currentBackend()! });
    assert.equal(status.state, "diverged", status.error ?? "");
    assert.ok(existsSync(join(dir, "samples.png")));
    assert.ok(!existsSync(join(dir, "samples_nn.png")));
  });
});
