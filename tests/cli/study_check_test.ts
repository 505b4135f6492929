/**
 * Issue 18, patterns 1 and 2, through the CLI: a study whose problems used
 * to surface only after every run trained (a misspelt claim parameter, a
 * claim without the axis or the data it needs, a minibatch larger than the
 * training set, a training set no memory holds, unreadable image data), or
 * whose size was never bounded (2,000,000 runs, --seeds 100000000, steps
 * 1e15), is refused before anything is written: exit 2, one line per
 * problem naming the file, the path and the way out. A dry run answers
 * with the count and an estimated wall time.
 */
import assert from "node:assert/strict";
import { join } from "node:path";
import { cli, type CliResult, listFiles, writeExperiment } from "./_cli.ts";
import { withTempDir } from "../_temp.ts";

const TINY = `data: { name: "ring-8", trainSize: 32, validSize: 64 }, ` +
  `arch: { name: "mlp", noiseDim: 2, hidden: [8] }, batchSize: 16, steps: 40, evalEvery: 20, ` +
  `evalSamples: 100`;
const G1 = `data: { name: "gaussian-1d", trainSize: 64, validSize: 64 }, ` +
  `arch: { name: "mlp", noiseDim: 1, hidden: [8] }, batchSize: 16, steps: 40, evalEvery: 20, ` +
  `evalSamples: 100`;
const LR_1000 = `Array.from({ length: 1000 }, (_, i) => 1e-4 * (i + 1))`;

/** Runs `sweep` on a study; asserts exit 2, nothing written, no stack; returns the result. */
async function refused(
  dir: string,
  body: string,
  args: string[] = [],
  env: Record<string, string> = {},
): Promise<CliResult & { file: string }> {
  const file = await writeExperiment(dir, "x", body);
  const out = join(dir, "out");
  const r = await cli("sweep", [file, "--out", out, ...args], undefined, env);
  assert.equal(r.code, 2, `exit ${r.code}\n${r.stdout}\n${r.stderr}`);
  assert.deepEqual(await listFiles(out), [], "nothing may be written");
  assert.doesNotMatch(r.stderr, /^\s+at /m, "no stack trace");
  return { ...r, file };
}

/** The stderr line naming `path`, which must also name the file. */
function lineOf(r: CliResult & { file: string }, path: string): string {
  const line = r.stderr.split("\n").find((l) => l.includes(`: ${path}: `));
  assert.ok(line, `no line names ${path}:\n${r.stderr}`);
  assert.ok(line.startsWith(`error: ${r.file}: `), line);
  return line;
}

const CLAIM_CASES: { name: string; body: string; path: string; says: RegExp[] }[] = [
  {
    name: "a misspelt claim parameter (treshold)",
    body: `{ name: "x", base: { ${G1}, gSteps: 0 }, seeds: [0, 1, 2], ` +
      `claims: [{ id: "optimal-d", params: { treshold: 0.1 } }] }`,
    path: "claims[0].params.treshold",
    says: [/unknown param; did you mean "threshold"\?/],
  },
  {
    name: "d-overfits in a study without a k axis",
    body: `{ name: "x", base: { ${TINY} }, sweep: { "data.trainSize": [32, 64] }, ` +
      `seeds: [0, 1, 2], claims: ["d-overfits"] }`,
    path: "claims[0]",
    says: [/"d-overfits" needs "k" swept/],
  },
  {
    name: "mode-collapse without a gSteps axis",
    body: `{ name: "x", base: { ${TINY} }, sweep: { k: [1, 2] }, seeds: [0, 1, 2], ` +
      `claims: ["mode-collapse"] }`,
    path: "claims[0]",
    says: [/"mode-collapse" needs "gSteps" swept/],
  },
  {
    name: "optimal-d on a 2-D mixture",
    body: `{ name: "x", base: { ${TINY} }, seeds: [0, 1, 2], claims: ["optimal-d"] }`,
    path: "claims[0]",
    says: [/"dstar_err", which runs log only on 1-D data/, /"ring-8"/],
  },
  {
    name: "parzen-table on a 2-D mixture",
    body: `{ name: "x", base: { ${TINY} }, seeds: [0, 1, 2], claims: ["parzen-table"] }`,
    path: "claims[0]",
    says: [/image data with `parzen` set/],
  },
  {
    name: "a report metric that no run logs (hq_shar)",
    body: `{ name: "x", base: { ${TINY} }, seeds: [0], report: { metrics: ["modes", "hq_shar"] } }`,
    path: "report.metrics[1]",
    says: [/got "hq_shar", which no run logs; did you mean "hq_share"\?/],
  },
];

for (const c of CLAIM_CASES) {
  Deno.test(`study check: ${c.name} is refused before training`, async () => {
    await withTempDir("gan-check-", async (dir) => {
      const r = await refused(dir, c.body);
      const line = lineOf(r, c.path);
      for (const re of c.says) assert.match(line, re);
    });
  });
}

Deno.test("study check: batchSize 1000 with trainSize 64, and every problem at once", async () => {
  await withTempDir("gan-check-", async (dir) => {
    const r = await refused(
      dir,
      `{ name: "x", base: { ${TINY}, data: { name: "ring-8", trainSize: 64 }, batchSize: 1000 }, ` +
        `seeds: [0, 1, 2], claims: ["optimal-d"] }`,
    );
    assert.match(lineOf(r, "base.batchSize"), /got 1000, more than data.trainSize \(64\)/);
    lineOf(r, "claims[0]");
  });
});

Deno.test("study check: a training set no memory holds names data.trainSize", async () => {
  await withTempDir("gan-check-", async (dir) => {
    const r = await refused(
      dir,
      `{ name: "x", base: { ${TINY}, data: { name: "ring-8", trainSize: 1e12 } }, seeds: [0] }`,
    );
    const line = lineOf(r, "base.data.trainSize");
    assert.match(line, /the run would need about [\d.]+ TB of memory/);
    assert.match(line, /1000000000000 training points of 2 floats/);
    assert.match(line, /worker\(s\)\)$/);
  });
});

Deno.test("study check: a broken MNIST directory is refused once, before any run", async () => {
  await withTempDir("gan-check-", async (dir) => {
    const data = join(dir, "mnist-files");
    Deno.mkdirSync(data);
    for (
      const f of [
        "train-images-idx3-ubyte",
        "train-labels-idx1-ubyte",
        "t10k-images-idx3-ubyte",
        "t10k-labels-idx1-ubyte",
      ]
    ) {
      Deno.writeTextFileSync(join(data, f), "not an IDX file");
    }
    const r = await refused(
      dir,
      `{ name: "x", base: { data: { name: "mnist", trainSize: 100, validSize: 100, ` +
        `testSize: 100 }, arch: { name: "mlp", noiseDim: 8, hidden: [8] }, batchSize: 16, ` +
        `steps: 4, evalEvery: 2, evalSamples: 20 }, seeds: [0, 1] }`,
      [],
      { GAN_HARNESS_DATA_DIR: data },
    );
    const line = lineOf(r, "base.data.name");
    assert.match(line, /"mnist" cannot be read: .*mnist-files/);
    assert.match(line, /deno task data mnist/);
  });
});

Deno.test("study check: steps 1e15, in the file or from --steps, within --max-steps", async () => {
  await withTempDir("gan-check-", async (dir) => {
    const r = await refused(dir, `{ name: "x", base: { ${TINY}, steps: 1e15 }, seeds: [0] }`);
    assert.match(
      lineOf(r, "base.steps"),
      /more than the maximum of 1000000 iterations per run; raise it with --max-steps/,
    );
    const flag = await refused(
      dir,
      `{ name: "x", base: { ${TINY} }, seeds: [0] }`,
      ["--steps", "1000000000000000"],
    );
    assert.match(flag.stderr, /--steps: got 1000000000000000, more than the maximum of 1000000/);
    // Raised, the same study is planned (a dry run lists it).
    const file = await writeExperiment(
      dir,
      "big",
      `{ name: "big", base: { ${TINY}, steps: 2000000 }, seeds: [0] }`,
    );
    const ok = await cli("sweep", [
      file,
      "--out",
      join(dir, "out"),
      "--dry-run",
      "--max-steps",
      "2000000",
    ]);
    assert.equal(ok.code, 0, ok.stderr);
    assert.match(ok.stdout, /a sweep would run 1 /);
  });
});

Deno.test("study check: a 1000 x 1000 x 2-seed sweep is refused without planning it; its dry run counts it", async () => {
  await withTempDir("gan-check-", async (dir) => {
    const body = `{ name: "x", base: { ${TINY} }, sweep: { "optimizer.lr": ${LR_1000}, ` +
      `"optimizer.beta1": Array.from({ length: 1000 }, (_, i) => i / 1000) }, seeds: [0, 1] }`;
    const r = await refused(dir, body);
    assert.match(
      lineOf(r, "sweep"),
      /1000000 point\(s\) x 2 seed\(s\) = 2000000 runs, more than the maximum of 10000; .*--max-runs 2000000/,
    );
    const dry = await refused(dir, body, ["--dry-run"]);
    assert.match(
      dry.stdout,
      /2000000 runs; at about \S+ per run \(its first config\), about .* on \d+ worker/,
    );
    // status and report refuse it the same way, naming the file.
    const out = join(dir, "out");
    await Deno.mkdir(out);
    for (const command of ["status", "report"]) {
      const c = await cli(command, [r.file, "--out", out]);
      assert.equal(c.code, 2, `${command}: ${c.stdout}${c.stderr}`);
      assert.match(
        c.stderr,
        new RegExp(
          `^error: ${r.file.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")}: sweep: ` +
            `1000000 point\\(s\\) x 2 seed\\(s\\) = 2000000 runs`,
        ),
      );
    }
  });
});

Deno.test("study check: --seeds 100000000 --dry-run answers with the count, writes nothing", async () => {
  await withTempDir("gan-check-", async (dir) => {
    const r = await refused(dir, `{ name: "x", base: { ${TINY} }, seeds: [0] }`, [
      "--seeds",
      "100000000",
      "--dry-run",
    ]);
    assert.match(r.stdout, /1 point\(s\) x 100000000 seed\(s\) = 100000000 runs/);
    assert.match(r.stderr, /more than the maximum of 10000; .*--max-runs 100000000/);
  });
});

Deno.test("study check: --max-runs raises the maximum; a dry run estimates the wall time", async () => {
  await withTempDir("gan-check-", async (dir) => {
    const body =
      `{ name: "x", base: { ${TINY} }, sweep: { "optimizer.lr": ${LR_1000} }, seeds: [0, 1] }`;
    const r = await refused(dir, body, ["--max-runs", "1999"]);
    assert.match(r.stderr, /2000 runs, more than the maximum of 1999/);
    const file = await writeExperiment(dir, "y", body.replace(`name: "x"`, `name: "y"`));
    const dry = await cli("sweep", [
      file,
      "--out",
      join(dir, "out"),
      "--dry-run",
      "--max-runs",
      "2000",
    ]);
    assert.equal(dry.code, 0, dry.stderr);
    const last = dry.stdout.trim().split("\n").pop()!;
    assert.match(
      last,
      /^2000 runs: 2000 new; a sweep would run 2000 \(dry run: nothing written\); about \S+ on \d+ worker\(s\)/,
    );
    assert.deepEqual(await listFiles(join(dir, "out")), []);
  });
});
