/**
 * Controlling a sweep from the command line: dry runs, --only, the lock, a
 * sweep killed outright or stopped with Ctrl-C and then rerun (identical
 * results to an uninterrupted sweep), and `status`.
 */
import assert from "node:assert/strict";
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { cli, listFiles, spawnCli, waitForLine, writeExperiment } from "./_cli.ts";
import { withTempDir } from "../_temp.ts";
import { tinyStudy } from "../_tiny.ts";

const CTL = {
  name: "ctl",
  steps: 300,
  evalEvery: 50,
  hidden: [16, 16],
  sweep: { k: [1, 2] },
  seeds: [0, 1],
};
const SPEC = JSON.stringify(tinyStudy(CTL));

const FLAGS = ["--concurrency", "2", "--checkpoint-every", "20", "--no-report"];

function finals(out: string): Record<string, string> {
  const dir = join(out, "runs", "ctl");
  const result: Record<string, string> = {};
  for (const id of Array.from(Deno.readDirSync(dir)).filter((e) => e.isDirectory)) {
    for (const f of ["final.json", "metrics.csv", "checkpoint.bin"]) {
      result[`${id.name}/${f}`] = readFileSync(join(dir, id.name, f), "base64");
    }
  }
  return result;
}

async function withExperiment(fn: (file: string, dir: string) => Promise<void>) {
  await withTempDir("gan-ctl-", async (dir) => {
    await fn(await writeExperiment(dir, "ctl", SPEC), dir);
  });
}

Deno.test("sweep --dry-run lists the runs and their ids and writes nothing", async () => {
  await withExperiment(async (file, dir) => {
    const out = join(dir, "out");
    const r = await cli("sweep", [file, "--dry-run", "--out", out, "--only", "k=2"]);
    assert.equal(r.code, 0, r.stderr);
    const lines = r.stdout.trim().split("\n");
    assert.equal(lines.length, 3);
    assert.match(lines[0], /^new\s+[0-9a-f]{10}-s0 \(k=2, seed=0\)$/);
    assert.match(lines[2], /2 runs: 2 new; a sweep would run 2 \(dry run: nothing written\)/);
    assert.deepEqual(await listFiles(out), []);
    const bad = await cli("sweep", [file, "--dry-run", "--out", out, "--only", "k=7"]);
    assert.equal(bad.code, 2);
    assert.match(bad.stderr, /--only k=7: no run has k=7; the values are 1, 2/);
  });
});

Deno.test("sweep killed outright, then rerun: identical results to an uninterrupted sweep", async () => {
  await withExperiment(async (file, dir) => {
    const ref = join(dir, "ref");
    const r = await cli("sweep", [file, "--out", ref, ...FLAGS]);
    assert.equal(r.code, 0, r.stderr);

    const out = join(dir, "out");
    const child = spawnCli("sweep", [file, "--out", out, ...FLAGS]);
    await waitForLine(child, /^done /);
    child.kill("SIGKILL");
    await child.status;
    await child.stderr.cancel();
    // The lock of the dead sweep is taken over; finished runs are skipped.
    const again = await cli("sweep", [file, "--out", out, ...FLAGS]);
    assert.equal(again.code, 0, again.stderr);
    assert.match(again.stdout, /took over a stale lock/);
    assert.match(again.stdout, /skip .*already done/);
    assert.deepEqual(finals(out), finals(ref));
  });
});

Deno.test("Ctrl-C: running runs checkpoint, exit 130, a second sweep is locked out meanwhile, rerun continues", async () => {
  await withExperiment(async (file, dir) => {
    const ref = join(dir, "ref");
    assert.equal((await cli("sweep", [file, "--out", ref, ...FLAGS])).code, 0);

    const out = join(dir, "out");
    const child = spawnCli("sweep", [file, "--out", out, ...FLAGS]);
    await waitForLine(child, /^start /);
    const locked = await cli("sweep", [file, "--out", out, ...FLAGS]);
    assert.equal(locked.code, 2);
    assert.match(locked.stderr, new RegExp(`locked by process ${child.pid}`));
    // Wait until a worker is training (a loaded machine starts workers slowly), then Ctrl-C.
    const runsDir = join(out, "runs", "ctl");
    const training = () =>
      existsSync(runsDir) && Array.from(Deno.readDirSync(runsDir)).some((e) => {
        const f = join(runsDir, e.name, "status.json");
        return e.isDirectory && existsSync(f) &&
          JSON.parse(readFileSync(f, "utf8")).state === "running";
      });
    for (let i = 0; i < 600 && !training(); i++) await new Promise((r) => setTimeout(r, 100));
    await new Promise((r) => setTimeout(r, 300));
    child.kill("SIGINT");
    const st = await child.status;
    await child.stderr.cancel();
    assert.equal(st.code, 130);
    const runs = join(out, "runs", "ctl");
    const statuses = Array.from(Deno.readDirSync(runs)).filter((e) => e.isDirectory)
      .map((e) => JSON.parse(readFileSync(join(runs, e.name, "status.json"), "utf8")));
    const interrupted = statuses.filter((s) => /interrupted at step/.test(s.note ?? ""));
    assert.ok(interrupted.length >= 1, JSON.stringify(statuses));
    assert.ok(interrupted.every((s) => s.state === "queued"));
    assert.equal(existsSync(join(runs, ".lock")), false);
    const again = await cli("sweep", [file, "--out", out, ...FLAGS]);
    assert.equal(again.code, 0, again.stderr);
    assert.deepEqual(finals(out), finals(ref));
  });
});

Deno.test("status prints a table and exits 1 while a run failed; the sweep names it", async () => {
  await withExperiment(async (file, dir) => {
    const out = join(dir, "out");
    const dry = await cli("sweep", [file, "--dry-run", "--out", out, "--steps", "10"]);
    const victim = dry.stdout.split("\n")[0].split(/\s+/)[1];
    const env = Deno.env.toObject();
    Deno.env.set("GAN_HARNESS_FAULT", `throw:${victim}:3`);
    const r = await cli("sweep", [file, "--out", out, "--steps", "10", "--retries", "0"]);
    Deno.env.delete("GAN_HARNESS_FAULT");
    assert.equal(env.GAN_HARNESS_FAULT, undefined);
    assert.equal(r.code, 1);
    assert.match(r.stderr, new RegExp(`${victim} failed: Error: injected fault at iteration 3`));
    assert.match(r.stderr, /status\.json/);
    assert.ok(existsSync(join(out, "reports", "ctl", "runs.csv")), "the report still builds");
    const s = await cli("status", [file, "--out", out]);
    assert.equal(s.code, 1);
    assert.match(s.stdout, new RegExp(`${victim}\\s+1\\s+0\\s+failed`));
    assert.match(s.stdout, /4 runs: 1 failed, 3 done|4 runs: 3 done, 1 failed/);
    const dryAgain = await cli("sweep", [file, "--dry-run", "--out", out, "--steps", "10"]);
    assert.match(dryAgain.stdout, /a sweep would run 0 /);
    const dryRetry = await cli("sweep", [
      file,
      "--dry-run",
      "--out",
      out,
      "--steps",
      "10",
      "--retry-failed",
    ]);
    assert.match(dryRetry.stdout, /a sweep would run 1 /);
    const retry = await cli("sweep", [file, "--out", out, "--steps", "10", "--retry-failed"]);
    assert.equal(retry.code, 0, retry.stderr);
    assert.equal((await cli("status", [file, "--out", out])).code, 0);
  });
});

Deno.test("a second Ctrl-C kills a run that ignores the first, and the sweep exits 130", async () => {
  await withExperiment(async (file, dir) => {
    const out = join(dir, "out");
    const dry = await cli("sweep", [
      file,
      "--dry-run",
      "--out",
      out,
      "--only",
      "k=1",
      "--seeds",
      "1",
    ]);
    const victim = dry.stdout.split("\n")[0].split(/\s+/)[1];
    // The worker hangs in a busy loop at iteration 3: it cannot see SIGTERM.
    Deno.env.set("GAN_HARNESS_FAULT", `hang:${victim}:3`);
    const child = spawnCli("sweep", [
      file,
      "--out",
      out,
      "--only",
      "k=1",
      "--seeds",
      "1",
      "--concurrency",
      "1",
    ]);
    Deno.env.delete("GAN_HARNESS_FAULT");
    await waitForLine(child, /^start /);
    await new Promise((r) => setTimeout(r, 1500));
    child.kill("SIGINT");
    const first = await Promise.race([
      child.status.then(() => "exited"),
      new Promise((r) => setTimeout(() => r("still running"), 1500)),
    ]);
    assert.equal(first, "still running", "the first Ctrl-C waits for the run to checkpoint");
    const t0 = performance.now();
    child.kill("SIGINT");
    const st = await child.status;
    await child.stderr.cancel();
    assert.equal(st.code, 130);
    assert.ok(performance.now() - t0 < 5000, "the second Ctrl-C kills at once");
    const status = JSON.parse(
      readFileSync(join(out, "runs", "ctl", victim, "status.json"), "utf8"),
    );
    assert.equal(status.state, "queued", "a killed run is queued for the next sweep, not failed");
    assert.equal(existsSync(join(out, "runs", "ctl", ".lock")), false);
  });
});

Deno.test("sweep --full runs the full protocol, records it, and status/report find those runs", async () => {
  await withTempDir("gan-full-", async (dir) => {
    const body = JSON.stringify(tinyStudy(CTL, {
      full: { set: { steps: 6 }, seeds: [0, 1, 2] },
      shortened: "2 seeds of 300 steps",
    }));
    const file = await writeExperiment(dir, "ctl", body);
    const out = join(dir, "out");
    const dry = await cli("sweep", [file, "--dry-run", "--out", out]);
    assert.match(dry.stdout, /4 runs: 4 new/);
    const r = await cli("sweep", [file, "--full", "--out", out, "--concurrency", "2"]);
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, /6 runs/);
    const sweep = JSON.parse(readFileSync(join(out, "runs", "ctl", "sweep.json"), "utf8"));
    assert.equal(sweep.expand.full, true);
    assert.equal(sweep.runs.length, 6);
    // Every run has the full protocol's steps.
    for (const id of sweep.runs) {
      const config = JSON.parse(readFileSync(join(out, "runs", "ctl", id, "config.json"), "utf8"));
      assert.equal(config.steps, 6);
    }
    // The report of a full sweep carries no shortened-budget note.
    const md = readFileSync(join(out, "reports", "ctl", "report.md"), "utf8");
    assert.doesNotMatch(md, /Shortened budget/);
    // status (without flags: the last sweep's settings) lists the 6 runs, all done.
    const status = await cli("status", [file, "--out", out]);
    assert.equal(status.code, 0, status.stderr);
    const rows = status.stdout.split("\n").filter((l) => /^[0-9a-f]{10}-s\d+\s/.test(l));
    assert.equal(rows.length, 6, status.stdout);
    assert.ok(rows.every((l) => /\sdone\s/.test(l)), status.stdout);
    // The default budget's report says it is shortened (its runs are missing here).
    const short = await cli("report", [file, "--out", out, "--seeds", "2"]);
    assert.equal(short.code, 0, short.stderr);
    const shortMd = readFileSync(join(out, "reports", "ctl", "report.md"), "utf8");
    assert.match(shortMd, /Shortened budget: 2 seeds of 300 steps/);
  });
});
