// deno-lint-ignore-file no-import-prefix
/**
 * Every npm package the library imports, by its full `npm:` specifier with
 * its version (the same versions as `deno.json`'s import map, which a test
 * keeps in step). Library modules import packages from here, never by a
 * bare name, so that a script or notebook outside this checkout can import
 * `mod.ts` (by path or file URL): bare names resolve only through the
 * checkout's `deno.json`, full specifiers resolve anywhere.
 *
 * Optional or native packages are loaded on demand through the functions
 * below, so that importing the library never needs them.
 *
 * @module
 */
export * as tf from "npm:@tensorflow/tfjs@4.22.0";
export { setWasmPaths } from "npm:@tensorflow/tfjs-backend-wasm@4.22.0";
export type { BackendWasm } from "npm:@tensorflow/tfjs-backend-wasm@4.22.0";
export * as vega from "npm:vega@6.4.0";
export { compile as compileVegaLite } from "npm:vega-lite@6.5.0";
export type { TopLevelSpec } from "npm:vega-lite@6.5.0";
// @ts-types="npm:@types/d3-dsv@3.0.7"
export { csvParse, csvParseRows } from "npm:d3-dsv@3.0.2";
export { EigenvalueDecomposition, Matrix } from "npm:ml-matrix@6.15.1";

/** The npm packages of this module with their versions (checked against deno.json by a test). */
export const NPM_PACKAGES: Readonly<Record<string, string>> = Object.freeze({
  "@tensorflow/tfjs": "4.22.0",
  "@tensorflow/tfjs-backend-wasm": "4.22.0",
  "vega": "6.4.0",
  "vega-lite": "6.5.0",
  "d3-dsv": "3.0.2",
  "ml-matrix": "6.15.1",
  "@resvg/resvg-js": "2.6.2",
});

/**
 * Loads resvg (a native module, for PNG charts) on demand.
 *
 * @returns The module.
 */
export function importResvg(): Promise<unknown> {
  return import("npm:@resvg/resvg-js@2.6.2");
}
