/**
 * Checkpoints: the state of a run that resuming needs ({@link TrainState}),
 * taking it from a live GAN ({@link snapshot}), putting it back
 * ({@link restore}), and its file format. Layout of a file: the magic
 * `GANCKPT1`, a little-endian uint32 header length, the JSON header (every
 * field but the tensor data), zero padding to a multiple of 4, then the
 * tensors' float32 data in order. Nothing in it depends on time or host,
 * so equal states give equal bytes.
 *
 * @module
 */
import { tf } from "../deps.ts";
import type { Rng, RngState } from "../runtime/rng.ts";
import type { BatchSampler, BatchSamplerState } from "../data/batches.ts";
import type { MetricRow } from "./evaluate.ts";
import type { Gan } from "./gan.ts";

/**
 * Everything needed to continue a run exactly where it stopped: weights,
 * optimiser state, random streams and the metrics so far. Resuming from it
 * gives bit-identical results to a run never interrupted.
 */
export interface TrainState {
  /** Iterations completed. */
  iteration: number;
  /** Evaluations so far. */
  rows: MetricRow[];
  /** The noise stream. */
  noise: RngState;
  /** The minibatch order. */
  order: BatchSamplerState;
  /** The dropout stream (absent in checkpoints of older versions: nets without dropout). */
  dropout?: RngState;
  /** Updates applied by D's and G's optimisers. */
  dIterations: number;
  gIterations: number;
  /** G's variables, D's variables, G's optimiser slots, D's optimiser slots, in order. */
  tensors: { shape: number[]; data: Float32Array }[];
}

/** The random streams and sampler the training loop owns, besides the GAN. */
export interface LoopStreams {
  /** The noise stream. */
  noise: Rng;
  /** The minibatch sampler. */
  batches: BatchSampler;
}

/**
 * The state of a run after `iteration` iterations (copies every tensor).
 *
 * @param gan The GAN.
 * @param streams The loop's noise stream and minibatch sampler.
 * @param iteration Iterations completed.
 * @param rows The evaluations so far.
 * @returns The state.
 */
export function snapshot(
  gan: Gan,
  streams: LoopStreams,
  iteration: number,
  rows: readonly MetricRow[],
): TrainState {
  gan.syncVariables();
  return {
    iteration,
    rows: rows.map((r) => ({ ...r })),
    noise: streams.noise.state(),
    order: streams.batches.state(),
    dropout: gan.dropout.state(),
    dIterations: gan.dOpt.iterations,
    gIterations: gan.gOpt.iterations,
    tensors: gan.stateVariables().map((v) => ({
      shape: v.shape.slice(),
      data: Float32Array.from(v.dataSync() as Float32Array),
    })),
  };
}

/**
 * Puts a checkpointed state back into the nets, optimisers and streams.
 *
 * @param gan The GAN, built from the same config.
 * @param streams The loop's noise stream and minibatch sampler.
 * @param state The state.
 * @throws Error when the state's tensors do not fit the config's nets.
 */
export function restore(gan: Gan, streams: LoopStreams, state: TrainState): void {
  const vars = gan.stateVariables();
  if (state.tensors.length !== vars.length) {
    throw new Error(
      `checkpoint holds ${state.tensors.length} tensors, this config needs ${vars.length}`,
    );
  }
  vars.forEach((v, i) => {
    const t = state.tensors[i];
    if (t.shape.join("x") !== v.shape.join("x")) {
      throw new Error(
        `checkpoint tensor ${i} has shape [${t.shape}], this config needs [${v.shape}]`,
      );
    }
    const value = tf.tensor(t.data, t.shape);
    v.assign(value);
    value.dispose();
  });
  gan.variablesAssigned();
  gan.dOpt.setIterations(state.dIterations);
  gan.gOpt.setIterations(state.gIterations);
  streams.noise.setState(state.noise);
  streams.batches.setState(state.order);
  if (state.dropout) gan.dropout.setState(state.dropout);
}

const MAGIC = "GANCKPT1";

/** A checkpoint that cannot be read. */
export class CheckpointError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "CheckpointError";
  }
}

/** Serialises a state. */
export function encodeCheckpoint(state: TrainState): Uint8Array {
  const { tensors, ...rest } = state;
  const header = new TextEncoder().encode(JSON.stringify({
    ...rest,
    shapes: tensors.map((t) => t.shape),
  }));
  const headerEnd = 12 + header.length;
  const dataStart = Math.ceil(headerEnd / 4) * 4;
  const floats = tensors.reduce((n, t) => n + t.data.length, 0);
  const out = new Uint8Array(dataStart + 4 * floats);
  out.set(new TextEncoder().encode(MAGIC), 0);
  new DataView(out.buffer).setUint32(8, header.length, true);
  out.set(header, 12);
  const data = new Float32Array(out.buffer, dataStart, floats);
  let offset = 0;
  for (const t of tensors) {
    data.set(t.data, offset);
    offset += t.data.length;
  }
  return out;
}

/** Parses bytes from {@link encodeCheckpoint}; throws {@link CheckpointError}. */
export function decodeCheckpoint(bytes: Uint8Array): TrainState {
  if (bytes.length < 12 || new TextDecoder().decode(bytes.subarray(0, 8)) !== MAGIC) {
    throw new CheckpointError(`not a checkpoint (expected the magic ${MAGIC})`);
  }
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const headerLength = view.getUint32(8, true);
  if (12 + headerLength > bytes.length) {
    throw new CheckpointError(`truncated header (${headerLength} bytes announced)`);
  }
  let header: Omit<TrainState, "tensors"> & { shapes: number[][] };
  try {
    header = JSON.parse(new TextDecoder().decode(bytes.subarray(12, 12 + headerLength)));
  } catch (e) {
    throw new CheckpointError(`unreadable header: ${e instanceof Error ? e.message : e}`);
  }
  const dataStart = Math.ceil((12 + headerLength) / 4) * 4;
  const sizes = header.shapes.map((s) => s.reduce((a, b) => a * b, 1));
  const floats = sizes.reduce((a, b) => a + b, 0);
  if (bytes.length !== dataStart + 4 * floats) {
    throw new CheckpointError(
      `expected ${dataStart + 4 * floats} bytes for the tensors announced, found ${bytes.length}`,
    );
  }
  // Copy into a fresh aligned buffer (a Node Buffer's slice() is a view into a shared pool).
  const copy = new Uint8Array(4 * floats);
  copy.set(bytes.subarray(dataStart));
  const data = new Float32Array(copy.buffer, 0, floats);
  const tensors: TrainState["tensors"] = [];
  let offset = 0;
  header.shapes.forEach((shape, i) => {
    tensors.push({ shape, data: data.slice(offset, offset + sizes[i]) });
    offset += sizes[i];
  });
  const { shapes: _shapes, ...rest } = header;
  return { ...rest, tensors };
}
