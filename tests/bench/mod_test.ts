/**
 * `deno task bench` arguments: every case by default, named cases, `--json`
 * and `--baseline` anywhere, and clear errors for unknown cases and flags.
 * (The benchmarks themselves are timed by `deno task bench`, never here.)
 */
import assert from "node:assert/strict";
import { BENCH_CASES, parseBenchArgs } from "../../bench/mod.ts";
import { productReplay, RecordingBlas } from "../../bench/blas_replay.ts";
import { nativeBlas } from "../../lib/runtime/blas.ts";

Deno.test("bench args: all cases by default, --json and --baseline before or after case names", () => {
  assert.deepEqual(Object.keys(BENCH_CASES), [
    "step",
    "paper-mnist",
    "parzen",
    "features",
    "throughput",
    "report",
  ]);
  assert.deepEqual(parseBenchArgs([]), {
    cases: Object.keys(BENCH_CASES),
    json: false,
    baseline: false,
  });
  assert.deepEqual(parseBenchArgs(["--json"]), {
    cases: Object.keys(BENCH_CASES),
    json: true,
    baseline: false,
  });
  assert.deepEqual(parseBenchArgs(["paper-mnist", "--json", "--baseline", "step"]), {
    cases: ["paper-mnist", "step"],
    json: true,
    baseline: true,
  });
});

Deno.test("bench args: unknown cases and flags are errors listing what is accepted", () => {
  assert.throws(
    () => parseBenchArgs(["paper_mnist"]),
    /unknown case\(s\) paper_mnist; cases: step, paper-mnist, parzen, features, throughput, report/,
  );
  assert.throws(
    () => parseBenchArgs(["--jsn"]),
    /unknown flag\(s\) --jsn; flags: --json, --baseline/,
  );
});

Deno.test({
  name: "blas replay: records every call, replays the products alone on copies",
  ignore: nativeBlas() === null,
  fn() {
    const blas = nativeBlas()!;
    const rec = new RecordingBlas(blas);
    const a = Float32Array.from([1, 2, 3, 4]);
    const b = Float32Array.from([5, 6, 7, 8]);
    const c = new Float32Array(4);
    const ones = Float32Array.from([1, 1]);
    const y = new Float32Array(2);
    rec.sgemm(false, false, 2, 2, 2, 1, a, 2, b, 2, 0, c, 2); // not recorded
    rec.recording = true;
    rec.sgemm(false, false, 2, 2, 2, 1, a, 2, b, 2, 0, c, 2);
    rec.sgemv(false, 2, 2, 1, a, 2, b, 1, 0, y, 1); // a product
    rec.sgemv(true, 2, 2, 1, a, 2, ones, 1, 0, y, 1); // a column sum
    rec.saxpy(4, 1, a, 1, c, 1);
    rec.recording = false;
    assert.deepEqual(rec.calls.map((x) => [x.fn, x.product]), [
      ["sgemm", true],
      ["sgemv", true],
      ["sgemv", false],
      ["saxpy", false],
    ]);
    assert.deepEqual(Array.from(c), [20, 24, 46, 54], "calls pass through");
    const replay = productReplay(blas, rec.calls);
    assert.equal(replay.count, 2);
    assert.equal(replay.madds, 2 * 2 * 2 + 2 * 2);
    const before = c.slice();
    replay.run();
    assert.deepEqual(c, before, "the replay writes into copies");
  },
});
