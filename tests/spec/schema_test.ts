import assert from "node:assert/strict";
import {
  didYouMean,
  editDistance,
  type Issue,
  type Schema,
  schemaAt,
  show,
  validateValue,
} from "../../lib/spec/schema.ts";
import { CONFIG_SCHEMA, LOSS_NAMES, resolveConfig } from "../../lib/spec/config.ts";

/** Validates and returns [value with defaults, issues]. */
function check(value: unknown, schema: Schema, path = "x"): [unknown, Issue[]] {
  const issues: Issue[] = [];
  const out = validateValue(value, schema, path, issues);
  return [out, issues];
}

Deno.test("editDistance: Levenshtein distance, case-insensitive and symmetric", () => {
  assert.equal(editDistance("", ""), 0);
  assert.equal(editDistance("", "abc"), 3);
  assert.equal(editDistance("abc", ""), 3);
  assert.equal(editDistance("lr", "lr"), 0);
  assert.equal(editDistance("seed", "seeds"), 1); // insertion
  assert.equal(editDistance("lrr", "lr"), 1); // deletion
  assert.equal(editDistance("adan", "adam"), 1); // substitution
  assert.equal(editDistance("kitten", "sitting"), 3);
  assert.equal(editDistance("sitting", "kitten"), 3);
  assert.equal(editDistance("LR", "lr"), 0);
});

Deno.test("didYouMean: suggests the nearest plausible candidate, else null", () => {
  const top = ["name", "title", "description", "base", "sweep", "seeds", "claims"];
  assert.equal(didYouMean("seed", top), "seeds");
  assert.equal(didYouMean("bse", top), "base");
  assert.equal(didYouMean("lrr", ["name", "lr", "beta1", "beta2", "eps"]), "lr");
  assert.equal(didYouMean("non-saturatin", LOSS_NAMES), "non-saturating");
  assert.equal(didYouMean("ring8", ["gaussian-1d", "ring-8", "grid-25"]), "ring-8");
  // The closest wins, not the first within reach.
  assert.equal(didYouMean("beta2x", ["beta1", "beta2"]), "beta2");
  // Too far for the word's length: no suggestion.
  assert.equal(didYouMean("zzzzzz", top), null);
  assert.equal(didYouMean("abcdef", ["abcxyz"]), null); // distance 3 > 6 / 3
  assert.equal(didYouMean("abcdef", ["abcdxy"]), "abcdxy"); // distance 2 <= 6 / 3
  assert.equal(didYouMean("anything", []), null);
});

Deno.test("show: quotes strings, names undefined and non-finite numbers, truncates", () => {
  assert.equal(show("fast"), '"fast"');
  assert.equal(show(undefined), "nothing");
  assert.equal(show(Infinity), "Infinity");
  assert.equal(show(NaN), "NaN");
  assert.equal(show([1, 2]), "[1,2]");
  const long = show(Array.from({ length: 100 }, (_, i) => i));
  assert.equal(long.length, 80);
  assert.ok(long.endsWith("..."));
});

Deno.test("validateValue: fills defaults of scalars, arrays and nested objects", () => {
  const schema: Schema = {
    kind: "object",
    fields: {
      a: { kind: "number", default: 1.5 },
      b: { kind: "int", default: 3 },
      c: { kind: "bool", default: true },
      d: { kind: "enum", values: ["x", "y"], default: "y" },
      e: { kind: "array", of: { kind: "int" }, default: [1, 2] },
      inner: { kind: "object", fields: { s: { kind: "string", default: "hi" } } },
      opt: { kind: "int" },
    },
    optional: ["opt"],
  };
  const [out, issues] = check({ b: 7 }, schema);
  assert.deepEqual(issues, []);
  assert.deepEqual(out, { a: 1.5, b: 7, c: true, d: "y", e: [1, 2], inner: { s: "hi" } });
  // An array default is copied, not shared between results.
  (out as { e: number[] }).e.push(99);
  const [again] = check({}, schema);
  assert.deepEqual((again as { e: number[] }).e, [1, 2]);
});

Deno.test("validateValue: a variant fills the default variant and its defaults", () => {
  const optimizer = (CONFIG_SCHEMA as { fields: Record<string, Schema> }).fields.optimizer;
  // Missing entirely: the default variant with all its defaults.
  const whole = check({}, CONFIG_SCHEMA)[0] as Record<string, unknown>;
  assert.deepEqual(whole.optimizer, {
    name: "adam",
    lr: 1e-3,
    beta1: 0.5,
    beta2: 0.999,
    eps: 1e-8,
  });
  // Without its tag: the default variant, the given field kept.
  const [noTag, i1] = check({ lr: 1e-4 }, optimizer, "base.optimizer");
  assert.deepEqual(i1, []);
  assert.deepEqual(noTag, { name: "adam", lr: 1e-4, beta1: 0.5, beta2: 0.999, eps: 1e-8 });
  // Another variant: its own defaults.
  const [sgd, i2] = check({ name: "sgd" }, optimizer, "base.optimizer");
  assert.deepEqual(i2, []);
  assert.deepEqual(sgd, { name: "sgd", lr: 0.1, momentum: 0 });
});

Deno.test("resolveConfig: an empty config gets every documented default", () => {
  const issues: Issue[] = [];
  const c = resolveConfig({}, "base", issues);
  assert.deepEqual(issues, []);
  assert.deepEqual(c, {
    data: { name: "ring-8", trainSize: 512, validSize: 2048, radius: 2, std: 0.02 },
    arch: {
      name: "mlp",
      noiseDim: 2,
      noise: "gaussian",
      hidden: [128, 128],
      activation: "relu",
      output: "auto",
    },
    loss: "non-saturating",
    optimizer: { name: "adam", lr: 1e-3, beta1: 0.5, beta2: 0.999, eps: 1e-8 },
    k: 1,
    gSteps: 1,
    batchSize: 128,
    steps: 3000,
    evalEvery: 100,
    evalSamples: 2500,
    gpWeight: 10,
    dLossScale: 1,
    update: "alternating",
  });
});

Deno.test("validateValue: errors name the exact path, the value and what is accepted", () => {
  const issues: Issue[] = [];
  resolveConfig({ arch: { name: "mlp", hidden: [64, 0, 32] } }, "base", issues);
  assert.deepEqual(issues, [{
    path: "base.arch.hidden[1]",
    message: "got 0, expected an integer >= 1",
  }]);

  const [, num] = check("fast", { kind: "number", gt: 0 }, "base.optimizer.lr");
  assert.deepEqual(num, [{
    path: "base.optimizer.lr",
    message: 'got "fast", expected a finite number > 0',
  }]);

  const range: Schema = { kind: "number", min: 0, max: 1 };
  assert.equal(check(0.5, range)[1].length, 0);
  assert.equal(check(0, range)[1].length, 0);
  assert.match(check(1.5, range)[1][0].message, /got 1\.5, expected a finite number >= 0 and <= 1/);
  assert.match(check(-1, range)[1][0].message, /got -1/);
  assert.match(check(Infinity, range)[1][0].message, /got Infinity/);
  assert.match(check(NaN, range)[1][0].message, /got NaN/);
  assert.equal(check(0, { kind: "number", gt: 0 })[1].length, 1, "gt is strict");

  assert.match(
    check(1.5, { kind: "int", min: 1 })[1][0].message,
    /got 1\.5, expected an integer >= 1/,
  );
  assert.match(check("yes", { kind: "bool" })[1][0].message, /got "yes", expected true or false/);
  assert.match(
    check("A B", { kind: "string", pattern: /^[a-z]+$/, hint: "lowercase letters" })[1][0].message,
    /got "A B", expected lowercase letters/,
  );
  assert.match(
    check([], { kind: "array", of: { kind: "int" }, minLength: 1 })[1][0].message,
    /got \[\], expected an array of at least 1 items of an integer/,
  );
});

Deno.test("validateValue: an enum error lists every accepted value and suggests a near miss", () => {
  const [, issues] = check("hinje", { kind: "enum", values: LOSS_NAMES }, "base.loss");
  assert.equal(issues.length, 1);
  assert.equal(issues[0].path, "base.loss");
  assert.match(issues[0].message, /^got "hinje", expected one of /);
  for (const l of LOSS_NAMES) assert.ok(issues[0].message.includes(`"${l}"`), l);
  assert.match(issues[0].message, /did you mean "hinge"\?/);
  const [, far] = check("zzz", { kind: "enum", values: LOSS_NAMES }, "base.loss");
  assert.ok(!far[0].message.includes("did you mean"));
});

Deno.test("validateValue: unknown and missing fields are reported at their paths", () => {
  const schema: Schema = {
    kind: "object",
    fields: { noiseDim: { kind: "int" }, hidden: { kind: "array", of: { kind: "int" } } },
  };
  const [, issues] = check({ noiseDm: 2 }, schema, "base.arch");
  const unknown = issues.find((i) => i.path === "base.arch.noiseDm");
  assert.ok(unknown, JSON.stringify(issues));
  assert.match(unknown.message, /unknown field; did you mean "noiseDim"\?/);
  assert.match(unknown.message, /Accepted fields: noiseDim, hidden/);
  assert.ok(
    issues.some((i) =>
      i.path === "base.arch.noiseDim" && /^missing; expected an integer/.test(i.message)
    ),
  );
  assert.ok(
    issues.some((i) =>
      i.path === "base.arch.hidden" && /^missing; expected an array/.test(i.message)
    ),
  );
  assert.equal(issues.length, 3);
  // A top-level path has no leading dot.
  const [, top] = check({ x: 1, noiseDim: 1, hidden: [] }, schema, "");
  assert.equal(top[0].path, "x");
});

Deno.test("validateValue: a variant with an unknown tag names the tag path", () => {
  const issues: Issue[] = [];
  resolveConfig({ data: { name: "ring8" } }, "base", issues);
  assert.equal(issues.length, 1);
  assert.equal(issues[0].path, "base.data.name");
  assert.match(
    issues[0].message,
    /got "ring8", expected one of "gaussian-1d", "ring-8", "grid-25"/,
  );
  assert.match(issues[0].message, /did you mean "ring-8"\?/);
});

Deno.test("schemaAt: finds the schema of a dotted path, or says which part is unknown", () => {
  const found = schemaAt(CONFIG_SCHEMA, ["optimizer", "lr"], { optimizer: { name: "sgd" } });
  assert.ok("schema" in found);
  assert.deepEqual(found.schema, {
    kind: "number",
    gt: 0,
    default: 0.1,
    title: "learning rate",
    doc: "initial step size",
  }); // sgd's lr
  // Without a tag the default variant (adam) governs.
  const dflt = schemaAt(CONFIG_SCHEMA, ["optimizer", "beta1"], {});
  assert.ok("schema" in dflt, JSON.stringify(dflt));
  const bad = schemaAt(CONFIG_SCHEMA, ["optimizer", "lrr"], { optimizer: { name: "adam" } });
  assert.ok("error" in bad);
  assert.match(bad.error, /no field "lrr" in "optimizer"; did you mean "optimizer\.lr"\?/);
  assert.match(bad.error, /Accepted: name, lr, beta1, beta2, eps/);
  const deep = schemaAt(CONFIG_SCHEMA, ["k", "x"], {});
  assert.ok("error" in deep);
  assert.match(deep.error, /"k" is an integer >= 1 and has no fields/);
});
