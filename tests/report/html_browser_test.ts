/**
 * report.html in a real browser: Debian's chromium, headless, driven by
 * puppeteer-core, opens a report built from a fixture through file:// and
 * checks that the claims table and every chart render, and that an image
 * study's notes, Parzen table and embedded sample figures show. Skipped when
 * /usr/bin/chromium is not installed (`.ci/run` installs it).
 *
 * @module
 */
import assert from "node:assert/strict";
import { existsSync } from "node:fs";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { CHROMIUM, launchChromium } from "./_chromium.ts";
import { buildReport } from "../../lib/report/mod.ts";
import { writeImageStudy } from "./image_fixtures.ts";
import { RING_SPEC, sampleClaims, writeStudy } from "./store_fixtures.ts";

/** What the page reports about itself (computed in the browser). */
interface PageFacts {
  claimRows: { width: number; height: number; verdict: string; background: string }[];
  charts: {
    name: string;
    width: number;
    height: number;
    marks: number;
    drawnMarks: number;
    texts: number;
  }[];
  missing: number;
  failed: number;
}

/** What an image study's page reports about itself (computed in the browser). */
interface ImageFacts {
  notes: number;
  parzenRows: number;
  images: { alt: string; complete: boolean; naturalWidth: number; width: number }[];
}

/** Runs in the page of an image study. */
const IMAGE_FACTS = `(() => ({
  notes: [...document.querySelectorAll("header p.report-note")]
    .filter((p) => p.getBoundingClientRect().height > 0).length,
  parzenRows: document.querySelectorAll("table.parzen tbody tr").length,
  images: [...document.querySelectorAll("figure.samples img")].map((img) => ({
    alt: img.alt,
    complete: img.complete,
    naturalWidth: img.naturalWidth,
    width: img.getBoundingClientRect().width,
  })),
}))()`;

/** Runs in the page (plain JavaScript: the test's type check has no DOM types). */
const FACTS = `(() => {
  const size = (e) => e.getBoundingClientRect();
  const claimRows = [...document.querySelectorAll("table.claims tbody tr")].map((tr) => {
    const v = tr.querySelector("td.verdict");
    return {
      width: size(tr).width,
      height: size(tr).height,
      verdict: v ? v.textContent : "",
      background: v ? getComputedStyle(v).backgroundColor : "",
    };
  });
  const charts = [...document.querySelectorAll("figure.chart")].map((f) => {
    const svg = f.querySelector("svg");
    const marks = svg
      ? [...svg.querySelectorAll(".role-mark path, .role-mark line, .role-mark rect")]
      : [];
    return {
      name: f.getAttribute("data-chart") || "",
      width: svg ? size(svg).width : 0,
      height: svg ? size(svg).height : 0,
      marks: marks.length,
      drawnMarks: marks.filter((m) => size(m).width > 0 || size(m).height > 0).length,
      texts: svg ? svg.querySelectorAll("text").length : 0,
    };
  });
  return {
    claimRows,
    charts,
    missing: document.querySelectorAll("#missing + ul li").length,
    failed: document.querySelectorAll("#failed + ul li").length,
  };
})()`;

Deno.test({
  name:
    "report.html renders in chromium: claims table, every chart and sample figure, no errors, no requests out",
  ignore: !existsSync(CHROMIUM),
  // puppeteer keeps timers and sockets of its own until the browser is gone.
  sanitizeOps: false,
  sanitizeResources: false,
  fn: async () => {
    const root = await Deno.makeTempDir({ prefix: "report-browser-" });
    try {
      const s = writeStudy(root, RING_SPEC, { 4: "failed" });
      const records = s.records.filter((r) => r.id !== s.plans[5].id);
      const out = join(root, "reports", "ring");
      const result = await buildReport(s.exp, s.plans, records, out, {
        claims: sampleClaims(),
        png: false,
      });
      const url = pathToFileURL(join(out, "report.html")).href;

      const browser = await launchChromium(join(root, "profile"));
      try {
        const page = await browser.newPage();
        const errors: string[] = [];
        const requests: string[] = [];
        page.on("console", (m) => {
          if (m.type() === "error" || m.type() === "warn") errors.push(`console: ${m.text()}`);
        });
        page.on("pageerror", (e) => errors.push(`page: ${e}`));
        page.on(
          "requestfailed",
          (r) => errors.push(`failed: ${r.url()} ${r.failure()?.errorText}`),
        );
        page.on("request", (r) => requests.push(r.url()));
        await page.setViewport({ width: 1280, height: 900 });
        const response = await page.goto(url, { waitUntil: "load" });
        assert.ok(response?.ok(), `could not open ${url}`);

        const facts = await page.evaluate(FACTS) as PageFacts;

        assert.deepEqual(errors, []);
        assert.deepEqual(requests.filter((r) => !r.startsWith("file://")), [], "network requests");
        assert.deepEqual(requests, [url], "the page must need no other file");

        assert.deepEqual(facts.claimRows.map((r) => r.verdict), ["PASS", "FAIL", "INCONCLUSIVE"]);
        for (const r of facts.claimRows) {
          assert.ok(r.width > 0 && r.height > 0, `claim row ${r.verdict} has no size`);
          assert.notEqual(r.background, "rgba(0, 0, 0, 0)", `${r.verdict} not coloured`);
        }
        assert.equal(new Set(facts.claimRows.map((r) => r.background)).size, 3);

        assert.deepEqual(facts.charts.map((c) => c.name), result.charts.map((c) => c.name));
        for (const c of facts.charts) {
          assert.ok(c.width > 100 && c.height > 100, `${c.name}: ${c.width}x${c.height}`);
          assert.ok(c.drawnMarks > 0, `${c.name}: no visible marks (${c.marks} elements)`);
          assert.ok(c.texts > 3, `${c.name}: no axis text`);
        }
        assert.equal(facts.missing, 1);
        assert.equal(facts.failed, 1);

        // An image study: note, Parzen table and figures embedded as data: URIs.
        const img = writeImageStudy(join(root, "img"));
        const imgOut = join(root, "img", "reports", "img");
        await buildReport(img.exp, img.plans, img.records, imgOut, {
          charts: false,
          notes: ["Shortened budget: a test."],
        });
        const imgUrl = pathToFileURL(join(imgOut, "report.html")).href;
        requests.length = 0;
        const imgResponse = await page.goto(imgUrl, { waitUntil: "load" });
        assert.ok(imgResponse?.ok(), `could not open ${imgUrl}`);
        const imgFacts = await page.evaluate(IMAGE_FACTS) as ImageFacts;
        assert.deepEqual(errors, []);
        assert.deepEqual(
          requests.filter((r) => !r.startsWith("data:image/png;base64,")),
          [imgUrl],
          "the page must need no other file",
        );
        assert.equal(imgFacts.notes, 1);
        assert.equal(imgFacts.parzenRows, 7);
        assert.equal(imgFacts.images.length, 5);
        for (const i of imgFacts.images) {
          assert.ok(i.complete && i.naturalWidth > 0, `${i.alt}: not decoded`);
          assert.equal(i.width, 2 * i.naturalWidth, `${i.alt}: not drawn at twice its size`);
        }
      } finally {
        const proc = browser.process();
        await browser.close();
        // Never leave a browser behind, even when it is slow to exit.
        if (proc && proc.exitCode === null && proc.signalCode === null) proc.kill("SIGKILL");
      }
    } finally {
      await removeSoon(root);
    }
  },
});

/**
 * Removes a directory, best effort: chromium's helper processes may still
 * write to its profile for a moment, and a failure here must not hide the
 * test's own error.
 */
async function removeSoon(dir: string): Promise<void> {
  for (let attempt = 0; attempt < 20; attempt++) {
    try {
      await Deno.remove(dir, { recursive: true });
      return;
    } catch (e) {
      if (e instanceof Deno.errors.NotFound) return;
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  }
  console.warn(`could not remove ${dir}`);
}
