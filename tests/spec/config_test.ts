import assert from "node:assert/strict";
import { type Issue, type Schema, validateValue, withoutDefaults } from "../../lib/spec/schema.ts";
import {
  CONFIG_SCHEMA,
  dataDim,
  dataShape,
  IMAGE_DATA_NAMES,
  IMAGE_SHAPES,
  IMAGE_SPLITS,
  optimizerFor,
  QUALITY_METRICS,
  qualityMetrics,
  resolveConfig,
} from "../../lib/spec/config.ts";
import { IMAGE_MANIFEST, imageShape } from "../../lib/data/images/mod.ts";
import {
  configHash,
  configId,
  expandRuns,
  minimalConfig,
  SpecError,
  validateExperiment,
} from "../../lib/spec/mod.ts";

/** The run ids of the study in the test below. */
const PINNED_IDS = ["d943307e37-s0", "6365aa3d48-s0"];

/**
 * A hash of every default of the schema (each variant resolved alone). Run
 * ids leave default-valued fields out, so changing a default silently
 * changes what an existing id means: this pin makes that a deliberate act
 * (update it, and say in the README that ids of configs that relied on the
 * old default now name different runs).
 *
 * Changed for issue 15 by two new fields of `parzen` only: `every` (default
 * 0, the old behaviour: no estimate during training) and `trainingPoints`
 * (default 1,000, used only when `every` > 0). Without them the hash is the
 * earlier pin, f0271e5496. Neither changes what an existing id means: a
 * config that leaves them out resolves to the old behaviour.
 */
const PINNED_DEFAULTS = "4bf045704c"; // with quality (issue 14) and parzen.every/trainingPoints (issue 15); run ids unchanged

function everyDefault(): unknown {
  const out: Record<string, unknown> = { base: resolveConfig({}, "base", []) };
  for (const field of ["data", "arch", "optimizer"] as const) {
    const schema = CONFIG_SCHEMA.fields[field];
    for (const name of Object.keys(schema.variants)) {
      const partial: Record<string, unknown> = { [field]: { name } };
      if (field === "arch" && name === "dcgan") partial.data = { name: "mnist" };
      out[`${field}:${name}`] = resolveConfig(partial, "base", [])[field];
    }
  }
  out.parzen = resolveConfig({ data: { name: "mnist" }, parzen: {} }, "base", []).parzen;
  out.quality = resolveConfig({ data: { name: "mnist" }, quality: {} }, "base", []).quality;
  return out;
}

Deno.test("run ids: every default is pinned", () => {
  assert.equal(configHash(everyDefault()), PINNED_DEFAULTS);
});

function issuesOf(partial: unknown): Issue[] {
  const issues: Issue[] = [];
  resolveConfig(partial, "base", issues);
  return issues;
}

Deno.test("image data: defaults follow the paper's split, sizes are capped by it", () => {
  const issues: Issue[] = [];
  const c = resolveConfig({ data: { name: "mnist" } }, "base", issues);
  assert.deepEqual(issues, []);
  assert.deepEqual(c.data, {
    name: "mnist",
    trainSize: 50_000,
    validSize: 10_000,
    testSize: 10_000,
  });
  const cifar = resolveConfig({ data: { name: "cifar10" } }, "base", issues);
  assert.deepEqual(cifar.data, {
    name: "cifar10",
    trainSize: 45_000,
    validSize: 5_000,
    testSize: 10_000,
  });
  assert.deepEqual(dataShape(cifar.data), [32, 32, 3]);
  assert.equal(dataDim(c.data), 784);
  const big = issuesOf({ data: { name: "mnist", trainSize: 60_000 } });
  assert.equal(big.length, 1);
  assert.equal(big[0].path, "base.data.trainSize");
  assert.match(big[0].message, /60000/);
  assert.match(big[0].message, /50000/);
});

Deno.test("dcgan on 2-D points is an error naming both the arch and the data", () => {
  const issues = issuesOf({ data: { name: "ring-8" }, arch: { name: "dcgan" } });
  assert.equal(issues.length, 1);
  assert.equal(issues[0].path, "base.arch.name");
  assert.match(issues[0].message, /"dcgan"/);
  assert.match(issues[0].message, /"ring-8"/);
  assert.match(issues[0].message, /"mnist"/); // what would be accepted
});

Deno.test("a 32x32 dcgan on 28x28 images is an error naming both sizes", () => {
  const issues = issuesOf({ data: { name: "mnist" }, arch: { name: "dcgan", imageSize: 32 } });
  assert.equal(issues.length, 1);
  assert.equal(issues[0].path, "base.arch.imageSize");
  assert.match(issues[0].message, /32x32/);
  assert.match(issues[0].message, /28x28/);
  assert.match(issues[0].message, /"mnist"/);
  assert.deepEqual(
    issuesOf({ data: { name: "cifar10" }, arch: { name: "dcgan", imageSize: 32 } }),
    [],
  );
  const odd = issuesOf({ data: { name: "mnist" }, arch: { name: "dcgan", imageSize: 64 } });
  assert.match(odd[0].message, /28 or 32/);
});

Deno.test("maxout arch: the paper's networks are the defaults", () => {
  const issues: Issue[] = [];
  const c = resolveConfig({ data: { name: "mnist" }, arch: { name: "maxout" } }, "base", issues);
  assert.deepEqual(issues, []);
  assert.deepEqual(c.arch, {
    name: "maxout",
    noiseDim: 100,
    noise: "gaussian",
    gHidden: [1200, 1200],
    dUnits: [240, 240],
    pieces: 5,
    inputKeep: 0.8,
    hiddenKeep: 0.5,
    gInit: 0.05,
    dInit: 0.005,
    outputBias: "marginals",
  });
  assert.equal(issuesOf({ arch: { name: "maxout", inputKeep: 0 } })[0].path, "base.arch.inputKeep");
});

Deno.test("quality: defaults; a metric the data cannot have names the metric and the data set", () => {
  const issues: Issue[] = [];
  const c = resolveConfig({ data: { name: "mnist" }, quality: {} }, "base", issues);
  assert.deepEqual(issues, []);
  assert.deepEqual(c.quality, {
    samples: 10_000,
    trainingSamples: 1_000,
    kidSubsets: 100,
    kidSubsetSize: 1_000,
    memorisationSamples: 1_000,
  });
  assert.deepEqual(qualityMetrics(c), [...QUALITY_METRICS]);
  const ring = resolveConfig({ data: { name: "ring-8" }, quality: {} }, "base", []);
  assert.deepEqual(qualityMetrics(ring), ["precision-recall", "density-coverage"]);
  assert.deepEqual(qualityMetrics(resolveConfig({}, "base", [])), []);
  const bad = issuesOf({ data: { name: "ring-8" }, quality: { metrics: ["coverage", "fid"] } });
  assert.equal(bad[0].path, "base.quality.metrics[0]");
  const fid = issuesOf({
    data: { name: "grid-25" },
    quality: { metrics: ["density-coverage", "fid"] },
  });
  assert.equal(fid.length, 1);
  assert.equal(fid[0].path, "base.quality.metrics[1]");
  assert.match(fid[0].message, /metric "fid" needs a feature network, and data "grid-25" has none/);
  const mem = issuesOf({ data: { name: "gaussian-1d" }, quality: { metrics: ["memorisation"] } });
  assert.match(mem[0].message, /"memorisation" .* needs image data, and data "gaussian-1d"/);
  const few = issuesOf({ data: { name: "mnist" }, quality: { trainingSamples: 5 } });
  assert.equal(few[0].path, "base.quality.trainingSamples");
});

Deno.test("parzen needs image data and no more points than the split holds", () => {
  const synthetic = issuesOf({ data: { name: "ring-8" }, parzen: {} });
  assert.equal(synthetic[0].path, "base.parzen");
  assert.match(synthetic[0].message, /image data/);
  const many = issuesOf({ data: { name: "mnist", testSize: 100 }, parzen: { testPoints: 1000 } });
  assert.equal(many[0].path, "base.parzen.testPoints");
  const issues: Issue[] = [];
  const c = resolveConfig({ data: { name: "mnist" }, parzen: {} }, "base", issues);
  assert.deepEqual(c.parzen, {
    samples: 10_000,
    validPoints: 1_000,
    testPoints: 10_000,
    every: 0,
    trainingPoints: 1_000,
  });
});

Deno.test("parzen.every: a multiple of evalEvery up to the run's length; its defaults keep run ids", () => {
  const image = { data: { name: "mnist" }, arch: { name: "maxout" }, steps: 5000, evalEvery: 1000 };
  const odd = issuesOf({ ...image, parzen: { every: 750 } });
  assert.equal(odd[0].path, "base.parzen.every");
  assert.match(odd[0].message, /got 750, not a multiple of evalEvery \(1000\)/);
  assert.deepEqual(issuesOf({ ...image, parzen: { every: 2000 } }), []);
  // Longer than the run (a shortened smoke run): only step 0 and the last, no error.
  assert.deepEqual(issuesOf({ ...image, parzen: { every: 7000 } }), []);
  assert.equal(issuesOf({ ...image, parzen: { every: -1 } })[0].path, "base.parzen.every");
  assert.equal(
    issuesOf({ ...image, parzen: { trainingPoints: 0 } })[0].path,
    "base.parzen.trainingPoints",
  );
  // The defaults are the old behaviour and leave ids alone; setting them changes the id.
  const id = (parzen: unknown) => configId(resolveConfig({ ...image, parzen }, "base", []));
  assert.equal(id({ every: 0, trainingPoints: 1000 }), id({}));
  assert.deepEqual(minimalConfig(resolveConfig({ ...image, parzen: {} }, "base", [])).parzen, {});
  assert.notEqual(id({ every: 1000 }), id({}));
});

Deno.test("dOptimizer and gOptimizer: partial optimisers over the shared one, absent by default", () => {
  const shared = { optimizer: { name: "adam", lr: 2e-4 } };
  const plain = resolveConfig(shared, "base", []);
  assert.equal(plain.dOptimizer, undefined);
  assert.equal(plain.gOptimizer, undefined);
  assert.deepEqual(optimizerFor(plain, "d"), plain.optimizer);
  assert.deepEqual(optimizerFor(plain, "g"), plain.optimizer);
  const ttur = resolveConfig({ ...shared, dOptimizer: { lr: 4e-4 } }, "base", []);
  assert.deepEqual(ttur.dOptimizer, { lr: 4e-4 });
  assert.deepEqual(optimizerFor(ttur, "d"), { ...plain.optimizer, lr: 4e-4 });
  assert.deepEqual(optimizerFor(ttur, "g"), plain.optimizer);
  assert.notEqual(configId(ttur), configId(plain));
  // Fields equal to the shared optimizer's, or an empty overlay, are the same runs as none.
  for (const same of [{ lr: 2e-4 }, {}, { name: "adam" }, { lr: 2e-4, beta1: 0.5 }]) {
    const c = resolveConfig({ ...shared, gOptimizer: same }, "base", []);
    assert.equal(c.gOptimizer, undefined, JSON.stringify(same));
    assert.equal(configId(c), configId(plain));
  }
  // Only the differing fields are kept.
  const kept = resolveConfig({ ...shared, dOptimizer: { lr: 2e-4, beta1: 0.9 } }, "base", []);
  assert.deepEqual(kept.dOptimizer, { beta1: 0.9 });
  // Another optimiser stands alone, with its own defaults.
  const sgd = resolveConfig({ ...shared, dOptimizer: { name: "sgd", momentum: 0.5 } }, "base", []);
  assert.deepEqual(optimizerFor(sgd, "d"), { name: "sgd", lr: 0.1, momentum: 0.5 });
  assert.deepEqual(optimizerFor(sgd, "g"), plain.optimizer);
});

Deno.test("dOptimizer and gOptimizer: fields the resolved optimiser lacks are errors that list what it accepts", () => {
  const adam = { optimizer: { name: "adam", lr: 2e-4 } };
  const momentum = issuesOf({ ...adam, dOptimizer: { momentum: 0.9 } });
  assert.equal(momentum.length, 1);
  assert.equal(momentum[0].path, "base.dOptimizer.momentum");
  assert.equal(
    momentum[0].message,
    '"momentum" is not a field of the "adam" optimiser (dOptimizer changes fields of the ' +
      'shared optimizer, "adam"); accepted: name, lr, beta1, beta2, eps',
  );
  const beta = issuesOf({ ...adam, gOptimizer: { name: "sgd", beta1: 0.9 } });
  assert.equal(beta[0].path, "base.gOptimizer.beta1");
  assert.match(
    beta[0].message,
    /gOptimizer names the optimiser "sgd"\); accepted: name, lr, momentum/,
  );
  const typo = issuesOf({ ...adam, dOptimizer: { lrr: 1e-3 } });
  assert.equal(typo[0].path, "base.dOptimizer.lrr");
  assert.equal(
    typo[0].message,
    'unknown field; did you mean "lr"? Accepted fields (optimiser "adam"): name, lr, beta1, ' +
      "beta2, eps",
  );
  assert.match(
    issuesOf({ ...adam, dOptimizer: { lr: -1 } })[0].message,
    /got -1, expected a finite number > 0/,
  );
  // The merged optimiser is checked as a whole: SGD's ramp needs both of its fields.
  const ramp = issuesOf({
    optimizer: { name: "sgd", lr: 0.1 },
    gOptimizer: { momentumEnd: 0.7 },
  });
  assert.equal(ramp[0].path, "base.gOptimizer.momentumRampEpochs");
});

Deno.test("dOptimizer: sweepable by dotted path; a swept value equal to the shared one is the base run", () => {
  const spec = {
    name: "ttur-ids",
    base: { data: { name: "ring-8" }, optimizer: { name: "adam", lr: 1e-4 }, steps: 10 },
    sweep: { "dOptimizer.lr": [1e-4, 4e-4] },
    seeds: [0],
  };
  const exp = validateExperiment(spec);
  const plans = expandRuns(exp);
  assert.deepEqual(plans.map((p) => optimizerFor(p.config, "d").lr), [1e-4, 4e-4]);
  assert.deepEqual(plans.map((p) => optimizerFor(p.config, "g").lr), [1e-4, 1e-4]);
  const base = expandRuns(validateExperiment({ ...spec, sweep: {} }))[0];
  assert.equal(plans[0].id, base.id);
  assert.notEqual(plans[1].id, base.id);
  assert.throws(
    () => validateExperiment({ ...exp, sweep: { "dOptimizer.momentum": [0.5] } }),
    (e: unknown) =>
      e instanceof SpecError &&
      e.issues.some((i) =>
        i.path.endsWith("dOptimizer.momentum") &&
        /not a field of the "adam" optimiser/.test(i.message)
      ),
  );
});

Deno.test("sgd schedules: the ramp's two fields go together, lrMin needs lrDecay", () => {
  const half = issuesOf({ optimizer: { name: "sgd", momentumEnd: 0.7 } });
  assert.equal(half[0].path, "base.optimizer.momentumRampEpochs");
  const floor = issuesOf({ optimizer: { name: "sgd", lrMin: 1e-6 } });
  assert.equal(floor[0].path, "base.optimizer.lrMin");
  assert.equal(
    issuesOf({ optimizer: { name: "sgd", lrDecay: 0.5 } })[0].path,
    "base.optimizer.lrDecay",
  );
  assert.deepEqual(
    issuesOf({
      optimizer: {
        name: "sgd",
        lrDecay: 1.000004,
        lrMin: 1e-6,
        momentumEnd: 0.7,
        momentumRampEpochs: 250,
      },
    }),
    [],
  );
});

Deno.test("run ids: a field added later with a default leaves the ids of existing configs unchanged", () => {
  // A schema as it was before dLossScale, gpWeight, update and arch.output had defaults.
  const fields = { ...CONFIG_SCHEMA.fields } as Record<string, Schema>;
  delete fields.dLossScale;
  delete fields.gpWeight;
  delete fields.update;
  const older: Schema = { kind: "object", fields, optional: ["parzen"] };
  const partial = { data: { name: "gaussian-1d", trainSize: 64 }, k: 5 };
  const oldIssues: Issue[] = [];
  const oldResolved = validateValue(partial, older, "base", oldIssues) as Record<string, unknown>;
  assert.deepEqual(oldIssues, []);
  assert.ok(!("dLossScale" in oldResolved));
  const issues: Issue[] = [];
  const now = resolveConfig(partial, "base", issues);
  assert.deepEqual(issues, []);
  assert.equal(now.dLossScale, 1);
  // The same config hashes alike under both schemas.
  assert.equal(
    configHash(withoutDefaults(oldResolved, older)),
    configId(now),
  );
  // Setting a field to its default changes nothing; any other value does.
  assert.equal(configId(resolveConfig({ ...partial, dLossScale: 1 }, "base", [])), configId(now));
  assert.notEqual(
    configId(resolveConfig({ ...partial, dLossScale: 0.5 }, "base", [])),
    configId(now),
  );
  // An optional object that is present counts, even with every default inside.
  const withParzen = resolveConfig(
    { data: { name: "mnist" }, arch: { name: "maxout" }, parzen: {} },
    "base",
    [],
  );
  const without = resolveConfig({ data: { name: "mnist" }, arch: { name: "maxout" } }, "base", []);
  assert.notEqual(configId(withParzen), configId(without));
  assert.deepEqual(minimalConfig(withParzen).parzen, {});
});

Deno.test("run ids: pinned for a fixed study (a changed default or hash changes them)", () => {
  const exp = validateExperiment({
    name: "pinned",
    base: {
      data: { name: "ring-8", trainSize: 64, validSize: 2048, std: 0.2 },
      arch: { name: "mlp", noiseDim: 2, hidden: [128, 128] },
      loss: "non-saturating",
      optimizer: { name: "adam", lr: 1e-3, beta1: 0.5 },
      batchSize: 64,
      steps: 600,
      evalEvery: 50,
    },
    sweep: { k: [1, 2] },
    seeds: [0],
  });
  assert.deepEqual(expandRuns(exp).map((p) => p.id), PINNED_IDS);
});

const base = {
  name: "tiny",
  base: { data: { name: "ring-8" }, steps: 100 },
  seeds: [0, 1, 2],
};

Deno.test("full: --full applies its overrides and seeds; without it the default budget", () => {
  const exp = validateExperiment({
    ...base,
    full: { set: { steps: 5000 }, seeds: [0, 1, 2, 3, 4] },
  });
  const short = expandRuns(exp);
  assert.equal(short.length, 3);
  assert.ok(short.every((p) => p.config.steps === 100));
  const full = expandRuns(exp, { full: true });
  assert.equal(full.length, 5);
  assert.ok(full.every((p) => p.config.steps === 5000));
  assert.notEqual(full[0].id, short[0].id);
});

Deno.test("full: bad overrides name full.set; --full without a full protocol is an error", () => {
  assert.throws(
    () => validateExperiment({ ...base, full: { set: { steps: -1 } } }),
    (e: unknown) => e instanceof SpecError && /full\.set\.steps/.test(e.message),
  );
  assert.throws(
    () => validateExperiment({ ...base, full: { steps: 10 } }),
    (e: unknown) => e instanceof SpecError && /full/.test(e.message),
  );
  assert.throws(
    () => expandRuns(validateExperiment(base), { full: true }),
    (e: unknown) => e instanceof SpecError && /no full protocol/.test(e.message),
  );
});

Deno.test("image shapes and names agree with the data manifest", () => {
  for (const name of IMAGE_DATA_NAMES) {
    assert.deepEqual(IMAGE_SHAPES[name], imageShape(name), name);
    // The paper's split fits in the files.
    const split = IMAGE_SPLITS[name];
    assert.ok(split.train + split.valid <= (name === "cifar10" ? 50_000 : 60_000), name);
  }
  assert.deepEqual(Object.keys(IMAGE_MANIFEST).sort(), [...IMAGE_DATA_NAMES].sort());
});

Deno.test("update: simultaneous needs k = 1 and gSteps = 1", () => {
  const issues = issuesOf({ update: "simultaneous", k: 5 });
  assert.equal(issues.length, 1);
  assert.equal(issues[0].path, "base.update");
  assert.match(issues[0].message, /k 5/);
  assert.deepEqual(issuesOf({ update: "simultaneous" }), []);
  assert.equal(issuesOf({ update: "both" })[0].path, "base.update");
});
