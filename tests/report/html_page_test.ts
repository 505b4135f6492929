import assert from "node:assert/strict";
import { prefixSvgIds } from "../../lib/report/html_page.ts";

Deno.test("prefixSvgIds makes ids and their references unique per chart", () => {
  const svg = '<svg><defs><clipPath id="clip1"><rect/></clipPath></defs>' +
    '<g clip-path="url(#clip1)"><use href="#clip1"/><use xlink:href="#clip1"/></g></svg>';
  assert.equal(
    prefixSvgIds(svg, "c3-"),
    '<svg><defs><clipPath id="c3-clip1"><rect/></clipPath></defs>' +
      '<g clip-path="url(#c3-clip1)"><use href="#c3-clip1"/><use xlink:href="#c3-clip1"/></g></svg>',
  );
});
