/** `deno task run`: one config of a study with --set overrides, into the run store. */
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { cli, listFiles, writeExperiment } from "./_cli.ts";

const SPEC = `{
  name: "one",
  base: {
    data: { name: "ring-8", trainSize: 32, validSize: 64 },
    arch: { name: "mlp", noiseDim: 2, hidden: [8] },
    batchSize: 16,
    steps: 100,
    evalEvery: 50,
    evalSamples: 100,
  },
  sweep: { k: [1, 2] },
  seeds: [0, 1],
}`;

Deno.test("run: trains the base with --set overrides for one seed and prints final metrics", async () => {
  const dir = await Deno.makeTempDir({ prefix: "gan-run-" });
  try {
    const file = await writeExperiment(dir, "one", SPEC);
    const out = join(dir, "out");
    const r = await cli("run", [
      file,
      "--set",
      "k=3",
      "--set",
      "loss=minimax",
      "--seed",
      "4",
      "--steps",
      "6",
      "--out",
      out,
    ]);
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, /done in/);
    assert.match(r.stdout, /d_gap = /);
    const configs = (await listFiles(join(out, "runs", "one"))).filter((f) =>
      f.endsWith("config.json")
    );
    assert.equal(configs.length, 1);
    const config = JSON.parse(readFileSync(join(out, "runs", "one", configs[0]), "utf8"));
    assert.equal(config.k, 3);
    assert.equal(config.loss, "minimax");
    assert.equal(config.seed, 4);
    assert.equal(config.steps, 6);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("run: a bad --set names the flag and the field, exit 2, nothing written", async () => {
  const dir = await Deno.makeTempDir({ prefix: "gan-run-" });
  try {
    const file = await writeExperiment(dir, "one", SPEC);
    const out = join(dir, "out");
    const r = await cli("run", [file, "--set", "optimizer.lrr=0.1", "--out", out]);
    assert.equal(r.code, 2, r.stdout + r.stderr);
    assert.match(
      r.stderr,
      /: --set optimizer\.lrr: no field "lrr" in "optimizer"; did you mean "optimizer\.lr"\?/,
    );
    assert.deepEqual(await listFiles(out), []);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});
