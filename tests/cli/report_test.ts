/** `deno task report`: rebuilds an image study's report; `--full` selects the full protocol. */
import assert from "node:assert/strict";
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { IMAGE_SPEC, writeImageStudy } from "../report/image_fixtures.ts";
import { cli, writeExperiment } from "./_cli.ts";
import { viewFlags } from "../../lib/cli/report.ts";
import { withTempDir } from "../_temp.ts";

Deno.test("report --help names --full", async () => {
  const r = await cli("report", ["--help"]);
  assert.equal(r.code, 0, r.stderr);
  assert.match(r.stdout, /--full/);
});

Deno.test("report: Parzen table, figures and the shortened-budget note; --full drops the note", async () => {
  await withTempDir("gan-report-", async (dir) => {
    const file = await writeExperiment(dir, "img", JSON.stringify(IMAGE_SPEC));
    const out = join(dir, "out");
    writeImageStudy(out);
    const reports = join(out, "reports", "img");
    const md = () => readFileSync(join(reports, "report.md"), "utf8");

    const r = await cli("report", [file, "--out", out]);
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, /img: 8 of 9 planned runs found/);
    assert.match(r.stdout, /parzen-table: INCONCLUSIVE/);
    assert.ok(
      md().includes(
        "> **Note:** Shortened budget: 100 iterations instead of the paper's 1000; run with " +
          "--full for the paper's protocol.",
      ),
    );
    assert.match(md(), /\| \*\*ours: k=1\*\* \| 201 ± 0\.5774 \| 3 \|/);
    assert.ok(readFileSync(join(reports, "parzen_table.csv"), "utf8").includes("Deep GSN,214"));
    assert.equal(readdirSync(join(reports, "figures")).length, 5);

    // The full protocol has other run ids (steps 1000): nothing found, no note.
    const full = await cli("report", [file, "--out", out, "--full"]);
    assert.equal(full.code, 0, full.stderr);
    assert.match(full.stdout, /img: 0 of 9 planned runs found/);
    assert.ok(!md().includes("Shortened budget"));
    assert.ok(!existsSync(join(reports, "parzen_table.csv")));
    assert.ok(!existsSync(join(reports, "figures")), "stale figures removed");
  });
});

Deno.test("report --metrics: a metric no run logs is a usage error naming the closest one", () => {
  assert.throws(
    () => viewFlags({ metrics: "modes,hq_shar" }, ["k"]),
    /--metrics\[1\]: got "hq_shar", which no run logs; did you mean "hq_share"\?/,
  );
  assert.deepEqual(viewFlags({ metrics: "modes,hq_share" }, ["k"]).metrics, ["modes", "hq_share"]);
});
