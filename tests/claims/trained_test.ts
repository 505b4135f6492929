/**
 * Claims on runs that really trained (no planted numbers): small studies
 * built so that the claim is true, and built so that it must not PASS (a
 * dead D, a D that never gets confident, a D barely trained, a G far from
 * the paper's number). Each trains its runs in this process, then checks
 * the claim as a report would. The full-size evidence is the studies in
 * experiments/ (README, "Studies").
 */
import assert from "node:assert/strict";
import { CLAIMS } from "../../lib/claims/mod.ts";
import { planStudy, plantRuns, type StudyShape } from "../../lib/claims/simulate.ts";
import type { ClaimResult } from "../../lib/claims/types.ts";
import { train } from "../../lib/gan/train.ts";
import { useBackend } from "../_backend.ts";

await useBackend("wasm");

/** Trains every run of a small study and checks the given claims on it. */
async function trainedClaims(shape: StudyShape, ids: string[]): Promise<ClaimResult[]> {
  const study = planStudy(shape);
  const byRun = new Map<
    string,
    { final: Record<string, number>; curves: Record<string, number>[] }
  >();
  for (const plan of study.plans) {
    const result = await train(plan.config);
    assert.equal(result.state, "done", `${plan.id} ${result.reason ?? ""}`);
    const { step: _step, ...final } = result.rows[result.rows.length - 1];
    byRun.set(`${JSON.stringify(plan.point)}|${plan.seed}`, { final, curves: result.rows });
  }
  const planted = plantRuns(study, (point, seed) => byRun.get(`${JSON.stringify(point)}|${seed}`)!);
  return ids.map((id) => CLAIMS[id].evaluate(planted.joined, {}, planted.exp, { full: true }));
}

/** A linear G on 1-D Gaussian noise and a leaky-ReLU D: p_g = N(b, w^2) can reach p_data. */
const LINEAR_G = {
  name: "mlp",
  noiseDim: 1,
  hidden: [32, 32],
  gHidden: [],
  activation: "leaky-relu",
};

Deno.test("trained: a 1-D GAN that reaches p_data PASSes convergence-1d and global-optimum", async () => {
  const [conv, opt] = await trainedClaims({
    base: {
      data: { name: "gaussian-1d", mean: 1, std: 0.5, trainSize: 2048, validSize: 2048 },
      arch: LINEAR_G,
      optimizer: { name: "adam", lr: 3e-3, beta1: 0.5 },
      k: 2,
      steps: 800,
      evalEvery: 400,
      evalSamples: 2000,
    },
    seeds: [0, 1, 2],
  }, ["convergence-1d", "global-optimum"]);
  assert.equal(conv.verdict, "PASS", conv.evidence);
  assert.equal(opt.verdict, "PASS", opt.evidence);
  assert.ok(opt.effect.ci95High < 0.02 && opt.effect.ci95Low > -0.02, opt.evidence);
});

Deno.test("trained: a 1-D GAN whose D dies gets neither PASS nor FAIL: its runs are invalid", async () => {
  // ReLU D (16-16) on inputs near 4 with a large step: every hidden unit dies within 600 steps,
  // D ends flat near 1/2 and V = -log 4 although p_g is far from p_data.
  const results = await trainedClaims({
    base: {
      data: { name: "gaussian-1d", mean: 4, std: 0.5, trainSize: 2048, validSize: 2048 },
      arch: { name: "mlp", noiseDim: 1, hidden: [16, 16] },
      optimizer: { name: "adam", lr: 1e-2, beta1: 0.5 },
      steps: 600,
      evalEvery: 300,
      evalSamples: 2000,
    },
    seeds: [0, 1, 2],
  }, ["convergence-1d", "global-optimum"]);
  for (const r of results) {
    assert.equal(r.verdict, "INCONCLUSIVE", r.evidence);
    assert.match(r.evidence, /3 invalid \(D dead: 3\)/);
  }
});

const SATURATION = {
  data: { name: "gaussian-1d", mean: 4, std: 0.5, trainSize: 2048, validSize: 2048 },
  arch: { ...LINEAR_G, hidden: [16, 16] },
  optimizer: { name: "sgd", lr: 0.05, momentum: 0.5 },
  k: 10,
  steps: 150,
  evalEvery: 5,
  evalSamples: 500,
};

Deno.test("trained: G far from the data under SGD: the minimax loss saturates where D is confident and learns slower (saturation PASS)", async () => {
  const [r] = await trainedClaims({
    base: SATURATION,
    sweep: { loss: ["minimax", "non-saturating"] },
    seeds: [0, 1, 2, 3],
  }, ["saturation"]);
  assert.equal(r.verdict, "PASS", r.evidence);
});

Deno.test("trained: G starting on the data, D never confident: saturation is INCONCLUSIVE (no premise), never PASS", async () => {
  const [r] = await trainedClaims({
    base: { ...SATURATION, data: { ...SATURATION.data, mean: 0, std: 1 }, k: 1 },
    sweep: { loss: ["minimax", "non-saturating"] },
    seeds: [0, 1, 2],
  }, ["saturation"]);
  assert.equal(r.verdict, "INCONCLUSIVE", r.evidence);
  assert.match(r.evidence, /premise of saturation did not occur/);
});

const FROZEN_G = {
  data: { name: "gaussian-1d", mean: 1.5, std: 1, trainSize: 4096, validSize: 2048 },
  arch: { name: "mlp", noiseDim: 1, hidden: [64, 64], gHidden: [] },
  optimizer: { name: "adam", lr: 1e-3, beta1: 0.5 },
  gSteps: 0,
  batchSize: 256,
  evalSamples: 2000,
};

Deno.test("trained: D trained against a frozen G reaches D* (optimal-d PASS); D barely trained does not (FAIL)", async () => {
  const [trained] = await trainedClaims({
    base: { ...FROZEN_G, steps: 3000, evalEvery: 1500 },
    seeds: [0, 1, 2],
  }, ["optimal-d"]);
  assert.equal(trained.verdict, "PASS", trained.evidence);
  const [barely] = await trainedClaims({
    base: { ...FROZEN_G, steps: 2, evalEvery: 1 },
    seeds: [0, 1, 2, 3, 4, 5],
  }, ["optimal-d"]);
  assert.equal(barely.verdict, "FAIL", barely.evidence);
});

Deno.test("trained: a G trained for a few updates on MNIST is far below Table 1: parzen-table FAILs under the full protocol", async () => {
  const [r] = await trainedClaims({
    base: {
      data: { name: "mnist", trainSize: 1000, validSize: 200, testSize: 200 },
      arch: { name: "mlp", noiseDim: 8, hidden: [32] },
      steps: 10,
      evalEvery: 10,
      evalSamples: 100,
      parzen: { samples: 300, validPoints: 100, testPoints: 100 },
    },
    seeds: [0, 1, 2],
  }, ["parzen-table"]);
  assert.equal(r.verdict, "FAIL", r.evidence);
  assert.match(r.evidence, /Table 1 is not reproduced/);
});
