/**
 * Experiment files that misbehave while they load (issue 18, pattern 3):
 * one whose top-level await never resolves, one that loops forever, one
 * that calls `Deno.exit(0)` or `process.exit(0)`, one that throws. Each is
 * reported with the file's name, exit 2, nothing written, within the load
 * time limit (`GAN_HARNESS_LOAD_TIMEOUT`, 2 s here); the process is killed
 * after 60 s should one ever hang.
 */
import assert from "node:assert/strict";
import { join } from "node:path";
import { listFiles, ROOT } from "./_cli.ts";
import { withTempDir } from "../_temp.ts";

const MOD = new URL("../../mod.ts", import.meta.url).href;
const SPEC =
  `{ name: "x", base: { data: { name: "ring-8", trainSize: 32 }, batchSize: 16 }, seeds: [0] }`;

/** Runs `command` on a file that starts with `prelude`; kills it after 60 s. */
async function load(dir: string, prelude: string, command = "sweep") {
  const file = join(dir, "x.ts");
  Deno.writeTextFileSync(
    file,
    `${prelude}\nimport { defineExperiment } from "${MOD}";\nexport default defineExperiment(${SPEC});\n`,
  );
  const out = join(dir, "out");
  const child = new Deno.Command(Deno.execPath(), {
    args: ["run", "-A", "--quiet", join(ROOT, "lib", "cli", `${command}.ts`), file, "--out", out],
    env: { NO_COLOR: "1", GAN_HARNESS_LOAD_TIMEOUT: "2" },
    stdin: "null",
    stdout: "piped",
    stderr: "piped",
  }).spawn();
  const guard = setTimeout(() => child.kill("SIGKILL"), 60_000);
  const o = await child.output();
  clearTimeout(guard);
  const stderr = new TextDecoder().decode(o.stderr);
  assert.equal(o.code, 2, stderr);
  assert.ok(stderr.startsWith(`error: ${file}: (file): `), stderr);
  assert.doesNotMatch(stderr, /^\s+at /m, "no stack trace");
  assert.deepEqual(await listFiles(out), [], "nothing written");
  return stderr;
}

Deno.test("load: a top-level await that never resolves is reported after the time limit", async () => {
  await withTempDir("gan-load-", async (dir) => {
    const err = await load(dir, "await new Promise(() => {});");
    assert.match(err, /did not finish loading within 2 s/);
  });
});

Deno.test("load: a loop that never ends is reported by the watchdog, exit 2", async () => {
  await withTempDir("gan-load-", async (dir) => {
    const err = await load(dir, "while (true) { /* never ends */ }", "run");
    assert.match(err, /did not finish loading within 2 s/);
  });
});

Deno.test("load: Deno.exit(0) and process.exit(0) while loading are refused, exit 2", async () => {
  await withTempDir("gan-load-", async (dir) => {
    assert.match(await load(dir, "Deno.exit(0);"), /calls Deno\.exit\(0\) while loading/);
    assert.match(
      await load(dir, `import process from "node:process";\nprocess.exit(0);`, "report"),
      /calls process\.exit\(0\) while loading/,
    );
  });
});

Deno.test("load: a file that throws names the file and the error's first line", async () => {
  await withTempDir("gan-load-", async (dir) => {
    const err = await load(dir, `throw new Error("boom at import\\nsecond line");`);
    assert.match(err, /could not be loaded: boom at import$/m);
    assert.doesNotMatch(err, /second line/);
  });
});
