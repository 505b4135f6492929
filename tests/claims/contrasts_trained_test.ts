/**
 * The contrast rule on runs that really trained: D trained 5 steps per G
 * step on 64 ring points overfits them more than D on 4,096 points (the
 * k-steps study's finding): "does the small training set give the larger
 * d_gap?" PASSes, and the same contrast the other way round FAILs. Runs
 * train in this process on wasm (8 short runs).
 */
import assert from "node:assert/strict";
import { evaluateContrast } from "../../lib/claims/contrasts.ts";
import { planStudy, plantRuns } from "../../lib/claims/simulate.ts";
import { train } from "../../lib/gan/train.ts";
import { useBackend } from "../_backend.ts";

await useBackend("wasm");

Deno.test("trained: a contrast PASSes in the direction real training shows and FAILs the other way", async () => {
  const study = planStudy({
    base: {
      data: { name: "ring-8", trainSize: 64, validSize: 2048, std: 0.2 },
      arch: { name: "mlp", noiseDim: 2, hidden: [64, 64] },
      optimizer: { name: "adam", lr: 1e-3, beta1: 0.5 },
      k: 5,
      batchSize: 64,
      steps: 300,
      evalEvery: 100,
    },
    sweep: { "data.trainSize": [64, 4096] },
    seeds: [0, 1, 2, 3],
  });
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
  const planted = plantRuns(study, (p, s) => byRun.get(`${JSON.stringify(p)}|${s}`)!);
  const spec = {
    axis: "data.trainSize",
    a: 64,
    b: 4096,
    metrics: ["d_gap"],
    better: "higher" as const,
  };
  const forward = evaluateContrast(spec, planted.joined);
  assert.equal(forward.verdict, "PASS", forward.evidence);
  assert.equal(forward.cells[0].paired, true);
  assert.ok(forward.cells[0].estimate > 0);
  const backward = evaluateContrast({ ...spec, a: 4096, b: 64 }, planted.joined);
  assert.equal(backward.verdict, "FAIL", backward.evidence);
});
