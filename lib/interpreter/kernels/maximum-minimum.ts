// MAXIMUM and MINIMUM after TFLM's micro/kernels/maximum_minimum.cc
// (reference_ops::MaximumMinimumBroadcastSlow): float32, int8, int16 or int32 elements compared
// as stored (no requantization), broadcasting; el1 > el2 ? el1 : el2 (and el1 < el2 for the
// minimum), so a NaN second operand wins, as in TFLM.
import type { Kernel, PreparedOp, PrepareContext } from './kernel.js';
import { binaryTensors, type ElementStep, forEachElement, planBroadcast } from './binary-elementwise.js';

type Elements = Float32Array | Int8Array | Int16Array | Int32Array;

const DTYPES: ReadonlySet<string> = new Set(['float32', 'int8', 'int16', 'int32']);
const EMPTY: Int32Array = new Int32Array(0);

function prepareExtremum(ctx: PrepareContext, takeFirst: (a: number, b: number) => boolean): PreparedOp {
  const { input1, input2, output } = binaryTensors(ctx);
  if (input1.dtype !== output.dtype || input2.dtype !== output.dtype) {
    throw ctx.error(`inputs ${input1.dtype} and ${input2.dtype} with output ${output.dtype}: all three must have the same dtype`);
  }
  const plan = planBroadcast(ctx, input1, input2, output);
  let x1: Elements = EMPTY;
  let x2: Elements = EMPTY;
  let y: Elements = EMPTY;
  const step: ElementStep = (o, a, b) => {
    const first = x1[a];
    const second = x2[b];
    y[o] = takeFirst(first, second) ? first : second;
  };
  return {
    invoke(): void {
      x1 = input1.data as Elements;
      x2 = input2.data as Elements;
      y = output.data as Elements;
      forEachElement(plan, step);
    },
  };
}

function supports(_operator: unknown, inputDtypes: ReadonlyArray<string | null>): boolean {
  return inputDtypes[0] === inputDtypes[1] && DTYPES.has(inputDtypes[0] ?? '');
}

export const MAXIMUM: Kernel = {
  supports,
  prepare(ctx): PreparedOp {
    return prepareExtremum(ctx, (a, b) => a > b);
  },
};

export const MINIMUM: Kernel = {
  supports,
  prepare(ctx): PreparedOp {
    return prepareExtremum(ctx, (a, b) => a < b);
  },
};
