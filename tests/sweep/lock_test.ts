import assert from "node:assert/strict";
import { existsSync, readFileSync, writeFileSync } from "node:fs";
import { hostname } from "node:os";
import { join } from "node:path";
import { acquireLock, LockError, processAlive } from "../../lib/sweep/lock.ts";
import { withTempDir } from "../_temp.ts";

Deno.test("lock: a second sweep on the same directory is refused, naming the holder", async () => {
  await withTempDir("gan-lock-", (dir) => {
    const lock = acquireLock(dir, "deno task sweep a.ts");
    assert.throws(() => acquireLock(dir, "deno task sweep b.ts"), (e: unknown) => {
      assert.ok(e instanceof LockError);
      assert.match(e.message, new RegExp(`locked by process ${Deno.pid}`));
      assert.match(e.message, /deno task sweep a\.ts/);
      return true;
    });
    lock.release();
    assert.equal(existsSync(join(dir, ".lock")), false);
    acquireLock(dir).release();
  });
});

Deno.test("lock: a lock left by a dead process is taken over", async () => {
  await withTempDir("gan-lock-", async (dir) => {
    // A process that has exited: its pid no longer runs a deno process.
    const child = new Deno.Command("true").spawn();
    await child.status;
    assert.equal(processAlive(child.pid), false);
    const stale = { pid: child.pid, hostname: hostname(), startedAt: "then", command: "old" };
    writeFileSync(join(dir, ".lock"), JSON.stringify(stale));
    const lock = acquireLock(dir);
    assert.equal(lock.tookOverFrom?.pid, child.pid);
    assert.equal(JSON.parse(readFileSync(join(dir, ".lock"), "utf8")).pid, Deno.pid);
    lock.release();
  });
});

Deno.test("lock: processAlive sees this process", () => {
  assert.equal(processAlive(Deno.pid), true);
});
