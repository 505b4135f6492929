import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { buildReport, pngSize, renderPng } from "../../lib/report/mod.ts";
import { PngRenderer } from "../../lib/report/png.ts";
import { GAUSS_SPEC, writeStudy } from "./store_fixtures.ts";
import { withTempDir } from "../_temp.ts";

const PNG_MAGIC = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a];

/** Width and height attributes of an SVG's root element. */
function svgSize(svg: string): { width: number; height: number } {
  const root = /^<svg[^>]*>/.exec(svg)![0];
  return {
    width: Number(/ width="(\d+(?:\.\d+)?)"/.exec(root)![1]),
    height: Number(/ height="(\d+(?:\.\d+)?)"/.exec(root)![1]),
  };
}

Deno.test("every chart gets a valid PNG at twice the SVG's size", async () => {
  await withTempDir("report-png-", async (root) => {
    const s = writeStudy(root, GAUSS_SPEC);
    const out = join(root, "reports", "gauss");
    const result = await buildReport(s.exp, s.plans, s.records, out);
    assert.equal(result.png, true);
    assert.ok(result.charts.length >= 5);
    for (const chart of result.charts) {
      const png = readFileSync(join(out, "charts", `${chart.name}.png`));
      assert.deepEqual([...png.subarray(0, 8)], PNG_MAGIC, `${chart.name}: not a PNG`);
      const svg = svgSize(readFileSync(join(out, "charts", `${chart.name}.svg`), "utf8"));
      assert.deepEqual(
        pngSize(png),
        { width: Math.ceil(svg.width * 2), height: Math.ceil(svg.height * 2) },
        chart.name,
      );
      assert.ok(png.length > 5000, `${chart.name}: ${png.length} bytes, nearly empty?`);
    }
  });
});

Deno.test("renderPng draws text (DejaVu Sans) and honours the scale", async () => {
  const svg = '<svg xmlns="http://www.w3.org/2000/svg" width="120" height="40">' +
    '<rect width="120" height="40" fill="white"/>' +
    '<text x="4" y="28" font-family="sans-serif" font-size="20">Label</text></svg>';
  const blank = '<svg xmlns="http://www.w3.org/2000/svg" width="120" height="40">' +
    '<rect width="120" height="40" fill="white"/></svg>';
  const one = await renderPng(svg, { scale: 1 });
  const two = await renderPng(svg);
  assert.ok(one && two);
  assert.deepEqual(pngSize(one), { width: 120, height: 40 });
  assert.deepEqual(pngSize(two), { width: 240, height: 80 });
  const empty = await renderPng(blank, { scale: 1 });
  // Glyphs make the image less compressible than a white rectangle.
  assert.ok(one.length > empty!.length + 200, `${one.length} vs ${empty!.length}: no text drawn?`);
  // vega writes font-family="sans-serif": it must come out in DejaVu Sans, not a serif face.
  const dejavu = await renderPng(svg.replace("sans-serif", "DejaVu Sans"), { scale: 1 });
  const serif = await renderPng(svg.replace("sans-serif", "DejaVu Serif"), { scale: 1 });
  assert.deepEqual(one, dejavu, "sans-serif is not drawn in DejaVu Sans");
  assert.notDeepEqual(one, serif);
});

Deno.test("PngRenderer: PNGs from the worker equal those rendered in this thread; a bad SVG is skipped", async () => {
  const svg = (w: number) =>
    `<svg xmlns="http://www.w3.org/2000/svg" width="${w}" height="30">` +
    `<rect width="${w}" height="30" fill="white"/><text x="2" y="20">w=${w}</text></svg>`;
  const warnings: string[] = [];
  const warn = console.warn;
  console.warn = (...args: unknown[]) => warnings.push(args.join(" "));
  const raster = new PngRenderer();
  try {
    const pending = [40, 80, 120].map((w) => raster.render(svg(w), { scale: 1 }, `c${w}`));
    const bad = raster.render("this is not svg", {}, "broken");
    const pngs = await Promise.all(pending);
    for (const [i, w] of [40, 80, 120].entries()) {
      const here = await renderPng(svg(w), { scale: 1 });
      assert.deepEqual(pngs[i], new Uint8Array(here!), `w=${w}`);
      assert.deepEqual(pngSize(pngs[i]!), { width: w, height: 30 });
    }
    assert.equal(await bad, null);
    assert.equal(warnings.length, 1, warnings.join("\n"));
    assert.ok(warnings[0].startsWith("warning: broken.png not written:"), warnings[0]);
  } finally {
    raster.close();
    console.warn = warn;
  }
});

Deno.test("pngSize rejects bytes that are not a PNG", () => {
  assert.equal(pngSize(new TextEncoder().encode("<svg></svg> and more bytes here")), null);
  assert.equal(pngSize(new Uint8Array(4)), null);
});

Deno.test("without --allow-ffi the report is still written, PNGs skipped with one warning", async () => {
  await withTempDir("report-png-", async (root) => {
    const here = (p: string) => new URL(p, import.meta.url).href;
    const script = join(root, "build.ts");
    await Deno.writeTextFile(
      script,
      `import { buildReport } from "${here("../../lib/report/mod.ts")}";\n` +
        `import { GAUSS_SPEC, writeStudy } from "${here("./store_fixtures.ts")}";\n` +
        `const s = writeStudy(${JSON.stringify(root)}, GAUSS_SPEC);\n` +
        `const r = await buildReport(s.exp, s.plans, s.records, ${
          JSON.stringify(join(root, "out"))
        });\n` +
        `console.log(JSON.stringify({ png: r.png, charts: r.charts.length }));\n`,
    );
    const config = fileURLToPath(new URL("../../deno.json", import.meta.url));
    const out = await new Deno.Command(Deno.execPath(), {
      args: [
        "run",
        "--quiet",
        "--no-check",
        `--config=${config}`,
        "--allow-read",
        "--allow-write",
        "--allow-env",
        "--allow-sys",
        script,
      ],
      env: { NO_COLOR: "1" },
      stdout: "piped",
      stderr: "piped",
    }).output();
    const stdout = new TextDecoder().decode(out.stdout);
    const stderr = new TextDecoder().decode(out.stderr);
    assert.equal(out.code, 0, stderr);
    const result = JSON.parse(stdout.trim().split("\n").at(-1)!);
    assert.equal(result.png, false);
    assert.ok(result.charts >= 5);
    const warnings = stderr.split("\n").filter((l) => l.includes("PNG charts skipped"));
    assert.equal(warnings.length, 1, stderr);
    const files = [...Deno.readDirSync(join(root, "out", "charts"))].map((e) => e.name);
    assert.ok(files.some((f) => f.endsWith(".svg")));
    assert.ok(!files.some((f) => f.endsWith(".png")), files.join(", "));
    assert.ok(readFileSync(join(root, "out", "report.html"), "utf8").includes("<svg"));
  });
});
