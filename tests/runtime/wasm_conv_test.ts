import assert from "node:assert/strict";
import * as tf from "@tensorflow/tfjs";
import type { BackendWasm } from "@tensorflow/tfjs-backend-wasm";
import { initBackend } from "../../lib/runtime/backend.ts";
import { Rng } from "../../lib/runtime/rng.ts";
import {
  DEFAULT_MAX_COLS_ELEMENTS,
  registeredWasmConvKernels,
  registerWasmConvKernels,
  restoreShippedWasmConvKernels,
  WASM_CONV_KERNELS,
} from "../../lib/runtime/wasm_conv.ts";
import {
  nativeMatmulActive,
  registerNativeMatmul,
  unregisterNativeMatmul,
} from "../../lib/runtime/wasm_matmul.ts";

type Backend = "wasm" | "cpu";
type Pad = "same" | "valid" | number | tf.backend_util.ExplicitPadding;
type Shape4 = [number, number, number, number];

await initBackend("wasm");
registerWasmConvKernels();

/** Seeded normal values for a tensor shape. */
function normals(shape: number[], seed: number): Float32Array {
  const n = shape.reduce((p, d) => p * d, 1);
  return Float32Array.from(new Rng(seed, "wasm-conv").normals(n));
}

/** Runs `f` on a backend and returns its outputs as plain arrays. */
async function on(backend: Backend, f: () => tf.Tensor[]): Promise<Float32Array[]> {
  await tf.setBackend(backend);
  const outs = tf.tidy(f);
  const values = outs.map((t) => t.dataSync() as Float32Array);
  tf.dispose(outs);
  return values;
}

/** Runs `f` on wasm and on cpu; asserts every output agrees within float tolerance. */
async function agree(label: string, f: () => tf.Tensor[], tol = 2e-5): Promise<void> {
  const ref = await on("cpu", f);
  const got = await on("wasm", f);
  await tf.setBackend("wasm");
  assert.equal(got.length, ref.length);
  for (let i = 0; i < ref.length; i++) {
    assert.equal(got[i].length, ref[i].length, `${label}: output ${i} size`);
    let scale = 1;
    for (const v of ref[i]) scale = Math.max(scale, Math.abs(v));
    let worst = 0;
    for (let j = 0; j < ref[i].length; j++) {
      worst = Math.max(worst, Math.abs(got[i][j] - ref[i][j]));
    }
    assert.ok(
      worst <= tol * scale,
      `${label}: output ${i} differs from cpu by ${worst} (scale ${scale})`,
    );
  }
}

function outShape(
  x: Shape4,
  f: Shape4,
  strides: number,
  pad: Pad,
  dilations = 1,
  rounding?: "floor" | "round" | "ceil",
): Shape4 {
  const info = tf.backend_util.computeConv2DInfo(x, f, strides, dilations, pad, rounding);
  return info.outShape as Shape4;
}

/** d/dfilter and d/dx of sum(conv2d(x, f) * r): Conv2DBackpropFilter and Conv2DBackpropInput. */
function convGrads(x: Shape4, f: Shape4, strides: number, pad: Pad, seed = 1) {
  const r = outShape(x, f, strides, pad);
  return () => {
    const xt = tf.tensor4d(normals(x, seed), x);
    const ft = tf.tensor4d(normals(f, seed + 1), f);
    const rt = tf.tensor4d(normals(r, seed + 2), r);
    const loss = (a: tf.Tensor, b: tf.Tensor) =>
      tf.sum(tf.mul(tf.conv2d(a as tf.Tensor4D, b as tf.Tensor4D, strides, pad), rt));
    const [dx, df] = tf.grads(loss)([xt, ft]);
    return [tf.conv2d(xt, ft, strides, pad), df, dx];
  };
}

const GRID: { batch: number; inC: number; outC: number; k: number; stride: number; pad: Pad }[] =
  [];
for (const batch of [1, 3]) {
  for (const inC of [1, 3, 8]) {
    for (const k of [4, 5]) {
      for (const stride of [1, 2]) {
        for (const pad of ["same", "valid"] as const) {
          GRID.push({ batch, inC, outC: inC === 8 ? 3 : 8, k, stride, pad });
        }
      }
    }
  }
}

Deno.test("wasm conv: registers all kernels for wasm only, idempotently", () => {
  const cpuBefore = WASM_CONV_KERNELS.map((k) => tf.getKernel(k, "cpu")?.kernelFunc);
  registerWasmConvKernels();
  registerWasmConvKernels();
  assert.deepEqual(registeredWasmConvKernels(), [...WASM_CONV_KERNELS]);
  assert.deepEqual(WASM_CONV_KERNELS.map((k) => tf.getKernel(k, "cpu")?.kernelFunc), cpuBefore);
  assert.throws(
    () => registerWasmConvKernels({ kernels: ["Conv3D" as "Conv2D"] }),
    /unknown kernel "Conv3D"; accepted: Conv2D, Conv2DBackpropInput, Conv2DBackpropFilter/,
  );
  assert.throws(() => registerWasmConvKernels({ maxColsElements: 0 }), /integer >= 1, got 0/);
});

Deno.test("wasm conv: conv2d gradients agree with cpu (kernel 4/5, stride 1/2, same/valid, batch 1/3, channels 1/3/8)", async () => {
  for (const c of GRID) {
    await agree(
      `batch ${c.batch} inC ${c.inC} outC ${c.outC} k ${c.k} stride ${c.stride} ${c.pad}`,
      convGrads([c.batch, 9, 8, c.inC], [c.k, c.k, c.inC, c.outC], c.stride, c.pad),
    );
  }
});

Deno.test("wasm conv: 1x1 filters, explicit and numeric padding, larger images", async () => {
  await agree("1x1 stride 1", convGrads([2, 6, 5, 8], [1, 1, 8, 4], 1, "same"));
  await agree("1x1 stride 2", convGrads([2, 6, 5, 8], [1, 1, 8, 4], 2, "valid"));
  await agree("3x3 pad 1", convGrads([2, 7, 7, 3], [3, 3, 3, 4], 1, 1));
  await agree(
    "explicit",
    convGrads([2, 7, 6, 3], [4, 3, 3, 5], 2, [[0, 0], [1, 2], [2, 0], [0, 0]]),
  );
  await agree("28x28 5x5 s2", convGrads([4, 28, 28, 1], [5, 5, 1, 16], 2, "same"));
  await agree("14x14x16 5x5 s2", convGrads([4, 14, 14, 16], [5, 5, 16, 32], 2, "same"));
});

Deno.test("wasm conv: Conv2DBackpropFilter kernel with dimRoundingMode and rank-3 inputs", async () => {
  for (const rounding of ["floor", "round", "ceil"] as const) {
    const x: Shape4 = [2, 9, 10, 3];
    const f: Shape4 = [4, 4, 3, 5];
    const dy = outShape(x, f, 2, 1, 1, rounding);
    await agree(`pad 1 ${rounding}`, () => {
      const attrs = { strides: 2, pad: 1, dataFormat: "NHWC", dimRoundingMode: rounding };
      const xt = tf.tensor4d(normals(x, 5), x);
      const dyt = tf.tensor4d(normals(dy, 6), dy);
      const dw = tf.engine().runKernel("Conv2DBackpropFilter", { x: xt, dy: dyt }, {
        ...attrs,
        filterShape: f,
      }) as tf.Tensor;
      const dx = tf.engine().runKernel("Conv2DBackpropInput", { dy: dyt, filter: dw }, {
        ...attrs,
        inputShape: x,
      }) as tf.Tensor;
      return [dw, dx];
    });
  }
  await agree("rank 3", () => {
    const x = tf.tensor3d(normals([7, 7, 2], 8), [7, 7, 2]);
    const f = tf.tensor4d(normals([4, 4, 2, 3], 9), [4, 4, 2, 3]);
    return tf.grads((a: tf.Tensor, b: tf.Tensor) =>
      tf.sum(tf.square(tf.conv2d(a as tf.Tensor3D, b as tf.Tensor4D, 2, "same")))
    )([x, f]);
  });
});

Deno.test("wasm conv: dilations in Conv2D and Conv2DBackpropFilter", async () => {
  const x: Shape4 = [2, 11, 10, 3];
  const f: Shape4 = [3, 3, 3, 4];
  for (const pad of ["same", "valid"] as const) {
    await agree(`conv2d dilation 2 ${pad}`, () => {
      const xt = tf.tensor4d(normals(x, 10), x);
      const ft = tf.tensor4d(normals(f, 11), f);
      return [tf.conv2d(xt, ft, 1, pad, "NHWC", [2, 2])];
    });
    // Reference: a dilated convolution is a plain one with a zero-stuffed
    // 5x5 filter; its filter gradient at the stuffed taps is the answer.
    const dy = outShape(x, f, 1, pad, 2);
    const ref = (await on("cpu", () => {
      const xt = tf.tensor4d(normals(x, 10), x);
      const big = tf.zeros([5, 5, 3, 4]);
      const r = tf.tensor4d(normals(dy, 12), dy);
      const g = tf.grad((w: tf.Tensor) =>
        tf.sum(tf.mul(tf.conv2d(xt, w as tf.Tensor4D, 1, pad), r))
      )(big);
      return [tf.stridedSlice(g, [0, 0, 0, 0], [5, 5, 3, 4], [2, 2, 1, 1])];
    }))[0];
    const got = (await on("wasm", () => {
      const xt = tf.tensor4d(normals(x, 10), x);
      const r = tf.tensor4d(normals(dy, 12), dy);
      return [
        tf.engine().runKernel("Conv2DBackpropFilter", { x: xt, dy: r }, {
          strides: 1,
          pad,
          dataFormat: "NHWC",
          dilations: 2,
          filterShape: f,
        }) as tf.Tensor,
      ];
    }))[0];
    assert.equal(got.length, ref.length);
    for (let i = 0; i < ref.length; i++) {
      assert.ok(
        Math.abs(got[i] - ref[i]) < 1e-4,
        `dilated ${pad} dW[${i}]: ${got[i]} vs ${ref[i]}`,
      );
    }
  }
});

Deno.test("wasm conv: dilated Conv2DBackpropInput is the adjoint of dilated Conv2D", async () => {
  await tf.setBackend("wasm");
  const x: Shape4 = [2, 11, 10, 3];
  const f: Shape4 = [3, 3, 3, 4];
  for (const pad of ["same", "valid"] as const) {
    const dy = outShape(x, f, 1, pad, 2);
    const [lhs, rhs] = tf.tidy(() => {
      const xt = tf.tensor4d(normals(x, 13), x);
      const ft = tf.tensor4d(normals(f, 14), f);
      const r = tf.tensor4d(normals(dy, 15), dy);
      const dx = tf.engine().runKernel("Conv2DBackpropInput", { dy: r, filter: ft }, {
        strides: 1,
        pad,
        dataFormat: "NHWC",
        dilations: 2,
        inputShape: x,
      }) as tf.Tensor;
      // <conv(x), r> = <x, conv^T(r)>
      return [
        tf.sum(tf.mul(tf.conv2d(xt, ft, 1, pad, "NHWC", 2), r)).dataSync()[0],
        tf.sum(tf.mul(xt, dx)).dataSync()[0],
      ];
    });
    assert.ok(Math.abs(lhs - rhs) < 1e-3 * Math.max(1, Math.abs(lhs)), `${pad}: ${lhs} vs ${rhs}`);
  }
});

Deno.test("wasm conv: tf.grads through conv2d -> leakyRelu -> reshape -> matMul agree with cpu", async () => {
  await agree("conv net", () => {
    const x = tf.tensor4d(normals([4, 12, 12, 3], 20), [4, 12, 12, 3]);
    const f = tf.tensor4d(normals([5, 5, 3, 8], 21), [5, 5, 3, 8]);
    const w = tf.tensor2d(normals([6 * 6 * 8, 2], 22), [6 * 6 * 8, 2]);
    const loss = (a: tf.Tensor, b: tf.Tensor, c: tf.Tensor) => {
      const h = tf.leakyRelu(tf.conv2d(a as tf.Tensor4D, b as tf.Tensor4D, 2, "same"), 0.2);
      return tf.sum(tf.sigmoid(tf.matMul(tf.reshape(h, [4, -1]), c as tf.Tensor2D)));
    };
    return tf.grads(loss)([x, f, w]);
  });
});

Deno.test("wasm conv: conv2dTranspose and its gradients (filter via Conv2DBackpropFilter) agree with cpu", async () => {
  for (const [stride, pad] of [[2, "same"], [1, "valid"], [2, "valid"]] as const) {
    await agree(`conv2dTranspose stride ${stride} ${pad}`, () => {
      const inShape: Shape4 = [3, 4, 4, 8];
      const f: Shape4 = [5, 5, 3, 8];
      const size = pad === "same" ? 4 * stride : (4 - 1) * stride + 5;
      const out: Shape4 = [3, size, size, 3];
      const x = tf.tensor4d(normals(inShape, 30), inShape);
      const ft = tf.tensor4d(normals(f, 31), f);
      const r = tf.tensor4d(normals(out, 32), out);
      const loss = (a: tf.Tensor, b: tf.Tensor) =>
        tf.sum(tf.mul(tf.conv2dTranspose(a as tf.Tensor4D, b as tf.Tensor4D, out, stride, pad), r));
      return [tf.conv2dTranspose(x, ft, out, stride, pad), ...tf.grads(loss)([x, ft])];
    });
  }
});

Deno.test("wasm conv: the same results on the shipped wasm BatchMatMul and on native BLAS", async () => {
  await tf.setBackend("wasm");
  const blas = nativeMatmulActive();
  const cases = () => [
    convGrads([3, 9, 8, 3], [5, 5, 3, 8], 2, "same"),
    convGrads([2, 8, 8, 8], [4, 4, 8, 3], 1, "valid"),
    convGrads([2, 6, 5, 8], [1, 1, 8, 4], 1, "same"),
  ];
  unregisterNativeMatmul();
  try {
    assert.equal(nativeMatmulActive(), false);
    for (const [i, f] of cases().entries()) await agree(`shipped BatchMatMul case ${i}`, f);
  } finally {
    if (blas) registerNativeMatmul();
  }
  assert.equal(nativeMatmulActive(), blas);
});

Deno.test("wasm conv: batches processed in chunks give the same results", async () => {
  registerWasmConvKernels({ maxColsElements: 64 });
  try {
    await agree("chunked conv", convGrads([3, 9, 8, 3], [4, 4, 3, 5], 2, "same"));
    await agree("chunked 1x1", convGrads([3, 5, 5, 4], [1, 1, 4, 2], 1, "valid"));
    await agree("chunked transpose", () => {
      const x = tf.tensor4d(normals([3, 4, 4, 6], 40), [3, 4, 4, 6]);
      const f = tf.tensor4d(normals([4, 4, 2, 6], 41), [4, 4, 2, 6]);
      const loss = (a: tf.Tensor, b: tf.Tensor) =>
        tf.sum(
          tf.square(
            tf.conv2dTranspose(a as tf.Tensor4D, b as tf.Tensor4D, [3, 8, 8, 2], 2, "same"),
          ),
        );
      return tf.grads(loss)([x, f]);
    });
  } finally {
    registerWasmConvKernels({ maxColsElements: DEFAULT_MAX_COLS_ELEMENTS });
  }
});

Deno.test("wasm conv: kernels release every intermediate on the wasm heap", async () => {
  await tf.setBackend("wasm");
  const backend = tf.backend() as BackendWasm;
  const x = tf.tensor4d(normals([3, 9, 9, 3], 50), [3, 9, 9, 3]);
  const f = tf.tensor4d(normals([5, 5, 3, 4], 51), [5, 5, 3, 4]);
  const loss = (a: tf.Tensor, b: tf.Tensor) =>
    tf.sum(tf.square(tf.conv2d(a as tf.Tensor4D, b as tf.Tensor4D, 2, "same")));
  for (const budget of [DEFAULT_MAX_COLS_ELEMENTS, 64]) {
    registerWasmConvKernels({ maxColsElements: budget });
    tf.dispose(tf.grads(loss)([x, f])); // warm up
    const before = backend.numDataIds();
    const tensorsBefore = tf.memory().numTensors;
    tf.dispose(tf.grads(loss)([x, f]));
    assert.equal(backend.numDataIds(), before, `budget ${budget}: wasm data ids leaked`);
    assert.equal(tf.memory().numTensors, tensorsBefore);
  }
  registerWasmConvKernels({ maxColsElements: DEFAULT_MAX_COLS_ELEMENTS });
  tf.dispose([x, f]);
});

Deno.test("wasm conv: NCHW and non-float inputs are clear errors", async () => {
  await tf.setBackend("wasm");
  const x = tf.zeros([1, 3, 6, 6]);
  const dy = tf.zeros([1, 4, 3, 3]);
  assert.throws(
    () =>
      tf.engine().runKernel("Conv2DBackpropFilter", { x, dy }, {
        strides: 2,
        pad: "same",
        dataFormat: "NCHW",
        filterShape: [3, 3, 3, 4],
      }),
    /wasm Conv2DBackpropFilter: dataFormat "NCHW" is not supported; only "NHWC"/,
  );
  const xi = tf.zeros([1, 6, 6, 3], "int32");
  const dyn = tf.zeros([1, 3, 3, 4]);
  assert.throws(
    () =>
      tf.engine().runKernel("Conv2DBackpropFilter", { x: xi, dy: dyn }, {
        strides: 2,
        pad: "same",
        dataFormat: "NHWC",
        filterShape: [3, 3, 3, 4],
      }),
    /wasm Conv2DBackpropFilter: x must be float32, got int32/,
  );
  assert.throws(
    () =>
      tf.engine().runKernel("Conv2DBackpropFilter", { x: tf.zeros([1, 6, 6, 3]), dy: dyn }, {
        strides: 1,
        pad: "same",
        dataFormat: "NHWC",
        filterShape: [3, 3, 3, 4],
      }),
    /dy has shape \[1,3,3,4\] but the convolution's attributes imply \[1,6,6,4\]/,
  );
  tf.dispose([x, dy, xi, dyn]);
});

Deno.test("wasm conv: restoring the shipped kernels and registering again", async () => {
  const f = convGrads([2, 8, 8, 3], [4, 4, 3, 4], 2, "same");
  const ours = await on("wasm", f);
  restoreShippedWasmConvKernels(["Conv2D", "Conv2DBackpropInput"]);
  try {
    assert.deepEqual(registeredWasmConvKernels(), ["Conv2DBackpropFilter"]);
    const theirs = await on("wasm", f);
    for (let i = 0; i < ours.length; i++) {
      for (let j = 0; j < ours[i].length; j++) {
        assert.ok(Math.abs(ours[i][j] - theirs[i][j]) < 1e-4, `output ${i}[${j}]`);
      }
    }
    restoreShippedWasmConvKernels();
    assert.deepEqual(registeredWasmConvKernels(), []);
    assert.equal(tf.getKernel("Conv2DBackpropFilter", "wasm"), undefined);
  } finally {
    registerWasmConvKernels();
  }
  assert.deepEqual(registeredWasmConvKernels(), [...WASM_CONV_KERNELS]);
});
