/**
 * File-system faults through the CLI (issue 18, pattern 3): a bad `--out`
 * (a regular file, a path under one, `/proc/x`, which Deno refuses) is one
 * line and exit 2 for `sweep`, `status` and `report`, before anything is
 * written; a fault while a sweep runs (no space left, injected with
 * `GAN_HARNESS_IO_FAULT`, and for real on a full tmpfs where a user
 * namespace allows mounting one) is one line and exit 1, leaves no temp
 * file, and leaves the runs it cut short queued with a note, to finish on a
 * rerun; `--debug` adds the stack.
 */
import assert from "node:assert/strict";
import { existsSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { cli, type CliResult, listFiles, ROOT, writeExperiment } from "./_cli.ts";
import { withTempDir } from "../_temp.ts";
import { tinyStudy } from "../_tiny.ts";

const SPEC = JSON.stringify(
  tinyStudy({ name: "io", steps: 40, evalEvery: 10, sweep: { k: [1, 2] }, seeds: [0] }),
);

function oneLine(r: CliResult, code: number): string {
  assert.equal(r.code, code, `exit ${r.code}\n${r.stdout}\n${r.stderr}`);
  assert.doesNotMatch(r.stderr, /^\s+at /m, "no stack trace");
  const lines = r.stderr.trim().split("\n");
  assert.ok(lines[0].startsWith("error: "), r.stderr);
  return lines[0];
}

Deno.test("io: a bad --out is one line, exit 2, for sweep, status and report", async () => {
  await withTempDir("gan-io-", async (dir) => {
    const file = await writeExperiment(dir, "io", SPEC);
    const plain = join(dir, "plain");
    writeFileSync(plain, "x");
    for (const command of ["sweep", "status", "report"]) {
      const r = await cli(command, [file, "--out", plain]);
      assert.match(oneLine(r, 2), /--out .*plain: is a file, expected a directory/, command);
    }
    const under = await cli("sweep", [file, "--out", join(plain, "sub")]);
    assert.match(oneLine(under, 2), /plain is a file, so no directory can be made under it/);
    const proc = await cli("sweep", [file, "--out", "/proc/x"]);
    assert.match(oneLine(proc, 2), /--out \/proc\/x: cannot create the directory \/proc\/x/);
    // With the task's own permissions (not -A), Deno refuses /proc even to look at.
    const task = await new Deno.Command(Deno.execPath(), {
      args: [
        "run",
        "--allow-read",
        "--allow-write",
        "--allow-env",
        "--allow-sys",
        "--allow-ffi",
        "--allow-run",
        "--quiet",
        join(ROOT, "lib", "cli", "sweep.ts"),
        file,
        "--out",
        "/proc/x",
      ],
      env: { NO_COLOR: "1" },
    }).output();
    const taskErr = new TextDecoder().decode(task.stderr);
    assert.equal(task.code, 2, taskErr);
    assert.match(
      taskErr,
      /^error: --out \/proc\/x: .*not allowed under this command's Deno permissions/,
    );
    const none = await cli("status", [file, "--out", join(dir, "absent")]);
    assert.match(oneLine(none, 2), /--out .*absent: no such directory/);
    assert.deepEqual(await listFiles(dir), ["io.ts", "plain"], "nothing written");
  });
});

Deno.test("io: no space left while a sweep runs: one line, runs left queued, no temp file, a rerun finishes", async () => {
  await withTempDir("gan-io-", async (dir) => {
    const file = await writeExperiment(dir, "io", SPEC);
    const out = join(dir, "out");
    // The second write of every metrics.csv fails as a full disk does.
    const r = await cli("sweep", [file, "--out", out, "--concurrency", "1"], undefined, {
      GAN_HARNESS_IO_FAULT: "ENOSPC:metrics.csv:2",
    });
    const line = oneLine(r, 1);
    assert.match(line, /^error: cannot write \S+metrics\.csv: injected fault .*\(ENOSPC\)$/);
    assert.match(r.stderr, /2 run\(s\) left queued, each resumes from its last checkpoint/);
    const files = await listFiles(out);
    assert.deepEqual(files.filter((f) => f.endsWith(".tmp")), [], "no temp file left");
    const statuses = files.filter((f) => f.endsWith("/status.json")).map((f) =>
      JSON.parse(readFileSync(join(out, f), "utf8"))
    );
    assert.equal(statuses.length, 2);
    for (const s of statuses) {
      assert.equal(s.state, "queued");
      assert.equal(s.pid, undefined);
    }
    assert.ok(
      statuses.some((s) => /cut short by a file-system fault/.test(s.note ?? "")),
      JSON.stringify(statuses),
    );
    // The report was not written over a stopped sweep.
    assert.ok(!existsSync(join(out, "reports")));
    const again = await cli("sweep", [file, "--out", out, "--no-report"]);
    assert.equal(again.code, 0, again.stderr);
    assert.match(again.stdout, /2 done/);
  });
});

Deno.test("io: a report that cannot be written is one line; --debug adds the stack", async () => {
  await withTempDir("gan-io-", async (dir) => {
    const file = await writeExperiment(dir, "io", SPEC);
    const out = join(dir, "out");
    assert.equal((await cli("sweep", [file, "--out", out, "--no-report", "--quiet"])).code, 0);
    const env = { GAN_HARNESS_IO_FAULT: "ENOSPC:report.md" };
    const r = await cli("report", [file, "--out", out], undefined, env);
    assert.match(oneLine(r, 1), /^error: cannot write \S+report\.md: .*\(ENOSPC\)$/);
    assert.deepEqual((await listFiles(join(out, "reports"))).filter((f) => f.endsWith(".tmp")), []);
    const debug = await cli("report", [file, "--out", out, "--debug"], undefined, env);
    assert.equal(debug.code, 1);
    assert.match(debug.stderr, /^\s+at /m, "--debug prints the stack");
  });
});

/** Whether this machine lets an unprivileged user namespace mount a tmpfs. */
function canMountTmpfs(): boolean {
  try {
    const o = new Deno.Command("unshare", {
      args: ["-rm", "sh", "-c", "d=$(mktemp -d) && mount -t tmpfs -o size=64k tmpfs $d"],
      stdout: "null",
      stderr: "null",
    }).outputSync();
    return o.success;
  } catch {
    return false;
  }
}

Deno.test({
  name:
    "io: a real full disk (a small tmpfs): one line, exit 1, no temp file, a rerun with space finishes",
  ignore: !canMountTmpfs(),
  fn: async () => {
    await withTempDir("gan-io-", async (dir) => {
      const file = await writeExperiment(dir, "io", SPEC);
      const disk = join(dir, "disk");
      Deno.mkdirSync(disk);
      const sweep = `"${Deno.execPath()}" run -A --quiet "${
        join(ROOT, "lib/cli/sweep.ts")
      }" "${file}"`;
      // Inside a private mount namespace: a 1 MB tmpfs, nearly filled; sweep; free it; sweep again.
      const script = [
        `mount -t tmpfs -o size=1m tmpfs "${disk}"`,
        `head -c 990000 /dev/zero > "${disk}/filler"`,
        `${sweep} --out "${disk}/out" --no-report > "${dir}/1.out" 2> "${dir}/1.err"; echo $? > "${dir}/1.code"`,
        `find "${disk}/out" -name '*.tmp' > "${dir}/tmp.list"`,
        `cat "${disk}"/out/runs/io/*/status.json > "${dir}/status.1" 2>/dev/null`,
        `rm "${disk}/filler"`,
        `${sweep} --out "${disk}/out" --no-report > "${dir}/2.out" 2> "${dir}/2.err"; echo $? > "${dir}/2.code"`,
      ].join("\n");
      const o = await new Deno.Command("unshare", {
        args: ["-rm", "sh", "-c", script],
        env: { NO_COLOR: "1" },
      }).output();
      assert.ok(o.success, new TextDecoder().decode(o.stderr));
      const read = (f: string) => readFileSync(join(dir, f), "utf8");
      const err = read("1.err");
      assert.equal(read("1.code").trim(), "1", `${read("1.out")}\n${err}`);
      assert.match(err.split("\n")[0], /^error: cannot \w+.*: no space left on device \(ENOSPC\)$/);
      assert.doesNotMatch(err, /^\s+at /m);
      assert.equal(read("tmp.list").trim(), "", "no temp file left on the full disk");
      assert.doesNotMatch(read("status.1"), /"state": "running"/);
      assert.equal(read("2.code").trim(), "0", read("2.err"));
      assert.match(read("2.out"), /2 done/);
    });
  },
});
