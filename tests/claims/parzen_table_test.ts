import assert from "node:assert/strict";
import { assertEffect, assertEvidence, byHand, check, plant } from "./fixtures.ts";

function study(ll: number[] | null, state?: (seed: number) => "diverged" | "failed" | undefined) {
  return plant({
    seeds: [0, 1, 2, 3, 4, 5, 6].slice(0, ll?.length ?? 3),
    run: (_point, seed) => ({
      state: state?.(seed),
      final: ll ? { parzen_ll: ll[seed], d_loss: 1 } : { d_loss: 1 },
    }),
  });
}

Deno.test("parzen-table: without a parzen_ll metric the verdict is INCONCLUSIVE", () => {
  const r = check(study(null), "parzen-table");
  assert.equal(r.verdict, "INCONCLUSIVE");
  assert.equal(r.evidence, "no parzen_ll metric in these runs");
  assert.equal(r.n, 0);
  assert.deepEqual(r.runs, []);
});

Deno.test("parzen-table: an estimate whose interval overlaps 225 ± 1.96 x 2 gives PASS, with mean and SE", () => {
  const ll = [224, 226, 223, 227, 225];
  const r = check(study(ll), "parzen-table");
  assert.equal(r.verdict, "PASS", r.evidence);
  // mean 225, sd 1.5811, SE 0.7071, 95% CI 225 ± 1.9632; the paper's 95%: [221.08, 228.92].
  assertEffect(r, byHand(ll));
  assert.equal(
    r.evidence,
    "Final parzen_ll: 225 ± 0.7071 (mean ± SE; 95% CI [223, 227]; n = 5 seeds) against the " +
      "paper's 225 ± 2 (95% [221.1, 228.9]): the intervals overlap.",
  );
});

Deno.test("parzen-table: an estimate far from the paper's is INCONCLUSIVE, never FAIL", () => {
  const ll = [150, 152, 149, 151, 150];
  const r = check(study(ll), "parzen-table");
  assert.equal(r.verdict, "INCONCLUSIVE", r.evidence);
  assertEffect(r, byHand(ll));
  assertEvidence(r, "the intervals do not overlap");
});

Deno.test("parzen-table: two seeds are too few, and failed runs are not averaged", () => {
  const few = check(study([225, 226]), "parzen-table");
  assert.equal(few.verdict, "INCONCLUSIVE");
  assertEvidence(few, "too few seeds (n = 2, at least 3 required)");
  // Two failed runs with 0 would drag the mean far from 225 if used; without them, 3 done runs pass.
  const r = check(
    study([224, 226, 225, 0, 0], (s) => s >= 3 ? "failed" : undefined),
    "parzen-table",
  );
  assert.equal(r.verdict, "PASS", r.evidence);
  assertEffect(r, byHand([224, 226, 225]));
  assertEvidence(r, "not used: 2 failed");
});
