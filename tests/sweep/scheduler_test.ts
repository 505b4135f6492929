/**
 * The scheduler with real worker processes: a run that throws, one that
 * hangs past its timeout, one that yields NaN and one that crashes are each
 * classified correctly while the others finish; failed runs are retried with
 * backoff; results do not depend on the concurrency.
 */
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { Scheduler } from "../../lib/sweep/scheduler.ts";
import type { RunStatus } from "../../lib/sweep/store.ts";
import { tinyPlans } from "./_runs.ts";
import { withTempDir } from "../_temp.ts";

/** Runs `body` in a temporary runs directory and clears GAN_HARNESS_FAULT afterwards. */
function withFaults(body: (dir: string) => Promise<void>): Promise<void> {
  return withTempDir("gan-sched-", async (dir) => {
    try {
      await body(dir);
    } finally {
      Deno.env.delete("GAN_HARNESS_FAULT");
    }
  });
}

function status(dir: string, id: string): RunStatus {
  return JSON.parse(readFileSync(join(dir, id, "status.json"), "utf8"));
}

Deno.test("scheduler: throw, hang, NaN and crash are classified while the others finish", async () => {
  await withFaults(async (dir) => {
    const plans = [
      ...tinyPlans({}, [0, 1, 2, 3]),
      ...tinyPlans({}, [0], { optimizer: { name: "sgd", lr: 1e30 } }),
    ];
    const [thrower, hanger, crasher, fine, nan] = plans.map((p) => p.id);
    Deno.env.set(
      "GAN_HARNESS_FAULT",
      `throw:${thrower}:5,hang:${hanger}:3,exit:${crasher}:7`,
    );
    const ends: string[] = [];
    const scheduler = new Scheduler(dir, {
      backend: "wasm",
      concurrency: 2,
      timeoutSec: 8,
      retries: 0,
      checkpointEvery: 10,
      events: { onEnd: (p, s) => ends.push(`${p.id}:${s.state}`) },
    });
    const result = await scheduler.run(plans);
    Deno.env.delete("GAN_HARNESS_FAULT");
    assert.equal(result.states[thrower], "failed");
    assert.match(status(dir, thrower).error ?? "", /injected fault at iteration 5/);
    assert.equal(result.states[hanger], "timeout");
    assert.match(status(dir, hanger).error ?? "", /exceeded --timeout 8 s/);
    assert.equal(result.states[crasher], "failed");
    assert.match(status(dir, crasher).error ?? "", /worker exited with code 3/);
    assert.equal(result.states[fine], "done");
    assert.equal(result.states[nan], "diverged");
    assert.equal(ends.length, 5);
    assert.deepEqual(result.failed.map((f) => f.id).sort(), [thrower, hanger, crasher].sort());
    assert.equal(result.interrupted, false);
  });
});

Deno.test("scheduler: failed runs are retried with backoff, diverged ones are not", async () => {
  await withFaults(async (dir) => {
    const [crasher] = tinyPlans({}, [0]);
    const [nan] = tinyPlans({}, [0], { optimizer: { name: "sgd", lr: 1e30 } });
    Deno.env.set("GAN_HARNESS_FAULT", `exit:${crasher.id}:7`);
    const retries: number[] = [];
    const result = await new Scheduler(dir, {
      backend: "wasm",
      concurrency: 2,
      retries: 2,
      backoffMs: (n) => 50 * n,
      checkpointEvery: 5,
      events: { onRetry: (_p, _s, delay) => retries.push(delay) },
    }).run([crasher, nan]);
    Deno.env.delete("GAN_HARNESS_FAULT");
    assert.deepEqual(retries, [50, 100]);
    assert.equal(result.states[crasher.id], "failed");
    assert.equal(status(dir, crasher.id).attempts, 3);
    // Each retry resumed from the checkpoint at iteration 5.
    assert.equal(status(dir, crasher.id).resumedFrom, 5);
    assert.equal(result.states[nan.id], "diverged");
    assert.equal(status(dir, nan.id).attempts, 1);
  });
});

Deno.test("scheduler: finished runs are skipped; failed ones only with retryFailed", async () => {
  await withFaults(async (dir) => {
    const plans = tinyPlans({}, [0, 1], { steps: 10 });
    Deno.env.set("GAN_HARNESS_FAULT", `throw:${plans[1].id}:2`);
    await new Scheduler(dir, { backend: "wasm", concurrency: 2 }).run(plans);
    Deno.env.delete("GAN_HARNESS_FAULT");
    const again = await new Scheduler(dir, { backend: "wasm", concurrency: 2 }).run(plans);
    assert.equal(again.skipped, 2);
    assert.equal(again.ran, 0);
    assert.equal(again.states[plans[1].id], "failed");
    const retried = await new Scheduler(dir, { backend: "wasm", concurrency: 2, retryFailed: true })
      .run(plans);
    assert.equal(retried.ran, 1);
    assert.equal(retried.states[plans[1].id], "done");
    assert.equal(status(dir, plans[0].id).attempts, 1);
  });
});

Deno.test("scheduler: results do not depend on the concurrency", async () => {
  await withTempDir("gan-sched-", async (root) => {
    const plans = tinyPlans({ k: [1, 2] }, [0, 1], { steps: 15 });
    for (const n of [1, 3]) {
      await new Scheduler(join(root, String(n)), { backend: "wasm", concurrency: n }).run(plans);
    }
    for (const p of plans) {
      for (const f of ["final.json", "metrics.csv", "checkpoint.bin"]) {
        assert.deepEqual(
          readFileSync(join(root, "1", p.id, f)),
          readFileSync(join(root, "3", p.id, f)),
          `${p.id}/${f}`,
        );
      }
    }
  });
});
