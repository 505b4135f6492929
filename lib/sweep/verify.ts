/**
 * Integrity of the run store. A finished run records what it wrote (size
 * and sha256 of `config.json`, `metrics.csv`, `final.json` and its samples)
 * in the `outputs` of its `manifest.json`; {@link inspectRun} checks them,
 * and that its `status.json`, `config.json` (of this run's id) and
 * `final.json` parse, and names every file that is damaged: missing,
 * truncated, changed or garbage. A damaged run is never used silently:
 * `status` shows it, a sweep retrains it ({@link resetDamagedRun}) or, with
 * `--keep-damaged`, leaves it and says so, and a report counts it as
 * failed, naming the file.
 *
 * @module
 */
import { existsSync, readFileSync, rmSync, statSync } from "node:fs";
import { join } from "node:path";
import { readJsonFile, sha256, writeJson } from "../io/mod.ts";
import { runId } from "../spec/run_id.ts";
import type { RunConfig } from "../spec/config.ts";
import type { RunPlan } from "../spec/expand.ts";
import {
  isFinished,
  readRuns,
  type RunFinal,
  runPaths,
  type RunRecord,
  type RunStatus,
} from "./store.ts";
import type { Manifest } from "./manifest.ts";

/** One damaged file of a run. */
export interface Damage {
  /** The file's name in the run directory, e.g. `final.json`. */
  file: string;
  /** What is wrong, e.g. "missing", "not JSON (...)", "3 bytes, 812 recorded". */
  problem: string;
}

/** Size and sha256 of one file a run wrote. */
export interface OutputRecord {
  size: number;
  sha256: string;
}

/** The files of a finished run that its manifest records, when present. */
export const RECORDED_OUTPUTS = [
  "config.json",
  "metrics.csv",
  "final.json",
  "samples.csv",
  "samples.png",
  "samples_nn.png",
  "discriminator.csv",
] as const;

/**
 * Size and sha256 of every file of {@link RECORDED_OUTPUTS} the run
 * directory holds: what `manifest.json`'s `outputs` records when the run
 * finishes.
 *
 * @param dir The run directory.
 * @returns File name -> record.
 */
export function recordOutputs(dir: string): Record<string, OutputRecord> {
  const out: Record<string, OutputRecord> = {};
  for (const name of RECORDED_OUTPUTS) {
    const path = join(dir, name);
    if (!existsSync(path)) continue;
    const bytes = readFileSync(path);
    out[name] = { size: bytes.length, sha256: sha256(bytes) };
  }
  return out;
}

/** One line for a run's damage: "final.json: missing; metrics.csv: ...". */
export function damageText(damage: readonly Damage[]): string {
  return damage.map((d) => `${d.file}: ${d.problem}`).join("; ");
}

/** A run directory as inspected: its status (null when absent or unreadable) and its damage. */
export interface Inspection {
  status: RunStatus | null;
  damage: Damage[];
}

function checkRecorded(dir: string, name: string, want: OutputRecord): Damage | null {
  const path = join(dir, name);
  let bytes: Uint8Array;
  try {
    if (!statSync(path).isFile()) return { file: name, problem: "not a file" };
    bytes = readFileSync(path);
  } catch (e) {
    const code = (e as { code?: string }).code;
    return { file: name, problem: code === "ENOENT" ? "missing" : `unreadable (${code ?? e})` };
  }
  if (bytes.length !== want.size) {
    return {
      file: name,
      problem: `${bytes.length} bytes where the run wrote ${want.size} (truncated or changed)`,
    };
  }
  if (sha256(bytes) !== want.sha256) {
    return { file: name, problem: "its sha256 differs from the one the run recorded (changed)" };
  }
  return null;
}

/**
 * Inspects a run directory: reads its status and, for a finished run (done
 * or diverged), checks its files. Only a status.json that exists but cannot
 * be read is damage for a run that is not finished.
 *
 * @param dir The run directory.
 * @param id The run's id (its config must hash to it).
 * @returns The status and every damaged file (empty when intact).
 */
export function inspectRun(dir: string, id: string): Inspection {
  const p = runPaths(dir);
  const statusFile = readJsonFile<RunStatus>(p.status);
  if (statusFile.state === "unreadable") {
    return { status: null, damage: [{ file: "status.json", problem: statusFile.problem }] };
  }
  if (statusFile.state === "absent") return { status: null, damage: [] };
  const status = statusFile.value;
  if (typeof status?.state !== "string") {
    return { status: null, damage: [{ file: "status.json", problem: "no state field" }] };
  }
  if (!isFinished(status.state)) return { status, damage: [] };
  const damage: Damage[] = [];
  const config = readJsonFile<RunConfig>(p.config);
  if (config.state !== "ok") {
    damage.push({
      file: "config.json",
      problem: config.state === "absent" ? "missing" : config.problem,
    });
  } else {
    let other: string | null = null;
    try {
      other = runId(config.value);
    } catch (e) {
      damage.push({ file: "config.json", problem: `not a run config (${e})` });
    }
    if (other !== null && other !== id) {
      damage.push({ file: "config.json", problem: `holds the config of run ${other}` });
    }
  }
  const manifest = readJsonFile<Manifest>(p.manifest);
  if (manifest.state === "unreadable") {
    damage.push({ file: "manifest.json", problem: manifest.problem });
  }
  const outputs = manifest.state === "ok" ? manifest.value.outputs ?? {} : {};
  for (const [name, want] of Object.entries(outputs)) {
    if (damage.some((d) => d.file === name)) continue;
    const bad = checkRecorded(dir, name, want);
    if (bad) damage.push(bad);
  }
  // Runs written before manifests recorded their outputs: the files must at least parse.
  if (!damage.some((d) => d.file === "final.json")) {
    const final = readJsonFile<RunFinal>(p.final);
    if (final.state !== "ok") {
      damage.push({
        file: "final.json",
        problem: final.state === "absent" ? "missing" : final.problem,
      });
    } else if (typeof final.value?.metrics !== "object" || final.value.metrics === null) {
      damage.push({ file: "final.json", problem: "no metrics field" });
    }
  }
  if (!damage.some((d) => d.file === "metrics.csv") && !existsSync(p.metrics)) {
    damage.push({ file: "metrics.csv", problem: "missing" });
  }
  return { status, damage };
}

/** Files a retrained run starts without: its results, its checkpoint and its manifest. */
const RESULT_FILES = [
  "final.json",
  "metrics.csv",
  "samples.csv",
  "samples.png",
  "samples_nn.png",
  "discriminator.csv",
  "checkpoint.bin",
  "manifest.json",
] as const;

/**
 * Makes a damaged run train again from scratch: removes its results, its
 * checkpoint and its manifest (and its config when that is damaged, so the
 * plan's is written again), and leaves it queued with a note naming what
 * was damaged. Same seed, same config: it trains to the same results.
 *
 * @param dir The run directory.
 * @param status Its status, when readable.
 * @param damage What was damaged.
 */
export function resetDamagedRun(dir: string, status: RunStatus | null, damage: Damage[]): void {
  const names: string[] = [...RESULT_FILES];
  if (damage.some((d) => d.file === "config.json")) names.push("config.json");
  for (const name of names) rmSync(join(dir, name), { force: true });
  const out: RunStatus = {
    state: "queued",
    attempts: status?.attempts ?? 0,
    queuedAt: new Date().toISOString(),
    note: `retrained from scratch: ${damageText(damage)}`,
  };
  writeJson(runPaths(dir).status, out);
}

/** A study's records as a report should see them, and its damaged runs. */
export interface CheckedRuns {
  /**
   * Every run directory's record (as `readRuns` reads them), where a
   * planned run with damaged files counts as `failed` with an error naming
   * them, its final metrics (and its curves, when metrics.csv is damaged)
   * left out; a planned run whose config.json is damaged is included too.
   */
  records: RunRecord[];
  /** The planned runs with damaged files. */
  damaged: { id: string; damage: Damage[] }[];
}

/**
 * Reads a study's runs for a report, never using a damaged file silently:
 * each planned run is inspected ({@link inspectRun}); one with damaged
 * files is counted as failed, its error naming them.
 *
 * @param runsDir `runs/<name>/`.
 * @param plans The planned runs.
 * @returns The records and the damaged runs.
 */
export function readCheckedRuns(runsDir: string, plans: readonly RunPlan[]): CheckedRuns {
  const records = new Map(readRuns(runsDir).map((r) => [r.id, r]));
  const damaged: CheckedRuns["damaged"] = [];
  for (const plan of plans) {
    const dir = join(runsDir, plan.id);
    if (!existsSync(dir)) continue;
    const { status, damage } = inspectRun(dir, plan.id);
    if (damage.length === 0) continue;
    damaged.push({ id: plan.id, damage });
    const record = records.get(plan.id);
    const curvesDamaged = damage.some((d) => d.file === "metrics.csv");
    records.set(plan.id, {
      id: plan.id,
      dir,
      config: record?.config ?? plan.config,
      status: {
        ...(status ?? { attempts: 0 }),
        state: "failed",
        error: `damaged: ${damageText(damage)}; rerun the sweep to retrain it`,
      },
      final: null,
      curves: curvesDamaged ? [] : record?.curves ?? [],
    });
  }
  return {
    records: [...records.values()].sort((a, b) => a.id.localeCompare(b.id)),
    damaged,
  };
}
