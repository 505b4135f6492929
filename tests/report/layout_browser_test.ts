/**
 * How report.html lays out in a real browser (Debian's chromium through
 * puppeteer-core): in every chart, no text is cut off by the chart's edge
 * and no two texts overlap (axis titles, tick labels, legends, panel
 * titles, checked by their element boxes); tables never make the page
 * wider than the window (a wide table scrolls inside its own box) and a
 * "mean ± half-width" cell never wraps. Skipped when /usr/bin/chromium is
 * not installed (`.ci/run` installs it).
 *
 * @module
 */
import assert from "node:assert/strict";
import { existsSync } from "node:fs";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { CHROMIUM, launchChromium } from "./_chromium.ts";
import { buildReport } from "../../lib/report/mod.ts";
import { study } from "./contrast_fixtures.ts";

interface Box {
  text: string;
  left: number;
  top: number;
  right: number;
  bottom: number;
}

interface Layout {
  charts: { name: string; svg: Box; texts: Box[] }[];
  pageWidth: number;
  windowWidth: number;
  tables: { cls: string; width: number; wrapWidth: number; scrolls: boolean }[];
  wrappedPm: string[];
}

/** Runs in the page (plain JavaScript: the test's type check has no DOM types). */
const LAYOUT = `(() => {
  const box = (e, text) => {
    const r = e.getBoundingClientRect();
    return { text, left: r.left, top: r.top, right: r.right, bottom: r.bottom };
  };
  const visible = (t) => {
    let e = t;
    while (e && e.tagName !== "svg") {
      const s = getComputedStyle(e);
      if (s.display === "none" || s.visibility === "hidden" || Number(s.opacity) === 0) return false;
      if (e.getAttribute && e.getAttribute("opacity") === "0") return false;
      e = e.parentElement;
    }
    return t.textContent.trim() !== "";
  };
  const charts = [...document.querySelectorAll("figure.chart")].map((f) => {
    const svg = f.querySelector("svg");
    const texts = svg ? [...svg.querySelectorAll("text")].filter(visible).map((t) => box(t, t.textContent)) : [];
    return { name: f.getAttribute("data-chart"), svg: svg ? box(svg, "") : null, texts };
  }).filter((c) => c.svg);
  const tables = [...document.querySelectorAll(".table-wrap")].map((w) => {
    const t = w.querySelector("table");
    const s = getComputedStyle(w);
    return {
      cls: t.className,
      width: t.getBoundingClientRect().width,
      wrapWidth: w.getBoundingClientRect().width,
      scrolls: s.overflowX === "auto" || s.overflowX === "scroll",
    };
  });
  const wrappedPm = [...document.querySelectorAll("td")].filter((td) => td.textContent.includes("±"))
    .filter((td) => {
      const r = document.createRange();
      r.selectNodeContents(td);
      return r.getClientRects().length > 1 &&
        new Set([...r.getClientRects()].map((x) => Math.round(x.top))).size > 1;
    }).map((td) => td.textContent);
  return {
    charts,
    pageWidth: document.documentElement.scrollWidth,
    windowWidth: window.innerWidth,
    tables,
    wrappedPm,
  };
})()`;

function overlap(a: Box, b: Box): number {
  const w = Math.min(a.right, b.right) - Math.max(a.left, b.left);
  const h = Math.min(a.bottom, b.bottom) - Math.max(a.top, b.top);
  return w > 0 && h > 0 ? w * h : 0;
}

Deno.test({
  name:
    "report.html in chromium: chart texts never cut off or overlapping; tables never widen the page",
  ignore: !existsSync(CHROMIUM),
  sanitizeOps: false,
  sanitizeResources: false,
  fn: async () => {
    const root = await Deno.makeTempDir({ prefix: "report-layout-" });
    try {
      const s = study({
        names: { "optimizer.lr": "lr", "data.name": "data" },
        values: { loss: { "least-squares": "LS", "non-saturating": "NS" } },
      });
      const out = join(root, "report");
      await buildReport(s.exp, s.plans, s.records, out, {
        contrasts: s.contrasts,
        png: false,
        pdf: false,
        sampleCharts: false,
      });
      const browser = await launchChromium(join(root, "profile"), ["--font-render-hinting=none"]);
      try {
        for (const width of [1300, 900]) {
          const page = await browser.newPage();
          await page.setViewport({ width, height: 900 });
          await page.goto(pathToFileURL(join(out, "report.html")).href, { waitUntil: "load" });
          const layout = await page.evaluate(LAYOUT) as Layout;
          assert.ok(layout.charts.length >= 4, `charts: ${layout.charts.length}`);
          for (const c of layout.charts) {
            assert.ok(c.texts.length > 5, `${c.name}: ${c.texts.length} texts`);
            for (const t of c.texts) {
              const inside = t.left >= c.svg.left - 1 && t.right <= c.svg.right + 1 &&
                t.top >= c.svg.top - 1 && t.bottom <= c.svg.bottom + 1;
              assert.ok(
                inside,
                `${c.name} at ${width}px: "${t.text}" is cut off by the chart's edge`,
              );
            }
            for (let i = 0; i < c.texts.length; i++) {
              for (let j = i + 1; j < c.texts.length; j++) {
                const a = c.texts[i];
                const b = c.texts[j];
                assert.ok(
                  overlap(a, b) <= 1,
                  `${c.name} at ${width}px: "${a.text}" overlaps "${b.text}" (${
                    overlap(a, b).toFixed(1)
                  } px²)`,
                );
              }
            }
          }
          assert.ok(
            layout.pageWidth <= layout.windowWidth,
            `the page is ${layout.pageWidth}px wide in a ${layout.windowWidth}px window`,
          );
          for (const t of layout.tables) {
            assert.ok(t.scrolls, `table ${t.cls}: its box does not scroll`);
            assert.ok(
              t.wrapWidth <= layout.windowWidth,
              `table ${t.cls} box wider than the window`,
            );
          }
          assert.deepEqual(layout.wrappedPm, [], "cells with ± wrap onto two lines");
          await page.close();
        }
      } finally {
        const proc = browser.process();
        await browser.close();
        if (proc && proc.exitCode === null && proc.signalCode === null) proc.kill("SIGKILL");
      }
    } finally {
      await Deno.remove(root, { recursive: true }).catch(() => {});
    }
  },
});
