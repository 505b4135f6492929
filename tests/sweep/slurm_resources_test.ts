/** Slurm resources: the experiment file's `slurm` field, the flags, and their merge. */
import assert from "node:assert/strict";
import { validateSlurmResources } from "../../lib/spec/slurm.ts";
import { mergeResources, resourcesFromFlags } from "../../lib/sweep/slurm_resources.ts";

Deno.test("slurm: the experiment file's slurm field is validated field by field", () => {
  assert.deepEqual(validateSlurmResources(undefined), []);
  assert.deepEqual(
    validateSlurmResources({
      partition: "gpu",
      time: "1-12:00:00",
      mem: "4G",
      cpusPerTask: 2,
      gpus: 1,
      extra: ["--account=lab"],
    }),
    [],
  );
  for (const time of ["30", "45:00", "2:00:00", "1-12", "1-12:30", "UNLIMITED"]) {
    assert.deepEqual(validateSlurmResources({ time }), [], time);
  }
  const issues = validateSlurmResources({
    partitoin: "gpu",
    time: "2h",
    mem: "4 GB",
    cpusPerTask: 0,
    gpus: -1,
    extra: ["account=lab"],
  });
  const byPath = Object.fromEntries(issues.map((i) => [i.path, i.message]));
  assert.match(byPath["slurm.partitoin"], /unknown field; did you mean "partition"\?/);
  assert.match(byPath["slurm.time"], /got "2h", expected a Slurm time limit such as "30"/);
  assert.match(byPath["slurm.mem"], /got "4 GB", expected memory per task such as "4G"/);
  assert.match(byPath["slurm.cpusPerTask"], /got 0, expected an integer >= 1/);
  assert.match(byPath["slurm.gpus"], /got -1, expected an integer >= 0/);
  assert.match(byPath["slurm.extra[0]"], /got "account=lab", expected one sbatch option/);
  assert.match(validateSlurmResources("gpu")[0].message, /expected an object/);
});

Deno.test("slurm: flags name themselves in errors; flags override the file", () => {
  const ok = resourcesFromFlags({ time: "10", cpusPerTask: "2", gpus: "1", extra: ["--qos=x"] });
  assert.deepEqual(ok.issues, []);
  assert.deepEqual(ok.resources, { time: "10", cpusPerTask: 2, gpus: 1, extra: ["--qos=x"] });
  const bad = resourcesFromFlags({ time: "soon", cpusPerTask: "two", extra: ["oops"] });
  assert.deepEqual(bad.issues.map((i) => i.path), ["--time", "--cpus-per-task", "--sbatch-arg"]);
  assert.match(bad.issues[1].message, /got "two", expected an integer >= 1/);
  assert.deepEqual(
    mergeResources({ partition: "a", time: "5", extra: ["--qos=x"] }, {
      time: "10",
      extra: ["--account=y"],
    }),
    { partition: "a", time: "10", extra: ["--qos=x", "--account=y"] },
  );
});
