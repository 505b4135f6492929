/**
 * Checkpoint files: a {@link TrainState} as bytes. Layout: the magic
 * `GANCKPT1`, a little-endian uint32 header length, the JSON header (every
 * field but the tensor data), zero padding to a multiple of 4, then the
 * tensors' float32 data in order. Nothing in it depends on time or host,
 * so equal states give equal bytes.
 *
 * @module
 */
import type { TrainState } from "./train.ts";

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
