// CIRCULAR_BUFFER after TFLM's tensorflow/lite/micro/kernels/circular_buffer.cc (+ _common.cc),
// the custom op of strided streaming convolutions: every invoke shifts the output's num_slots
// frames one frame towards the start and appends the int8 input frame ([1, 1, h, w] into
// [1, num_slots, h, w]). It runs the rest of the model only every cycles_max invokes: in
// between it returns TFLM's kTfLiteAbort (ABORTED here), which ends the invoke, so the operators
// after it do not run and Interpreter.invoke() reports 'aborted'.
// The frames are kept in a persistent buffer and copied to the output, so the history survives
// even if the planner lets another tensor share the output's arena bytes between invokes (TFLM
// keeps it in the output tensor itself). TFLM registers no reset for this op: reset() keeps the
// frames and the cycle count, as there.
import { LateView, readOptions } from './signal/signal-common.js';
import { ABORTED, type InvokeStatus, type Kernel, type PreparedOp } from './kernel.js';

/**
 * TFLM's Prepare guesses cycles_max when the options leave it at 0, for the two streaming models
 * it was written for, with a function-static count of such prepares (process-wide, reset only
 * when the guess is 1); this module-level count is its twin.
 */
let guessedPrepareCount = 0;

function guessCyclesMax(slots: number, height: number, width: number): number {
  guessedPrepareCount++;
  if (slots === 5 || slots === 13 || slots === 25 || (guessedPrepareCount === 5 && height === 2 && width === 96)) {
    guessedPrepareCount = 0;
    return 1;
  }
  return 2;
}

const EMPTY: Int8Array = new Int8Array(0);

export const CIRCULAR_BUFFER: Kernel = {
  supports(_operator, inputDtypes): boolean {
    return inputDtypes[0] === 'int8';
  },
  prepare(ctx): PreparedOp {
    if (ctx.inputs.length !== 1) throw ctx.error(`expected 1 input, got ${ctx.inputs.length}`);
    if (ctx.outputs.length === 2) {
      // Newer TFLM Prepare also accepts a bool "valid" output; its Eval side was not available to
      // follow, so that form is refused rather than guessed.
      throw ctx.error('the two-output form (with a valid flag) is not implemented; expected 1 output');
    }
    if (ctx.outputs.length !== 1) throw ctx.error(`expected 1 output, got ${ctx.outputs.length}`);
    const input = ctx.inputs[0];
    const output = ctx.outputs[0];
    if (input === null || input === undefined) throw ctx.error('missing input 0');
    if (input.dtype !== 'int8' || output.dtype !== 'int8') throw ctx.error(`input 0 is ${input.dtype} and output 0 ${output.dtype}; TFLM's kernel takes int8 only`);
    if (input.shape.length !== 4 || output.shape.length !== 4) {
      throw ctx.error(`input 0 [${input.shape.join(', ')}] and output 0 [${output.shape.join(', ')}] must have 4 dimensions`);
    }
    const [batch, one, height, width] = input.shape;
    const [outBatch, slots, outHeight, outWidth] = output.shape;
    if (batch !== outBatch || one !== 1 || height !== outHeight || width !== outWidth || slots < 1) {
      throw ctx.error(`input 0 [${input.shape.join(', ')}] must be [b, 1, h, w] for output 0 [${output.shape.join(', ')}] = [b, num_slots, h, w]`);
    }
    const bytes = ctx.operator.customOptions;
    let cyclesMax = bytes === null || bytes.length === 0 ? 0 : readOptions(ctx, (o) => o.int('cycles_max'));
    if (cyclesMax <= 0) cyclesMax = guessCyclesMax(slots, outHeight, outWidth);
    const depth = outHeight * outWidth;
    const frames = ctx.requestPersistent(slots * depth);
    let cyclesUntilRun = cyclesMax;
    const history = new LateView(() => frames.bytes, (b) => new Int8Array(b.buffer, b.byteOffset, b.byteLength));
    let x = EMPTY;
    let y = EMPTY;
    return {
      invoke(): InvokeStatus {
        x = input.data as Int8Array;
        y = output.data as Int8Array;
        const kept = history.get();
        kept.copyWithin(0, depth);
        for (let i = 0; i < depth; i++) kept[(slots - 1) * depth + i] = x[i];
        y.set(kept);
        if (--cyclesUntilRun !== 0) return ABORTED;
        cyclesUntilRun = cyclesMax;
        return 'ok';
      },
    };
  },
};
