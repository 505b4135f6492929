/**
 * What each claim needs of a study, checked before any run trains
 * (`checkClaims`): misspelt parameters with "did you mean", axes the rule
 * compares across, metrics the study's data and losses log. Every shipped
 * study meets its claims' needs; each case of issue 18's first pattern (a
 * study whose claim could only come out INCONCLUSIVE after every run
 * trained) is refused with the claim, the need and the way out named.
 */
import assert from "node:assert/strict";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { checkClaims, CLAIMS } from "../../lib/claims/mod.ts";
import { stagesOf } from "../../lib/claims/requirements.ts";
import {
  expandRuns,
  type Issue,
  loadExperiment,
  resolveConfig,
  type RunConfig,
  validateExperiment,
} from "../../lib/spec/mod.ts";

const EXPERIMENTS = fileURLToPath(new URL("../../experiments", import.meta.url));
const RING = { data: { name: "ring-8", trainSize: 64 }, batchSize: 64 };
const GAUSS = { data: { name: "gaussian-1d", trainSize: 64 }, batchSize: 64 };

function issuesOf(spec: Record<string, unknown>): Issue[] {
  const exp = validateExperiment({ name: "x", seeds: [0, 1, 2], ...spec });
  return checkClaims(exp, expandRuns(exp));
}

function onlyIssue(spec: Record<string, unknown>): Issue {
  const issues = issuesOf(spec);
  assert.equal(issues.length, 1, JSON.stringify(issues, null, 2));
  return issues[0];
}

Deno.test("requirements: every shipped study meets its claims' needs", async () => {
  let checked = 0;
  for (const e of Deno.readDirSync(EXPERIMENTS)) {
    if (!e.name.endsWith(".ts") || e.name.startsWith("_")) continue;
    const exp = await loadExperiment(join(EXPERIMENTS, e.name));
    assert.deepEqual(checkClaims(exp, expandRuns(exp)), [], e.name);
    if (exp.full) assert.deepEqual(checkClaims(exp, expandRuns(exp, { full: true })), [], e.name);
    checked += exp.claims.length;
  }
  assert.ok(checked >= 8, `only ${checked} claims checked`);
});

Deno.test("requirements: a misspelt param names the claim and the closest accepted name", () => {
  const i = onlyIssue({
    base: { ...GAUSS, gSteps: 0 },
    claims: [{ id: "optimal-d", params: { treshold: 0.1 } }],
  });
  assert.equal(i.path, "claims[0].params.treshold");
  assert.match(i.message, /unknown param; did you mean "threshold"\?/);
  assert.match(i.message, /Accepted: metric, threshold, minSeeds/);
  assert.match(i.message, /claim "optimal-d"/);
  // A far-off name gets the list without a guess.
  const far = onlyIssue({ base: GAUSS, claims: [{ id: "optimal-d", params: { zzzzzz: 1 } }] });
  assert.doesNotMatch(far.message, /did you mean/);
});

Deno.test("requirements: ill-typed params, params that are not an object, the claim's own checks", () => {
  const sweep = { gSteps: [1, 2] };
  const typed = onlyIssue({
    base: RING,
    sweep,
    claims: [{ id: "mode-collapse", params: { lastEvals: "3" } }],
  });
  assert.equal(typed.path, "claims[0].params.lastEvals");
  assert.match(typed.message, /got "3", expected a finite number/);
  const notObject = onlyIssue({ base: RING, sweep, claims: [{ id: "mode-collapse", params: 3 }] });
  assert.equal(notObject.path, "claims[0].params");
  const own = onlyIssue({
    base: RING,
    sweep,
    claims: [{ id: "mode-collapse", params: { direction: "up" } }],
  });
  assert.equal(own.path, "claims[0].params.direction");
  assert.match(own.message, /"decreasing" or "increasing"/);
  const seeds = onlyIssue({
    base: RING,
    sweep,
    claims: [{ id: "mode-collapse", params: { minSeeds: 1 } }],
  });
  assert.equal(seeds.path, "claims[0].params.minSeeds");
});

Deno.test("requirements: d-overfits needs k and the training set size swept as a product", () => {
  const noK = onlyIssue({
    base: RING,
    sweep: { "data.trainSize": [64, 128] },
    claims: ["d-overfits"],
  });
  assert.equal(noK.path, "claims[0]");
  assert.match(noK.message, /"d-overfits" needs "k" swept/);
  assert.match(noK.message, /sweeps "data.trainSize"/);
  assert.match(noK.message, /params\.axis/);
  const noControl = onlyIssue({ base: RING, sweep: { k: [1, 2] }, claims: ["d-overfits"] });
  assert.match(noControl.message, /needs "data.trainSize" swept \(the control/);
  const oneK = onlyIssue({
    base: RING,
    sweep: { k: [2], "data.trainSize": [64, 128] },
    claims: ["d-overfits"],
  });
  assert.match(oneK.message, /at least 2 values of "k"/);
  // Zipped, k takes one value at the smallest training set: no slope there.
  const zipped = onlyIssue({
    base: RING,
    sweep: [{ k: 1, "data.trainSize": 64 }, { k: 2, "data.trainSize": 128 }],
    claims: ["d-overfits"],
  });
  assert.match(zipped.message, /at the smallest "data.trainSize" \(64\)/);
  const negative = onlyIssue({
    base: RING,
    sweep: { "optimizer.beta1": [0, 0.5], "data.trainSize": [64, 128] },
    claims: [{ id: "d-overfits", params: { axis: "optimizer.beta1" } }],
  });
  assert.match(negative.message, /positive numbers on "optimizer.beta1".*got 0/);
  assert.deepEqual(
    issuesOf({
      base: RING,
      sweep: { k: [1, 2], "data.trainSize": [64, 128] },
      claims: ["d-overfits"],
    }),
    [],
  );
});

Deno.test("requirements: mode-collapse needs gSteps swept and data with modes", () => {
  const noAxis = onlyIssue({ base: RING, sweep: { k: [1, 2] }, claims: ["mode-collapse"] });
  assert.match(noAxis.message, /"mode-collapse" needs "gSteps" swept/);
  const oneD = onlyIssue({ base: GAUSS, sweep: { gSteps: [1, 2] }, claims: ["mode-collapse"] });
  assert.match(oneD.message, /"modes_hq", which runs log only on the 2-D mixtures/);
  assert.match(oneD.message, /and image data/);
  assert.match(oneD.message, /data "gaussian-1d"/);
  const typo = onlyIssue({
    base: RING,
    sweep: { gSteps: [1, 2] },
    claims: [{ id: "mode-collapse", params: { metric: "mode_hq" } }],
  });
  assert.match(typo.message, /no such metric; did you mean "modes_hq"/);
  assert.deepEqual(
    issuesOf({ base: RING, sweep: { gSteps: [1, 2] }, claims: ["mode-collapse"] }),
    [],
  );
});

Deno.test("requirements: optimal-d, global-optimum and convergence-1d need 1-D data", () => {
  for (const id of ["optimal-d", "global-optimum", "convergence-1d"]) {
    const i = onlyIssue({ base: RING, claims: [id] });
    assert.match(
      i.message,
      new RegExp(`"${id}" reads the metric "\\w+", which runs log only on 1-D data`),
    );
    assert.match(i.message, /data "ring-8"/);
    assert.deepEqual(issuesOf({ base: GAUSS, claims: [id] }), [], id);
  }
  // Some configs 1-D, some not: the claim reads every config.
  const mixed = onlyIssue({
    base: GAUSS,
    sweep: { "data.name": ["gaussian-1d", "grid-25"] },
    claims: ["optimal-d"],
  });
  assert.match(mixed.message, /some runs use data "grid-25"/);
});

Deno.test("requirements: parzen-table needs image data with parzen set", () => {
  const ring = onlyIssue({ base: RING, claims: ["parzen-table"] });
  assert.match(ring.message, /"parzen_ll", which runs log only on image data with `parzen` set/);
  const noParzen = onlyIssue({
    base: { data: { name: "mnist", trainSize: 100 }, batchSize: 64 },
    claims: ["parzen-table"],
  });
  assert.match(noParzen.message, /data "mnist" without parzen/);
  assert.deepEqual(
    issuesOf({
      base: {
        data: { name: "mnist", trainSize: 100, validSize: 100, testSize: 100 },
        batchSize: 64,
        parzen: { samples: 100, validPoints: 50, testPoints: 50 },
      },
      claims: ["parzen-table"],
    }),
    [],
  );
});

Deno.test("requirements: saturation needs a loss axis with both paper losses and a metric they log", () => {
  const noAxis = onlyIssue({ base: GAUSS, claims: ["saturation"] });
  assert.match(noAxis.message, /"saturation" needs "loss" swept/);
  assert.match(noAxis.message, /sweeps nothing/);
  const missing = onlyIssue({
    base: GAUSS,
    sweep: { loss: ["minimax", "hinge"] },
    claims: ["saturation"],
  });
  assert.match(missing.message, /needs "non-saturating" among the values of "loss"/);
  const ring = onlyIssue({
    base: RING,
    sweep: { loss: ["minimax", "non-saturating"] },
    claims: ["saturation"],
  });
  assert.match(ring.message, /"js", which runs log only on 1-D data/);
  // Other losses beside the two compared are ignored.
  assert.deepEqual(
    issuesOf({
      base: GAUSS,
      sweep: { loss: ["minimax", "non-saturating", "hinge"] },
      claims: ["saturation"],
    }),
    [],
  );
  // On the ring, a metric the ring logs.
  assert.deepEqual(
    issuesOf({
      base: RING,
      sweep: { loss: ["minimax", "non-saturating"] },
      claims: [{ id: "saturation", params: { metric: "modes" } }],
    }),
    [],
  );
});

Deno.test("requirements: every claim's issue names its index, several claims at once", () => {
  const issues = issuesOf({
    base: RING,
    claims: ["global-optimum", "convergence-1d", "d-overfits"],
  });
  assert.deepEqual(issues.map((i) => i.path), ["claims[0]", "claims[1]", "claims[2]", "claims[2]"]);
});

Deno.test("requirements: the stages a config's runs log, as the evaluator computes them", () => {
  const config = (partial: Record<string, unknown>) => {
    const issues: Issue[] = [];
    const c = resolveConfig(partial, "c", issues) as RunConfig;
    assert.deepEqual(issues, []);
    return c;
  };
  assert.deepEqual(stagesOf(config(RING)), ["common", "paper-losses", "mixture"]);
  assert.deepEqual(stagesOf(config({ ...GAUSS, loss: "hinge" })), ["common", "gaussian-1d"]);
  assert.deepEqual(
    stagesOf(config({
      data: { name: "mnist", trainSize: 100, validSize: 100, testSize: 100 },
      parzen: { samples: 10, validPoints: 10, testPoints: 10 },
    })),
    ["common", "paper-losses", "images", "parzen"],
  );
});

Deno.test("requirements: the definitions declare them next to their rules", () => {
  for (const def of Object.values(CLAIMS)) {
    assert.equal(typeof def.checkParams, "function", def.id);
    assert.equal(typeof def.requirements, "function", def.id);
    assert.deepEqual(def.checkParams(undefined), [], def.id);
    assert.deepEqual(def.checkParams({ ...def.defaults }), [], def.id);
  }
});

Deno.test("requirements: no-memorisation needs a config that runs the memorisation test", () => {
  const i = onlyIssue({ base: RING, claims: ["no-memorisation"] });
  assert.equal(i.path, "claims[0]");
  assert.match(i.message, /mem_copy_share/);
  assert.match(i.message, /memorisation/);
  const MNIST = {
    data: { name: "mnist", trainSize: 200 },
    batchSize: 50,
    quality: { metrics: ["memorisation"] },
  };
  assert.deepEqual(issuesOf({ base: MNIST, claims: ["no-memorisation"] }), []);
  // One config with the test is enough: the others are not read.
  assert.deepEqual(
    issuesOf({
      base: MNIST,
      sweep: [{ quality: { metrics: ["memorisation"] } }, { quality: { metrics: ["fid"] } }],
      claims: ["no-memorisation"],
    }),
    [],
  );
});
