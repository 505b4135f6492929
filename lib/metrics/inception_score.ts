/**
 * The Inception Score (Salimans et al. 2016) with the harness's own
 * classifier in place of Inception-v3: exp(E_x KL(p(y|x) || p(y))), p(y|x)
 * the classifier's softmax for one sample and p(y) its mean over the
 * samples. Computed on `splits` contiguous parts of the samples (as
 * `numpy.array_split`), reported as the mean and standard deviation (ddof
 * 0) over the parts, as the original code. High when each sample is
 * confidently one class and the classes are balanced: at most the number
 * of classes. Float64 throughout; softmax with the largest logit taken out.
 * Not comparable with Inception-v3 scores.
 *
 * @module
 */

/** What {@link classifierScore} returns. */
export interface ClassifierScore {
  /** Mean of the per-part scores. */
  mean: number;
  /** Their standard deviation (ddof 0). */
  sd: number;
  /** Parts. */
  splits: number;
  /** Samples. */
  n: number;
}

/** Softmax of each row of logits (n x classes, flat), float64. */
export function softmaxRows(logits: ArrayLike<number>, classes: number): Float64Array {
  const n = logits.length / classes;
  const out = new Float64Array(logits.length);
  for (let i = 0; i < n; i++) {
    const o = i * classes;
    let max = -Infinity;
    for (let c = 0; c < classes; c++) max = Math.max(max, logits[o + c]);
    let s = 0;
    for (let c = 0; c < classes; c++) s += out[o + c] = Math.exp(logits[o + c] - max);
    for (let c = 0; c < classes; c++) out[o + c] /= s;
  }
  return out;
}

/** exp(mean KL(p(y|x) || p(y))) over the rows `from..to-1` of probabilities. */
function scoreOf(p: Float64Array, classes: number, from: number, to: number): number {
  const marginal = new Float64Array(classes);
  for (let i = from; i < to; i++) {
    for (let c = 0; c < classes; c++) marginal[c] += p[i * classes + c];
  }
  for (let c = 0; c < classes; c++) marginal[c] /= to - from;
  let kl = 0;
  for (let i = from; i < to; i++) {
    for (let c = 0; c < classes; c++) {
      const q = p[i * classes + c];
      if (q > 0) kl += q * (Math.log(q) - Math.log(marginal[c]));
    }
  }
  return Math.exp(kl / (to - from));
}

/**
 * The classifier Inception Score of samples from their logits.
 *
 * @param logits n x classes logits, row-major.
 * @param classes Number of classes (at least 2).
 * @param splits Parts (default 10; at most n).
 * @returns Mean and sd over the parts, their count and n.
 * @throws RangeError for a length that is not a multiple of `classes`,
 *   non-finite logits, or fewer samples than parts.
 */
export function classifierScore(
  logits: ArrayLike<number>,
  classes: number,
  splits = 10,
): ClassifierScore {
  if (!Number.isInteger(classes) || classes < 2) {
    throw new RangeError(`classifierScore: classes is ${classes}; expected an integer >= 2`);
  }
  if (logits.length % classes !== 0) {
    throw new RangeError(
      `classifierScore: ${logits.length} logits is not a multiple of ${classes} classes`,
    );
  }
  const n = logits.length / classes;
  if (!Number.isInteger(splits) || splits < 1 || splits > n) {
    throw new RangeError(
      `classifierScore: splits is ${splits}; expected an integer from 1 to the ${n} samples`,
    );
  }
  for (let i = 0; i < logits.length; i++) {
    if (!Number.isFinite(logits[i])) {
      throw new RangeError(`classifierScore: logit ${i} is ${logits[i]}; expected finite numbers`);
    }
  }
  const p = softmaxRows(logits, classes);
  const scores: number[] = [];
  // numpy.array_split: the first n % splits parts get one more row.
  const base = Math.floor(n / splits);
  const extra = n % splits;
  let from = 0;
  for (let s = 0; s < splits; s++) {
    const to = from + base + (s < extra ? 1 : 0);
    scores.push(scoreOf(p, classes, from, to));
    from = to;
  }
  const mean = scores.reduce((a, b) => a + b, 0) / splits;
  const sd = Math.sqrt(scores.reduce((a, b) => a + (b - mean) ** 2, 0) / splits);
  return { mean, sd, splits, n };
}
