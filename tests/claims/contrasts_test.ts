/**
 * The contrast rule on planted studies: A better gives PASS, A worse FAIL,
 * no difference or too few seeds INCONCLUSIVE; invalid runs are left out and
 * counted per arm; seeds that differ give Welch's unpaired test; a
 * dependence on another axis is found by the interaction test.
 */
import assert from "node:assert/strict";
import { evaluateContrast, evaluateContrasts } from "../../lib/claims/contrasts.ts";
import { planStudy, type PlantedRun, plantRuns } from "../../lib/claims/simulate.ts";

const SHAPE = {
  base: { data: { name: "ring-8" }, steps: 200, evalEvery: 100 },
  sweep: { loss: ["least-squares", "non-saturating"], "optimizer.lr": [1e-4, 1e-3] },
  seeds: [0, 1, 2, 3, 4],
};
const CONTRAST = { axis: "loss", a: "least-squares", b: "non-saturating", metrics: ["modes"] };

/** A healthy ring run with `modes` (the step-0 row below it, so it made progress). */
function ring(modes: number, extra: Record<string, number> = {}): PlantedRun {
  return {
    final: { modes, hq_share: 0.6, d_spread: 0.1, d_active: 1, g_spread: 1, ...extra },
    curves: [{ step: 0, modes: 0, hq_share: 0 }, { step: 200, modes, hq_share: 0.6 }],
  };
}

const JITTER = [0.3, -0.2, 0.1, -0.4, 0.2];

function study(
  value: (loss: string, lr: number, seed: number) => PlantedRun,
  contrast: Record<string, unknown> = CONTRAST,
) {
  const planned = planStudy({ ...SHAPE, contrasts: [contrast] });
  return plantRuns(planned, (p, s) => value(p.loss as string, p["optimizer.lr"] as number, s));
}

Deno.test("contrast: A better at every level PASSes; the cells are paired by seed and Holm-adjusted", () => {
  const s = study((loss, _lr, seed) => ring((loss === "least-squares" ? 7 : 5) + JITTER[seed]));
  const [r] = evaluateContrasts(s.exp, s.joined);
  assert.equal(r.verdict, "PASS", r.evidence);
  assert.equal(r.rule, "overall");
  assert.equal(r.cells.length, 2);
  for (const c of r.cells) {
    assert.equal(c.paired, true);
    assert.equal(c.n, 5);
    assert.ok(Math.abs(c.estimate - 2) < 1e-12);
    assert.equal(c.outcome, "better");
    assert.ok(c.pHolm >= c.p);
    assert.equal(c.poi, 1);
    assert.ok(c.bootLow > 0 && c.bootHigh >= c.bootLow);
  }
  assert.equal(r.overall[0].perSeed, true);
  assert.equal(r.overall[0].outcome, "better");
  assert.match(r.evidence, /least-squares − non-saturating: modes \+2/);
  assert.equal(r.runs.length, 20);
});

Deno.test("contrast: A worse FAILs; no difference is INCONCLUSIVE, never FAIL", () => {
  const worse = study((loss, _lr, seed) => ring((loss === "least-squares" ? 4 : 6) + JITTER[seed]));
  const [w] = evaluateContrasts(worse.exp, worse.joined);
  assert.equal(w.verdict, "FAIL", w.evidence);
  assert.ok(w.cells.every((c) => c.outcome === "worse"));
  const same = study((loss, _lr, seed) =>
    ring(6 + JITTER[(seed + (loss === "least-squares" ? 0 : 2)) % 5])
  );
  const [n] = evaluateContrasts(same.exp, same.joined);
  assert.equal(n.verdict, "INCONCLUSIVE", n.evidence);
  assert.ok(n.cells.every((c) => c.outcome === "no clear difference"));
});

Deno.test("contrast: a dead D in B's runs is never evidence: B has no valid run, INCONCLUSIVE", () => {
  // Without the health checks A (7 modes) would beat B (1 mode) by far.
  const s = study((loss, _lr, seed) =>
    loss === "least-squares" ? ring(7 + JITTER[seed]) : ring(1, { d_active: 0, d_spread: 0.001 })
  );
  const [r] = evaluateContrasts(s.exp, s.joined);
  assert.equal(r.verdict, "INCONCLUSIVE", r.evidence);
  assert.ok(r.cells.every((c) => c.outcome === "not tested" && c.nB === 0));
  assert.equal(r.leftOut.b.invalid, 10);
  assert.equal(r.leftOut.a.invalid, 0);
  assert.match(r.evidence, /non-saturating: 10 invalid \(D dead: 10\)/);
  assert.match(r.evidence, /flatters the arm that lost more/);
  // Tolerating the check makes them evidence again.
  const [t] = evaluateContrasts(
    { ...s.exp, contrasts: [{ ...CONTRAST, tolerate: ["d_dead"] }] },
    s.joined,
  );
  assert.equal(t.verdict, "PASS", t.evidence);
});

Deno.test("contrast: seeds that differ give Welch's unpaired test; failed runs are counted", () => {
  const s = study((loss, _lr, seed) => {
    if (loss === "non-saturating" && seed === 4) return { state: "failed", final: null };
    return ring((loss === "least-squares" ? 7 : 5) + JITTER[seed]);
  });
  const [r] = evaluateContrasts(s.exp, s.joined);
  for (const c of r.cells) {
    assert.equal(c.paired, false);
    assert.equal(c.nA, 5);
    assert.equal(c.nB, 4);
  }
  assert.equal(r.overall[0].perSeed, false);
  assert.match(r.evidence, /unpaired: the seeds differ/);
  assert.match(r.evidence, /non-saturating: 2 failed/);
});

Deno.test("contrast: too few seeds per arm is INCONCLUSIVE and says so", () => {
  const s = study((loss, _lr, seed) =>
    seed >= 2 ? { state: null } : ring((loss === "least-squares" ? 7 : 5) + JITTER[seed])
  );
  const [r] = evaluateContrasts(s.exp, s.joined);
  assert.equal(r.verdict, "INCONCLUSIVE");
  assert.match(r.cells[0].why, /too few valid seeds \(A 2, B 2; at least 3 each\)/);
  assert.match(r.overall[0].why, /not tested/);
});

Deno.test("contrast: rules 'all' and 'any' on a difference at one level only", () => {
  const value = (loss: string, lr: number, seed: number) =>
    ring((loss === "least-squares" && lr === 1e-3 ? 8 : 5) + JITTER[seed]);
  const all = study(value, { ...CONTRAST, rule: "all" });
  assert.equal(evaluateContrasts(all.exp, all.joined)[0].verdict, "INCONCLUSIVE");
  const any = study(value, { ...CONTRAST, rule: "any" });
  const r = evaluateContrasts(any.exp, any.joined)[0];
  assert.equal(r.verdict, "PASS", r.evidence);
  assert.deepEqual(r.cells.map((c) => c.outcome), ["no clear difference", "better"]);
});

Deno.test("contrast: the interaction test finds that the difference depends on lr", () => {
  const noise = [0.31, -0.22, 0.13, -0.41, 0.19];
  const s = study((loss, lr, seed) =>
    ring(5 + (loss === "least-squares" ? (lr === 1e-3 ? 2 : 0) + noise[seed] : 0))
  );
  const [r] = evaluateContrasts(s.exp, s.joined);
  assert.equal(r.interactions.length, 1);
  const t = r.interactions[0];
  assert.equal(t.axis, "optimizer.lr");
  assert.equal(t.k, 2);
  assert.ok(t.depends, `p ${t.p}`);
  assert.match(r.evidence, /depends on optimizer\.lr/);
  const flat = study((loss, _lr, seed) =>
    ring(5 + (loss === "least-squares" ? 2 + noise[seed] : 0))
  );
  const [f] = evaluateContrasts(flat.exp, flat.joined);
  assert.equal(f.interactions[0].depends, false);
  assert.match(f.evidence, /No evidence that the difference depends on optimizer\.lr/);
});

Deno.test("contrast: a metric without a direction must say which way is better", () => {
  const s = study((loss, _lr, seed) => ring((loss === "least-squares" ? 7 : 5) + JITTER[seed]));
  const r = evaluateContrast({ ...CONTRAST, metrics: ["d_loss"] }, s.joined);
  assert.equal(r.verdict, "INCONCLUSIVE");
  assert.match(r.evidence, /"d_loss" has no better direction.*set better/);
  const lower = evaluateContrast({ ...CONTRAST, better: "lower" }, s.joined);
  assert.equal(lower.verdict, "FAIL", "more modes is worse when lower is better");
  const perMetric = evaluateContrast({ ...CONTRAST, better: { modes: "higher" } }, s.joined);
  assert.equal(perMetric.verdict, "PASS");
});

Deno.test("contrast: the same study gives the same numbers (seeded bootstrap)", () => {
  const s = study((loss, _lr, seed) => ring((loss === "least-squares" ? 6 : 5) + JITTER[seed]));
  assert.deepEqual(evaluateContrasts(s.exp, s.joined), evaluateContrasts(s.exp, s.joined));
});
