/**
 * File-system faults as one error naming the operation, the path and the
 * reason, whatever raised them; injected write faults for tests.
 */
import assert from "node:assert/strict";
import { mkdirSync, readdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import {
  IoError,
  isIoFault,
  readJsonFile,
  toIoError,
  withIoErrors,
  writeAtomic,
} from "../../lib/io/mod.ts";
import { withTempDir } from "../_temp.ts";

Deno.test("io errors: node's errors become one line naming the operation, the path and the reason", async () => {
  await withTempDir("io-errors-", (dir) => {
    const plain = join(dir, "plain");
    writeFileSync(plain, "x");
    let caught: unknown;
    try {
      mkdirSync(join(plain, "sub"), { recursive: true });
    } catch (e) {
      caught = e;
    }
    const io = toIoError(caught)!;
    assert.ok(io instanceof IoError);
    assert.equal(io.op, "create the directory");
    assert.equal(io.code, "ENOTDIR");
    assert.equal(
      io.message,
      `cannot create the directory ${
        join(plain, "sub")
      }: a part of the path is not a directory (ENOTDIR)`,
    );
    assert.equal(io.cause, caught);
    assert.ok(isIoFault(caught));
  });
});

Deno.test("io errors: Deno's refusal under its permissions names the path", () => {
  const e = new Deno.errors.NotCapable(
    'Requires all access to "/proc/x", run again with the --allow-all flag',
  );
  const io = toIoError(e, "write")!;
  assert.equal(io.path, "/proc/x");
  assert.equal(io.code, "NotCapable");
  assert.match(
    io.message,
    /^cannot write \/proc\/x: not allowed under this command's Deno permissions/,
  );
  const denied = toIoError(
    new Deno.errors.PermissionDenied("Permission denied (os error 13): open '/etc/x'"),
  )!;
  assert.equal(denied.path, "/etc/x");
  assert.equal(denied.code, "EACCES");
});

Deno.test("io errors: anything else is not a file-system fault", () => {
  assert.equal(toIoError(new Error("boom")), null);
  assert.equal(toIoError(new RangeError("Array buffer allocation failed")), null);
  assert.equal(toIoError("text"), null);
  assert.ok(!isIoFault(new TypeError("x")));
  assert.throws(() =>
    withIoErrors("read", "/x", () => {
      throw new Error("plain");
    }), /^Error: plain$/);
  assert.throws(
    () => withIoErrors("read", "/nonexistent/file", () => Deno.readFileSync("/nonexistent/file")),
    /^IoError: cannot read \/nonexistent\/file: no such file or directory \(ENOENT\)$/,
  );
});

Deno.test("io errors: writeAtomic below a plain file throws an IoError and leaves nothing", async () => {
  await withTempDir("io-errors-", (dir) => {
    const plain = join(dir, "plain");
    writeFileSync(plain, "x");
    assert.throws(() => writeAtomic(join(plain, "f.json"), "{}"), (e: unknown) => {
      assert.ok(e instanceof IoError);
      assert.equal(e.code, "EEXIST");
      assert.equal(
        e.message,
        `cannot create the directory ${plain}: a file of that name is in the way (EEXIST)`,
      );
      return true;
    });
    assert.deepEqual(readdirSync(dir), ["plain"]);
  });
});

Deno.test("io errors: an injected fault fails the n-th write of a path, after its temp file, and removes it", async () => {
  await withTempDir("io-errors-", async (dir) => {
    const script = join(dir, "w.ts");
    const atomic = new URL("../../lib/io/atomic.ts", import.meta.url).href;
    writeFileSync(
      script,
      `import { writeAtomic } from "${atomic}";
const d = Deno.args[0];
writeAtomic(d + "/other.csv", "a");
writeAtomic(d + "/metrics.csv", "1");
try { writeAtomic(d + "/metrics.csv", "2"); } catch (e) { console.log(String(e)); }
console.log(Deno.readDirSync(d).map((e) => e.name).toArray().sort().join(" "));
console.log(Deno.readTextFileSync(d + "/metrics.csv"));
`,
    );
    const out = join(dir, "out");
    mkdirSync(out);
    const o = await new Deno.Command(Deno.execPath(), {
      args: ["run", "-A", "--quiet", script, out],
      env: { GAN_HARNESS_IO_FAULT: "ENOSPC:metrics.csv:2" },
    }).output();
    const lines = new TextDecoder().decode(o.stdout).trim().split("\n");
    assert.match(
      lines[0],
      /^IoError: cannot write \S+metrics\.csv: injected fault \(GAN_HARNESS_IO_FAULT\) \(ENOSPC\)$/,
    );
    assert.equal(lines[1], "metrics.csv other.csv", "no temp file left");
    assert.equal(lines[2], "1", "the old content stays");
  });
});

Deno.test("io errors: readJsonFile tells an absent file from an unreadable one", async () => {
  await withTempDir("io-errors-", (dir) => {
    assert.deepEqual(readJsonFile(join(dir, "absent.json")), { state: "absent" });
    writeFileSync(join(dir, "empty.json"), "");
    assert.deepEqual(readJsonFile(join(dir, "empty.json")), {
      state: "unreadable",
      problem: "empty file",
    });
    writeFileSync(join(dir, "half.json"), "{ half");
    const half = readJsonFile(join(dir, "half.json"));
    assert.equal(half.state, "unreadable");
    assert.match((half as { problem: string }).problem, /^not JSON/);
    mkdirSync(join(dir, "dir.json"));
    assert.equal(readJsonFile(join(dir, "dir.json")).state, "unreadable");
    writeFileSync(join(dir, "ok.json"), '{"a":1}');
    assert.deepEqual(readJsonFile(join(dir, "ok.json")), { state: "ok", value: { a: 1 } });
  });
});
