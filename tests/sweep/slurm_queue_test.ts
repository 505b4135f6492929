/** Reading Slurm's answers: sbatch's job id, squeue's and scontrol's tasks. */
import assert from "node:assert/strict";
import { parseSbatchJobId } from "../../lib/sweep/slurm_submit.ts";
import {
  expandIndices,
  parseScontrolJobs,
  parseSqueue,
  slurmActive,
} from "../../lib/sweep/slurm_queue.ts";

Deno.test("slurm: reading sbatch, squeue and scontrol answers", () => {
  assert.equal(parseSbatchJobId("1234\n"), "1234");
  assert.equal(parseSbatchJobId("1234;cluster\n"), "1234");
  assert.equal(parseSbatchJobId("Submitted batch job 77\n"), "77");
  assert.throws(() => parseSbatchJobId("huh"), /could not read a job id/);
  assert.deepEqual(expandIndices("1,3-5"), [1, 3, 4, 5]);
  assert.deepEqual(expandIndices("2-3%2"), [2, 3]);
  assert.deepEqual(expandIndices("0-10:5"), [0, 5, 10]);
  const tasks = parseSqueue(
    "5_0|RUNNING|None|gan-a\n5_[2-3%2]|PENDING|JobArrayTaskLimit|gan-a\n5_1|CANCELLED|None|gan-a\n" +
      "6|RUNNING|None|x\n",
  );
  assert.deepEqual(tasks.map((t) => `${t.jobId}_${t.index} ${t.state}`), [
    "5_0 RUNNING",
    "5_2 PENDING",
    "5_3 PENDING",
    "5_1 CANCELLED",
  ]);
  assert.equal(tasks[1].reason, "JobArrayTaskLimit");
  assert.equal(tasks[1].name, "gan-a");
  const shown = parseScontrolJobs(
    [
      "JobId=1 ArrayJobId=1 ArrayTaskId=2-3%2 JobName=t JobState=PENDING Reason=JobArrayTaskLimit ExitCode=0:0",
      "JobId=3 ArrayJobId=1 ArrayTaskId=1 JobName=t JobState=COMPLETED Reason=None ExitCode=0:0",
      "JobId=2 ArrayJobId=1 ArrayTaskId=0 JobName=t JobState=CANCELLED Reason=None ExitCode=0:15",
    ].join("\n"),
  );
  assert.deepEqual(shown.map((t) => `${t.index} ${t.state} ${t.exitCode}`), [
    "2 PENDING 0:0",
    "3 PENDING 0:0",
    "1 COMPLETED 0:0",
    "0 CANCELLED 0:15",
  ]);
  assert.ok(slurmActive("PENDING") && slurmActive("RUNNING") && slurmActive("COMPLETING"));
  assert.ok(!slurmActive("COMPLETED") && !slurmActive("CANCELLED") && !slurmActive("TIMEOUT"));
  assert.ok(!slurmActive("CANCELLED by 0"));
});
