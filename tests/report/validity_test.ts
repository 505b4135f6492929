import assert from "node:assert/strict";
import { aggregate } from "../../lib/report/aggregate.ts";
import { reportMarkdown, trainingMarkdown, validityMarkdown } from "../../lib/report/markdown.ts";
import {
  configHealth,
  healthWarning,
  invalidRuns,
  trainingText,
} from "../../lib/report/sections.ts";
import { fixture } from "./fixtures.ts";

/** The fixture with the first `n` done runs given a dead D (every hidden unit inactive). */
function withDead(n: number) {
  const f = fixture();
  const done = f.records.filter((r) => r.status.state === "done");
  for (const r of done.slice(0, n)) r.final!.metrics = { ...r.final!.metrics, d_active: 0 };
  return { ...f, dead: done.slice(0, n).map((r) => r.id), done: done.length };
}

Deno.test("report: runs that fail a health check are listed with what was measured, per config", () => {
  const { exp, plans, records, dead } = withDead(2);
  const agg = aggregate(exp, plans, records);
  assert.deepEqual(invalidRuns(agg).map((r) => r.id), dead);
  assert.match(
    invalidRuns(agg)[0].detail,
    /^D dead: every unit of a hidden layer of D is inactive/,
  );
  const health = configHealth(agg);
  assert.deepEqual(health.map((h) => [h.done, h.invalid]), [[3, 2], [1, 0], [0, 0]]);
  assert.deepEqual(health[0].checks, { d_dead: 2 });
  const md = validityMarkdown(agg).join("\n");
  assert.match(md, /\| k=1 \| 3 \| 1 \| D dead: 2 \|/);
  assert.ok(md.includes(`\`${dead[0]}\``));
  // Half of the done runs failing is not "most": no warning at the top.
  assert.equal(healthWarning(agg), null);
});

Deno.test("report: a study whose done runs mostly fail a health check says so at the top", () => {
  const { exp, plans, records } = withDead(3);
  const agg = aggregate(exp, plans, records);
  const done = agg.counts.done;
  const warning = healthWarning(agg);
  assert.ok(warning);
  assert.match(
    warning,
    new RegExp(`^3 of ${done} done runs of this study fail a health check \\(D dead: 3\\)`),
  );
  const md = reportMarkdown(exp, agg, []);
  const top = md.split("## Claims")[0];
  assert.ok(top.includes(warning), top);
});

Deno.test("report: every done run healthy says so; how the runs trained names the update rule", () => {
  const { exp, plans, records } = fixture();
  const agg = aggregate(exp, plans, records);
  assert.match(validityMarkdown(agg).join("\n"), /Every done run passed the health checks/);
  const config = plans[0].config;
  assert.match(trainingText(config), /^alternating update \(Algorithm 1: 1 D step, then 1 G step/);
  assert.match(
    trainingText({ ...config, update: "simultaneous" }),
    /^simultaneous update \(the public code's/,
  );
  const md = trainingMarkdown(agg, []).join("\n");
  assert.match(md, /## How the runs trained/);
  assert.match(md, /D dead: D's output spread over held-out reals and samples below 0.01/);
  assert.match(md, /\| k=1 \| alternating update .* \| 3 of 3 \|/);
});
