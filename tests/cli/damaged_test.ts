/**
 * A damaged run store through the CLI (issue 18, pattern 4): `status`
 * shows a finished run whose files were deleted, truncated or garbled as
 * `damaged` with the file (exit 1); `report` counts it as failed and says
 * which file (exit 1); `sweep --keep-damaged` leaves it alone and says so;
 * `sweep` retrains it to the same bytes; an unreadable `sweep.json` is an
 * error naming it, never a report of nothing; a run whose worker is gone
 * shows `interrupted`, not `running`.
 */
import assert from "node:assert/strict";
import { readFileSync, rmSync, truncateSync, writeFileSync } from "node:fs";
import { hostname } from "node:os";
import { join } from "node:path";
import { cli, taskPermissions, writeExperiment } from "./_cli.ts";
import { withTempDir } from "../_temp.ts";
import { tinyStudy } from "../_tiny.ts";

const SPEC = JSON.stringify(
  tinyStudy({ name: "dmg", steps: 20, evalEvery: 10, sweep: { k: [1, 2] }, seeds: [0, 1, 2] }),
);

async function withStore(
  fn: (file: string, out: string, runs: string, ids: string[]) => Promise<void>,
) {
  await withTempDir("gan-dmg-", async (dir) => {
    const file = await writeExperiment(dir, "dmg", SPEC);
    const out = join(dir, "out");
    // A smoke sweep: its --seeds are what sweep.json records.
    const r = await cli("sweep", [file, "--out", out, "--seeds", "2", "--no-report", "--quiet"]);
    assert.equal(r.code, 0, r.stderr);
    const runs = join(out, "runs", "dmg");
    const ids = [...Deno.readDirSync(runs)].filter((e) => e.isDirectory).map((e) => e.name).sort();
    assert.equal(ids.length, 4);
    await fn(file, out, runs, ids);
  });
}

function rowOf(stdout: string, id: string): string {
  const row = stdout.split("\n").find((l) => l.startsWith(id));
  assert.ok(row, `no row for ${id}:\n${stdout}`);
  return row;
}

Deno.test("damaged: status and report name the file, --keep-damaged keeps it, sweep retrains it to the same bytes", async () => {
  await withStore(async (file, out, runs, ids) => {
    const [a, b, c] = ids;
    const finalA = readFileSync(join(runs, a, "final.json"), "utf8");
    const metricsB = readFileSync(join(runs, b, "metrics.csv"), "utf8");
    truncateSync(join(runs, a, "final.json"), 15);
    rmSync(join(runs, b, "metrics.csv"));
    writeFileSync(join(runs, c, "config.json"), "garbage");

    const st = await cli("status", [file, "--out", out]);
    assert.equal(st.code, 1, st.stdout + st.stderr);
    assert.match(rowOf(st.stdout, a), /\bdamaged\b.*final\.json: 15 bytes where the run wrote/);
    assert.match(rowOf(st.stdout, b), /\bdamaged\b.*metrics\.csv: missing/);
    assert.match(rowOf(st.stdout, c), /\bdamaged\b.*config\.json: not JSON/);
    assert.match(st.stdout, /4 runs: 3 damaged, 1 done/);

    const rep = await cli("report", [file, "--out", out]);
    assert.equal(rep.code, 1, rep.stderr);
    assert.match(
      rep.stdout,
      /4 of 4 planned runs found/,
      "the garbage config.json run is not dropped",
    );
    assert.match(rep.stderr, /3 run\(s\) have damaged files; the report counts them as failed/);
    for (const [id, f] of [[a, "final.json"], [b, "metrics.csv"], [c, "config.json"]]) {
      assert.match(rep.stderr, new RegExp(`${id}: ${f.replace(".", "\\.")}`));
    }
    const runsCsv = readFileSync(join(out, "reports", "dmg", "runs.csv"), "utf8");
    assert.match(runsCsv, new RegExp(`${a},.*failed`));
    const md = readFileSync(join(out, "reports", "dmg", "report.md"), "utf8");
    assert.match(md, /damaged: final\.json/);

    const kept = await cli("sweep", [
      file,
      "--out",
      out,
      "--seeds",
      "2",
      "--keep-damaged",
      "--no-report",
    ]);
    assert.equal(kept.code, 1, kept.stderr);
    assert.match(kept.stderr, /3 finished run\(s\) have damaged files \(kept: --keep-damaged\)/);
    assert.equal(readFileSync(join(runs, a, "final.json"), "utf8").length, 15, "left alone");

    const sw = await cli("sweep", [file, "--out", out, "--seeds", "2", "--no-report"]);
    assert.equal(sw.code, 0, sw.stderr);
    assert.match(
      sw.stdout,
      new RegExp(`retrained ${a} from scratch: its files were damaged \\(final\\.json`),
    );
    assert.match(sw.stdout, /3 ran, 1 skipped/);
    // Same config, same seed: the retrained run wrote the same bytes.
    assert.equal(readFileSync(join(runs, a, "final.json"), "utf8"), finalA);
    assert.equal(readFileSync(join(runs, b, "metrics.csv"), "utf8"), metricsB);
    const after = await cli("status", [file, "--out", out]);
    assert.equal(after.code, 0, after.stdout);
    assert.match(after.stdout, /4 runs: 4 done/);
  });
});

Deno.test("damaged: an unreadable sweep.json is an error naming it, and the report stays", async () => {
  await withStore(async (file, out, runs) => {
    const first = await cli("report", [file, "--out", out]);
    assert.equal(first.code, 0, first.stderr);
    const md = readFileSync(join(out, "reports", "dmg", "report.md"), "utf8");
    writeFileSync(join(runs, "sweep.json"), "garbage");
    for (const command of ["report", "status"]) {
      const r = await cli(command, [file, "--out", out]);
      assert.equal(r.code, 1, `${command}: ${r.stdout}${r.stderr}`);
      assert.match(r.stderr, /^error: \S+sweep\.json is unreadable: not JSON/);
      assert.match(r.stderr, /pass the flags that sweep used/);
      assert.doesNotMatch(r.stderr, /^\s+at /m);
    }
    assert.equal(
      readFileSync(join(out, "reports", "dmg", "report.md"), "utf8"),
      md,
      "not replaced",
    );
    // With the sweep's flags given, sweep.json is not needed.
    const given = await cli("report", [file, "--out", out, "--seeds", "2"]);
    assert.equal(given.code, 0, given.stderr);
    assert.match(given.stdout, /4 of 4 planned runs found/);
  });
});

Deno.test("damaged: status tells a run whose worker is gone from one that is running", async () => {
  await withStore(async (file, out, runs, ids) => {
    // A process that has ended: its pid is gone (a sweep killed with SIGKILL leaves this).
    const child = new Deno.Command("true").spawn();
    await child.status;
    const dead = child.pid;
    const statusFile = join(runs, ids[0], "status.json");
    const s = JSON.parse(readFileSync(statusFile, "utf8"));
    writeFileSync(
      statusFile,
      JSON.stringify({ ...s, state: "running", pid: dead, host: hostname(), step: 10 }),
    );
    // One that runs on another host (a Slurm node) cannot be checked from here: still running.
    const statusFile2 = join(runs, ids[1], "status.json");
    writeFileSync(
      statusFile2,
      JSON.stringify({ ...s, state: "running", pid: dead, host: "another-host", step: 10 }),
    );
    // With the task's own permissions: telling a gone worker needs --allow-run (ps).
    const st = await cli("status", [file, "--out", out], undefined, {}, taskPermissions("status"));
    assert.equal(st.code, 0, st.stderr);
    assert.match(
      rowOf(st.stdout, ids[0]),
      new RegExp(
        `\\binterrupted\\b.*its worker \\(pid ${dead}\\) is gone; the next sweep resumes it`,
      ),
    );
    assert.match(rowOf(st.stdout, ids[1]), /\brunning\b/);
    const summary = st.stdout.trim().split("\n").pop()!;
    for (const part of ["1 interrupted", "1 running", "2 done"]) {
      assert.ok(summary.includes(part), summary);
    }
    // The report says so too, and does not call the study's own runs "other settings".
    const rep = await cli("report", [file, "--out", out], undefined, {}, taskPermissions("report"));
    assert.equal(rep.code, 0, rep.stderr);
    assert.match(rep.stdout, new RegExp(`note: Interrupted: 1 run\\(s\\) .*\`${ids[0]}\``));
    assert.doesNotMatch(rep.stdout, /runs of other settings/);
    const md = readFileSync(join(out, "reports", "dmg", "report.md"), "utf8");
    assert.match(md, new RegExp(`Interrupted: 1 run\\(s\\) say running.*\`${ids[0]}\``));
    assert.match(md, new RegExp(`\`${ids[0]}\` .*: interrupted: its status says running`));
  });
});
