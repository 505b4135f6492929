import assert from "node:assert/strict";
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { HtmlValidate } from "html-validate";
import { studyNotes, writeStudyReport } from "../../lib/cli/_study_report.ts";
import {
  aggregate,
  base64,
  buildReport,
  PAPER_PARZEN_TABLE,
  parseCsv,
  parzenTable,
  pngDimensions,
} from "../../lib/report/mod.ts";
import { validateExperiment } from "../../lib/spec/experiment.ts";
import { outputPaths } from "../../lib/sweep/paths.ts";
import { writeJson } from "../../lib/io/mod.ts";
import { runPaths } from "../../lib/sweep/store.ts";
import { fakePng, IMAGE_SPEC, writeImageStudy } from "./image_fixtures.ts";
import { RING_SPEC, writeStudy } from "./store_fixtures.ts";
import { withTempDir } from "../_temp.ts";

const SE3 = 1 / Math.sqrt(3);
const PAPER = [
  ["Adversarial nets", 225, 2],
  ["DBN", 138, 2],
  ["Stacked CAE", 121, 1.6],
  ["Deep GSN", 214, 1.1],
] as const;

Deno.test("the paper's Table 1 rows are one constant", () => {
  assert.equal(PAPER_PARZEN_TABLE.source, "Goodfellow et al. 2014, Table 1");
  assert.deepEqual(PAPER_PARZEN_TABLE.rows.map((r) => [r.model, r.mean, r.se]), PAPER);
});

Deno.test("parzenTable: per config the seeds' mean, across-seed SE or the run's own SE", async () => {
  await withTempDir("report-image-", (root) => {
    const s = writeImageStudy(root);
    const table = parzenTable(aggregate(s.exp, s.plans, s.records));
    assert.ok(table);
    const ours = table.rows.filter((r) => r.ours);
    assert.deepEqual(ours.map((r) => [r.model, r.n]), [["ours: k=1", 3], ["ours: k=2", 1], [
      "ours: k=3",
      3,
    ]]);
    assert.equal(ours[0].mean, 201);
    assert.ok(Math.abs(ours[0].se - SE3) < 1e-12);
    assert.equal(ours[1].mean, 211);
    assert.equal(ours[1].se, 2.1, "one seed: the run's parzen_se");
    assert.equal(ours[2].mean, 221);
    assert.match(ours[0].note, /^SE across 3 seeds \(sd\/√n\); σ = 0\.2$/);
    assert.match(ours[1].note, /^one seed \(1\): SE across test images .*parzen_se.*σ = 0\.21$/);
    assert.deepEqual(
      table.rows.filter((r) => !r.ours).map((r) => [r.model, r.mean, r.se]),
      PAPER,
    );

    const ring = writeStudy(join(root, "ring"), RING_SPEC);
    assert.equal(parzenTable(aggregate(ring.exp, ring.plans, ring.records)), null);
  });
});

Deno.test("parzenTable: invalid runs are left out of a config's mean and named; all invalid: marked", async () => {
  await withTempDir("report-image-", (root) => {
    const s = writeImageStudy(root);
    const collapse = (r: (typeof s.records)[number]) => {
      r.final!.health = {
        valid: false,
        failures: [{ check: "g_collapsed", detail: "G's samples have almost no spread" }],
      };
    };
    const k1 = s.records.filter((r) => r.config.k === 1 && r.final);
    collapse(k1[0]);
    const k2 = s.records.filter((r) => r.config.k === 2 && r.final);
    k2.forEach(collapse);
    const ours = parzenTable(aggregate(s.exp, s.plans, s.records))!.rows.filter((r) => r.ours);
    const rest = k1.slice(1).map((r) => r.final!.metrics.parzen_ll);
    assert.equal(ours[0].n, 2);
    assert.equal(ours[0].mean, (rest[0] + rest[1]) / 2);
    assert.match(
      ours[0].note,
      new RegExp(
        `^SE across 2 seeds \\(sd/√n\\); 1 invalid run\\(s\\) left out \\(G collapsed; seed ` +
          `${k1[0].config.seed}: ${k1[0].final!.metrics.parzen_ll.toFixed(1)}\\)`,
      ),
    );
    assert.match(ours[1].note, /; every run invalid \(G collapsed\): not evidence/);
    assert.doesNotMatch(ours[2].note, /invalid/);
  });
});

Deno.test("buildReport writes parzen_table.csv and the table in report.md, .html and .tex", async () => {
  await withTempDir("report-image-", async (root) => {
    const s = writeImageStudy(root);
    const out = join(root, "reports", "img");
    const result = await buildReport(s.exp, s.plans, s.records, out, { charts: false });
    assert.ok(result.files.includes(join(out, "parzen_table.csv")));

    const csvText = readFileSync(join(out, "parzen_table.csv"), "utf8");
    assert.equal(csvText.split("\n")[0], "model,mean,se,n,source,note");
    const rows = parseCsv(csvText);
    assert.deepEqual(rows.map((r) => r.model), [
      "ours: k=1",
      "ours: k=2",
      "ours: k=3",
      ...PAPER.map((p) => p[0]),
    ]);
    assert.deepEqual(rows.map((r) => r.mean), [201, 211, 221, ...PAPER.map((p) => p[1])]);
    assert.ok(Math.abs((rows[0].se as number) - SE3) < 1e-12);
    assert.equal(rows[1].se, 2.1);
    assert.deepEqual(rows.slice(3).map((r) => r.se), PAPER.map((p) => p[2]));
    assert.deepEqual(rows.map((r) => r.n), [3, 1, 3, NaN, NaN, NaN, NaN]);
    assert.deepEqual(rows.map((r) => r.source), [
      "this study",
      "this study",
      "this study",
      ...PAPER.map(() => "Goodfellow et al. 2014, Table 1"),
    ]);

    const md = readFileSync(join(out, "report.md"), "utf8");
    assert.ok(md.includes("## Parzen-window log-likelihood (Goodfellow et al. 2014, Table 1)"));
    assert.ok(md.includes("| model | log-likelihood (mean ± SE) | n | source | note |"));
    assert.ok(md.includes("| **ours: k=1** | 201 ± 0.5774 | 3 | this study | SE across 3 seeds"));
    assert.ok(md.includes("| **ours: k=2** | 211 ± 2.1 | 1 | this study | one seed (1)"));
    assert.ok(md.includes("| Adversarial nets | 225 ± 2 |  | Goodfellow et al. 2014, Table 1 |"));
    assert.ok(md.includes("| Stacked CAE | 121 ± 1.6 |"));
    assert.ok(md.indexOf("## Claims") < md.indexOf("## Parzen-window"), "after the claims");
    assert.ok(md.includes("`parzen_table.csv`"), "listed under Files");

    const tex = readFileSync(join(out, "tables.tex"), "utf8");
    assert.ok(tex.includes("\\label{tab:img-parzen}"));
    assert.ok(tex.includes("\\begin{tabular}{@{}lrrlp{0.3\\linewidth}@{}}\n\\toprule"));
    assert.ok(tex.includes("Model & Log-likelihood & $n$ & Source & Note \\\\\n\\midrule"));
    assert.ok(tex.includes("ours: k=1 & $201 \\pm 0.577$ & 3 & this study & SE across 3 seeds"));
    assert.ok(tex.includes("ours: k=2 & $211 \\pm 2.1$ & 1 & "));
    assert.ok(
      /ours: k=3 [^\n]*\\\\\n\\midrule\nAdversarial nets & \$225 \\pm 2\$ & {2}& Goodfellow et al\. 2014, Table 1 &/
        .test(tex),
      "a rule between our rows and the paper's",
    );
    assert.ok(tex.includes("Deep GSN & $214 \\pm 1.1$"));
    assert.ok(tex.includes("\\bottomrule"));

    const html = readFileSync(join(out, "report.html"), "utf8");
    const table = /<section id="parzen">[\s\S]*?<\/section>/.exec(html)?.[0] ?? "";
    assert.ok(table.includes('<table class="parzen">'));
    assert.ok(table.includes('<tr class="ours"><td><strong>ours: k=1</strong></td>'));
    assert.ok(table.includes('<td class="num">201 ± 0.5774</td><td class="num">3</td>'));
    assert.ok(table.includes('<td>Adversarial nets</td><td class="num">225 ± 2</td>'));
    assert.ok(html.includes('<a href="#parzen">Parzen table</a>'));
  });
});

Deno.test("buildReport copies each config's sample images and shows them in report.md and .html", async () => {
  await withTempDir("report-image-", async (root) => {
    const s = writeImageStudy(root);
    const out = join(root, "reports", "img");
    const result = await buildReport(s.exp, s.plans, s.records, out, { charts: false });
    const cid = (i: number) => s.plans[i].configId;
    const expected = [
      [0, "samples_nn"],
      [0, "samples"],
      [4, "samples_nn"],
      [4, "samples"],
      [7, "samples"],
    ] as const;
    const files = expected.map(([i, kind]) => `${cid(i)}-${kind}.png`);
    assert.deepEqual(readdirSync(join(out, "figures")).sort(), [...files].sort());
    for (const [n, [i, kind]] of expected.entries()) {
      const copy = readFileSync(join(out, "figures", files[n]));
      const p = runPaths(join(s.runsDir, s.plans[i].id));
      const source = readFileSync(kind === "samples" ? p.samplesPng : p.neighboursPng);
      assert.deepEqual(copy, source, `${files[n]} is not the run's file`);
      assert.ok(result.files.includes(join(out, "figures", files[n])));
    }
    assert.deepEqual(result.figures.figures.map((f) => [f.label, f.seed]), [
      ["k=1", 0],
      ["k=2", 1],
      ["k=3", 1],
    ]);
    assert.deepEqual(pngDimensions(fakePng(0, 10, 10)), [62, 8]);

    const md = readFileSync(join(out, "report.md"), "utf8");
    assert.ok(md.includes("## Samples (Figure 2)"));
    assert.ok(md.includes(`![k=1, seed 0: samples_nn](figures/${cid(0)}-samples_nn.png)`));
    assert.ok(md.includes(`![k=2, seed 1: samples](figures/${cid(4)}-samples.png)`));
    assert.ok(md.includes(`![k=3, seed 1: samples](figures/${cid(7)}-samples.png)`));
    assert.ok(!md.includes(`figures/${cid(7)}-samples_nn.png`));
    assert.ok(
      md.includes(
        `*k=2, seed 1 (run \`${s.plans[4].id}\`): generator samples, each beside its nearest ` +
          "training image",
      ),
    );
    assert.ok(!md.includes("left out."), "nothing capped");

    const html = readFileSync(join(out, "report.html"), "utf8");
    const section = /<section id="samples">[\s\S]*?<\/section>/.exec(html)?.[0] ?? "";
    for (const [i, kind] of expected) {
      const bytes = readFileSync(join(out, "figures", `${cid(i)}-${kind}.png`));
      assert.ok(section.includes(`<img src="data:image/png;base64,${base64(bytes)}"`), kind);
    }
    assert.ok(section.includes('width="124" height="16" alt="k=1, seed 0: samples"'));
    assert.ok(section.includes(`<code>${s.plans[7].id}</code>`), "caption names the run");
    const refs = [...html.matchAll(/\b(?:src|href)\s*=\s*["']?([^"'\s>]+)/gi)].map((m) => m[1]);
    for (const ref of refs) assert.ok(!/^(?:https?:)?\/\//i.test(ref), `remote reference ${ref}`);

    const report = await new HtmlValidate({ extends: ["html-validate:standard"] })
      .validateString(html);
    const messages = report.results.flatMap((r) =>
      r.messages.map((m) => `${m.line}:${m.column} ${m.ruleId}: ${m.message}`)
    );
    assert.deepEqual(messages, []);
  });
});

Deno.test("figures are capped, the cap is reported, and stale copies are removed", async () => {
  await withTempDir("report-image-", async (root) => {
    const s = writeImageStudy(root);
    const out = join(root, "reports", "img");
    await buildReport(s.exp, s.plans, s.records, out, { charts: false });
    const result = await buildReport(s.exp, s.plans, s.records, out, {
      charts: false,
      figures: { max: 1 },
    });
    const cid = s.plans[0].configId;
    assert.deepEqual(readdirSync(join(out, "figures")).sort(), [
      `${cid}-samples.png`,
      `${cid}-samples_nn.png`,
    ]);
    assert.equal(result.figures.eligible, 3);
    const note = "First 1 of 3 configurations shown (at most 1); 2 left out.";
    assert.ok(readFileSync(join(out, "report.md"), "utf8").includes(note));
    assert.ok(readFileSync(join(out, "report.html"), "utf8").includes(note));
  });
});

Deno.test("a study without image runs gets no Parzen table and no figures", async () => {
  await withTempDir("report-image-", async (root) => {
    const s = writeStudy(root, RING_SPEC);
    const out = join(root, "reports", "ring");
    // A leftover of an earlier build: removed, since no run has parzen_ll now.
    writeJson(join(out, "parzen_table.csv"), "stale");
    const result = await buildReport(s.exp, s.plans, s.records, out, { charts: false });
    assert.equal(result.parzen, null);
    assert.ok(!existsSync(join(out, "parzen_table.csv")));
    assert.ok(!existsSync(join(out, "figures")));
    const md = readFileSync(join(out, "report.md"), "utf8");
    assert.ok(!md.includes("Parzen") && !md.includes("## Samples"));
    assert.ok(!readFileSync(join(out, "tables.tex"), "utf8").includes("parzen"));
  });
});

Deno.test("charts of image runs: final parzen_ll, but no curve for a metric logged once", async () => {
  await withTempDir("report-image-", async (root) => {
    const s = writeImageStudy(root);
    const out = join(root, "reports", "img");
    const result = await buildReport(s.exp, s.plans, s.records, out, { svg: false });
    const names = result.charts.map((c) => c.name);
    assert.ok(names.includes("final-parzen_ll") && names.includes("final-nn_dist"), `${names}`);
    assert.ok(names.includes("curve-modes"));
    assert.ok(!names.includes("curve-parzen_ll"), `${names}`);
    assert.ok(!names.some((n) => n.startsWith("samples-")), "no scatter or density for images");
  });
});

Deno.test("notes are shown at the top of report.md, report.html and tables.tex", async () => {
  await withTempDir("report-image-", async (root) => {
    const s = writeImageStudy(root);
    const out = join(root, "reports", "img");
    const note = "Shortened budget: `steps` 100 & 5% of it; run with --full for the protocol.";
    await buildReport(s.exp, s.plans, s.records, out, { charts: false, notes: [note] });
    const md = readFileSync(join(out, "report.md"), "utf8");
    assert.ok(md.startsWith(`# MNIST Parzen\n\n> **Note:** ${note}\n\n`));
    const html = readFileSync(join(out, "report.html"), "utf8");
    const header = /<header>[\s\S]*?<\/header>/.exec(html)?.[0] ?? "";
    assert.ok(
      header.includes(
        '<p class="warn report-note"><strong>Note:</strong> Shortened budget: <code>steps</code> ' +
          "100 &amp; 5% of it; run with --full for the protocol.</p>",
      ),
    );
    const tex = readFileSync(join(out, "tables.tex"), "utf8");
    const paragraph = "\\paragraph{Note.} Shortened budget: \\texttt{steps} 100 \\& 5\\% of it; " +
      "run with -{}-full for the protocol.";
    assert.ok(tex.includes(paragraph));
    assert.ok(tex.indexOf(paragraph) < tex.indexOf("\\begin{table}"), "notes come first");
  });
});

Deno.test("studyNotes: the shortened budget unless the plans are the full protocol", () => {
  const exp = validateExperiment(IMAGE_SPEC);
  assert.deepEqual(studyNotes(exp, false), [
    "Shortened budget: 100 iterations instead of the paper's 1000; run with --full for the " +
    "paper's protocol.",
  ]);
  assert.deepEqual(studyNotes(exp, true), []);
  const { full: _full, ...noFull } = IMAGE_SPEC;
  assert.deepEqual(studyNotes(validateExperiment(noFull), false), [
    "Shortened budget: 100 iterations instead of the paper's 1000.",
  ]);
  const { shortened: _s, ...plain } = IMAGE_SPEC;
  assert.deepEqual(studyNotes(validateExperiment(plain), false), []);
});

Deno.test("writeStudyReport: the note follows options.full, else the last sweep's settings", async () => {
  await withTempDir("report-image-", async (root) => {
    const s = writeImageStudy(root);
    const paths = outputPaths(s.exp.name, root);
    const md = () => readFileSync(join(paths.reports, "report.md"), "utf8");
    const report = await writeStudyReport(s.exp, s.plans, paths);
    assert.ok(md().includes("> **Note:** Shortened budget: 100 iterations"));
    assert.deepEqual(report.claims.map((c) => c.id), ["parzen-table"]);
    assert.ok(existsSync(join(paths.reports, "parzen_table.csv")));
    writeJson(paths.sweepFile, { expand: { full: true }, runs: [] });
    await writeStudyReport(s.exp, s.plans, paths);
    assert.ok(!md().includes("Shortened budget"), "sweep.json says full");
    await writeStudyReport(s.exp, s.plans, paths, { full: false });
    assert.ok(md().includes("Shortened budget"), "options.full wins over sweep.json");
  });
});
