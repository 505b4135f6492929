/** The sbatch array script of a Slurm sweep. */
import assert from "node:assert/strict";
import { arraySpec, renderScript, shellQuote } from "../../lib/sweep/slurm_script.ts";

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
