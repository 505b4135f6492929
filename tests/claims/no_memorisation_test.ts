/**
 * `no-memorisation`: planted studies for each branch of the rule (fresh-like
 * samples PASS, copies FAIL, a G that never learnt the data and invalid
 * runs are INCONCLUSIVE, configs without the test are left out), and the
 * metric through its real code path: a "generator" that returns training
 * images must not PASS.
 */
import assert from "node:assert/strict";
import { assertEvidence, assertHealth, byHand, check, plant } from "./fixtures.ts";
import { CLAIMS } from "../../lib/claims/mod.ts";
import { planStudy, plantRuns } from "../../lib/claims/simulate.ts";
import { evaluateQuality } from "../../lib/gan/quality.ts";
import type { Gan } from "../../lib/gan/gan.ts";
import { loadDataset } from "../../lib/data/dataset.ts";
import type { Net } from "../../lib/nets/net.ts";
import * as tf from "@tensorflow/tfjs";
import { train } from "../../lib/gan/train.ts";
import { useBackend } from "../_backend.ts";
import { config } from "../_config.ts";

await useBackend("wasm");

const IMAGES = {
  data: { name: "mnist", trainSize: 2000, validSize: 500, testSize: 100 },
  steps: 100,
  evalEvery: 50,
  quality: { metrics: ["memorisation"] },
};

function study(copy: (seed: number) => number, ratio = 1.05, seeds = [0, 1, 2, 3]) {
  return plant({
    base: IMAGES,
    seeds,
    run: (_p, seed) => ({
      final: { mem_copy_share: copy(seed), mem_ratio: ratio, mem_heldout_share: 0.05 },
    }),
  });
}

Deno.test("no-memorisation: samples as near to the training set as fresh data PASS; the interval is the seeds'", () => {
  const values = [0.04, 0.055, 0.05, 0.06];
  const r = check(study((s) => values[s]), "no-memorisation");
  assert.equal(r.verdict, "PASS", r.evidence);
  const h = byHand(values);
  assert.ok(Math.abs(r.effect.ci95High - h.hi) < 1e-9);
  assert.equal(r.n, 4);
  assertEvidence(r, "entirely below 0.1", "mean mem_ratio 1.05");
});

Deno.test("no-memorisation: near-copies of training images FAIL; straddling the threshold is INCONCLUSIVE", () => {
  const copies = check(study((s) => 0.8 + 0.02 * s, 0.2), "no-memorisation");
  assert.equal(copies.verdict, "FAIL", copies.evidence);
  const edge = check(study((s) => [0.05, 0.15, 0.09, 0.12][s]), "no-memorisation");
  assert.equal(edge.verdict, "INCONCLUSIVE", edge.evidence);
  assertEvidence(edge, "does not exclude 0.1");
});

Deno.test("no-memorisation: a G that never learnt the data (samples far from every training image) is INCONCLUSIVE, never PASS", () => {
  const r = check(study(() => 0, 2.4), "no-memorisation");
  assert.equal(r.verdict, "INCONCLUSIVE", r.evidence);
  assertEvidence(r, "G has not learnt the data", "2.4 times as far");
});

Deno.test("no-memorisation: runs failing a health check are not evidence", () => {
  const p = plant({
    base: IMAGES,
    seeds: [0, 1, 2, 3],
    // Seeds 1-3: G collapsed onto almost one image (g_spread 0.01): invalid, whatever the share.
    run: (_p, seed) => ({
      final: { mem_copy_share: 0.05, mem_ratio: 1, g_spread: seed === 0 ? 1 : 0.01 },
    }),
  });
  assertHealth(p, (_point, seed) => (seed === 0 ? [] : ["g_collapsed"]));
  const r = check(p, "no-memorisation");
  assert.equal(r.verdict, "INCONCLUSIVE", r.evidence);
  assertEvidence(r, "too few seeds (n = 1", "3 invalid");
});

Deno.test("no-memorisation: a study without the test is not checked; configs without it are left out", () => {
  const none = check(
    plant({ base: { data: { name: "ring-8" } }, seeds: [0, 1, 2], run: () => ({ final: {} }) }),
    "no-memorisation",
  );
  assert.equal(none.verdict, "INCONCLUSIVE");
  assertEvidence(none, "no config of this study runs the memorisation test");
  const mixed = plant({
    base: IMAGES,
    sweep: { "quality.metrics": [["memorisation"], ["fid"]] },
    seeds: [0, 1, 2],
    run: (point, seed) =>
      (point["quality.metrics"] as string[])[0] === "memorisation"
        ? { final: { mem_copy_share: 0.05 + 0.005 * seed, mem_ratio: 1 } }
        : { final: { fid: 3 } },
  });
  const r = check(mixed, "no-memorisation");
  assert.equal(r.verdict, "PASS", r.evidence);
  assert.equal(r.runs.length, 3);
});

/** A "generator" whose samples are the rows of `images`, in order. */
function copyingGan(cfg: ReturnType<typeof config>, train: Float32Array, dim: number): Gan {
  let at = 0;
  const g: Net = {
    variables: [],
    apply(z: tf.Tensor2D): tf.Tensor2D {
      const n = z.shape[0];
      const rows = new Float32Array(n * dim);
      for (let i = 0; i < n; i++) {
        const r = at++ % (train.length / dim);
        rows.set(train.subarray(r * dim, (r + 1) * dim), i * dim);
      }
      return tf.tensor2d(rows, [n, dim]);
    },
    dispose() {},
  };
  return { config: cfg, g } as unknown as Gan;
}

/**
 * The claim on a study whose every seed's "generator" returns rows of
 * `source` (training images, or images it never trained on), measured by
 * the real metric code.
 */
function measured(source: "train" | "unseen") {
  const planned = planStudy({ base: IMAGES, seeds: [0, 1, 2] });
  const finals = new Map<number, Record<string, number>>();
  for (const plan of planned.plans) {
    const cfg = {
      ...plan.config,
      quality: { ...plan.config.quality!, samples: 400, memorisationSamples: 400 },
    };
    const data = loadDataset(cfg.data, cfg.seed);
    // Unseen: validation images after the 500 the test compares with (never trained on).
    const rows = source === "train"
      ? data.train
      : loadDataset({ ...cfg.data, validSize: 1_500 }, cfg.seed).valid.subarray(
        (500 + 300 * plan.seed) * data.dim,
      );
    const q = evaluateQuality(copyingGan(cfg, rows, data.dim), data, true);
    finals.set(plan.seed, q.values);
  }
  const p = plantRuns(planned, (_point, seed) => ({ final: finals.get(seed)! }));
  return { finals, result: CLAIMS["no-memorisation"].evaluate(p.joined, {}, p.exp) };
}

Deno.test("no-memorisation: a generator that returns training images, measured by the real metric, does not PASS (FAIL)", () => {
  const { finals, result } = measured("train");
  for (const f of finals.values()) {
    assert.equal(f.mem_copy_share, 1, "every sample is a training image");
    assert.equal(f.mem_ratio, 0);
  }
  assert.equal(result.verdict, "FAIL", result.evidence);
});

Deno.test("no-memorisation: a generator that returns images it never trained on, measured by the real metric, PASSes", () => {
  const { finals, result } = measured("unseen");
  for (const f of finals.values()) {
    assert.ok(f.mem_copy_share < 0.1, String(f.mem_copy_share));
    assert.ok(Math.abs(f.mem_ratio - 1) < 0.15, String(f.mem_ratio));
  }
  assert.equal(result.verdict, "PASS", result.evidence);
});

Deno.test("no-memorisation: briefly trained GANs on MNIST copy nothing: never FAIL", async () => {
  const study = planStudy({
    base: {
      ...IMAGES,
      arch: { name: "mlp", noiseDim: 16, hidden: [128] },
      steps: 200,
      evalEvery: 200,
      batchSize: 64,
      evalSamples: 200,
      quality: {
        metrics: ["memorisation"],
        samples: 300,
        memorisationSamples: 300,
        trainingSamples: 0,
      },
    },
    seeds: [0, 1, 2],
  });
  const finals = new Map<number, Record<string, number>>();
  for (const plan of study.plans) {
    const r = await train(plan.config);
    const { step: _s, ...final } = r.rows[r.rows.length - 1];
    finals.set(plan.seed, final);
    assert.ok(final.mem_copy_share < 0.05, `seed ${plan.seed}: ${final.mem_copy_share}`);
  }
  const p = plantRuns(study, (_point, seed) => ({ final: finals.get(seed)! }));
  const r = CLAIMS["no-memorisation"].evaluate(p.joined, {}, p.exp);
  assert.notEqual(r.verdict, "FAIL", r.evidence);
});
