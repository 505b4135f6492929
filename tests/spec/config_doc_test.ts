import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { configFields, configTableMarkdown, fieldTitle } from "../../lib/spec/config_doc.ts";
import { tables } from "../../scripts/config_table.ts";

Deno.test("config doc: every field of the schema has a description", () => {
  const fields = configFields();
  assert.ok(fields.length > 40);
  for (const f of fields) assert.ok(f.doc.length > 0, `${f.path} (${f.when}) has no doc`);
});

Deno.test("config doc: the README's config table is the one the schema gives (deno task docs)", () => {
  const readme = readFileSync(new URL("../../README.md", import.meta.url), "utf8");
  const { inReadme, fromSchema } = tables(readme);
  assert.ok(inReadme, "README.md has the config-table markers");
  assert.deepEqual(inReadme, fromSchema, "README config table is stale: run deno task docs");
});

Deno.test("config doc: a stale table is detected", () => {
  const rows = configTableMarkdown();
  const stale = ["<!-- config-table:start -->", ...rows.slice(0, -1), "<!-- config-table:end -->"]
    .join("\n");
  const { inReadme, fromSchema } = tables(stale);
  assert.notDeepEqual(inReadme, fromSchema);
});

Deno.test("config doc: chart titles of swept paths come from the schema", () => {
  assert.equal(fieldTitle("k"), "D steps per G step");
  assert.equal(fieldTitle("optimizer.lr"), "learning rate");
  assert.equal(fieldTitle("optimizer.name"), "optimiser");
  assert.equal(fieldTitle("data.name"), "data set");
  assert.equal(fieldTitle("data.std"), "mode standard deviation");
  assert.equal(fieldTitle("arch.gHidden"), "G hidden widths");
  assert.equal(fieldTitle("data"), undefined);
  assert.equal(fieldTitle("arch"), undefined);
  assert.equal(fieldTitle("no.such.path"), undefined);
});
