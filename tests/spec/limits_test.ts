/**
 * Bounds a study keeps before any run (issue 18, patterns 1 and 2): a
 * minibatch no larger than the training set, steps within the maximum, a
 * run's memory within one worker's share (the field that drives it named),
 * and a sweep's size counted and refused without expanding it.
 */
import assert from "node:assert/strict";
import {
  configLimitProblems,
  countRuns,
  DEFAULT_MAX_RUNS,
  DEFAULT_MAX_STEPS,
  expandRuns,
  formatBytes,
  type Issue,
  resolveConfig,
  type ResolvedConfig,
  runMemory,
  SpecError,
  studyLimitIssues,
  validateExperiment,
} from "../../lib/spec/mod.ts";
import { fileURLToPath } from "node:url";
import { join } from "node:path";
import { loadExperiment } from "../../lib/spec/load.ts";

const RING = { data: { name: "ring-8", trainSize: 64 }, batchSize: 64 };
const LIMITS = { maxSteps: DEFAULT_MAX_STEPS, memoryBytes: 4e9, memoryNote: "8 GB over 2 workers" };

function config(partial: Record<string, unknown>): ResolvedConfig {
  const issues: Issue[] = [];
  const c = resolveConfig(partial, "c", issues);
  assert.deepEqual(issues, []);
  return c;
}

function studyIssues(spec: Record<string, unknown>, limits = LIMITS): Issue[] {
  const exp = validateExperiment({ name: "x", seeds: [0, 1], ...spec });
  return studyLimitIssues(exp, expandRuns(exp), limits);
}

Deno.test("limits: a minibatch larger than the training set is refused, naming both", () => {
  const [p] = configLimitProblems(config({ ...RING, batchSize: 1000 }), LIMITS);
  assert.equal(p.field, "batchSize");
  assert.match(p.message, /got 1000, more than data.trainSize \(64\)/);
  assert.match(p.message, /use batchSize <= 64/);
  assert.deepEqual(configLimitProblems(config(RING), LIMITS), []);
});

Deno.test("limits: steps above the maximum say how to raise it", () => {
  const [p] = configLimitProblems(config({ ...RING, steps: 1e15 }), LIMITS);
  assert.equal(p.field, "steps");
  assert.match(p.message, /got 1000000000000000, more than the maximum of 1000000 iterations/);
  assert.match(p.message, /--max-steps 1000000000000000/);
  assert.deepEqual(configLimitProblems(config({ ...RING, steps: 1e15 }), { maxSteps: 1e15 }), []);
});

Deno.test("limits: memory beyond one worker's share names the field that drives it", () => {
  const cases: [Record<string, unknown>, string][] = [
    [{ ...RING, data: { name: "ring-8", trainSize: 1e12 } }, "data.trainSize"],
    [{ ...RING, data: { name: "ring-8", trainSize: 64, validSize: 1e12 } }, "data.validSize"],
    [{ ...RING, evalSamples: 1e12 }, "evalSamples"],
    [{ ...RING, arch: { name: "mlp", hidden: [1e9] } }, "arch"],
  ];
  for (const [partial, field] of cases) {
    const problems = configLimitProblems(config(partial), LIMITS);
    assert.equal(problems.length, 1, field);
    assert.equal(problems[0].field, field);
    assert.match(problems[0].message, /the run would need about [\d.]+ [TPGE]B of memory/);
    assert.match(problems[0].message, /more than the 4.00 GB one worker has here \(8 GB over 2/);
  }
  // Without a memory limit (a Slurm task without --mem) nothing is said.
  assert.deepEqual(
    configLimitProblems(config(cases[0][0]), { maxSteps: DEFAULT_MAX_STEPS }),
    [],
  );
});

Deno.test("limits: every shipped study fits in 2 GB per run", async () => {
  const dir = fileURLToPath(new URL("../../experiments", import.meta.url));
  for (const e of Deno.readDirSync(dir)) {
    if (!e.name.endsWith(".ts") || e.name.startsWith("_")) continue;
    const exp = await loadExperiment(join(dir, e.name));
    const plans = expandRuns(exp, exp.full ? { full: true } : {});
    for (const p of plans) {
      const mem = runMemory(p.config);
      assert.ok(mem.bytes < 2e9, `${e.name}: ${formatBytes(mem.bytes)}`);
    }
    assert.deepEqual(studyLimitIssues(exp, plans, { ...LIMITS, memoryBytes: 2e9 }), [], e.name);
  }
});

Deno.test("limits: a problem of the base is reported once at base.*, one of a point names it", () => {
  const base = studyIssues({ base: { ...RING, batchSize: 1000 }, sweep: { k: [1, 2] } });
  assert.deepEqual(base.map((i) => i.path), ["base.batchSize"]);
  const point = studyIssues({ base: RING, sweep: { batchSize: [32, 1000] } });
  assert.deepEqual(point.map((i) => i.path), ["config.batchSize"]);
  assert.match(point[0].message, /\(in the run with \{"batchSize":1000\}\)/);
  const trainSwept = studyIssues({ base: RING, sweep: { "data.trainSize": [64, 32] } });
  assert.deepEqual(trainSwept.map((i) => i.path), ["config.batchSize"]);
  assert.match(trainSwept[0].message, /"data.trainSize":32/);
});

Deno.test("limits: a sweep's size is counted without expanding; a huge one is not expanded", () => {
  const axis = (n: number, f: (i: number) => number) => Array.from({ length: n }, (_, i) => f(i));
  const t0 = performance.now();
  const huge = validateExperiment({
    name: "x",
    base: RING,
    sweep: {
      "optimizer.lr": axis(1000, (i) => 1e-4 * (i + 1)),
      "optimizer.beta1": axis(1000, (i) => i / 1000),
    },
    seeds: [0, 1],
  });
  const ms = performance.now() - t0;
  assert.equal(huge.sweep.length, 0);
  assert.deepEqual(huge.oversized, {
    points: 1_000_000,
    first: { "optimizer.lr": 1e-4, "optimizer.beta1": 0 },
    checkedUpTo: DEFAULT_MAX_RUNS,
  });
  assert.deepEqual(huge.axes, ["optimizer.lr", "optimizer.beta1"]);
  assert.deepEqual(countRuns(huge), { points: 1_000_000, seeds: 2, runs: 2_000_000 });
  assert.throws(() => expandRuns(huge), (e: unknown) => {
    assert.ok(e instanceof SpecError);
    assert.match(e.message, /2000000 runs, more than the maximum of 10000 runs/);
    assert.match(e.message, /--max-runs 2000000/);
    return true;
  });
  // Bad values are still found, axis by axis, in an oversized sweep.
  assert.throws(
    () =>
      validateExperiment({
        name: "x",
        base: RING,
        sweep: {
          "optimizer.lr": [-1, ...axis(999, (i) => 1e-4 * (i + 1))],
          k: axis(100, (i) => i + 1),
        },
        seeds: [0],
      }),
    /sweep\["optimizer.lr"\]\[0\]: got -1/,
  );
  assert.ok(ms < 60_000, "validation did not expand the sweep");
});

Deno.test("limits: --seeds N is counted, and expandRuns refuses above maxRuns before allocating", () => {
  const exp = validateExperiment({ name: "x", base: RING, sweep: { k: [1, 2] }, seeds: [0] });
  assert.deepEqual(countRuns(exp, { seeds: 100_000_000 }), {
    points: 2,
    seeds: 100_000_000,
    runs: 200_000_000,
  });
  assert.throws(
    () => expandRuns(exp, { seeds: 100_000_000, maxRuns: DEFAULT_MAX_RUNS }),
    /200000000 runs, more than the maximum of 10000 runs; raise it with --max-runs 200000000/,
  );
  assert.equal(expandRuns(exp, { seeds: 3, maxRuns: 6 }).length, 6);
  // A list of points larger than the maximum is marked too.
  const list = validateExperiment({
    name: "x",
    base: RING,
    sweep: Array.from({ length: 20 }, (_, i) => ({ k: i + 1 })),
    seeds: [0],
  }, { maxPoints: 10 });
  assert.equal(list.oversized?.points, 20);
  assert.deepEqual(list.oversized?.first, { k: 1 });
});
