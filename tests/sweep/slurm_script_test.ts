/**
 * The Slurm executor without a Slurm: resource validation, the sbatch
 * script, parsing sbatch/squeue/scontrol answers, and the CLI's errors when
 * sbatch is missing or refuses (a fake sbatch on PATH), all exit 2 with
 * Slurm's own message.
 */
import assert from "node:assert/strict";
import { existsSync, readdirSync } from "node:fs";
import { join } from "node:path";
import { validateSlurmResources } from "../../lib/spec/slurm.ts";
import { mergeResources, resourcesFromFlags } from "../../lib/sweep/slurm_resources.ts";
import { arraySpec, renderScript, shellQuote } from "../../lib/sweep/slurm_script.ts";
import { parseSbatchJobId } from "../../lib/sweep/slurm_submit.ts";
import {
  expandIndices,
  parseScontrolJobs,
  parseSqueue,
  slurmActive,
} from "../../lib/sweep/slurm_queue.ts";
import { ROOT, writeExperiment } from "../cli/_cli.ts";

Deno.test("slurm: the experiment file's slurm field is validated field by field", () => {
  assert.deepEqual(validateSlurmResources(undefined), []);
  assert.deepEqual(
    validateSlurmResources({
      partition: "gpu",
      time: "1-12:00:00",
      mem: "4G",
      cpusPerTask: 2,
      gpus: 1,
      extra: ["--account=lab"],
    }),
    [],
  );
  for (const time of ["30", "45:00", "2:00:00", "1-12", "1-12:30", "UNLIMITED"]) {
    assert.deepEqual(validateSlurmResources({ time }), [], time);
  }
  const issues = validateSlurmResources({
    partitoin: "gpu",
    time: "2h",
    mem: "4 GB",
    cpusPerTask: 0,
    gpus: -1,
    extra: ["account=lab"],
  });
  const byPath = Object.fromEntries(issues.map((i) => [i.path, i.message]));
  assert.match(byPath["slurm.partitoin"], /unknown field; did you mean "partition"\?/);
  assert.match(byPath["slurm.time"], /got "2h", expected a Slurm time limit such as "30"/);
  assert.match(byPath["slurm.mem"], /got "4 GB", expected memory per task such as "4G"/);
  assert.match(byPath["slurm.cpusPerTask"], /got 0, expected an integer >= 1/);
  assert.match(byPath["slurm.gpus"], /got -1, expected an integer >= 0/);
  assert.match(byPath["slurm.extra[0]"], /got "account=lab", expected one sbatch option/);
  assert.match(validateSlurmResources("gpu")[0].message, /expected an object/);
});

Deno.test("slurm: flags name themselves in errors; flags override the file", () => {
  const ok = resourcesFromFlags({ time: "10", cpusPerTask: "2", gpus: "1", extra: ["--qos=x"] });
  assert.deepEqual(ok.issues, []);
  assert.deepEqual(ok.resources, { time: "10", cpusPerTask: 2, gpus: 1, extra: ["--qos=x"] });
  const bad = resourcesFromFlags({ time: "soon", cpusPerTask: "two", extra: ["oops"] });
  assert.deepEqual(bad.issues.map((i) => i.path), ["--time", "--cpus-per-task", "--sbatch-arg"]);
  assert.match(bad.issues[1].message, /got "two", expected an integer >= 1/);
  assert.deepEqual(
    mergeResources({ partition: "a", time: "5", extra: ["--qos=x"] }, {
      time: "10",
      extra: ["--account=y"],
    }),
    { partition: "a", time: "10", extra: ["--qos=x", "--account=y"] },
  );
});

Deno.test("slurm: the array script", () => {
  assert.equal(arraySpec(4, 2), "0-3%2");
  assert.equal(arraySpec(4), "0-3");
  assert.equal(arraySpec(3, 5), "0-2");
  assert.equal(arraySpec(1, 1), "0");
  const script = renderScript({
    name: "k-steps",
    experiment: "/data/my exps/k-steps.ts",
    outRoot: "/data/out",
    runsDir: "/data/out/runs/k-steps",
    tasks: 20,
    throttle: 4,
    resources: { partition: "cpu", time: "2:00:00", mem: "4G", cpusPerTask: 1, gpus: 1 },
    backend: "wasm",
    checkpointEvery: 100,
    deno: "/opt/deno",
    projectRoot: "/src/gan",
  });
  const lines = script.split("\n");
  assert.equal(lines[0], "#!/bin/bash");
  for (
    const opt of [
      "--job-name=gan-k-steps",
      "--array=0-19%4",
      "--output=/data/out/runs/k-steps/slurm/%A_%a.log",
      "--chdir=/src/gan",
      "--partition=cpu",
      "--time=2:00:00",
      "--mem=4G",
      "--cpus-per-task=1",
      "--gres=gpu:1",
    ]
  ) {
    assert.ok(lines.includes(`#SBATCH ${opt}`), opt);
  }
  assert.match(
    script,
    /^exec \/opt\/deno run --allow-read .*--allow-run --quiet --config \/src\/gan\/deno\.json \/src\/gan\/lib\/cli\/run\.ts '\/data\/my exps\/k-steps\.ts' \\$/m,
  );
  assert.match(
    script,
    /^ {2}--index "\$SLURM_ARRAY_TASK_ID" --job "\$SLURM_ARRAY_JOB_ID" --out \/data\/out --backend wasm --checkpoint-every 100$/m,
  );
  assert.match(script, /^export OMP_NUM_THREADS=1$/m);
  assert.equal(shellQuote("it's"), `'it'\\''s'`);
});

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

const SPEC = `{
  name: "tiny-sbatch",
  base: {
    data: { name: "ring-8", trainSize: 32, validSize: 64 },
    arch: { name: "mlp", noiseDim: 2, hidden: [8] },
    batchSize: 16,
    steps: 4,
    evalEvery: 2,
    evalSamples: 100,
  },
  seeds: [0, 1],
}`;

/** Runs the sweep command with PATH set to `path` only. */
async function sweepWithPath(path: string, args: string[]) {
  const out = await new Deno.Command(Deno.execPath(), {
    args: ["run", "-A", "--quiet", join(ROOT, "lib", "cli", "sweep.ts"), ...args],
    env: { NO_COLOR: "1", PATH: path },
    stdout: "piped",
    stderr: "piped",
  }).output();
  const dec = new TextDecoder();
  return { code: out.code, stdout: dec.decode(out.stdout), stderr: dec.decode(out.stderr) };
}

Deno.test("slurm: sbatch missing or refusing is exit 2 with Slurm's own message", async () => {
  const dir = await Deno.makeTempDir({ prefix: "gan-sbatch-" });
  try {
    const file = await writeExperiment(dir, "tiny-sbatch", SPEC);
    const out = join(dir, "out");
    const bin = join(dir, "bin");
    await Deno.mkdir(bin);

    const missing = await sweepWithPath(bin, [file, "--executor", "slurm", "--out", out]);
    assert.equal(missing.code, 2, missing.stderr + missing.stdout);
    assert.match(missing.stderr, /^error: sbatch not found on PATH: --executor slurm needs it/m);

    await Deno.writeTextFile(
      join(bin, "sbatch"),
      "#!/bin/sh\necho 'sbatch: error: invalid partition specified: nope' >&2\n" +
        "echo 'sbatch: error: Batch job submission failed: Invalid partition name specified' >&2\n" +
        "exit 1\n",
    );
    await Deno.chmod(join(bin, "sbatch"), 0o755);
    const refused = await sweepWithPath(bin, [
      file,
      "--executor",
      "slurm",
      "--partition",
      "nope",
      "--out",
      out,
    ]);
    assert.equal(refused.code, 2, refused.stderr + refused.stdout);
    assert.match(refused.stderr, /^error: sbatch refused the job array \(exit 1\):$/m);
    assert.match(refused.stderr, /sbatch: error: invalid partition specified: nope/);
    // Nothing recorded: no job record, no script left behind.
    const slurmDir = join(out, "runs", "tiny-sbatch", "slurm");
    assert.deepEqual(existsSync(slurmDir) ? readdirSync(slurmDir) : [], []);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("slurm: bad flags are usage errors naming the flag", async () => {
  const dir = await Deno.makeTempDir({ prefix: "gan-sbatch-" });
  try {
    const file = await writeExperiment(dir, "tiny-sbatch", SPEC);
    const out = join(dir, "out");
    const cases: [string[], RegExp][] = [
      [["--executor", "pbs"], /--executor: got "pbs", expected local or slurm/],
      [["--executor", "slurm", "--time", "2h"], /--time: got "2h", expected a Slurm time limit/],
      [["--executor", "slurm", "--gpus", "x"], /--gpus: got "x", expected an integer >= 0/],
      [["--executor", "slurm", "--timeout", "5m"], /--timeout applies to --executor local/],
      [["--executor", "slurm", "--retries", "2"], /--retries applies to --executor local/],
      [["--wait"], /--wait applies to --executor slurm/],
      [["--partition", "gpu"], /--partition applies to --executor slurm/],
    ];
    for (const [flags, message] of cases) {
      const r = await sweepWithPath(Deno.env.get("PATH") ?? "", [file, "--out", out, ...flags]);
      assert.equal(r.code, 2, `${flags.join(" ")}: ${r.stderr}`);
      assert.match(r.stderr, message, flags.join(" "));
    }
    assert.ok(!existsSync(out), "nothing written");
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("slurm: --dry-run shows the runs and the script, and writes nothing", async () => {
  const dir = await Deno.makeTempDir({ prefix: "gan-sbatch-" });
  try {
    const file = await writeExperiment(dir, "tiny-sbatch", SPEC);
    const out = join(dir, "out");
    const r = await sweepWithPath(join(dir, "nothing"), [
      file,
      "--executor",
      "slurm",
      "--dry-run",
      "--concurrency",
      "1",
      "--time",
      "10",
      "--out",
      out,
    ]);
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, /would submit an array of 2 task\(s\)/);
    assert.match(r.stdout, /^#SBATCH --array=0-1%1$/m);
    assert.match(r.stdout, /^#SBATCH --time=10$/m);
    assert.ok(!existsSync(out), "nothing written");
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});
