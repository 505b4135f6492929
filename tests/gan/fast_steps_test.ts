/**
 * The hand-written training steps of arch `maxout` against the tfjs steps
 * they replace: the same updates (within float32 rounding) for both update
 * rules and every first-order loss, the same draws from every stream, the
 * same optimiser counts; runs with them are bit-identical run to run and
 * across a resume; which runs get them. Skipped only where no native BLAS
 * loads.
 */
import assert from "node:assert/strict";
import * as tf from "@tensorflow/tfjs";
import { nativeBlas } from "../../lib/runtime/blas.ts";
import { Rng } from "../../lib/runtime/rng.ts";
import { loadDataset } from "../../lib/data/dataset.ts";
import { BatchSampler } from "../../lib/data/batches.ts";
import { fastStepsUnavailable, Gan } from "../../lib/gan/gan.ts";
import { alternatingIteration, simultaneousIteration, train } from "../../lib/gan/train.ts";
import type { LoopStreams, TrainState } from "../../lib/gan/checkpoint.ts";
import type { RunConfig } from "../../lib/spec/config.ts";
import { config } from "../_config.ts";
import { onCpu, useBackend } from "../_backend.ts";

await useBackend("wasm");
const blas = nativeBlas();
const ignore = blas === null;
if (ignore) console.log("fast_steps_test: skipped, no native BLAS");

/** The paper's nets, shrunk: real MNIST, a few hundred images. */
const tiny = {
  data: { name: "mnist", trainSize: 300, validSize: 100, testSize: 100 },
  arch: { name: "maxout", noiseDim: 8, gHidden: [16, 12], dUnits: [8, 6], pieces: 3 },
  dLossScale: 0.5,
  optimizer: {
    name: "sgd",
    lr: 0.1,
    momentum: 0.5,
    lrDecay: 1.000004,
    lrMin: 1e-6,
    momentumEnd: 0.7,
    momentumRampEpochs: 2,
  },
  batchSize: 20,
  steps: 6,
  evalEvery: 3,
  evalSamples: 40,
};

/** Trains `iterations` iterations with or without the fast steps; the state afterwards. */
function iterate(c: RunConfig, fast: boolean, iterations: number) {
  const data = loadDataset(c.data, c.seed);
  const gan = new Gan(c, data, { fast });
  assert.equal(gan.fast !== null, fast);
  const streams: LoopStreams = {
    noise: new Rng(c.seed, "noise"),
    batches: new BatchSampler(data.train, gan.dim, new Rng(c.seed, "order")),
  };
  for (let i = 0; i < iterations; i++) {
    if (c.update === "simultaneous") simultaneousIteration(gan, streams);
    else alternatingIteration(gan, streams, () => {});
  }
  gan.syncVariables();
  const out = {
    tensors: gan.stateVariables().map((v) => ({ name: v.name, data: v.dataSync().slice() })),
    streams: [gan.dropout.state(), streams.noise.state(), streams.batches.state().position],
    counts: [gan.dOpt.iterations, gan.gOpt.iterations],
  };
  gan.dispose();
  return out;
}

/**
 * Each state tensor of `a` (weights, optimiser slots) within `tol` of `b`'s,
 * relative to its largest entry. A one-entry tensor (D's logit bias and its
 * slots) gets `scalarTol` and an absolute 1e-7: its gradient is a near-cancelling sum of the
 * real and the generated rows' terms, so rounding of the terms shows large
 * relative to the sum. A wrong gradient, mask or schedule differs by O(1).
 */
function assertClose(
  a: ReturnType<typeof iterate>,
  b: ReturnType<typeof iterate>,
  tol: number,
  scalarTol = 0.5,
) {
  a.tensors.forEach((t, i) => {
    const want = b.tensors[i].data;
    let diff = 0, size = 0;
    t.data.forEach((v, j) => {
      diff = Math.max(diff, Math.abs(v - want[j]));
      size = Math.max(size, Math.abs(want[j]));
    });
    // A one-entry sum may cancel to exactly 0 on one side: rounding of its terms (about 1e-9).
    const bound = t.data.length === 1 ? scalarTol * size + 1e-7 : tol * size;
    assert.ok(diff <= bound, `tensor ${i} (${t.name}): max difference ${diff} > ${bound}`);
  });
  assert.deepEqual(a.streams, b.streams, "the same draws from every stream");
  assert.deepEqual(a.counts, b.counts);
}

for (const update of ["simultaneous", "alternating"] as const) {
  for (const loss of ["minimax", "non-saturating", "least-squares", "hinge"] as const) {
    Deno.test({
      name: `fast steps: ${update} update, ${loss}: the tfjs steps' updates and draws`,
      ignore,
      fn() {
        const c = config({ ...tiny, update, loss, k: update === "alternating" ? 2 : 1 });
        const fast = iterate(c, true, 4);
        const slow = iterate(c, false, 4);
        assertClose(fast, slow, 1e-4);
        // The weights moved: the comparison is not of two untouched nets.
        const start = iterate(c, false, 0);
        assert.ok(fast.tensors[0].data.some((v, j) => v !== start.tensors[0].data[j]));
      },
    });
  }
}

Deno.test({
  name: "fast steps: Adam and separate D and G optimisers, as the tfjs steps",
  ignore,
  fn() {
    const c = config({
      ...tiny,
      update: "alternating",
      optimizer: { name: "adam", lr: 1e-3 },
      dOptimizer: { lr: 4e-3 },
      gOptimizer: { beta1: 0.9 },
    });
    // Adam divides by the gradient's size, so rounding of small gradients shows more.
    assertClose(iterate(c, true, 3), iterate(c, false, 3), 2e-2);
  },
});

Deno.test({
  name: "fast steps: a run is bit-identical run to run, and across a resume",
  ignore,
  async fn() {
    const c = config({ ...tiny, update: "simultaneous", steps: 8, evalEvery: 4 });
    const probe = new Gan(c, loadDataset(c.data, c.seed));
    assert.ok(probe.fast, "the run trains with the fast steps");
    probe.dispose();
    const a = await train(c);
    const b = await train(c);
    assert.deepEqual(a.rows, b.rows);
    assert.deepEqual(a.final.tensors, b.final.tensors);
    let saved: TrainState | null = null;
    await train(c, {
      checkpointEvery: 3,
      onCheckpoint: (s) => (saved ??= s),
      shouldStop: () => saved !== null,
    });
    assert.equal((saved as TrainState | null)?.iteration, 3);
    const resumed = await train(c, { resume: saved! });
    assert.deepEqual(resumed.rows, a.rows);
    assert.deepEqual(resumed.final.tensors, a.final.tensors);
    assert.deepEqual(resumed.final.dropout, a.final.dropout);
  },
});

Deno.test({
  name: "fast steps: which runs have them, and why not",
  ignore,
  async fn() {
    assert.equal(fastStepsUnavailable(config({ ...tiny })), null);
    assert.match(
      fastStepsUnavailable(config({ ...tiny, arch: { name: "mlp", noiseDim: 8, hidden: [8] } }))!,
      /arch "mlp"/,
    );
    assert.match(
      fastStepsUnavailable(config({ ...tiny, loss: "wasserstein-gp", dLossScale: 1 }))!,
      /loss "wasserstein-gp"/,
    );
    const onCpuBackend = await onCpu(() => fastStepsUnavailable(config({ ...tiny })));
    assert.match(onCpuBackend!, /the cpu backend/);
    assert.equal(tf.getBackend(), "wasm");
  },
});
