/**
 * The structure the README's layout section promises: no import cycle
 * between files or between folders of lib/, and each stage depends only on
 * the stages below it (claims and report read the analysis layer; claims
 * never read the report; nothing below the CLI reads it).
 */
import assert from "node:assert/strict";
import { readdirSync, readFileSync, statSync } from "node:fs";
import { dirname, join, normalize, relative } from "node:path";

const LIB = normalize(join(import.meta.dirname!, "..", "lib"));

function files(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const p = join(dir, name);
    return statSync(p).isDirectory() ? files(p) : p.endsWith(".ts") ? [p] : [];
  });
}

/** lib-relative path -> lib-relative paths it imports (relative imports within lib only). */
function importGraph(): Map<string, string[]> {
  const graph = new Map<string, string[]>();
  const spec = /(?:^|\n)\s*(?:import|export)\b[^"';]*?from\s*["'](\.[^"']+)["']/g;
  const bare = /(?:^|\n)\s*import\s*["'](\.[^"']+)["']/g;
  for (const file of files(LIB)) {
    const text = readFileSync(file, "utf8");
    const out: string[] = [];
    for (const re of [spec, bare]) {
      for (const m of text.matchAll(re)) {
        const target = normalize(join(dirname(file), m[1]));
        if (target.startsWith(LIB) && target.endsWith(".ts")) out.push(relative(LIB, target));
      }
    }
    graph.set(relative(LIB, file), out);
  }
  return graph;
}

function findCycle(graph: Map<string, string[]>): string[] | null {
  const state = new Map<string, 1 | 2>();
  const stack: string[] = [];
  const visit = (n: string): string[] | null => {
    state.set(n, 1);
    stack.push(n);
    for (const m of graph.get(n) ?? []) {
      if (state.get(m) === 1) return [...stack.slice(stack.indexOf(m)), m];
      if (!state.has(m)) {
        const c = visit(m);
        if (c) return c;
      }
    }
    stack.pop();
    state.set(n, 2);
    return null;
  };
  for (const n of graph.keys()) {
    if (!state.has(n)) {
      const c = visit(n);
      if (c) return c;
    }
  }
  return null;
}

const folderOf = (f: string) => f.split("/")[0];

function folderGraph(graph: Map<string, string[]>): Map<string, string[]> {
  const out = new Map<string, Set<string>>();
  for (const [f, deps] of graph) {
    const a = folderOf(f);
    if (!out.has(a)) out.set(a, new Set());
    for (const d of deps) if (folderOf(d) !== a) out.get(a)!.add(folderOf(d));
  }
  return new Map([...out].map(([k, v]) => [k, [...v].sort()]));
}

Deno.test("layers: no import cycle between files of lib/", () => {
  const cycle = findCycle(importGraph());
  assert.equal(cycle, null, `import cycle: ${cycle?.join(" -> ")}`);
});

Deno.test("layers: no import cycle between folders of lib/", () => {
  const cycle = findCycle(folderGraph(importGraph()));
  assert.equal(cycle, null, `folder cycle: ${cycle?.join(" -> ")}`);
});

Deno.test("layers: claims and report read the analysis layer; claims never read the report", () => {
  const folders = folderGraph(importGraph());
  const forbidden: [string, string][] = [
    ["claims", "report"],
    ["analysis", "claims"],
    ["analysis", "report"],
    ["analysis", "cli"],
    ["claims", "cli"],
    ["report", "cli"],
    ["sweep", "cli"],
    ["gan", "sweep"],
    ["metrics", "gan"],
    ["spec", "gan"],
  ];
  for (const [from, to] of forbidden) {
    assert.ok(!(folders.get(from) ?? []).includes(to), `lib/${from}/ imports lib/${to}/`);
  }
});

Deno.test("layers: the cycle finder finds a planted cycle", () => {
  const g = new Map([["a", ["b"]], ["b", ["c"]], ["c", ["a"]], ["d", []]]);
  assert.deepEqual(findCycle(g), ["a", "b", "c", "a"]);
  assert.equal(findCycle(new Map([["a", ["b"]], ["b", []]])), null);
});
