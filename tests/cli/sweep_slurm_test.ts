/**
 * `sweep --executor slurm` without a Slurm: when sbatch is missing or
 * refuses (a fake sbatch on PATH), exit 2 with Slurm's own message; bad
 * flags; the dry run.
 */
import assert from "node:assert/strict";
import { existsSync, readdirSync } from "node:fs";
import { join } from "node:path";
import { ROOT, writeExperiment } from "./_cli.ts";
import { withTempDir } from "../_temp.ts";
import { tinyStudy } from "../_tiny.ts";

const SPEC = JSON.stringify(
  tinyStudy({ name: "tiny-sbatch", steps: 4, evalEvery: 2, seeds: [0, 1] }),
);

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
  await withTempDir("gan-sbatch-", async (dir) => {
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
  });
});

Deno.test("slurm: bad flags are usage errors naming the flag", async () => {
  await withTempDir("gan-sbatch-", async (dir) => {
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
  });
});

Deno.test("slurm: --dry-run shows the runs and the script, and writes nothing", async () => {
  await withTempDir("gan-sbatch-", async (dir) => {
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
  });
});
