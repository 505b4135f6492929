/**
 * Integrity of the run store (issue 18, pattern 4): a finished run records
 * the size and sha256 of what it wrote in its manifest; `inspectRun` names
 * every damaged file (deleted, truncated, changed, garbage) of a finished
 * run; the classification retrains a damaged run or, with `keepDamaged`,
 * keeps it; a report's records count it as failed, naming the file. The
 * store is one real tiny sweep, copied for each case.
 */
import assert from "node:assert/strict";
import { cpSync, existsSync, readFileSync, rmSync, truncateSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { sha256 } from "../../lib/io/mod.ts";
import { expandRuns, validateExperiment } from "../../lib/spec/mod.ts";
import {
  classifyPlans,
  type Damage,
  inspectRun,
  readCheckedRuns,
  resetDamagedRun,
} from "../../lib/sweep/mod.ts";
import { cli, writeExperiment } from "../cli/_cli.ts";
import { withTempDir } from "../_temp.ts";
import { tinyStudy } from "../_tiny.ts";

const SPEC = tinyStudy({ name: "v", steps: 20, evalEvery: 10, sweep: { k: [1, 2] }, seeds: [0] });
const PLANS = expandRuns(validateExperiment(SPEC));

let store: string | null = null;
/** A finished store of two runs, made once by a real sweep. */
async function finishedStore(): Promise<string> {
  if (store) return store;
  const dir = await Deno.makeTempDir({ prefix: "gan-verify-store-" });
  const file = await writeExperiment(dir, "v", JSON.stringify(SPEC));
  const r = await cli("sweep", [file, "--out", join(dir, "out"), "--no-report", "--quiet"]);
  assert.equal(r.code, 0, r.stderr);
  store = join(dir, "out", "runs", "v");
  globalThis.addEventListener("unload", () => Deno.removeSync(dir, { recursive: true }));
  return store;
}

/** Runs `fn` on a fresh copy of the store; `damage` changes the first run first. */
async function withCopy(
  damage: (runDir: string) => void,
  fn: (runs: string, id: string) => void,
): Promise<void> {
  const src = await finishedStore();
  await withTempDir("gan-verify-", (dir) => {
    const runs = join(dir, "v");
    cpSync(src, runs, { recursive: true });
    damage(join(runs, PLANS[0].id));
    fn(runs, PLANS[0].id);
  });
}

function damageOf(runs: string, id: string): Damage[] {
  return inspectRun(join(runs, id), id).damage;
}

Deno.test("verify: a finished run records size and sha256 of what it wrote", async () => {
  const runs = await finishedStore();
  for (const plan of PLANS) {
    const dir = join(runs, plan.id);
    const manifest = JSON.parse(readFileSync(join(dir, "manifest.json"), "utf8"));
    assert.deepEqual(Object.keys(manifest.outputs).sort(), [
      "config.json",
      "final.json",
      "metrics.csv",
      "samples.csv",
    ]);
    for (
      const [name, rec] of Object.entries(
        manifest.outputs as Record<string, { size: number; sha256: string }>,
      )
    ) {
      const bytes = readFileSync(join(dir, name));
      assert.equal(rec.size, bytes.length, name);
      assert.equal(rec.sha256, sha256(bytes), name);
    }
    assert.deepEqual(inspectRun(dir, plan.id), {
      status: JSON.parse(readFileSync(join(dir, "status.json"), "utf8")),
      damage: [],
    });
  }
});

const CASES: { name: string; damage: (dir: string) => void; want: RegExp }[] = [
  {
    name: "a deleted metrics.csv",
    damage: (d) => rmSync(join(d, "metrics.csv")),
    want: /^metrics\.csv: missing$/,
  },
  {
    name: "a truncated final.json",
    damage: (d) => truncateSync(join(d, "final.json"), 20),
    want: /^final\.json: 20 bytes where the run wrote \d+ \(truncated or changed\)$/,
  },
  {
    name: "a deleted final.json",
    damage: (d) => rmSync(join(d, "final.json")),
    want: /^final\.json: missing$/,
  },
  {
    name: "a garbage config.json",
    damage: (d) => writeFileSync(join(d, "config.json"), "garbage"),
    want: /^config\.json: not JSON/,
  },
  {
    name: "a config.json of another run",
    damage: (d) => cpSync(join(d, "..", PLANS[1].id, "config.json"), join(d, "config.json")),
    want: new RegExp(`^config\\.json: holds the config of run ${PLANS[1].id}$`),
  },
  {
    name: "a changed samples.csv",
    damage: (d) => {
      const p = join(d, "samples.csv");
      const text = readFileSync(p, "utf8");
      writeFileSync(p, text.replace(/\d(?=\D*$)/, (c) => String((Number(c) + 1) % 10)));
    },
    want: /^samples\.csv: its sha256 differs from the one the run recorded \(changed\)$/,
  },
  {
    name: "a garbage status.json",
    damage: (d) => writeFileSync(join(d, "status.json"), "{ half"),
    want: /^status\.json: not JSON/,
  },
  {
    name: "a garbage manifest.json",
    damage: (d) => writeFileSync(join(d, "manifest.json"), ""),
    want: /^manifest\.json: empty file$/,
  },
];

for (const c of CASES) {
  Deno.test(`verify: ${c.name} is damage, named`, async () => {
    await withCopy(c.damage, (runs, id) => {
      const damage = damageOf(runs, id);
      assert.equal(damage.length, 1, JSON.stringify(damage));
      assert.match(`${damage[0].file}: ${damage[0].problem}`, c.want);
      assert.deepEqual(damageOf(runs, PLANS[1].id), [], "the other run is intact");
    });
  });
}

Deno.test("verify: a run written before manifests recorded outputs is checked by parsing", async () => {
  const dropOutputs = (d: string) => {
    const p = join(d, "manifest.json");
    const { outputs: _outputs, ...rest } = JSON.parse(readFileSync(p, "utf8"));
    writeFileSync(p, JSON.stringify(rest));
  };
  await withCopy(dropOutputs, (runs, id) => assert.deepEqual(damageOf(runs, id), []));
  await withCopy((d) => {
    dropOutputs(d);
    writeFileSync(join(d, "final.json"), "{ trunc");
    rmSync(join(d, "metrics.csv"));
  }, (runs, id) => {
    const damage = damageOf(runs, id);
    assert.deepEqual(damage.map((x) => x.file), ["final.json", "metrics.csv"]);
  });
});

Deno.test("verify: classification retrains a damaged run, or keeps it with keepDamaged", async () => {
  await withCopy((d) => rmSync(join(d, "final.json")), (runs) => {
    const plain = classifyPlans(PLANS, runs);
    assert.deepEqual(plain.map((c) => c.kind), ["run", "finished"]);
    assert.equal(plain[0].damage?.[0].file, "final.json");
    assert.equal(plain[1].damage, undefined);
    const kept = classifyPlans(PLANS, runs, { keepDamaged: true });
    assert.deepEqual(kept.map((c) => c.kind), ["damaged", "finished"]);
  });
});

Deno.test("verify: a report's records count a damaged run as failed, naming the file", async () => {
  await withCopy((d) => writeFileSync(join(d, "config.json"), "garbage"), (runs, id) => {
    const { records, damaged } = readCheckedRuns(runs, PLANS);
    assert.deepEqual(damaged.map((d) => d.id), [id]);
    const r = records.find((x) => x.id === id);
    assert.ok(r, "a run with a garbage config.json is not dropped");
    assert.equal(r.status.state, "failed");
    assert.match(
      r.status.error!,
      /^damaged: config\.json: not JSON .*rerun the sweep to retrain it$/,
    );
    assert.equal(r.final, null);
    assert.deepEqual(r.config, PLANS[0].config);
    const other = records.find((x) => x.id === PLANS[1].id)!;
    assert.equal(other.status.state, "done");
    assert.ok(other.final);
  });
});

Deno.test("verify: resetting a damaged run leaves it queued, with a note, without its results", async () => {
  await withCopy((d) => writeFileSync(join(d, "config.json"), "garbage"), (runs, id) => {
    const dir = join(runs, id);
    const { status, damage } = inspectRun(dir, id);
    resetDamagedRun(dir, status, damage);
    for (
      const f of [
        "final.json",
        "metrics.csv",
        "checkpoint.bin",
        "manifest.json",
        "samples.csv",
        "config.json",
      ]
    ) {
      assert.ok(!existsSync(join(dir, f)), f);
    }
    const after = JSON.parse(readFileSync(join(dir, "status.json"), "utf8"));
    assert.equal(after.state, "queued");
    assert.equal(after.attempts, 1);
    assert.match(after.note, /^retrained from scratch: config\.json: not JSON/);
  });
});
