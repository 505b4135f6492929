/**
 * End to end: a tiny real sweep and report through the CLI in a temporary
 * directory, checking the files of the output contract; rerunning skips
 * finished runs; `report` rebuilds the report from the runs alone.
 */
import assert from "node:assert/strict";
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { cli, listFiles, writeExperiment } from "./_cli.ts";
import { withTempDir } from "../_temp.ts";
import { tinyStudy } from "../_tiny.ts";

// d-overfits needs its axis (k) and its control (the training set size) swept.
const SPEC = JSON.stringify(tinyStudy(
  {
    name: "tiny",
    steps: 200,
    evalEvery: 100,
    sweep: { k: [1, 2], "data.trainSize": [32, 64] },
    seeds: [0, 1, 2],
  },
  { title: "A tiny sweep", claims: ["d-overfits"] },
));

function csvRows(path: string): Record<string, string>[] {
  const [head, ...lines] = readFileSync(path, "utf8").trim().split("\n");
  const cols = head.split(",");
  return lines.map((l) => Object.fromEntries(l.split(",").map((v, i) => [cols[i], v])));
}

Deno.test("sweep + report: a tiny real sweep leaves the files of the contract", async () => {
  await withTempDir("gan-e2e-", async (dir) => {
    const file = await writeExperiment(dir, "tiny", SPEC);
    const out = join(dir, "out");
    const first = await cli("sweep", [file, "--steps", "4", "--seeds", "2", "--out", out]);
    assert.equal(first.code, 0, first.stderr + first.stdout);
    assert.match(first.stdout, /backend: wasm/);
    assert.match(first.stdout, /8 runs/);

    const runIds = (await listFiles(join(out, "runs", "tiny")))
      .filter((f) => f.endsWith("/config.json")).map((f) => f.split("/")[0]);
    assert.equal(runIds.length, 8);
    for (const id of runIds) {
      for (
        const f of ["config.json", "status.json", "metrics.csv", "final.json", "manifest.json"]
      ) {
        assert.ok(existsSync(join(out, "runs", "tiny", id, f)), `${id}/${f}`);
      }
      const status = JSON.parse(readFileSync(join(out, "runs", "tiny", id, "status.json"), "utf8"));
      assert.equal(status.state, "done");
      const config = JSON.parse(readFileSync(join(out, "runs", "tiny", id, "config.json"), "utf8"));
      assert.equal(config.steps, 4);
      assert.ok(id.endsWith(`-s${config.seed}`));
    }

    const reports = join(out, "reports", "tiny");
    const files = await listFiles(reports);
    for (const f of ["runs.csv", "summary.csv", "curves.csv"]) assert.ok(files.includes(f), f);
    assert.ok(files.some((f) => /^charts\/.+\.vl\.json$/.test(f)), files.join(" "));
    assert.ok(files.some((f) => /^charts\/.+\.svg$/.test(f)), files.join(" "));
    const runs = csvRows(join(reports, "runs.csv"));
    assert.equal(runs.length, 8);
    assert.deepEqual(runs.map((r) => r.state), Array(8).fill("done"));
    assert.deepEqual([...new Set(runs.map((r) => r.k))].sort(), ["1", "2"]);
    assert.ok(runs.every((r) => r.run_id && r.seed !== undefined && r.d_gap !== ""));
    const summary = csvRows(join(reports, "summary.csv"));
    assert.equal(summary.length, 4);
    assert.ok(summary.every((r) => r.d_gap_n === "2"), JSON.stringify(summary[0]));
    for (const f of ["claims.json", "report.md", "report.html", "tables.tex"]) {
      assert.ok(files.includes(f), f);
    }
    const claims = JSON.parse(readFileSync(join(reports, "claims.json"), "utf8"));
    assert.equal(claims.length, 1);
    assert.equal(claims[0].id, "d-overfits");
    // Two seeds are too few for a verdict: the engine says so rather than guess.
    assert.equal(claims[0].verdict, "INCONCLUSIVE");
    assert.match(first.stdout, /d-overfits: INCONCLUSIVE/);
    const svg = readFileSync(join(reports, files.find((f) => f.endsWith(".svg"))!), "utf8");
    assert.ok(svg.startsWith("<svg"));

    // Rerunning skips every finished run and changes none of its files.
    const metricsBefore = readFileSync(join(out, "runs", "tiny", runIds[0], "metrics.csv"), "utf8");
    const second = await cli("sweep", [file, "--steps", "4", "--seeds", "2", "--out", out]);
    assert.equal(second.code, 0, second.stderr);
    assert.equal((second.stdout.match(/skip /g) ?? []).length, 8);
    assert.match(second.stdout, /0 ran, 8 skipped/);
    assert.equal(
      readFileSync(join(out, "runs", "tiny", runIds[0], "metrics.csv"), "utf8"),
      metricsBefore,
    );

    // The report rebuilds from the runs alone (finding the sweep's --steps/--seeds).
    await Deno.remove(reports, { recursive: true });
    const report = await cli("report", [file, "--out", out]);
    assert.equal(report.code, 0, report.stderr);
    assert.match(report.stdout, /8 of 8 planned runs found/);
    assert.deepEqual(await listFiles(reports), files);
  });
});
