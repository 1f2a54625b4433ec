// SignalOverlapAdd after TFLM's signal/micro/kernels/overlap_add.cc and signal/src/overlap_add.cc:
// the input's last two dimensions are frames of frame_size samples; each frame is added into a
// frame_size accumulator kept per outer row across invokes, whose first frame_step samples are
// output and shifted out (zeros shifted in). int16 sums saturate; float32 sums round to float32.
// The FlexBuffer option T picks the type (TensorType FLOAT32 = 0 or INT16 = 7), as TFLM's InitAll.
import { TensorType } from '../../../model/schema/tflite.js';
import type { DType } from '../../../model/types.js';
import type { Kernel, PreparedOp } from '../kernel.js';
import { expectCounts, LateView, readOptions, signalInput, signalOutput } from './signal-common.js';

type Samples = Int16Array | Float32Array;

const TYPES: ReadonlyMap<number, DType> = new Map([[TensorType.FLOAT32, 'float32'], [TensorType.INT16, 'int16']]);

function addInt16(a: number, b: number): number {
  const sum = a + b;
  return sum > 32767 ? 32767 : sum < -32768 ? -32768 : sum;
}

function addFloat32(a: number, b: number): number {
  return a + b;
}

export const SIGNAL_OVERLAP_ADD: Kernel = {
  supports(_operator, inputDtypes): boolean {
    return inputDtypes[0] === 'int16' || inputDtypes[0] === 'float32';
  },
  prepare(ctx): PreparedOp {
    expectCounts(ctx, 1, 1);
    const { type, frameStep } = readOptions(ctx, (o) => ({ type: o.int('T'), frameStep: o.int('frame_step') }));
    const dtype = TYPES.get(type);
    if (dtype === undefined) throw ctx.error(`T = ${type}: TFLM's SignalOverlapAdd takes float32 (${TensorType.FLOAT32}) or int16 (${TensorType.INT16})`);
    const input = signalInput(ctx, 0, dtype);
    if (input.shape.length < 2) throw ctx.error(`input 0 has shape [${input.shape.join(', ')}], expected at least 2 dimensions (frames, samples)`);
    const output = signalOutput(ctx, 0, dtype, input.shape.length - 1);
    const frameSize = input.shape[input.shape.length - 1];
    const frames = input.shape[input.shape.length - 2];
    if (frameStep < 1 || frameStep > frameSize) throw ctx.error(`frame_step ${frameStep} is outside [1, frame size ${frameSize}]`);
    const rows = frames * frameSize === 0 ? 0 : input.elementCount / (frames * frameSize);
    if (output.elementCount !== rows * frames * frameStep) {
      throw ctx.error(`output 0 has ${output.elementCount} values, expected ${rows * frames} steps of ${frameStep}`);
    }
    const elementBytes = dtype === 'int16' ? 2 : 4;
    const persistent = ctx.requestPersistent(elementBytes * rows * frameSize);
    const state = new LateView<Samples>(() => persistent.bytes, (s) => (dtype === 'int16'
      ? new Int16Array(s.buffer, s.byteOffset, s.byteLength >>> 1)
      : new Float32Array(s.buffer, s.byteOffset, s.byteLength >>> 2)));
    // A Float32Array store rounds the double sum to float32, as the C float add does.
    const add = dtype === 'int16' ? addInt16 : addFloat32;
    return {
      invoke(): void {
        const x = input.data as Samples;
        const y = output.data as Samples;
        const buffers = state.get();
        for (let r = 0; r < rows; r++) {
          const base = r * frameSize;
          for (let f = 0; f < frames; f++) {
            const frame = r * frames + f;
            const from = frame * frameSize;
            for (let i = 0; i < frameSize; i++) buffers[base + i] = add(buffers[base + i], x[from + i]);
            const to = frame * frameStep;
            for (let i = 0; i < frameStep; i++) y[to + i] = buffers[base + i];
            buffers.copyWithin(base, base + frameStep, base + frameSize);
            buffers.fill(0, base + frameSize - frameStep, base + frameSize);
          }
        }
      },
      reset(): void {
        state.get().fill(0);
      },
    };
  },
};
