// SignalFilterBank after TFLM's signal/micro/kernels/filter_bank.cc and signal/src/filter_bank.cc
// (FilterbankAccumulateChannels): each mel channel sums its weighted uint32 energy bins, plus
// the previous channel's bins weighted by the unweights, into a uint64. Channel -1 only
// collects unweights and is dropped. The int16 weights multiply as uint64 (a negative weight
// wraps); the sums are kept exactly as high * 2^16 + low parts (each < 2^53) and stored mod 2^64.
import type { Kernel, PreparedOp } from '../kernel.js';
import type { RuntimeTensor } from '../../tensor.js';
import type { PrepareContext } from '../kernel.js';
import { expectCounts, readOptions, signalInput, signalOutput, uint32Words } from './signal-common.js';
import { storeUint64 } from './signal-math.js';

const EMPTY_U32: Uint32Array = new Uint32Array(0);
const EMPTY_I16: Int16Array = new Int16Array(0);

/** The constant int16 configuration vectors, checked so no index leaves its tensor. */
function checkConfig(ctx: PrepareContext, channels: number, tensors: RuntimeTensor[], bins: number): void {
  const [weights, unweights, frequencyStarts, weightStarts, widths] = tensors;
  if (unweights.elementCount !== weights.elementCount) throw ctx.error(`weights (${weights.elementCount}) and unweights (${unweights.elementCount}) differ in length`);
  for (const [tensor, what] of [[frequencyStarts, 'channel_frequency_starts'], [weightStarts, 'channel_weight_starts'], [widths, 'channel_widths']] as const) {
    if (tensor.elementCount !== channels + 1) throw ctx.error(`${what} has ${tensor.elementCount} values, expected num_channels + 1 = ${channels + 1}`);
  }
  if (!tensors.every((t) => t.isConstant)) return;
  const fs = frequencyStarts.data as Int16Array;
  const ws = weightStarts.data as Int16Array;
  const w = widths.data as Int16Array;
  for (let i = 0; i <= channels; i++) {
    if (w[i] < 0 || fs[i] < 0 || ws[i] < 0 || fs[i] + w[i] > bins || ws[i] + w[i] > weights.elementCount) {
      throw ctx.error(`channel ${i - 1}: bins [${fs[i]}, +${w[i]}) or weights [${ws[i]}, +${w[i]}) leave the input (${bins}) or the weights (${weights.elementCount})`);
    }
  }
}

export const SIGNAL_FILTER_BANK: Kernel = {
  supports(_operator, inputDtypes): boolean {
    return inputDtypes[0] === 'uint32';
  },
  prepare(ctx): PreparedOp {
    expectCounts(ctx, 6, 1);
    const channels = readOptions(ctx, (o) => o.int('num_channels'));
    const input = signalInput(ctx, 0, 'uint32', 1);
    const config = [1, 2, 3, 4, 5].map((i) => signalInput(ctx, i, 'int16', 1));
    const output = signalOutput(ctx, 0, 'uint64', 1);
    if (channels < 1 || output.elementCount !== channels) throw ctx.error(`output 0 has ${output.elementCount} values, num_channels is ${channels}`);
    checkConfig(ctx, channels, config, input.elementCount);
    const [weightsTensor, unweightsTensor, frequencyStartsTensor, weightStartsTensor, widthsTensor] = config;
    const words = uint32Words(() => output.data);
    let x = EMPTY_U32;
    let weights = EMPTY_I16;
    let unweights = EMPTY_I16;
    let frequencyStarts = EMPTY_I16;
    let weightStarts = EMPTY_I16;
    let widths = EMPTY_I16;
    return {
      invoke(): void {
        x = input.data as Uint32Array;
        weights = weightsTensor.data as Int16Array;
        unweights = unweightsTensor.data as Int16Array;
        frequencyStarts = frequencyStartsTensor.data as Int16Array;
        weightStarts = weightStartsTensor.data as Int16Array;
        widths = widthsTensor.data as Int16Array;
        const y = words.get();
        // Each accumulator is high * 2^16 + low: the bins split in 16-bit halves.
        let weightHigh = 0;
        let weightLow = 0;
        for (let i = 0; i <= channels; i++) {
          let unweightHigh = 0;
          let unweightLow = 0;
          const bin = frequencyStarts[i];
          const weight = weightStarts[i];
          for (let j = 0; j < widths[i]; j++) {
            const value = x[bin + j];
            const high = value >>> 16;
            const low = value & 0xffff;
            const w = weights[weight + j];
            const u = unweights[weight + j];
            weightHigh += w * high;
            weightLow += w * low;
            unweightHigh += u * high;
            unweightLow += u * low;
          }
          if (i > 0) storeUint64(y, i - 1, weightHigh, weightLow);
          weightHigh = unweightHigh;
          weightLow = unweightLow;
        }
      },
    };
  },
};
