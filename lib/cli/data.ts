/**
 * `deno task data <name> [--data-dir DIR]`: finds, downloads when needed and
 * verifies an image data set (`mnist`, `fashion-mnist`, `cifar10`), printing
 * where each file came from, its size and its sha256. `deno task data
 * --list` says which data sets can be loaded now. Exits 2 on bad input, 1
 * when a file cannot be had or fails its checksum.
 *
 * @module
 */
import {
  DataError,
  fetchImageData,
  IMAGE_DATASETS,
  IMAGE_MANIFEST,
  imageDataStatus,
  type ImageFileRecord,
} from "../data/images/mod.ts";
import { datasetNameArg } from "./_dataset_arg.ts";
import { displayPath, HELP_FLAG, parseFlags, runMain, UsageError } from "./common.ts";

const USAGE = `usage: deno task data <name> [--data-dir DIR] [--cache-dir DIR] [--quiet]
       deno task data --list [--data-dir DIR] [--cache-dir DIR]
  <name>: ${IMAGE_DATASETS.join(", ")}
  --data-dir DIR: a directory holding the upstream files (default: $GAN_HARNESS_DATA_DIR)
  --cache-dir DIR: the download cache (default: datasets/cache)`;

function pad(rows: string[][]): string {
  const widths = rows[0].map((_, i) => Math.max(...rows.map((r) => r[i].length)));
  return rows.map((r) => r.map((c, i) => c.padEnd(widths[i])).join("  ").trimEnd()).join("\n");
}

function sourceText(f: ImageFileRecord): string {
  const where = /^[a-z]+:\/\//.test(f.source) ? f.source : displayPath(f.source);
  return `${f.via}: ${where}`;
}

function list(options: { dataDir?: string; cacheDir?: string }): number {
  const rows = [["name", "shape", "train", "test", "available"]];
  const problems: string[] = [];
  for (const name of IMAGE_DATASETS) {
    const ds = IMAGE_MANIFEST[name];
    const count = (split: string) =>
      ds.files.filter((f) => f.split === split && f.kind !== "labels")
        .reduce((n, f) => n + f.count, 0);
    const status = imageDataStatus(name, { ...options, onWarning: (m) => problems.push(m) });
    const vias = status.available ? [...new Set(status.files.map((f) => f.via))] : [];
    rows.push([
      name,
      ds.shape.join("x"),
      String(count("train")),
      String(count("test")),
      status.available ? `yes (${vias.join("; ")})` : `no: run \`deno task data ${name}\``,
    ]);
  }
  console.log(pad(rows));
  for (const p of problems) console.log(`warning: ${p}`);
  return 0;
}

/** Entry point. */
export async function main(args: string[]): Promise<number> {
  const { values, positionals } = parseFlags(args, {
    list: { type: "boolean", default: false },
    "data-dir": { type: "string" },
    "cache-dir": { type: "string" },
    quiet: { type: "boolean", short: "q", default: false },
    ...HELP_FLAG,
  });
  if (values.help) {
    console.log(USAGE);
    return 0;
  }
  const options = { dataDir: values["data-dir"], cacheDir: values["cache-dir"] };
  try {
    if (values.list) {
      if (positionals.length) {
        throw new UsageError(`--list takes no data set name, got ${positionals.join(" ")}`);
      }
      return list(options);
    }
    const name = datasetNameArg(positionals, USAGE);
    const log = values.quiet ? () => {} : (m: string) => console.log(m);
    const result = await fetchImageData(name, {
      ...options,
      onProgress: log,
      onWarning: (m) => console.error(`warning: ${m}`),
    });
    const rows = [["file", "bytes", "sha256", "checked", "from"]];
    for (const f of result.files) {
      rows.push([f.file, String(f.size), f.sha256, f.checked, sourceText(f)]);
    }
    console.log(pad(rows));
    const unchecked = result.files.filter((f) => f.checked === "format").length;
    console.log(
      `${name}: ${result.files.length} files ${
        unchecked ? `ready (${unchecked} format-checked only: no published checksum)` : "verified"
      }`,
    );
    return 0;
  } catch (e) {
    if (!(e instanceof DataError)) throw e;
    console.error(`error: ${e.message}`);
    return 1;
  }
}

if (import.meta.main) await runMain(() => main(Deno.args));
