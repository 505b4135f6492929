import assert from "node:assert/strict";
import {
  canonicalJson,
  cartesian,
  CLAIM_IDS,
  configHash,
  defineExperiment,
  exclude,
  expandRuns,
  type ExperimentSpec,
  minimalConfig,
  runId,
  SpecError,
  validateExperiment,
  zip,
} from "../../lib/spec/mod.ts";
import { DATA_NAMES, LOSS_NAMES } from "../../lib/spec/config.ts";
import type { Issue } from "../../lib/spec/schema.ts";

/** A small valid experiment; tests spread their changes over it. */
function spec(overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    name: "t-1",
    base: {
      data: { name: "ring-8", trainSize: 64 },
      optimizer: { name: "adam", lr: 1e-3 },
      k: 1,
      steps: 200,
      evalEvery: 50,
    },
    sweep: { k: [1, 2] },
    seeds: [0, 1],
    ...overrides,
  };
}

/** The SpecError that validating `s` throws. */
function specError(s: unknown): SpecError {
  let caught: unknown;
  try {
    validateExperiment(s);
  } catch (e) {
    caught = e;
  }
  assert.ok(caught instanceof SpecError, `expected a SpecError, got ${caught}`);
  return caught;
}

/** The one issue at `path`, failing with the full list when it is absent. */
function issueAt(issues: Issue[], path: string): Issue {
  const hits = issues.filter((i) => i.path === path);
  assert.equal(hits.length, 1, `one issue at ${path}; got ${JSON.stringify(issues, null, 1)}`);
  return hits[0];
}

function ids(s: Record<string, unknown>): string[] {
  return expandRuns(validateExperiment(s)).map((p) => p.id);
}

// ---- validation ----------------------------------------------------------

Deno.test("validateExperiment: a valid spec passes and lists its axes", () => {
  const exp = validateExperiment(spec({ sweep: { k: [1, 2], "optimizer.lr": [1e-4, 1e-3] } }));
  assert.deepEqual(exp.axes, ["k", "optimizer.lr"]);
  assert.equal(exp.sweep.length, 4);
  assert.deepEqual(exp.claims, []);
  assert.equal(exp.name, "t-1");
});

Deno.test("validateExperiment: unknown top-level field suggests the right one (seed -> seeds)", () => {
  const s = spec({ seed: [0] });
  delete s.seeds;
  const err = specError(s);
  const i = issueAt(err.issues, "seed");
  assert.match(i.message, /unknown field; did you mean "seeds"\?/);
  assert.match(i.message, /Accepted fields: .*seeds/);
  assert.match(issueAt(err.issues, "seeds").message, /got nothing, expected an array/);
  assert.match(err.message, /^seed: unknown field/m);
});

Deno.test("validateExperiment: unknown nested field (base.optimizer.lrr) suggests lr", () => {
  const err = specError(spec({ base: { optimizer: { name: "adam", lrr: 1e-3 } } }));
  assert.equal(err.issues.length, 1, JSON.stringify(err.issues));
  const i = issueAt(err.issues, "base.optimizer.lrr");
  assert.match(i.message, /unknown field; did you mean "lr"\?/);
  assert.match(i.message, /Accepted fields: name, lr, beta1, beta2, eps/);
});

Deno.test("validateExperiment: a wrong type names the value and what is accepted", () => {
  const err = specError(spec({ base: { optimizer: { name: "adam", lr: "fast" } } }));
  const i = issueAt(err.issues, "base.optimizer.lr");
  assert.match(i.message, /"fast"/);
  assert.match(i.message, /a finite number > 0/);
  assert.match(err.message, /base\.optimizer\.lr: got "fast", expected a finite number > 0/);
});

Deno.test("validateExperiment: k: 0 is rejected at base.k as not an integer >= 1", () => {
  const err = specError(spec({ base: { k: 0 } }));
  assert.equal(err.issues.length, 1, JSON.stringify(err.issues));
  const i = issueAt(err.issues, "base.k");
  assert.match(i.message, /got 0/);
  assert.match(i.message, /an integer >= 1/);
  assert.match(issueAt(specError(spec({ base: { k: 1.5 } })).issues, "base.k").message, /got 1\.5/);
});

Deno.test("validateExperiment: unknown loss suggests the near miss and lists the losses", () => {
  const err = specError(spec({ base: { loss: "non-saturatin" } }));
  const i = issueAt(err.issues, "base.loss");
  assert.match(i.message, /got "non-saturatin"/);
  assert.match(i.message, /did you mean "non-saturating"\?/);
  for (const l of LOSS_NAMES) assert.ok(i.message.includes(`"${l}"`), `lists ${l}: ${i.message}`);
});

Deno.test("validateExperiment: unknown data set name is reported at base.data.name", () => {
  const err = specError(spec({ base: { data: { name: "ring-9" } } }));
  assert.equal(err.issues.length, 1, JSON.stringify(err.issues));
  const i = issueAt(err.issues, "base.data.name");
  assert.match(i.message, /got "ring-9"/);
  assert.match(i.message, /did you mean "ring-8"\?/);
  for (const d of DATA_NAMES) assert.ok(i.message.includes(`"${d}"`), `lists ${d}`);
});

Deno.test('validateExperiment: a bad sweep value names sweep["optimizer.lr"][2]', () => {
  const err = specError(spec({ sweep: { "optimizer.lr": [1e-4, 1e-3, -0.1] } }));
  assert.equal(err.issues.length, 1, JSON.stringify(err.issues));
  const i = issueAt(err.issues, 'sweep["optimizer.lr"][2]');
  assert.match(i.message, /got -0\.1, expected a finite number > 0/);
  assert.match(err.message, /^sweep\["optimizer\.lr"\]\[2\]: got -0\.1/m);
});

Deno.test('validateExperiment: an unknown sweep path is reported once and suggests "optimizer.lr"', () => {
  const err = specError(spec({ sweep: { "optimizer.lrr": [1e-4, 1e-3, 1e-2] } }));
  assert.equal(err.issues.length, 1, JSON.stringify(err.issues));
  const i = issueAt(err.issues, 'sweep["optimizer.lrr"]');
  assert.match(i.message, /no field "lrr" in "optimizer"; did you mean "optimizer\.lr"\?/);
  assert.match(i.message, /Accepted: name, lr, beta1, beta2, eps/);
  // Also when base leaves the optimizer to its default (adam).
  const bare = specError({ name: "t", base: {}, sweep: { "optimizer.lrr": [1e-3] }, seeds: [0] });
  assert.match(
    issueAt(bare.issues, 'sweep["optimizer.lrr"]').message,
    /did you mean "optimizer\.lr"\?/,
  );
  // A top-level near miss.
  const top = specError(spec({ sweep: { kk: [1, 2] } }));
  assert.match(issueAt(top.issues, 'sweep["kk"]').message, /no field "kk"; did you mean "k"\?/);
});

Deno.test("validateExperiment: a swept path under a defaulted variant is accepted", () => {
  const exp = validateExperiment({
    name: "t",
    base: { k: 1 },
    sweep: { "optimizer.lr": [1e-4, 1e-3], "data.std": [0.01, 0.1] },
    seeds: [0],
  });
  const plans = expandRuns(exp);
  assert.equal(plans.length, 4);
  for (const p of plans) {
    assert.equal(p.config.optimizer.name, "adam");
    assert.equal(p.config.optimizer.lr, p.point["optimizer.lr"]);
    assert.equal(p.config.data.name, "ring-8");
    assert.equal(p.config.data.std, p.point["data.std"]);
  }
});

Deno.test("validateExperiment: the name must match [a-z0-9-]+", () => {
  for (const name of ["K-Steps", "k steps", "k_steps", "", "../x"]) {
    const i = issueAt(specError(spec({ name })).issues, "name");
    assert.match(i.message, /\[a-z0-9-\]\+/, name);
    assert.ok(i.message.includes(JSON.stringify(name)), `names the value ${name}: ${i.message}`);
  }
  const missing = spec();
  delete missing.name;
  assert.match(issueAt(specError(missing).issues, "name").message, /got nothing/);
});

Deno.test("validateExperiment: seeds must be a non-empty list of distinct non-negative integers", () => {
  assert.match(issueAt(specError(spec({ seeds: [] })).issues, "seeds").message, /at least 1/);
  const dup = issueAt(specError(spec({ seeds: [0, 1, 1] })).issues, "seeds");
  assert.match(dup.message, /got \[0,1,1\], expected distinct seeds/);
  assert.match(issueAt(specError(spec({ seeds: [0, -1] })).issues, "seeds[1]").message, /got -1/);
  assert.match(issueAt(specError(spec({ seeds: [0.5] })).issues, "seeds[0]").message, /integer/);
  assert.match(issueAt(specError(spec({ seeds: 3 })).issues, "seeds").message, /got 3/);
});

Deno.test("validateExperiment: an unknown claim id suggests the near miss and lists the ids", () => {
  const err = specError(spec({ claims: ["optimal-d", "d-overfit"] }));
  assert.equal(err.issues.length, 1, JSON.stringify(err.issues));
  const i = issueAt(err.issues, "claims[1]");
  assert.match(i.message, /got "d-overfit"/);
  assert.match(i.message, /did you mean "d-overfits"\?/);
  for (const c of CLAIM_IDS) assert.ok(i.message.includes(`"${c}"`), `lists ${c}`);
  const obj = specError(spec({ claims: [{ id: "mode-colapse" }] }));
  assert.match(issueAt(obj.issues, "claims[0]").message, /did you mean "mode-collapse"\?/);
  // Known ids, as strings or with params, pass and are kept.
  const ok = validateExperiment(
    spec({ claims: ["saturation", { id: "d-overfits", params: { a: 1 } }] }),
  );
  assert.deepEqual(ok.claims, ["saturation", { id: "d-overfits", params: { a: 1 } }]);
});

Deno.test("validateExperiment: several problems at once are all reported", () => {
  const err = specError({
    name: "Bad Name",
    base: { k: 0, loss: "hinje", optimizer: { name: "adam", lr: "fast" }, batchSze: 64 },
    sweep: { "optimizer.lr": [1e-3, 0] },
    seeds: [],
    claims: ["nope"],
    seed: 1,
  });
  const paths = err.issues.map((i) => i.path).sort();
  assert.deepEqual(paths, [
    "base.batchSze",
    "base.k",
    "base.loss",
    "base.optimizer.lr",
    "claims[0]",
    "name",
    "seed",
    "seeds",
    'sweep["optimizer.lr"][1]',
  ]);
  // One line per problem in the message.
  assert.equal(err.message.split("\n").length, err.issues.length);
  assert.equal(err.name, "SpecError");
});

Deno.test("validateExperiment: malformed specs and sweeps", () => {
  assert.equal(specError(42).issues[0].path, "(experiment)");
  assert.equal(specError(null).issues[0].path, "(experiment)");
  assert.match(
    issueAt(specError(spec({ base: [1] })).issues, "base").message,
    /expected an object/,
  );
  assert.match(issueAt(specError(spec({ sweep: "k" })).issues, "sweep").message, /got "k"/);
  assert.match(
    issueAt(specError(spec({ sweep: { k: [] } })).issues, 'sweep["k"]').message,
    /non-empty array/,
  );
  assert.match(issueAt(specError(spec({ sweep: { k: 5 } })).issues, 'sweep["k"]').message, /got 5/);
  assert.match(
    issueAt(specError(spec({ sweep: [{ k: 1 }, 7] })).issues, "sweep[1]").message,
    /got 7/,
  );
  assert.match(
    issueAt(specError(spec({ sweep: [{ k: 1 }, { k: 1 }] })).issues, "sweep").message,
    /appears twice/,
  );
});

Deno.test("validateExperiment: a bad value in an array sweep names the point, once", () => {
  const err = specError(spec({ sweep: [{ k: 2 }, { k: 0 }, { "optimizer.lrr": 1 }] }));
  assert.equal(err.issues.length, 2, JSON.stringify(err.issues));
  assert.match(issueAt(err.issues, 'sweep[1]["k"]').message, /got 0, expected an integer >= 1/);
  assert.match(
    issueAt(err.issues, 'sweep[2]["optimizer.lrr"]').message,
    /did you mean "optimizer\.lr"/,
  );
});

Deno.test("validateExperiment: every resolved run config is validated", () => {
  // ring-8 has a radius; gaussian-1d does not, so that point is invalid.
  const err = specError(spec({
    base: { data: { name: "ring-8", radius: 3 } },
    sweep: { "data.name": ["ring-8", "gaussian-1d"] },
  }));
  const i = issueAt(err.issues, "config.data.radius");
  assert.match(i.message, /unknown field/);
  assert.match(i.message, /in the run with \{"data\.name":"gaussian-1d"\}/);
});

Deno.test("defineExperiment: returns the spec unchanged, throws SpecError when invalid", () => {
  const s = spec() as unknown as ExperimentSpec;
  assert.equal(defineExperiment(s), s);
  assert.throws(
    () => defineExperiment(spec({ base: { k: 0 } }) as unknown as ExperimentSpec),
    (e: unknown) => e instanceof SpecError && e.issues.some((i) => i.path === "base.k"),
  );
});

// ---- expansion -----------------------------------------------------------

Deno.test("expandRuns: one run per sweep point and seed (cartesian product)", () => {
  const exp = validateExperiment(spec({
    sweep: { k: [1, 2, 5, 10], "optimizer.lr": [1e-4, 1e-3] },
    seeds: [0, 1, 2],
  }));
  const plans = expandRuns(exp);
  assert.equal(plans.length, 4 * 2 * 3);
  assert.equal(new Set(plans.map((p) => p.id)).size, plans.length);
  assert.equal(new Set(plans.map((p) => p.configId)).size, 8);
  for (const k of [1, 2, 5, 10]) {
    for (const lr of [1e-4, 1e-3]) {
      const these = plans.filter((p) => p.config.k === k && p.config.optimizer.lr === lr);
      assert.deepEqual(these.map((p) => p.seed).sort(), [0, 1, 2], `k=${k} lr=${lr}`);
    }
  }
});

Deno.test("expandRuns: each config has its swept values and every default filled", () => {
  const exp = validateExperiment(
    spec({ sweep: { k: [1, 5], "optimizer.lr": [1e-4] }, seeds: [7] }),
  );
  const plans = expandRuns(exp);
  const p = plans.find((x) => x.point.k === 5);
  assert.ok(p);
  assert.deepEqual(p.point, { k: 5, "optimizer.lr": 1e-4 });
  assert.deepEqual(p.config, {
    data: { name: "ring-8", trainSize: 64, validSize: 2048, radius: 2, std: 0.02 },
    arch: {
      name: "mlp",
      noiseDim: 2,
      noise: "gaussian",
      hidden: [128, 128],
      activation: "relu",
      output: "auto",
    },
    loss: "non-saturating",
    optimizer: { name: "adam", lr: 1e-4, beta1: 0.5, beta2: 0.999, eps: 1e-8 },
    k: 5,
    gSteps: 1,
    batchSize: 128,
    steps: 200,
    evalEvery: 50,
    evalSamples: 2500,
    gpWeight: 10,
    dLossScale: 1,
    update: "alternating",
    seed: 7,
  });
  assert.equal(p.id, `${p.configId}-s7`);
  assert.match(p.configId, /^[0-9a-f]{10}$/);
  assert.equal(runId(p.config), p.id);
  const { seed: _seed, ...rest } = p.config;
  // The id hashes the config without its default-valued fields.
  assert.deepEqual(minimalConfig(rest), {
    data: { trainSize: 64 },
    optimizer: { lr: 1e-4 },
    k: 5,
    steps: 200,
    evalEvery: 50,
  });
  assert.equal(configHash(minimalConfig(rest)), p.configId);
  // Plans do not share config objects.
  plans[0].config.data.trainSize = 1;
  assert.equal(plans[1].config.data.trainSize, 64);
  assert.equal((exp.base.data as { trainSize: number }).trainSize, 64);
});

Deno.test("expandRuns: run ids do not depend on key order in base or sweep", () => {
  const a = {
    name: "t",
    base: {
      data: { name: "ring-8", trainSize: 64, std: 0.1 },
      optimizer: { name: "adam", lr: 1e-3, beta1: 0.5 },
      k: 1,
      steps: 100,
    },
    sweep: { k: [1, 2], "optimizer.lr": [1e-4, 1e-3] },
    seeds: [0, 1],
  };
  const b = {
    seeds: [0, 1],
    sweep: { "optimizer.lr": [1e-3, 1e-4], k: [2, 1] },
    base: {
      steps: 100,
      k: 1,
      optimizer: { beta1: 0.5, lr: 1e-3, name: "adam" },
      data: { std: 0.1, trainSize: 64, name: "ring-8" },
    },
    name: "t",
  };
  const idsA = ids(a).sort();
  assert.equal(idsA.length, 8);
  assert.deepEqual(ids(b).sort(), idsA);
  // Writing a default out, or leaving it implicit, is the same config.
  const c = { ...a, base: { ...a.base, optimizer: { lr: 1e-3, beta1: 0.5, beta2: 0.999 } } };
  assert.deepEqual(ids(c).sort(), idsA);
  // A changed value is a different config.
  const d = structuredClone(a);
  d.base.steps = 101;
  assert.equal(ids(d).filter((id) => idsA.includes(id)).length, 0);
});

Deno.test("configHash: equal configs hash equally whatever their key order", () => {
  const a = { k: 1, optimizer: { name: "adam", lr: 1e-3 }, hidden: [64, 32] };
  const b = { hidden: [64, 32], optimizer: { lr: 1e-3, name: "adam" }, k: 1 };
  assert.equal(canonicalJson(a), canonicalJson(b));
  assert.equal(configHash(a), configHash(b));
  assert.match(configHash(a), /^[0-9a-f]{10}$/);
  // Array order and values matter; undefined fields do not.
  assert.notEqual(configHash(a), configHash({ ...a, hidden: [32, 64] }));
  assert.notEqual(configHash(a), configHash({ ...a, k: 2 }));
  assert.equal(configHash(a), configHash({ ...a, extra: undefined }));
});

Deno.test("expandRuns: adding a value to one axis only adds runs", () => {
  const before = ids(spec({ sweep: { k: [1, 2], "optimizer.lr": [1e-4, 1e-3] }, seeds: [0, 1] }));
  const after = ids(spec({ sweep: { k: [1, 2, 5], "optimizer.lr": [1e-4, 1e-3] }, seeds: [0, 1] }));
  assert.equal(before.length, 8);
  assert.equal(after.length, 12);
  for (const id of before) assert.ok(after.includes(id), `${id} kept`);
  // Adding a seed only adds runs too.
  const moreSeeds = ids(
    spec({ sweep: { k: [1, 2], "optimizer.lr": [1e-4, 1e-3] }, seeds: [0, 1, 2] }),
  );
  assert.equal(moreSeeds.length, 12);
  for (const id of before) assert.ok(moreSeeds.includes(id), `${id} kept`);
});

Deno.test("expandRuns: different seeds give different ids sharing the configId prefix", () => {
  const plans = expandRuns(validateExperiment(spec({ sweep: { k: [3] }, seeds: [0, 1, 42] })));
  assert.equal(plans.length, 3);
  const [configId] = new Set(plans.map((p) => p.configId));
  assert.equal(new Set(plans.map((p) => p.configId)).size, 1);
  assert.equal(new Set(plans.map((p) => p.id)).size, 3);
  for (const p of plans) {
    assert.ok(p.id.startsWith(`${configId}-`), p.id);
    assert.equal(p.id, `${configId}-s${p.seed}`);
    assert.equal(p.config.seed, p.seed);
  }
});

Deno.test("expandRuns: --steps overrides steps and clamps evalEvery to <= steps", () => {
  const exp = validateExperiment(spec({
    base: { steps: 3000, evalEvery: 100 },
    sweep: { k: [1, 2] },
    seeds: [0, 1],
  }));
  const full = expandRuns(exp);
  const short = expandRuns(exp, { steps: 20 });
  assert.equal(short.length, full.length);
  for (const p of short) {
    assert.equal(p.config.steps, 20);
    assert.ok(
      p.config.evalEvery >= 1 && p.config.evalEvery <= 20,
      `evalEvery ${p.config.evalEvery}`,
    );
  }
  // A different config, so different run ids.
  assert.equal(short.filter((p) => full.some((f) => f.id === p.id)).length, 0);
  // One step still gets a valid evalEvery.
  for (const p of expandRuns(exp, { steps: 1 })) assert.equal(p.config.evalEvery, 1);
  // The default evalEvery (100) is clamped too.
  const dflt = validateExperiment({ name: "t", base: {}, seeds: [0] });
  assert.ok(expandRuns(dflt, { steps: 10 })[0].config.evalEvery <= 10);
  // A swept evalEvery is clamped as well.
  const swept = validateExperiment(spec({ sweep: { evalEvery: [5, 500] } }));
  for (const p of expandRuns(swept, { steps: 40 })) assert.ok(p.config.evalEvery <= 40);
  // An evalEvery already within the steps is kept.
  const fine = validateExperiment(spec({ base: { evalEvery: 5 } }));
  for (const p of expandRuns(fine, { steps: 10 })) assert.equal(p.config.evalEvery, 5);
  // An invalid override is a SpecError.
  assert.throws(() => expandRuns(exp, { steps: 0 }), SpecError);
});

Deno.test("expandRuns: --seeds takes the first n seeds, or 0..n-1 when n is longer", () => {
  const exp = validateExperiment(spec({ sweep: { k: [1, 2] }, seeds: [3, 7, 9] }));
  const two = expandRuns(exp, { seeds: 2 });
  assert.equal(two.length, 4);
  assert.deepEqual([...new Set(two.map((p) => p.seed))], [3, 7]);
  const five = expandRuns(exp, { seeds: 5 });
  assert.equal(five.length, 10);
  assert.deepEqual([...new Set(five.map((p) => p.seed))], [0, 1, 2, 3, 4]);
  const both = expandRuns(exp, { seeds: 1, steps: 10 });
  assert.equal(both.length, 2);
  assert.ok(both.every((p) => p.seed === 3 && p.config.steps === 10));
});

Deno.test("expandRuns: an experiment without a sweep or a base runs the defaults per seed", () => {
  const exp = validateExperiment({ name: "t", seeds: [0, 1] });
  assert.deepEqual(exp.axes, []);
  const plans = expandRuns(exp);
  assert.equal(plans.length, 2);
  assert.equal(plans[0].configId, plans[1].configId);
  assert.deepEqual(plans[0].point, {});
  assert.equal(plans[0].config.steps, 3000);
  const swept = expandRuns(validateExperiment({ name: "t", sweep: { k: [1, 2] }, seeds: [0] }));
  assert.deepEqual(swept.map((p) => p.config.k), [1, 2]);
});

// ---- sweep helpers -------------------------------------------------------

Deno.test("cartesian: every combination, first axis outermost", () => {
  assert.deepEqual(cartesian({ k: [1, 2], lr: ["a", "b", "c"] }), [
    { k: 1, lr: "a" },
    { k: 1, lr: "b" },
    { k: 1, lr: "c" },
    { k: 2, lr: "a" },
    { k: 2, lr: "b" },
    { k: 2, lr: "c" },
  ]);
  assert.deepEqual(cartesian({}), [{}]);
  assert.deepEqual(cartesian({ k: [] }), []);
});

Deno.test("zip: pairs axes element-wise; unequal lengths throw", () => {
  assert.deepEqual(zip({ k: [1, 5], "optimizer.lr": [1e-3, 1e-4] }), [
    { k: 1, "optimizer.lr": 1e-3 },
    { k: 5, "optimizer.lr": 1e-4 },
  ]);
  assert.deepEqual(zip({}), []);
  assert.throws(
    () => zip({ k: [1, 2, 3], "optimizer.lr": [1e-3, 1e-4] }),
    /same number of values.*k: 3, optimizer\.lr: 2/,
  );
});

Deno.test("exclude: drops the points the predicate selects", () => {
  const pts = exclude(
    cartesian({ k: [1, 2, 5], gSteps: [1, 2] }),
    (p) => p.k === 5 && p.gSteps === 2,
  );
  assert.equal(pts.length, 5);
  assert.ok(!pts.some((p) => p.k === 5 && p.gSteps === 2));
  assert.ok(pts.some((p) => p.k === 5 && p.gSteps === 1));
});

Deno.test("expandRuns: an array sweep of explicit points runs exactly those points", () => {
  const sweep = [
    ...zip({ k: [1, 5], "optimizer.lr": [1e-3, 1e-4] }),
    ...exclude(cartesian({ gSteps: [1, 3] }), (p) => p.gSteps === 1),
    { k: 10 },
  ];
  const exp = validateExperiment(spec({ sweep, seeds: [0, 1] }));
  assert.deepEqual(exp.axes, ["k", "optimizer.lr", "gSteps"]);
  const plans = expandRuns(exp);
  assert.equal(plans.length, 4 * 2);
  const configs = plans.filter((p) => p.seed === 0).map((p) => p.config);
  assert.deepEqual(
    configs.map((c) => [c.k, c.optimizer.lr, c.gSteps]),
    [[1, 1e-3, 1], [5, 1e-4, 1], [1, 1e-3, 3], [10, 1e-3, 1]], // unset paths keep base
  );
  // The same point written as a cartesian object or a list gives the same ids.
  const asObject = ids(spec({ sweep: { k: [1, 5] } }));
  const asList = ids(spec({ sweep: [{ k: 1 }, { k: 5 }] }));
  assert.deepEqual(asList, asObject);
});

Deno.test("validateExperiment: gpWeight with a loss other than wasserstein-gp names both", () => {
  assert.throws(
    () =>
      validateExperiment({
        name: "gp",
        base: { loss: "hinge", gpWeight: 5 },
        seeds: [0],
      }),
    (e: unknown) => {
      assert.ok(e instanceof SpecError);
      const issue = e.issues.find((i) => i.path === "base.gpWeight");
      assert.ok(issue, JSON.stringify(e.issues));
      assert.match(
        issue.message,
        /got 5 with loss "hinge"; gpWeight is used only by loss "wasserstein-gp"/,
      );
      return true;
    },
  );
  validateExperiment({ name: "gp", base: { loss: "wasserstein-gp", gpWeight: 5 }, seeds: [0] });
});
