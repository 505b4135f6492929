/**
 * What a config costs, from its shape alone: parameters and multiply-adds
 * per sample of G and D, and the widest layer. Used to bound a run's
 * memory before it starts (`limits.ts`) and to estimate a sweep's wall time;
 * approximate (biases and batch norm are left out of the multiply-adds), not
 * a benchmark.
 *
 * @module
 */
import {
  dataDim,
  dataShape,
  dHidden,
  gHidden,
  isImageData,
  type ResolvedConfig,
} from "./config.ts";

/** The size of one net. */
export interface NetCost {
  /** Trainable parameters. */
  params: number;
  /** Multiply-adds of one sample's forward pass. */
  macs: number;
  /** Activations of one sample, summed over layers (floats). */
  activations: number;
}

/** The sizes of a config's two nets. */
export interface ConfigCost {
  g: NetCost;
  d: NetCost;
  /** Floats of one data sample. */
  dim: number;
}

/** A dense stack: in -> widths -> out, `pieces` linear maps per unit (maxout). */
function dense(input: number, widths: readonly number[], output: number, pieces = 1): NetCost {
  const sizes = [input, ...widths, output];
  let params = 0;
  let activations = 0;
  for (let i = 1; i < sizes.length; i++) {
    const k = i < sizes.length - 1 ? pieces : 1;
    params += (sizes[i - 1] + 1) * sizes[i] * k;
    activations += sizes[i] * k;
  }
  return { params, macs: params, activations };
}

/** DCGAN's G and D (see `lib/nets/dcgan.ts`): 5x5 stride-2 (transposed) convolutions. */
function dcgan(noiseDim: number, channels: number, shape: number[]): { g: NetCost; d: NetCost } {
  const [h, , c] = shape;
  const levels = h === 32 ? 3 : 2;
  const base = h / 2 ** levels;
  const widths = Array.from({ length: levels }, (_, k) => channels * 2 ** (levels - 1 - k));
  const g: NetCost = { params: 0, macs: 0, activations: 0 };
  const first = base * base * widths[0];
  g.params += noiseDim * first;
  g.macs += noiseDim * first;
  g.activations += first;
  let size = base;
  for (let k = 1; k <= levels; k++) {
    const inC = widths[k - 1];
    const outC = k < levels ? widths[k] : c;
    size *= 2;
    g.params += 25 * inC * outC;
    g.macs += size * size * 25 * inC * outC;
    g.activations += size * size * outC;
  }
  const d: NetCost = { params: 0, macs: 0, activations: 0 };
  size = h;
  let inC = c;
  for (let k = 0; k < levels; k++) {
    const outC = channels * 2 ** k;
    size /= 2;
    d.params += 25 * inC * outC;
    d.macs += size * size * 25 * inC * outC;
    d.activations += size * size * outC;
    inC = outC;
  }
  d.params += size * size * inC;
  d.macs += size * size * inC;
  return { g, d };
}

/**
 * The sizes of a config's nets.
 *
 * @param config A resolved config.
 * @returns Parameters, multiply-adds and activations per sample of G and D.
 */
export function configCost(config: ResolvedConfig): ConfigCost {
  const dim = dataDim(config.data);
  const arch = config.arch;
  if (arch.name === "dcgan") {
    const shape = isImageData(config.data) ? dataShape(config.data) : [28, 28, 1];
    return { ...dcgan(arch.noiseDim, arch.channels, shape), dim };
  }
  if (arch.name === "maxout") {
    return {
      g: dense(arch.noiseDim, gHidden(arch), dim),
      d: dense(dim, arch.dUnits, 1, arch.pieces),
      dim,
    };
  }
  return { g: dense(arch.noiseDim, gHidden(arch), dim), d: dense(dim, dHidden(arch), 1), dim };
}
