/**
 * The rough wall-time estimate of a dry run: grows with the work a config
 * asks for, is shorter with a native BLAS, and spreads runs over workers.
 */
import assert from "node:assert/strict";
import { type Issue, resolveConfig, type ResolvedConfig } from "../../lib/spec/mod.ts";
import { estimateRunSeconds, formatDuration, wallSeconds } from "../../lib/sweep/estimate.ts";

function config(partial: Record<string, unknown>): ResolvedConfig {
  const issues: Issue[] = [];
  const c = resolveConfig(
    { data: { name: "ring-8", trainSize: 64 }, batchSize: 64, ...partial },
    "c",
    issues,
  );
  assert.deepEqual(issues, []);
  return c;
}

Deno.test("estimate: more steps, more D steps, wider nets take longer; BLAS is faster", () => {
  const base = estimateRunSeconds(config({}), true);
  assert.ok(base > 1 && base < 600, `${base}`);
  assert.ok(estimateRunSeconds(config({ steps: 6000 }), true) > base);
  assert.ok(estimateRunSeconds(config({ k: 10 }), true) > base);
  assert.ok(
    estimateRunSeconds(config({ arch: { name: "mlp", hidden: [1024, 1024] } }), true) > base,
  );
  assert.ok(estimateRunSeconds(config({}), false) > base);
  const mnist = config({
    data: { name: "mnist", trainSize: 1000, validSize: 100, testSize: 100 },
    arch: { name: "dcgan", channels: 16 },
  });
  assert.ok(estimateRunSeconds(mnist, true) > base);
});

Deno.test("estimate: wall time spreads runs over workers, never under the longest run", () => {
  assert.equal(wallSeconds([10, 10, 10, 10], 2), 20);
  assert.equal(wallSeconds([100, 1, 1], 4), 100);
  assert.equal(wallSeconds([], 2), 0);
});

Deno.test("estimate: durations read as a person reads them", () => {
  assert.equal(formatDuration(42.4), "42s");
  assert.equal(formatDuration(750), "12m30s");
  assert.equal(formatDuration(3 * 3600 + 5 * 60), "3h05m");
  assert.equal(formatDuration(5 * 86400), "5.00 days");
  assert.equal(formatDuration(3000 * 86400), "8.22 years");
  assert.equal(formatDuration(NaN), "?");
});
