import assert from "node:assert/strict";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { loadExperiment } from "../../lib/spec/load.ts";
import { expandRuns, type ExperimentSpec, SpecError } from "../../lib/spec/mod.ts";

/** What experiment files import `defineExperiment` from (as users do, and the lighter spec-only module). */
const MOD_URL = new URL("../../mod.ts", import.meta.url).href;
const SPEC_URL = new URL("../../lib/spec/experiment.ts", import.meta.url).href;

/** Writes `source` to a fresh temp file and runs `fn` with its path; cleans up. */
async function withFile(source: string, fn: (path: string) => Promise<void>): Promise<void> {
  const dir = await Deno.makeTempDir({ prefix: "spec-load-" });
  try {
    const path = join(dir, "exp.ts");
    await Deno.writeTextFile(path, source);
    await fn(path);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
}

/** The SpecError that loading `path` rejects with. */
async function loadError(path: string): Promise<SpecError> {
  let caught: unknown;
  try {
    await loadExperiment(path);
  } catch (e) {
    caught = e;
  }
  assert.ok(caught instanceof SpecError, `expected a SpecError, got ${caught}`);
  return caught;
}

Deno.test("loadExperiment: a missing file is a SpecError naming the file", async () => {
  const dir = await Deno.makeTempDir({ prefix: "spec-load-" });
  try {
    const path = join(dir, "nope.ts");
    const err = await loadError(path);
    assert.equal(err.file, path);
    assert.equal(err.issues.length, 1);
    assert.equal(err.issues[0].path, "(file)");
    assert.match(err.issues[0].message, /no such experiment file/);
    assert.ok(err.message.startsWith(`${path}: `), err.message);
    // A directory is not an experiment file either.
    assert.match((await loadError(dir)).issues[0].message, /no such experiment file/);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("loadExperiment: a file without a default export says so", async () => {
  await withFile(
    `export const experiment = { name: "x", base: {}, seeds: [0] };\n`,
    async (path) => {
      const err = await loadError(path);
      assert.equal(err.file, path);
      assert.equal(err.issues.length, 1);
      assert.equal(err.issues[0].path, "(default export)");
      assert.match(err.message, /default export/);
      assert.match(err.issues[0].message, /export default defineExperiment/);
    },
  );
});

Deno.test("loadExperiment: an invalid defineExperiment call names the file and the fields", async () => {
  const source = `import { defineExperiment } from "${SPEC_URL}";
export default defineExperiment({
  name: "bad",
  base: { k: 0, loss: "non-saturatin" },
  sweep: { "optimizer.lrr": [1e-3] },
  seeds: [0],
});
`;
  await withFile(source, async (path) => {
    const err = await loadError(path);
    assert.equal(err.file, path);
    const paths = err.issues.map((i) => i.path).sort();
    assert.deepEqual(paths, ["base.k", "base.loss", 'sweep["optimizer.lrr"]']);
    assert.match(
      err.issues.find((i) => i.path === "base.loss")!.message,
      /did you mean "non-saturating"/,
    );
    // Every line of the message is attributed to the file.
    for (const line of err.message.split("\n")) assert.ok(line.startsWith(`${path}: `), line);
  });
});

Deno.test("loadExperiment: an invalid plain-object default export names the file and the field", async () => {
  await withFile(
    `export default { name: "bad", base: { optimizer: { name: "adam", lr: "fast" } }, seeds: [0] };\n`,
    async (path) => {
      const err = await loadError(path);
      assert.equal(err.file, path);
      assert.equal(err.issues.length, 1);
      assert.equal(err.issues[0].path, "base.optimizer.lr");
      assert.match(err.message, /base\.optimizer\.lr: got "fast", expected a finite number > 0/);
    },
  );
});

Deno.test("loadExperiment: a file that fails to import is a SpecError naming the file", async () => {
  await withFile(`throw new Error("boom");\nexport default {};\n`, async (path) => {
    const err = await loadError(path);
    assert.equal(err.file, path);
    assert.equal(err.issues[0].path, "(file)");
    assert.match(err.issues[0].message, /could not be loaded: .*boom/);
  });
});

Deno.test("loadExperiment: a valid plain-object file loads with its axes", async () => {
  await withFile(
    `export default {
  name: "plain",
  base: { data: { name: "gaussian-1d" }, steps: 50 },
  sweep: { k: [1, 2, 3], "data.std": [0.5, 1] },
  seeds: [0, 1],
};
`,
    async (path) => {
      const exp = await loadExperiment(path);
      assert.equal(exp.name, "plain");
      assert.deepEqual(exp.axes, ["k", "data.std"]);
      assert.equal(expandRuns(exp).length, 3 * 2 * 2);
    },
  );
});

Deno.test("loadExperiment: a valid file using defineExperiment from mod.ts loads", async () => {
  const source = `import { defineExperiment, zip } from "${MOD_URL}";
export default defineExperiment({
  name: "via-mod",
  title: "Through the public API",
  base: { data: { name: "ring-8" }, k: 1, steps: 100 },
  sweep: zip({ k: [1, 5], "optimizer.lr": [1e-3, 1e-4] }),
  seeds: [0, 1, 2],
  claims: ["d-overfits"],
});
`;
  await withFile(source, async (path) => {
    const exp = await loadExperiment(path);
    assert.equal(exp.name, "via-mod");
    assert.deepEqual(exp.axes, ["k", "optimizer.lr"]);
    assert.deepEqual(exp.claims, ["d-overfits"]);
    const plans = expandRuns(exp);
    assert.equal(plans.length, 2 * 3);
    assert.deepEqual([...new Set(plans.map((p) => p.config.k))], [1, 5]);
  });
});

Deno.test("loadExperiment: experiments/k-steps.ts loads and expands to sweep x seeds runs", async () => {
  const path = fileURLToPath(new URL("../../experiments/k-steps.ts", import.meta.url));
  const exp = await loadExperiment(path);
  // The expected count from the file's own spec (defineExperiment returns it as written).
  const raw = (await import(new URL("../../experiments/k-steps.ts", import.meta.url).href))
    .default as ExperimentSpec;
  const points = Array.isArray(raw.sweep)
    ? raw.sweep.length
    : Object.values(raw.sweep ?? {}).reduce((n, values) => n * values.length, 1);
  const expected = points * raw.seeds.length;
  assert.equal(exp.name, "k-steps");
  assert.ok(exp.axes.includes("k"), `axes ${exp.axes}`);
  const plans = expandRuns(exp);
  assert.equal(plans.length, expected);
  assert.ok(expected >= 2, "a study with more than one run");
  assert.equal(new Set(plans.map((p) => p.id)).size, plans.length);
  assert.equal(new Set(plans.map((p) => p.configId)).size, points);
  if (!Array.isArray(raw.sweep) && raw.sweep?.k) {
    assert.deepEqual([...new Set(plans.map((p) => p.config.k))], raw.sweep.k);
  }
  // Loading twice gives the same run ids.
  assert.deepEqual(expandRuns(await loadExperiment(path)).map((p) => p.id), plans.map((p) => p.id));
});
