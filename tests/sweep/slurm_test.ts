/**
 * The Slurm executor on a real Slurm: `scripts/slurm/start-local.sh` starts
 * a single-node Slurm on this machine (idempotent; it needs root and
 * Debian's slurm-wlm and munge), then a tiny sweep goes through sbatch: one
 * task is cancelled mid-run with scancel, the sweep is resubmitted with
 * --wait, and every run must end with the same metrics, byte for byte, as a
 * local sweep of the same study. Skipped, with the reason, only where Slurm
 * cannot be started here.
 */
import assert from "node:assert/strict";
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { cli, ROOT, writeExperiment } from "../cli/_cli.ts";
import { tinyStudy } from "../_tiny.ts";

const START = join(ROOT, "scripts", "slurm", "start-local.sh");

async function startSlurm(): Promise<{ ok: boolean; why: string; seconds: number }> {
  const t0 = performance.now();
  try {
    const out = await new Deno.Command("bash", { args: [START], stdout: "piped", stderr: "piped" })
      .output();
    const text = new TextDecoder().decode(out.stderr).trim();
    return {
      ok: out.success,
      why: text.split("\n").pop() ?? "",
      seconds: (performance.now() - t0) / 1000,
    };
  } catch (e) {
    return { ok: false, why: String(e), seconds: 0 };
  }
}

const slurm = await startSlurm();
if (!slurm.ok) {
  console.warn(`Slurm tests skipped: Slurm cannot be started on this machine: ${slurm.why}`);
}

async function sh(cmd: string, args: string[]): Promise<string> {
  const out = await new Deno.Command(cmd, { args, stdout: "piped", stderr: "piped" }).output();
  return new TextDecoder().decode(out.stdout);
}

/** Slurm's state of task `jobId_index` (squeue, ended tasks included), or "" if unknown. */
async function taskState(jobId: string, index: number): Promise<string> {
  const text = await sh("squeue", ["-h", "-r", "-t", "all", "-j", jobId, "-o", "%i|%T"]);
  const line = text.split("\n").find((l) => l.startsWith(`${jobId}_${index}|`));
  return line?.split("|")[1] ?? "";
}

async function until<T>(
  what: string,
  seconds: number,
  probe: () => Promise<T | undefined> | T | undefined,
): Promise<T> {
  const end = Date.now() + seconds * 1000;
  while (Date.now() < end) {
    const v = await probe();
    if (v !== undefined) return v;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`timed out after ${seconds} s waiting for ${what}`);
}

function readJsonFile<T>(path: string): T | undefined {
  try {
    return JSON.parse(readFileSync(path, "utf8")) as T;
  } catch {
    return undefined;
  }
}

const TINY_SLURM = {
  name: "tiny-slurm",
  steps: 800,
  evalEvery: 50,
  sweep: { "optimizer.lr": [1e-3, 2e-3] },
  seeds: [0, 1],
};
const SPEC = JSON.stringify(tinyStudy(TINY_SLURM));

Deno.test({
  name: "slurm: an array sweep, a task cancelled mid-run and resubmitted, ends like a local sweep",
  ignore: !slurm.ok,
  async fn() {
    console.log(`  Slurm start-up (start-local.sh): ${slurm.seconds.toFixed(2)} s`);
    const dir = await Deno.makeTempDir({ prefix: "gan-slurm-" });
    const jobs: string[] = [];
    let t = performance.now();
    const lap = (what: string) => {
      const now = performance.now();
      console.log(`  ${what}: ${((now - t) / 1000).toFixed(1)} s`);
      t = now;
    };
    try {
      const file = await writeExperiment(dir, "tiny-slurm", SPEC);
      const common = ["--checkpoint-every", "50", "--no-report"];
      const localOut = join(dir, "local");
      const slurmOut = join(dir, "slurm");

      // Submit: one task per run, at most two at once; the job id comes back.
      const sub = await cli("sweep", [
        file,
        "--executor",
        "slurm",
        "--concurrency",
        "2",
        "--out",
        slurmOut,
        ...common,
      ]);
      assert.equal(sub.code, 0, sub.stderr + sub.stdout);
      const jobId = /^job (\d+)$/m.exec(sub.stdout)?.[1];
      assert.ok(jobId, sub.stdout);
      jobs.push(jobId);
      assert.match(
        sub.stdout,
        new RegExp(`submitted Slurm job ${jobId}: 4 task\\(s\\), at most 2`),
      );
      const runsDir = join(slurmOut, "runs", "tiny-slurm");
      lap("submission");
      const record = readJsonFile<{ runs: string[]; throttle: number }>(
        join(runsDir, "slurm", `${jobId}.json`),
      )!;
      assert.equal(record.runs.length, 4);
      assert.equal(record.throttle, 2);
      const script = readFileSync(join(runsDir, "slurm", `${jobId}.sbatch`), "utf8");
      assert.match(script, /^#SBATCH --array=0-3%2$/m);
      assert.match(script, /--index "\$SLURM_ARRAY_TASK_ID"/);

      // Cancel task 0 once its run is past a checkpoint: Slurm's SIGTERM makes it checkpoint.
      const victim = record.runs[0];
      const victimStatus = join(runsDir, victim, "status.json");
      await until("task 0 to pass step 100", 120, () => {
        const s = readJsonFile<{ state: string; step?: number }>(victimStatus);
        return s?.state === "running" && (s.step ?? 0) >= 100 ? true : undefined;
      });
      lap("until task 0 passed step 100");
      await sh("scancel", [`${jobId}_0`]);
      const ended = await until("task 0 to end", 60, async () => {
        const st = await taskState(jobId, 0);
        return st && st !== "RUNNING" && st !== "COMPLETING" ? st : undefined;
      });
      assert.equal(ended, "CANCELLED");
      lap("scancel until the task ended");
      const stopped = readJsonFile<{ state: string; step: number; note?: string }>(victimStatus)!;
      assert.equal(stopped.state, "queued", JSON.stringify(stopped));
      assert.ok(stopped.step > 0 && stopped.step < 800, JSON.stringify(stopped));
      assert.match(stopped.note ?? "", /interrupted at step/);
      assert.ok(existsSync(join(runsDir, victim, "checkpoint.bin")));

      // status shows Slurm's states beside the runs'.
      const st = await cli("status", [file, "--out", slurmOut]);
      assert.match(st.stdout, /\bslurm\b/);
      assert.match(st.stdout, new RegExp(`${victim}.*queued\\s+${jobId}_0 CANCELLED`));

      // Resubmit and wait: only unfinished runs are submitted; the rest of job 1 is followed.
      const again = await cli("sweep", [
        file,
        "--executor",
        "slurm",
        "--concurrency",
        "2",
        "--wait",
        "--poll",
        "1",
        "--out",
        slurmOut,
        ...common,
      ]);
      lap("resubmission --wait");
      const second = /submitted Slurm job (\d+): (\d+) task/.exec(again.stdout);
      if (second) jobs.push(second[1]);
      assert.equal(again.code, 0, again.stderr + again.stdout);
      assert.ok(second, again.stdout);
      assert.match(again.stdout, /^Slurm job\(s\) [\d ]+ ended after [\d.]+ s: \d+ done$/m);
      const record2 = readJsonFile<{ runs: string[] }>(
        join(runsDir, "slurm", `${second[1]}.json`),
      )!;
      assert.equal(record2.runs.length, Number(second[2]));
      assert.ok(record2.runs.length < 4, JSON.stringify(record2.runs));
      assert.equal(record2.runs[0], victim, "index 0 of the new job is the cancelled run");
      const resumed = readJsonFile<{ state: string; attempts: number; resumedFrom?: number }>(
        victimStatus,
      )!;
      assert.equal(resumed.state, "done");
      assert.equal(resumed.attempts, 2);
      assert.equal(resumed.resumedFrom, stopped.step);

      // Rerunning submits nothing: every run is done.
      const third = await cli("sweep", [file, "--executor", "slurm", "--out", slurmOut, ...common]);
      assert.equal(third.code, 0, third.stderr);
      assert.match(third.stdout, /nothing to submit/);

      // The same study locally: the same metrics, byte for byte.
      const local = await cli("sweep", [file, "--out", localOut, ...common]);
      assert.equal(local.code, 0, local.stderr);
      lap("the local sweep");
      for (const id of record.runs) {
        for (const f of ["final.json", "metrics.csv", "samples.csv"]) {
          assert.equal(
            readFileSync(join(runsDir, id, f), "utf8"),
            readFileSync(join(localOut, "runs", "tiny-slurm", id, f), "utf8"),
            `${id}/${f}`,
          );
        }
      }
    } finally {
      for (const j of jobs) await sh("scancel", [j]).catch(() => "");
      await Deno.remove(dir, { recursive: true });
    }
  },
});

Deno.test({
  name: "slurm: runs in a pending job are left to it: sweeps and run refuse or skip them",
  ignore: !slurm.ok,
  async fn() {
    const dir = await Deno.makeTempDir({ prefix: "gan-slurm-" });
    let jobId: string | undefined;
    try {
      const file = await writeExperiment(
        dir,
        "tiny-slurm",
        JSON.stringify(tinyStudy({ ...TINY_SLURM, steps: 20 })),
      );
      const out = ["--out", dir, "--backend", "wasm", "--no-report"];
      // Seed 0 done here; seed 1 submitted to a job that cannot start for an hour.
      const local0 = await cli("sweep", [file, "--only", "seed=0", "--quiet", ...out]);
      assert.equal(local0.code, 0, local0.stderr);
      const sub = await cli("sweep", [
        file,
        "--executor",
        "slurm",
        "--sbatch-arg=--begin=now+1hour",
        ...out,
      ]);
      assert.equal(sub.code, 0, sub.stderr + sub.stdout);
      jobId = /^job (\d+)$/m.exec(sub.stdout)?.[1];
      assert.ok(jobId, sub.stdout);
      assert.match(sub.stdout, /^skip \S+-s0: already done$/m);
      assert.match(sub.stdout, new RegExp(`submitted Slurm job ${jobId}: 2 task\\(s\\) ->`));
      const record = readJsonFile<{ runs: string[] }>(
        join(dir, "runs", "tiny-slurm", "slurm", `${jobId}.json`),
      )!;
      assert.deepEqual(record.runs.map((id) => id.slice(-3)), ["-s1", "-s1"]);

      // status: the tasks wait (Slurm gives the reason, BeginTime, on its next scheduling pass).
      const st = await cli("status", [file, "--out", dir]);
      assert.equal(st.code, 0, st.stderr);
      assert.match(st.stdout, new RegExp(`${record.runs[0]} .*queued\\s+${jobId}_0 PENDING`));

      // A local sweep and a single run of a pending run are refused (exit 2)...
      const local = await cli("sweep", [file, ...out]);
      assert.equal(local.code, 2, local.stdout);
      assert.match(
        local.stderr,
        new RegExp(
          `^error: 2 run\\(s\\) of .* are in Slurm job\\(s\\) ${jobId} that may still run them ` +
            `\\(${record.runs[0]}: ${jobId}_0 PENDING, .*\\); wait for the job to end ` +
            `\\(deno task status .*\\) or cancel it \\(scancel ${jobId}\\), then rerun$`,
          "m",
        ),
      );
      const config = readJsonFile<{ optimizer: { lr: number } }>(
        join(dir, "runs", "tiny-slurm", record.runs[1], "config.json"),
      )!;
      const single = await cli("run", [
        file,
        "--set",
        `optimizer.lr=${config.optimizer.lr}`,
        "--seed",
        "1",
        "--out",
        dir,
      ]);
      assert.equal(single.code, 2, single.stdout);
      assert.match(
        single.stderr,
        new RegExp(
          `^error: run ${record.runs[1]} is task 1 of Slurm job ${jobId} \\(PENDING\\)`,
          "m",
        ),
      );
      // ... and a Slurm sweep skips them: nothing new to submit.
      const again = await cli("sweep", [file, "--executor", "slurm", ...out]);
      assert.equal(again.code, 0, again.stderr);
      for (const [index, id] of record.runs.entries()) {
        assert.match(
          again.stdout,
          new RegExp(`^skip ${id}: in Slurm job ${jobId} as task ${index} \\(PENDING\\)$`, "m"),
        );
      }
      assert.match(again.stdout, /nothing new to submit; 2 run\(s\) are in Slurm jobs/);
      assert.doesNotMatch(again.stdout, /^job \d+$/m);
      const dry = await cli("sweep", [file, "--dry-run", ...out]);
      assert.match(dry.stdout, /a sweep would run 2 \(dry run: nothing written\)/);

      // Once cancelled, the runs are free again.
      await sh("scancel", [jobId]);
      await until("the job to end", 60, async () => {
        const state = await taskState(jobId!, 0);
        return state === "CANCELLED" || state === "" ? true : undefined;
      });
      const after = await cli("sweep", [file, "--executor", "slurm", "--dry-run", ...out]);
      assert.equal(after.code, 0, after.stderr);
      assert.match(after.stdout, /would submit an array of 2 task\(s\)/);
    } finally {
      if (jobId) await sh("scancel", [jobId]).catch(() => "");
      await Deno.remove(dir, { recursive: true });
    }
  },
});
