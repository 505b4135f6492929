/**
 * The geometry of one NHWC convolution for the wasm convolution kernels of
 * `wasm_conv.ts`: sizes, strides, dilations and padding from tfjs's
 * `computeConv2DInfo`, read from a kernel call's attributes, with errors that
 * name the kernel.
 *
 * @module
 */
import { tf } from "../deps.ts";

/** Padding as tfjs's convolution ops take it. */
export type Pad = "valid" | "same" | number | tf.backend_util.ExplicitPadding;
/** How an output size is rounded when the padding is a number. */
export type Rounding = "floor" | "round" | "ceil" | undefined;
/** A stride or dilation: one value for both axes, or [height, width]. */
export type Pair = number | [number, number];

/** The attributes of a convolution kernel call, defaults filled in. */
export interface ConvAttrs {
  strides: Pair;
  pad: Pad;
  dataFormat: string | undefined;
  dilations: Pair;
  dimRoundingMode: Rounding;
}

/** The convolution attributes of a kernel call (strides and dilations default to 1). */
export function convAttrs(attrs: tf.NamedAttrMap | undefined): ConvAttrs {
  const a = (attrs ?? {}) as Record<string, unknown>;
  return {
    strides: (a.strides ?? 1) as Pair,
    pad: a.pad as Pad,
    dataFormat: a.dataFormat as string | undefined,
    dilations: (a.dilations ?? 1) as Pair,
    dimRoundingMode: a.dimRoundingMode as Rounding,
  };
}

/** Geometry of one NHWC convolution, from tfjs's `computeConv2DInfo`. */
export interface Geometry {
  batch: number;
  inH: number;
  inW: number;
  inC: number;
  outH: number;
  outW: number;
  outC: number;
  fH: number;
  fW: number;
  strideH: number;
  strideW: number;
  dilH: number;
  dilW: number;
  padTop: number;
  padLeft: number;
  /** Patch length fH * fW * inC. */
  k: number;
  /** Output pixels per image outH * outW. */
  pixels: number;
  /** 1x1 filter, stride 1, no padding: the patch matrix is `x` itself. */
  pointwise: boolean;
}

/**
 * The geometry of a convolution of an input of shape `xShape` with a filter
 * of shape `filterShape`; throws, naming `kernel`, for NCHW data or shapes
 * that are not rank 4.
 */
export function geometry(
  kernel: string,
  xShape: readonly number[],
  filterShape: readonly number[],
  a: ConvAttrs,
): Geometry {
  if (a.dataFormat !== undefined && a.dataFormat !== "NHWC") {
    throw new Error(
      `wasm ${kernel}: dataFormat "${a.dataFormat}" is not supported; only "NHWC" (channels last) is`,
    );
  }
  if (xShape.length !== 4 || filterShape.length !== 4) {
    throw new Error(
      `wasm ${kernel}: expected a rank-4 input and filter, got shapes [${xShape}] and [${filterShape}]`,
    );
  }
  const info = tf.backend_util.computeConv2DInfo(
    xShape as [number, number, number, number],
    filterShape as [number, number, number, number],
    a.strides,
    a.dilations,
    a.pad,
    a.dimRoundingMode,
    false,
    "channelsLast",
  );
  const pointwise = info.filterHeight === 1 && info.filterWidth === 1 &&
    info.strideHeight === 1 && info.strideWidth === 1 &&
    info.padInfo.top === 0 && info.padInfo.left === 0 &&
    info.outHeight === info.inHeight && info.outWidth === info.inWidth;
  return {
    batch: info.batchSize,
    inH: info.inHeight,
    inW: info.inWidth,
    inC: info.inChannels,
    outH: info.outHeight,
    outW: info.outWidth,
    outC: info.outChannels,
    fH: info.filterHeight,
    fW: info.filterWidth,
    strideH: info.strideHeight,
    strideW: info.strideWidth,
    dilH: info.dilationHeight,
    dilW: info.dilationWidth,
    padTop: info.padInfo.top,
    padLeft: info.padInfo.left,
    k: info.filterHeight * info.filterWidth * info.inChannels,
    pixels: info.outHeight * info.outWidth,
    pointwise,
  };
}

/** Throws, naming `kernel`, when tensor `name` does not have the shape the geometry implies. */
export function requireShape(
  kernel: string,
  name: string,
  got: readonly number[],
  want: readonly number[],
): void {
  if (got.length !== want.length || got.some((d, i) => d !== want[i])) {
    throw new Error(
      `wasm ${kernel}: ${name} has shape [${got}] but the convolution's attributes imply [${want}]`,
    );
  }
}
