/**
 * The sample-quality section of a report: `quality_table.csv` with each
 * configuration's mean [95% CI] beside the held-out reference and the
 * counts, the section in report.md and report.html, the memorisation
 * figure from the runs' `nn_distances.csv`, and the Parzen baselines beside
 * Table 1. A study without quality metrics gets none of them.
 */
import assert from "node:assert/strict";
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { buildReport } from "../../lib/report/mod.ts";
import { aggregate } from "../../lib/report/aggregate.ts";
import { qualityTable } from "../../lib/report/quality.ts";
import { parzenTable } from "../../lib/report/parzen_table.ts";
import type { ParzenBaselines } from "../../lib/baselines/mod.ts";
import { metricsToCsv } from "../../lib/sweep/store.ts";
import { toCsv, writeAtomic, writeJson } from "../../lib/io/mod.ts";
import { diskStudy, writeRunStatus } from "./store_fixtures.ts";
import { IMAGE_SPEC, writeImageStudy } from "./image_fixtures.ts";
import { withTempDir } from "../_temp.ts";
import type { ExperimentSpec } from "../../lib/spec/mod.ts";

const SPEC: ExperimentSpec = {
  name: "quality",
  title: "quality",
  base: {
    data: { name: "mnist", trainSize: 100, validSize: 50, testSize: 50 },
    arch: { name: "mlp", noiseDim: 4, hidden: [8] },
    steps: 100,
    evalEvery: 50,
    quality: { samples: 40 },
  },
  sweep: { k: [1, 2] },
  seeds: [0, 1, 2],
};

function writeStudy(root: string) {
  return diskStudy(root, SPEC, (plan, i, p) => {
    writeRunStatus(p, plan, "done", "");
    const k = plan.config.k;
    const final = {
      fid: 10 * k + plan.seed,
      fid_heldout: 1,
      kid: 0.01 * k,
      kid_heldout: 0.001,
      precision: 0.5,
      precision_heldout: 0.8,
      n_real: 40,
      n_fake: 40,
      n_heldout: 40,
      mem_copy_share: 0.05,
      mem_ratio: 1.2,
      mem_n: 40,
    };
    writeAtomic(p.metrics, metricsToCsv([{ step: 100, ...final }]));
    writeJson(p.final, { step: 100, metrics: final });
    const rows = Array.from(
      { length: 40 },
      (_, j) => ({ set: j % 2 ? "sample" : "heldout", distance: 4 + (j % 7) + i }),
    );
    writeAtomic(p.nnDistances, toCsv(rows, ["set", "distance"]));
  });
}

Deno.test("quality report: the table beside the held-out reference, the section, the memorisation figure", async () => {
  await withTempDir("quality-report-", async (root) => {
    const s = writeStudy(root);
    const t = qualityTable(aggregate(s.exp, s.plans, s.records))!;
    const fid1 = t.rows.find((r) => r.config === "k=1" && r.metric === "fid")!;
    assert.equal(fid1.mean, 11);
    assert.equal(fid1.heldout, 1);
    assert.equal(fid1.n, 3);
    assert.equal(fid1.counts, "n_real 40, n_fake 40, n_heldout 40");
    const mem = t.rows.find((r) => r.metric === "mem_copy_share")!;
    assert.ok(Number.isNaN(mem.heldout));
    assert.equal(mem.counts, "40 samples and held-out");
    const out = join(root, "reports");
    const r = await buildReport(s.exp, s.plans, s.records, out, { png: false });
    assert.ok(r.quality);
    const csv = readFileSync(join(out, "quality_table.csv"), "utf8");
    assert.match(csv, /^config,metric,mean,ci95_low,ci95_high,n,heldout,counts\n/);
    assert.match(csv, /k=2,fid,21,/);
    const md = readFileSync(join(out, "report.md"), "utf8");
    assert.match(md, /## Sample quality and memorisation/);
    assert.match(md, /not Inception-v3/);
    const html = readFileSync(join(out, "report.html"), "utf8");
    assert.match(html, /<section id="quality">/);
    const chart = JSON.parse(readFileSync(join(out, "charts", "memorisation.vl.json"), "utf8"));
    const sets = new Set(chart.data.values.map((v: { set: string }) => v.set));
    assert.deepEqual([...sets].sort(), ["held-out images", "samples"]);
    for (const config of ["k=1", "k=2"]) {
      for (const set of sets) {
        const shares = chart.data.values.filter((v: { config: string; set: string }) =>
          v.config === config && v.set === set
        );
        const total = shares.reduce((a: number, v: { share: number }) => a + v.share, 0);
        assert.ok(Math.abs(total - 1) < 1e-9, `${config} ${set}: ${total}`);
      }
    }
    assert.ok(existsSync(join(out, "charts", "memorisation.svg")));
  });
});

Deno.test("quality report: a study without quality metrics writes no quality table, and Parzen baselines sit beside Table 1", async () => {
  await withTempDir("quality-report-", async (root) => {
    const s = writeImageStudy(root, IMAGE_SPEC);
    const agg = aggregate(s.exp, s.plans, s.records);
    assert.equal(qualityTable(agg), null);
    const baselines: ParzenBaselines = {
      config: {
        dataset: "mnist",
        samples: 10_000,
        validPoints: 1_000,
        testPoints: 10_000,
        trainSize: 50_000,
        kmeansIterations: 10,
        seed: 0,
      },
      data: [],
      training: { mean: 240.5, se: 2, sigma: 0.17, seconds: 5, cpuSeconds: 5 },
      kmeans: {
        mean: 300.25,
        se: 1.5,
        sigma: 0.2,
        seconds: 100,
        cpuSeconds: 90,
        iterations: 10,
        converged: false,
      },
      createdAt: "",
    };
    const t = parzenTable(agg, "parzen_ll", baselines)!;
    const models = t.rows.map((r) => r.model);
    assert.deepEqual(models.slice(-6, -4), [
      "baseline: 10,000 training images as samples",
      "baseline: k-means, 10,000 centres",
    ]);
    assert.equal(models[models.length - 4], "Adversarial nets");
    const out = join(root, "reports");
    await buildReport(s.exp, s.plans, s.records, out, { png: false, parzenBaselines: baselines });
    assert.ok(!existsSync(join(out, "quality_table.csv")));
    const csv = readFileSync(join(out, "parzen_table.csv"), "utf8");
    assert.match(csv, /"baseline: k-means, 10,000 centres",300.25,1.5,,"this harness/);
    assert.match(
      readFileSync(join(out, "report.md"), "utf8"),
      /k-means on 50,000 training images \(10 iterations\)/,
    );
  });
});
