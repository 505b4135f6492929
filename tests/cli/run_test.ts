/** `deno task run`: one config of a study with --set overrides, into the run store. */
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { expandRuns, loadExperiment } from "../../lib/spec/mod.ts";
import { cli, listFiles, spawnCli, waitForLine, writeExperiment } from "./_cli.ts";
import { withTempDir } from "../_temp.ts";
import { tinyStudy } from "../_tiny.ts";

const SPEC = JSON.stringify(
  tinyStudy({ name: "one", steps: 100, evalEvery: 50, sweep: { k: [1, 2] }, seeds: [0, 1] }),
);

Deno.test("run: trains the base with --set overrides for one seed and prints final metrics", async () => {
  await withTempDir("gan-run-", async (dir) => {
    const file = await writeExperiment(dir, "one", SPEC);
    const out = join(dir, "out");
    const r = await cli("run", [
      file,
      "--set",
      "k=3",
      "--set",
      "loss=minimax",
      "--seed",
      "4",
      "--steps",
      "6",
      "--out",
      out,
    ]);
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, /done in/);
    assert.match(r.stdout, /d_gap = /);
    const configs = (await listFiles(join(out, "runs", "one"))).filter((f) =>
      f.endsWith("config.json")
    );
    assert.equal(configs.length, 1);
    const config = JSON.parse(readFileSync(join(out, "runs", "one", configs[0]), "utf8"));
    assert.equal(config.k, 3);
    assert.equal(config.loss, "minimax");
    assert.equal(config.seed, 4);
    assert.equal(config.steps, 6);
  });
});

Deno.test("run: a bad --set names the flag and the field, exit 2, nothing written", async () => {
  await withTempDir("gan-run-", async (dir) => {
    const file = await writeExperiment(dir, "one", SPEC);
    const out = join(dir, "out");
    const r = await cli("run", [file, "--set", "optimizer.lrr=0.1", "--out", out]);
    assert.equal(r.code, 2, r.stdout + r.stderr);
    assert.match(
      r.stderr,
      /: --set optimizer\.lrr: no field "lrr" in "optimizer"; did you mean "optimizer\.lr"\?/,
    );
    assert.deepEqual(await listFiles(out), []);
  });
});

Deno.test("run: SIGTERM checkpoints and stops (exit 130); rerunning resumes to the same result", async () => {
  await withTempDir("gan-run-", async (dir) => {
    const file = await writeExperiment(dir, "one", SPEC);
    const args = (
      out: string,
    ) => [file, "--steps", "600", "--checkpoint-every", "50", "--out", out];
    const cut = join(dir, "cut");
    const child = spawnCli("run", args(cut));
    await waitForLine(child, /^ {2}step 100:/);
    child.kill("SIGTERM");
    const status = await child.status;
    const stderr = await new Response(child.stderr).text();
    assert.equal(status.code, 130, stderr);
    const [statusFile] = (await listFiles(join(cut, "runs", "one"))).filter((f) =>
      f.endsWith("/status.json")
    );
    const stopped = JSON.parse(readFileSync(join(cut, "runs", "one", statusFile), "utf8"));
    assert.equal(stopped.state, "queued");
    assert.ok(stopped.step >= 100 && stopped.step < 600, JSON.stringify(stopped));
    assert.match(stopped.note, /interrupted at step/);

    const resumed = await cli("run", args(cut));
    assert.equal(resumed.code, 0, resumed.stderr);
    const after = JSON.parse(readFileSync(join(cut, "runs", "one", statusFile), "utf8"));
    assert.equal(after.state, "done");
    assert.equal(after.resumedFrom, stopped.step);
    const whole = join(dir, "whole");
    const uninterrupted = await cli("run", args(whole));
    assert.equal(uninterrupted.code, 0, uninterrupted.stderr);
    const runDir = statusFile.split("/")[0];
    for (const f of ["final.json", "metrics.csv", "samples.csv", "checkpoint.bin"]) {
      assert.deepEqual(
        readFileSync(join(cut, "runs", "one", runDir, f)),
        readFileSync(join(whole, "runs", "one", runDir, f)),
        f,
      );
    }
  });
});

Deno.test("run --index: trains task I of a recorded Slurm job; bad indices and jobs exit 2", async () => {
  await withTempDir("gan-run-", async (dir) => {
    const file = await writeExperiment(dir, "one", SPEC);
    const out = join(dir, "out");
    const exp = await loadExperiment(file);
    const plans = expandRuns(exp, { steps: 4 });
    const runsDir = join(out, "runs", "one");
    // What `sweep --executor slurm` records: array index i trains runs[i].
    await Deno.mkdir(join(runsDir, "slurm"), { recursive: true });
    await Deno.writeTextFile(
      join(runsDir, "slurm", "42.json"),
      JSON.stringify({
        jobId: "42",
        jobName: "gan-one",
        submittedAt: new Date().toISOString(),
        host: "here",
        experiment: file,
        expand: { steps: 4 },
        runs: [plans[2].id],
        backend: "auto",
        checkpointEvery: 100,
        resources: {},
        script: join(runsDir, "slurm", "42.sbatch"),
        log: join(runsDir, "slurm", "42_%a.log"),
      }),
    );
    const r = await cli("run", [file, "--index", "0", "--job", "42", "--out", out]);
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, new RegExp(`slurm job 42 task 0 on .*: run ${plans[2].id} of one`));
    assert.match(r.stdout, /done in/);
    const status = JSON.parse(readFileSync(join(runsDir, plans[2].id, "status.json"), "utf8"));
    assert.equal(status.state, "done");
    assert.match(
      readFileSync(join(runsDir, plans[2].id, "worker.log"), "utf8"),
      /--- slurm job 42 task 0 on .*; output in .*42_0\.log/,
    );
    const again = await cli("run", [file, "--index", "0", "--job", "42", "--out", out]);
    assert.equal(again.code, 0, again.stderr);
    assert.match(again.stdout, /is already done; nothing to do/);

    const cases: [string[], RegExp][] = [
      [["--index", "1", "--job", "42"], /--index 1: job 42 has 1 tasks, indices 0 to 0/],
      [["--index", "0", "--job", "43"], /--job 43: no job record .*43\.json/],
      [["--index", "0", "--job", "42", "--set", "k=2"], /--set cannot be combined with --index/],
      [["--index=-1", "--job", "42"], /--index: got "-1", expected an integer >= 0/],
      [["--job", "42"], /--job needs --index/],
    ];
    for (const [flags, message] of cases) {
      const bad = await cli("run", [file, "--out", out, ...flags]);
      assert.equal(bad.code, 2, `${flags.join(" ")}: ${bad.stderr}`);
      assert.match(bad.stderr, message, flags.join(" "));
    }
  });
});
