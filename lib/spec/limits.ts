/**
 * Bounds a study must keep before any run starts, beyond what each field
 * accepts alone: a minibatch no larger than the training set, at most
 * `maxSteps` iterations per run (a flag raises it), and a run's memory
 * within what one worker of this machine has (data points, nets,
 * minibatches and evaluation samples, estimated from the config's shape).
 * The number of runs is bounded where they are counted (`countRuns`,
 * `expandRuns` with `maxRuns`).
 *
 * @module
 */
import { canonicalJson } from "./run_id.ts";
import { dataDim, IMAGE_SPLITS, isImageData, type ResolvedConfig } from "./config.ts";
import { configCost } from "./cost.ts";
import type { Experiment } from "./experiment.ts";
import type { RunPlan } from "./expand.ts";
import type { Issue } from "./schema.ts";

export { DEFAULT_MAX_RUNS } from "./experiment.ts";

/** The most iterations per run unless told otherwise (`--max-steps`). */
export const DEFAULT_MAX_STEPS = 1_000_000;

/** What a study may use. */
export interface StudyLimits {
  /** The most iterations (`steps`) of one run. */
  maxSteps: number;
  /** Bytes of memory one run may use (one worker's share of the machine); unchecked when absent. */
  memoryBytes?: number;
  /** Where `memoryBytes` comes from, for messages, e.g. "23.5 GB over 2 workers". */
  memoryNote?: string;
}

/** Memory of the Deno process and tfjs before a run allocates anything (measured: ~150-250 MB). */
const BASE_BYTES = 256 * 2 ** 20;

/** Usual sizes (the defaults' order of magnitude), to name what makes a run's memory unusual. */
const USUAL_BATCH = 128;
const USUAL_EVAL_SAMPLES = 2500;
const USUAL_ACTIVATIONS = 1000;

/** One share of a run's memory: the config field that drives it and the bytes. */
export interface MemoryPart {
  /** Dotted config path, e.g. `data.trainSize`. */
  field: string;
  /** What the bytes hold, e.g. "64 training + 2048 held-out points of 2 floats". */
  what: string;
  bytes: number;
}

/**
 * A run's memory, estimated from its config's shape: the data points, the
 * nets' weights with their gradients and optimiser state, a minibatch's
 * activations, and the evaluation samples, on top of the process itself.
 *
 * @param config A resolved config.
 * @returns The total bytes and its shares, largest first.
 */
export function runMemory(config: ResolvedConfig): { bytes: number; parts: MemoryPart[] } {
  const cost = configCost(config);
  const dim = dataDim(config.data);
  const f = 4;
  const parts: MemoryPart[] = [];
  if (isImageData(config.data)) {
    const split = IMAGE_SPLITS[config.data.name];
    const images = split.train + split.valid + split.test;
    parts.push({
      field: "data.name",
      what: `${images} images of ${dim} floats`,
      bytes: images * dim * f,
    });
  } else {
    const { trainSize, validSize } = config.data as { trainSize: number; validSize: number };
    // Training points, their shuffled order (and its copy in a checkpoint), held-out points.
    parts.push({
      field: "data.trainSize",
      what: `${trainSize} training points of ${dim} float${dim === 1 ? "" : "s"}`,
      bytes: trainSize * (dim * f + 3 * 4),
    });
    parts.push({
      field: "data.validSize",
      what: `${validSize} held-out points`,
      bytes: validSize * dim * f,
    });
  }
  const params = cost.g.params + cost.d.params;
  // Weights, gradients and two optimiser moments, float32.
  parts.push({ field: "arch", what: `${params} weights`, bytes: params * f * 4 });
  const act = cost.g.activations + cost.d.activations + dim;
  // A minibatch's and the evaluation's activations grow with the count and with the nets'
  // width: the field named is the one further from its usual size.
  const wide = act / USUAL_ACTIVATIONS;
  parts.push({
    field: config.batchSize / USUAL_BATCH >= wide ? "batchSize" : "arch",
    what: `a minibatch of ${config.batchSize} through nets of ${act} activations per sample`,
    bytes: config.batchSize * act * f * 4,
  });
  parts.push({
    field: config.evalSamples / USUAL_EVAL_SAMPLES >= wide ? "evalSamples" : "arch",
    what: `${config.evalSamples} evaluation samples through nets of ${act} activations per sample`,
    bytes: config.evalSamples * (dim + act) * f * 2,
  });
  if (config.parzen) {
    parts.push({
      field: "parzen.samples",
      what: `${config.parzen.samples} Parzen samples`,
      bytes: config.parzen.samples * dim * f * 2,
    });
  }
  parts.sort((a, b) => b.bytes - a.bytes);
  return { bytes: BASE_BYTES + parts.reduce((n, p) => n + p.bytes, 0), parts };
}

/**
 * Bytes as a person reads them: "512 MB", "16 TB".
 *
 * @param bytes A byte count.
 * @returns The text, with 3 significant digits.
 */
export function formatBytes(bytes: number): string {
  const units = ["bytes", "KB", "MB", "GB", "TB", "PB", "EB"];
  let v = bytes;
  let i = 0;
  while (v >= 1000 && i < units.length - 1) {
    v /= 1000;
    i++;
  }
  return i === 0 ? `${bytes} bytes` : `${v.toPrecision(3)} ${units[i]}`;
}

/** One problem of a config against the limits: the field it names and the message. */
export interface LimitProblem {
  /** Dotted config path. */
  field: string;
  /** The other fields the problem involves (a swept one makes it the point's problem). */
  involves: string[];
  message: string;
}

/**
 * What a resolved config breaks of the limits: a minibatch larger than the
 * training set, more iterations than `maxSteps`, more memory than one
 * worker has.
 *
 * @param config A resolved config.
 * @param limits The limits.
 * @returns One problem per broken bound.
 */
export function configLimitProblems(config: ResolvedConfig, limits: StudyLimits): LimitProblem[] {
  const out: LimitProblem[] = [];
  const train = config.data.trainSize;
  if (config.batchSize > train) {
    out.push({
      field: "batchSize",
      involves: ["data.trainSize", "data"],
      message: `got ${config.batchSize}, more than data.trainSize (${train}): every minibatch ` +
        `would hold training points ${
          (config.batchSize / train).toFixed(1)
        } times over; use batchSize <= ${train} or more training points`,
    });
  }
  if (config.steps > limits.maxSteps) {
    out.push({
      field: "steps",
      involves: [],
      message: `got ${config.steps}, more than the maximum of ${limits.maxSteps} iterations ` +
        `per run; raise it with --max-steps ${config.steps}`,
    });
  }
  if (limits.memoryBytes !== undefined) {
    const mem = runMemory(config);
    if (mem.bytes > limits.memoryBytes) {
      const top = mem.parts[0];
      out.push({
        field: top.field,
        involves: mem.parts.map((p) => p.field),
        message:
          `the run would need about ${formatBytes(mem.bytes)} of memory, mostly for ${top.what} (${
            formatBytes(top.bytes)
          }), more than the ${formatBytes(limits.memoryBytes)} one ` +
          `worker has here${limits.memoryNote ? ` (${limits.memoryNote})` : ""}`,
      });
    }
  }
  return out;
}

/** Whether a swept path sets `field` or a field it involves (or a parent of one). */
function sweptIn(point: Record<string, unknown>, fields: readonly string[]): boolean {
  return Object.keys(point).some((key) =>
    fields.some((f) => f === key || f.startsWith(`${key}.`) || key.startsWith(`${f}.`))
  );
}

/**
 * Checks every configuration of a study against the limits (each once,
 * whatever its seeds). A problem of the base config is reported once at
 * `base.<field>`; one that only a sweep point has, at `config.<field>` with
 * the point named.
 *
 * @param exp The validated experiment (its swept axes).
 * @param plans Its planned runs.
 * @param limits The limits.
 * @returns The problems, as validation issues.
 */
export function studyLimitIssues(
  exp: Experiment,
  plans: readonly RunPlan[],
  limits: StudyLimits,
): Issue[] {
  const issues: Issue[] = [];
  const seen = new Set<string>();
  for (const plan of plans) {
    if (seen.has(plan.configId)) continue;
    seen.add(plan.configId);
    for (const p of configLimitProblems(plan.config, limits)) {
      const swept = exp.axes.length > 0 && sweptIn(plan.point, [p.field, ...p.involves]);
      const issue = swept
        ? {
          path: `config.${p.field}`,
          message: `${p.message} (in the run with ${canonicalJson(plan.point)})`,
        }
        : { path: `base.${p.field}`, message: p.message };
      if (!issues.some((i) => i.path === issue.path && i.message === issue.message)) {
        issues.push(issue);
      }
    }
  }
  return issues;
}
