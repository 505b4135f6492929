/**
 * Bad input through the CLI: exit code 2, one message naming the file, the
 * path, the value and what is accepted, and nothing written.
 */
import assert from "node:assert/strict";
import { join } from "node:path";
import { cli, listFiles, writeExperiment } from "./_cli.ts";
import { withTempDir } from "../_temp.ts";

const GOOD_BASE = `data: { name: "ring-8", trainSize: 16, validSize: 16 }, batchSize: 16, steps: 2`;
/** A valid experiment: the flags are what is wrong. */
const GOOD_SPEC = `{ name: "ok", base: { ${GOOD_BASE} }, seeds: [0] }`;

const CASES: { name: string; body: string; path: string; says: RegExp[] }[] = [
  {
    name: "unknown field with a near miss",
    body:
      `{ name: "bad", base: { ${GOOD_BASE}, optimizer: { name: "adam", lrr: 0.1 } }, seeds: [0] }`,
    path: "base.optimizer.lrr",
    says: [/unknown field/, /did you mean "lr"/],
  },
  {
    name: "wrong type",
    body:
      `{ name: "bad", base: { ${GOOD_BASE}, optimizer: { name: "adam", lr: "fast" } }, seeds: [0] }`,
    path: "base.optimizer.lr",
    says: [/"fast"/, /a finite number > 0/],
  },
  {
    name: "k: 0",
    body: `{ name: "bad", base: { ${GOOD_BASE}, k: 0 }, seeds: [0] }`,
    path: "base.k",
    says: [/got 0/, /integer >= 1/],
  },
  {
    name: "unknown loss",
    body: `{ name: "bad", base: { ${GOOD_BASE}, loss: "wasserstien" }, seeds: [0] }`,
    path: "base.loss",
    says: [/"wasserstien"/, /"minimax", "non-saturating"/],
  },
  {
    name: "unknown data set",
    body: `{ name: "bad", base: { data: { name: "ring8" } }, seeds: [0] }`,
    path: "base.data.name",
    says: [/"ring8"/, /did you mean "ring-8"/, /"gaussian-1d"/],
  },
  {
    name: "bad sweep value",
    body:
      `{ name: "bad", base: { ${GOOD_BASE} }, sweep: { "optimizer.lr": [1e-3, 1e-4, -1] }, seeds: [0] }`,
    path: `sweep["optimizer.lr"][2]`,
    says: [/got -1/],
  },
  {
    name: "dcgan on a 2-D mixture",
    body: `{ name: "bad", base: { ${GOOD_BASE}, arch: { name: "dcgan" } }, seeds: [0] }`,
    path: "base.arch.name",
    says: [/"dcgan" needs image data/, /"ring-8"/, /"mnist"/],
  },
  {
    name: "a 32x32 dcgan swept onto 28x28 images",
    body:
      `{ name: "bad", base: { data: { name: "mnist" }, arch: { name: "dcgan" } }, sweep: { "arch.imageSize": [28, 32] }, seeds: [0] }`,
    path: "arch.imageSize",
    says: [/32x32 dcgan/, /28x28 images/],
  },
  {
    name: "FID asked for on a 2-D mixture (no feature network)",
    body:
      `{ name: "bad", base: { ${GOOD_BASE}, quality: { metrics: ["precision-recall", "fid"] } }, seeds: [0] }`,
    path: "base.quality.metrics[1]",
    says: [/metric "fid" needs a feature network/, /data "ring-8" has none/],
  },
];

async function expectRejected(file: string, out: string, args: string[] = []) {
  const r = await cli("sweep", [file, "--out", out, ...args]);
  assert.equal(r.code, 2, `exit ${r.code}\n${r.stdout}\n${r.stderr}`);
  assert.deepEqual(await listFiles(out), [], "nothing may be written");
  return r;
}

for (const c of CASES) {
  Deno.test(`bad input: ${c.name} exits 2 naming file and path, writes nothing`, async () => {
    await withTempDir("gan-bad-", async (dir) => {
      const file = await writeExperiment(dir, "bad", c.body);
      const r = await expectRejected(file, join(dir, "out"));
      const line = r.stderr.split("\n").find((l) => l.includes(c.path));
      assert.ok(line, `no line names ${c.path}:\n${r.stderr}`);
      assert.ok(line.includes(file), `the line does not name the file: ${line}`);
      for (const re of c.says) assert.match(line, re);
      assert.doesNotMatch(r.stderr, /^\s+at /m, "no stack trace");
    });
  });
}

Deno.test("bad input: a missing experiment file exits 2 naming it", async () => {
  await withTempDir("gan-bad-", async (dir) => {
    const r = await expectRejected(join(dir, "nope.ts"), join(dir, "out"));
    assert.match(r.stderr, /nope\.ts: \(file\): no such experiment file/);
  });
});

Deno.test("bad input: a file without a default export exits 2", async () => {
  await withTempDir("gan-bad-", async (dir) => {
    const file = join(dir, "nodefault.ts");
    await Deno.writeTextFile(file, "export const x = 1;\n");
    const r = await expectRejected(file, join(dir, "out"));
    assert.match(r.stderr, /nodefault\.ts: \(default export\): missing/);
  });
});

Deno.test("bad input: unknown flags and bad flag values exit 2", async () => {
  await withTempDir("gan-bad-", async (dir) => {
    const file = await writeExperiment(dir, "ok", GOOD_SPEC);
    const out = join(dir, "out");
    assert.match((await expectRejected(file, out, ["--stpes", "3"])).stderr, /--stpes/);
    assert.match((await expectRejected(file, out, ["--steps", "0"])).stderr, /--steps: got "0"/);
    assert.match(
      (await expectRejected(file, out, ["--backend", "gpu"])).stderr,
      /--backend: got "gpu", expected one of auto, tensorflow, wasm, cpu/,
    );
  });
});

Deno.test("--backend tensorflow without the native binding names the setup step", async () => {
  await withTempDir("gan-bad-", async (dir) => {
    const file = await writeExperiment(dir, "ok", GOOD_SPEC);
    const r = await expectRejected(file, join(dir, "out"), ["--backend", "tensorflow"]);
    assert.match(r.stderr, /native binding is not available/);
    assert.match(r.stderr, /deno task setup:native/);
  });
});
