/**
 * The one classification of planned runs that the scheduler, the dry run,
 * `status`, a Slurm array task and the Slurm executor share.
 */
import assert from "node:assert/strict";
import { join } from "node:path";
import {
  type ActiveSlurmTask,
  classifyPlans,
  classifyRun,
  isFailed,
  isFinished,
} from "../../lib/sweep/classify.ts";
import { writeAtomic, writeJson } from "../../lib/io/mod.ts";
import { RUN_STATES, type RunState } from "../../lib/sweep/store.ts";
import { tinyPlans } from "./_runs.ts";
import { withTempDir } from "../_temp.ts";

const status = (state: RunState) => ({ state, attempts: 1 });
const task: ActiveSlurmTask = { jobId: "12", index: 3, state: "RUNNING" };

/** The files of a finished run, enough for it to be intact. */
function writeFinishedFiles(dir: string, config: unknown): void {
  writeJson(join(dir, "config.json"), config);
  writeJson(join(dir, "final.json"), { step: 10, metrics: { d_gap: 0.1 } });
  writeAtomic(join(dir, "metrics.csv"), "step,d_gap\n10,0.1\n");
}

Deno.test("classify: every run state, with and without retryFailed and a Slurm task", () => {
  const expected: Record<RunState, [string, string, string, string]> = {
    // [plain, retryFailed, in Slurm, in Slurm with retryFailed]
    queued: ["run", "run", "in-slurm", "in-slurm"],
    running: ["run", "run", "in-slurm", "in-slurm"],
    done: ["finished", "finished", "finished", "finished"],
    diverged: ["finished", "finished", "finished", "finished"],
    failed: ["failed", "run", "failed", "in-slurm"],
    timeout: ["failed", "run", "failed", "in-slurm"],
  };
  assert.deepEqual(Object.keys(expected).sort(), [...RUN_STATES].sort());
  for (const state of RUN_STATES) {
    const got = [
      classifyRun(status(state)),
      classifyRun(status(state), { retryFailed: true }),
      classifyRun(status(state), {}, task),
      classifyRun(status(state), { retryFailed: true }, task),
    ];
    assert.deepEqual(got, expected[state], state);
  }
  // Never started: to run, unless a Slurm job holds it.
  assert.equal(classifyRun(null), "run");
  assert.equal(classifyRun(null, { retryFailed: true }), "run");
  assert.equal(classifyRun(null, {}, task), "in-slurm");
});

Deno.test("classify: finished and failed states", () => {
  assert.deepEqual(RUN_STATES.filter(isFinished), ["done", "diverged"]);
  assert.deepEqual(RUN_STATES.filter(isFailed), ["failed", "timeout"]);
  assert.equal(isFinished("missing"), false);
  assert.equal(isFailed("missing"), false);
});

Deno.test("classify: plans from their status files and Slurm tasks", async () => {
  await withTempDir("gan-classify-", (dir) => {
    const plans = tinyPlans({}, [0, 1, 2, 3, 4]);
    const states: (RunState | null)[] = [null, "done", "failed", "running", "timeout"];
    plans.forEach((p, i) => {
      const s = states[i];
      if (s) writeJson(join(dir, p.id, "status.json"), status(s));
      // A finished run holds what a finished run wrote (else it is damaged: verify_test.ts).
      if (s === "done") writeFinishedFiles(join(dir, p.id), p.config);
    });
    const inSlurm = new Map([[plans[3].id, task], [plans[4].id, task], [plans[1].id, task]]);
    const plain = classifyPlans(plans, dir);
    assert.deepEqual(plain.map((c) => c.kind), ["run", "finished", "failed", "run", "failed"]);
    assert.deepEqual(plain.map((c) => c.status?.state ?? null), states);
    assert.deepEqual(plain.map((c) => c.plan), plans);
    const retry = classifyPlans(plans, dir, { retryFailed: true }, inSlurm);
    assert.deepEqual(retry.map((c) => c.kind), ["run", "finished", "run", "in-slurm", "in-slurm"]);
    // The task only where the run is left to it.
    assert.deepEqual(retry.map((c) => c.slurm ?? null), [null, null, null, task, task]);
  });
});
