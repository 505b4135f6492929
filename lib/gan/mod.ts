/**
 * The GAN of a run and its training: losses (pure functions of logits),
 * optimisers, the nets and gradient steps (`gan.ts`), evaluation
 * (`evaluate.ts`), checkpoints (`checkpoint.ts`) and the loop (`train.ts`,
 * Algorithm 1 or the public code's simultaneous update).
 *
 * @module
 */
export * from "./losses.ts";
export * from "./optimizers.ts";
export { Gan, globalNorm, type Grads, noise, outputsOf } from "./gan.ts";
export {
  type DiscriminatorCurve,
  type EvalSet,
  evaluate,
  type Evaluation,
  firstNonFinite,
  makeEvalSet,
  type MetricRow,
  registeredRow,
} from "./evaluate.ts";
export {
  CheckpointError,
  decodeCheckpoint,
  encodeCheckpoint,
  type LoopStreams,
  restore,
  snapshot,
  type TrainState,
} from "./checkpoint.ts";
export { train, type TrainHooks, type TrainResult, type UpdateKind } from "./train.ts";
