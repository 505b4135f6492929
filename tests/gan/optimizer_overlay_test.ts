/**
 * dOptimizer and gOptimizer reach the nets: with G's learning rate made
 * negligible, one iteration of Algorithm 1 moves D exactly as with the
 * shared optimiser and leaves G where it was (tfjs steps, and the fast
 * steps where they run).
 */
import assert from "node:assert/strict";
import { Gan } from "../../lib/gan/gan.ts";
import { alternatingIteration } from "../../lib/gan/train.ts";
import { loadDataset } from "../../lib/data/dataset.ts";
import { BatchSampler } from "../../lib/data/batches.ts";
import { Rng } from "../../lib/runtime/rng.ts";
import { config } from "../_config.ts";
import { useBackend } from "../_backend.ts";

await useBackend("wasm");

const ARCHS = [
  { name: "mlp", noiseDim: 2, hidden: [8] },
  { name: "maxout", noiseDim: 4, gHidden: [8], dUnits: [6], pieces: 2 },
];

for (const arch of ARCHS) {
  Deno.test(`optimiser overlays: G's own learning rate, D's the shared one (${arch.name})`, () => {
    const base = {
      data: arch.name === "mlp"
        ? { name: "ring-8", trainSize: 64, validSize: 64 }
        : { name: "mnist", trainSize: 200, validSize: 50, testSize: 50 },
      arch,
      optimizer: { name: "adam", lr: 1e-2 },
      batchSize: 16,
    };
    const after = (partial: Record<string, unknown>) => {
      const c = config(partial);
      const data = loadDataset(c.data, c.seed);
      const gan = new Gan(c, data);
      const before = gan.stateVariables().map((v) => Float32Array.from(v.dataSync()));
      const streams = {
        noise: new Rng(0, "noise"),
        batches: new BatchSampler(data.train, gan.dim, new Rng(0, "order")),
      };
      alternatingIteration(gan, streams, () => {});
      gan.syncVariables();
      const moved = (vars: { dataSync(): ArrayLike<number> }[], from: Float32Array[]) =>
        Math.max(
          ...vars.map((v, i) =>
            Math.max(...Array.from(v.dataSync(), (x, j) => Math.abs(x - from[i][j])))
          ),
        );
      const out = {
        g: moved(gan.g.variables, before.slice(0, gan.g.variables.length)),
        d: gan.d.variables.map((v) => Array.from(v.dataSync())),
      };
      gan.dispose();
      return out;
    };
    const shared = after(base);
    const slowG = after({ ...base, gOptimizer: { lr: 1e-12 } });
    assert.deepEqual(slowG.d, shared.d, "D's update is the shared optimiser's");
    assert.ok(shared.g > 1e-4, `G moves with the shared rate (${shared.g})`);
    assert.ok(slowG.g < 1e-9, `G barely moves with its own rate of 1e-12 (${slowG.g})`);
  });
}
