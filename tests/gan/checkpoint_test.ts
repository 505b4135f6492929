import assert from "node:assert/strict";
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { CheckpointError, decodeCheckpoint, encodeCheckpoint } from "../../lib/gan/checkpoint.ts";
import type { TrainState } from "../../lib/gan/checkpoint.ts";
import { withTempDir } from "../_temp.ts";

const state: TrainState = {
  iteration: 7,
  rows: [{ step: 0, d_loss: 1.25 }, { step: 5, d_loss: 0.1 + 0.2 }],
  noise: { s: [1, 2, 3, 4], spare: -0.5 },
  order: { rng: { s: [5, 6, 7, 8], spare: null }, order: [2, 0, 1], position: 1 },
  dIterations: 14,
  gIterations: 7,
  tensors: [
    { shape: [2, 3], data: Float32Array.from([1, -2, 3.5, 1e-30, -0, 7]) },
    { shape: [3], data: Float32Array.from([Math.PI, Math.E, 0.1]) },
  ],
};

Deno.test("checkpoint: encode then decode gives back the same state, bit for bit", () => {
  const back = decodeCheckpoint(encodeCheckpoint(state));
  assert.deepEqual(back, state);
  assert.ok(Object.is(back.tensors[0].data[4], -0));
});

Deno.test("checkpoint: equal states give equal bytes", () => {
  assert.deepEqual(encodeCheckpoint(state), encodeCheckpoint(structuredClone(state)));
});

Deno.test("checkpoint: truncated or foreign bytes are refused, never trusted", () => {
  const bytes = encodeCheckpoint(state);
  assert.throws(() => decodeCheckpoint(bytes.subarray(0, bytes.length - 4)), CheckpointError);
  assert.throws(() => decodeCheckpoint(bytes.subarray(0, 20)), CheckpointError);
  assert.throws(() => decodeCheckpoint(new TextEncoder().encode("hello world")), CheckpointError);
});

Deno.test("checkpoint: decodes from a file read as a Node Buffer (a view into a shared pool)", async () => {
  await withTempDir("gan-ckpt-", (dir) => {
    const path = join(dir, "checkpoint.bin");
    writeFileSync(path, encodeCheckpoint(state));
    readFileSync(path); // fill the pool so the next Buffer sits at an offset
    assert.deepEqual(decodeCheckpoint(readFileSync(path)), state);
  });
});
