/**
 * Resume is bit-identical: from any checkpoint in process, and after a
 * worker is SIGKILLed at several moments.
 */
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { train, type TrainState } from "../../lib/gan/train.ts";
import { encodeCheckpoint } from "../../lib/gan/checkpoint.ts";
import { Rng } from "../../lib/runtime/rng.ts";
import { useBackend } from "../_backend.ts";
import { prepare, readEvents, spawnWorker, tinyPlans } from "./_runs.ts";
import { withTempDir } from "../_temp.ts";

await useBackend("wasm");

Deno.test("resume: from every checkpoint, training ends bit-identical to an uninterrupted run", async () => {
  const [plan] = tinyPlans({}, [3], { k: 2, steps: 30, evalEvery: 7 });
  const checkpoints: TrainState[] = [];
  const whole = await train(plan.config, {
    checkpointEvery: 4,
    onCheckpoint: (s) => checkpoints.push(structuredClone(s)),
  });
  assert.deepEqual(checkpoints.map((c) => c.iteration), [4, 8, 12, 16, 20, 24, 28]);
  for (const ckpt of checkpoints) {
    const resumed = await train(plan.config, { resume: ckpt });
    assert.deepEqual(resumed.rows, whole.rows, `resumed from ${ckpt.iteration}`);
    assert.deepEqual(
      encodeCheckpoint(resumed.final),
      encodeCheckpoint(whole.final),
      `final weights and state after resuming from ${ckpt.iteration}`,
    );
    assert.deepEqual(resumed.samples, whole.samples);
  }
});

Deno.test("resume: a stop request checkpoints and returns interrupted; resuming completes", async () => {
  const [plan] = tinyPlans({}, [4]);
  const whole = await train(plan.config);
  let iterations = 0;
  let saved: TrainState | null = null;
  const first = await train(plan.config, {
    onUpdate: (kind) => kind === "G" && iterations++,
    shouldStop: () => iterations >= 13,
    onCheckpoint: (s) => (saved = structuredClone(s)),
  });
  assert.equal(first.state, "interrupted");
  assert.equal(saved!.iteration, 13);
  const rest = await train(plan.config, { resume: saved! });
  assert.equal(rest.state, "done");
  assert.deepEqual(rest.rows, whole.rows);
  assert.deepEqual(encodeCheckpoint(rest.final), encodeCheckpoint(whole.final));
});

Deno.test("resume: a worker SIGKILLed at several moments resumes to identical files", async () => {
  await withTempDir("gan-kill-", async (root) => {
    const [plan] = tinyPlans({}, [5], { steps: 240, evalEvery: 40 });
    // The reference: one uninterrupted worker.
    const refDir = prepare(join(root, "ref"), plan);
    const ref = spawnWorker(refDir, 20);
    await readEvents(ref, () => false);
    assert.equal((await ref.status).code, 0);

    const dir = prepare(join(root, "killed"), plan);
    const rng = new Rng(2024, "kill-points");
    for (const afterCheckpoints of [1, 4, 2]) {
      const child = spawnWorker(dir, 20);
      let seen = 0;
      await readEvents(child, (e) => e.event === "checkpoint" && ++seen >= afterCheckpoints);
      // Land somewhere between checkpoints, not just on one.
      await new Promise((r) => setTimeout(r, Math.floor(rng.uniform() * 15)));
      child.kill("SIGKILL");
      const st = await child.status;
      assert.equal(st.signal, "SIGKILL", "the worker must still be running when killed");
      await child.stdin.close().catch(() => {});
    }
    const last = spawnWorker(dir, 20);
    await readEvents(last, () => false);
    assert.equal((await last.status).code, 0);
    const status = JSON.parse(readFileSync(join(dir, "status.json"), "utf8"));
    assert.equal(status.state, "done");
    assert.equal(status.attempts, 4);
    for (const f of ["final.json", "metrics.csv", "samples.csv", "checkpoint.bin"]) {
      assert.deepEqual(readFileSync(join(dir, f)), readFileSync(join(refDir, f)), f);
    }
  });
});
