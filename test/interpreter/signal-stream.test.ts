// The TFLM Signal ops that keep state across invokes (SignalFramer, SignalStacker, SignalDelay,
// SignalOverlapAdd), one at a time on small models. Expected values are worked out by hand from
// tensorflow/tflite-micro signal/micro/kernels/{framer,stacker,delay,overlap_add}.cc and
// signal/src/{circular_buffer,overlap_add}.cc (the steps are in the comments).
import assert from 'node:assert/strict';
import { InterpreterError, type Interpreter } from '../../lib/interpreter/index.js';
import { customOpInterpreter } from './custom-op-model.js';

const INT16 = 7;
const FLOAT32 = 0;

function run(it: Interpreter, input: number[]): { out: number[]; valid?: number } {
  it.setInput(0, input);
  it.invoke();
  const result: { out: number[]; valid?: number } = { out: Array.from(it.output(0).data as Int16Array) };
  if (it.outputCount > 1) result.valid = (it.output(1).data as Uint8Array)[0];
  return result;
}

function assertPrepareError(build: () => unknown, pattern: RegExp): void {
  assert.throws(build, (err: unknown) => err instanceof InterpreterError && pattern.test(err.message));
}

describe('interpreter: TFLM Signal streaming ops', function () {
  describe('SignalFramer', function () {
    function framer(prefill: boolean, inputShape: number[], outputShape: number[], frameSize = 3, frameStep = 2): Interpreter {
      return customOpInterpreter('SignalFramer', { frame_size: frameSize, frame_step: frameStep, prefill },
        [{ dtype: 'int16', shape: inputShape }], [{ dtype: 'int16', shape: outputShape }, { dtype: 'bool', shape: [] }]);
    }

    it('emits frame_size samples every frame_step once enough are buffered; valid is false until then', function () {
      const it = framer(false, [4], [2, 3]);
      (it.output(0).data as Int16Array).fill(-7);
      // capacity ceil(3 / 2) * 2 = 4. Step [1, 2]: 2 buffered < 3, frame 0 untouched, valid false.
      // Step [3, 4]: 4 buffered, frame 1 = [1, 2, 3], drop 2 -> [3, 4].
      assert.deepEqual(run(it, [1, 2, 3, 4]), { out: [-7, -7, -7, 1, 2, 3], valid: 0 });
      // [3, 4, 5, 6] -> [3, 4, 5], keep [5, 6]; [5, 6, 7, 8] -> [5, 6, 7], keep [7, 8].
      assert.deepEqual(run(it, [5, 6, 7, 8]), { out: [3, 4, 5, 5, 6, 7], valid: 1 });
      // reset() empties the rings: the first invoke's result again.
      (it.output(0).data as Int16Array).fill(-7);
      it.reset();
      assert.deepEqual(run(it, [1, 2, 3, 4]), { out: [-7, -7, -7, 1, 2, 3], valid: 0 });
    });

    it('with prefill starts from frame_size - frame_step zeros, so every frame is valid', function () {
      const it = framer(true, [4], [2, 3]);
      // ring [0]; + [1, 2] -> [0, 1, 2] out, keep [2]; + [3, 4] -> [2, 3, 4] out, keep [4].
      assert.deepEqual(run(it, [1, 2, 3, 4]), { out: [0, 1, 2, 2, 3, 4], valid: 1 });
      assert.deepEqual(run(it, [5, 6, 7, 8]), { out: [4, 5, 6, 6, 7, 8], valid: 1 });
      it.reset();
      assert.deepEqual(run(it, [1, 2, 3, 4]), { out: [0, 1, 2, 2, 3, 4], valid: 1 });
    });

    it('keeps one stream per row of the input', function () {
      const it = framer(true, [2, 2], [2, 1, 4], 4, 2);
      // Each ring starts with 4 - 2 = 2 zeros.
      assert.deepEqual(run(it, [1, 2, 10, 20]), { out: [0, 0, 1, 2, 0, 0, 10, 20], valid: 1 });
      assert.deepEqual(run(it, [3, 4, 30, 40]), { out: [1, 2, 3, 4, 10, 20, 30, 40], valid: 1 });
    });

    it('refuses rows that are not whole steps, and a missing valid output', function () {
      assertPrepareError(() => framer(false, [4], [1, 3], 3, 3), /\(SignalFramer\): input rows of 4 samples are not whole steps of frame_step 3/);
      assertPrepareError(() => customOpInterpreter('SignalFramer', { frame_size: 3, frame_step: 2, prefill: false },
        [{ dtype: 'int16', shape: [4] }], [{ dtype: 'int16', shape: [2, 3] }]), /\(SignalFramer\): expected 2 outputs, got 1/);
    });
  });

  describe('SignalStacker', function () {
    function stacker(channels: number, left: number, right: number, step: number): Interpreter {
      return customOpInterpreter('SignalStacker',
        { num_channels: channels, stacker_left_context: left, stacker_right_context: right, stacker_step: step },
        [{ dtype: 'int16', shape: [channels] }], [{ dtype: 'int16', shape: [channels * (left + right + 1)] }, { dtype: 'bool', shape: [] }]);
    }

    it('pads the first frame with left_context copies and outputs the full ring, stepping one frame', function () {
      const it = stacker(2, 1, 1, 1);
      // [1, 2] + one copy -> [1, 2, 1, 2]: 4 < 6 values, not valid (output untouched: zeros).
      assert.deepEqual(run(it, [1, 2]), { out: [0, 0, 0, 0, 0, 0], valid: 0 });
      // [1, 2, 1, 2, 3, 4] full: output it, drop 1 frame.
      assert.deepEqual(run(it, [3, 4]), { out: [1, 2, 1, 2, 3, 4], valid: 1 });
      assert.deepEqual(run(it, [5, 6]), { out: [1, 2, 3, 4, 5, 6], valid: 1 });
      assert.deepEqual(run(it, [7, 8]), { out: [3, 4, 5, 6, 7, 8], valid: 1 });
      // reset(): the next frame is the first again, padded again.
      it.reset();
      assert.deepEqual(run(it, [9, 8]), { out: [3, 4, 5, 6, 7, 8], valid: 0 });
      assert.deepEqual(run(it, [7, 6]), { out: [9, 8, 9, 8, 7, 6], valid: 1 });
    });

    it('with stacker_step 2 outputs every other frame once full (the ring wraps)', function () {
      const it = stacker(1, 0, 2, 2);
      // 3 frames of 1 channel; each output drops 2.
      assert.deepEqual([1, 2, 3, 4, 5, 6, 7].map((v) => run(it, [v])), [
        { out: [0, 0, 0], valid: 0 }, { out: [0, 0, 0], valid: 0 }, { out: [1, 2, 3], valid: 1 },
        { out: [1, 2, 3], valid: 0 }, { out: [3, 4, 5], valid: 1 }, { out: [3, 4, 5], valid: 0 }, { out: [5, 6, 7], valid: 1 },
      ]);
    });

    it('refuses a step the ring cannot take and an input that is not one frame', function () {
      assertPrepareError(() => stacker(2, 1, 1, 0), /\(SignalStacker\): stacker_step 0 is outside \[1, 3\]/);
      assertPrepareError(() => customOpInterpreter('SignalStacker', { num_channels: 2, stacker_left_context: 0, stacker_right_context: 0, stacker_step: 1 },
        [{ dtype: 'int16', shape: [3] }], [{ dtype: 'int16', shape: [2] }, { dtype: 'bool', shape: [] }]),
      /\(SignalStacker\): input 0 has 3 values, expected num_channels = 2/);
    });
  });

  describe('SignalDelay', function () {
    it('delays each row by delay_length samples across invokes; reset() restores the leading zeros', function () {
      const it = customOpInterpreter('SignalDelay', { delay_length: 3 }, [{ dtype: 'int16', shape: [2, 2] }], [{ dtype: 'int16', shape: [2, 2] }]);
      // Row 0 streams 1 2 | 3 4 | 5 6, row 1 10 20 | 30 40 | 50 60; each output is 3 samples late.
      assert.deepEqual(run(it, [1, 2, 10, 20]).out, [0, 0, 0, 0]);
      assert.deepEqual(run(it, [3, 4, 30, 40]).out, [0, 1, 0, 10]);
      assert.deepEqual(run(it, [5, 6, 50, 60]).out, [2, 3, 20, 30]);
      it.reset();
      assert.deepEqual(run(it, [7, 8, 70, 80]).out, [0, 0, 0, 0]);
      assert.deepEqual(run(it, [9, 9, 90, 90]).out, [0, 7, 0, 70]);
    });

    it('passes samples through with delay_length 0', function () {
      const it = customOpInterpreter('SignalDelay', { delay_length: 0 }, [{ dtype: 'int16', shape: [3] }], [{ dtype: 'int16', shape: [3] }]);
      assert.deepEqual(run(it, [5, -6, 7]).out, [5, -6, 7]);
    });
  });

  describe('SignalOverlapAdd', function () {
    it('int16: adds frames into the accumulator, outputs frame_step samples per frame, saturates', function () {
      const it = customOpInterpreter('SignalOverlapAdd', { T: INT16, frame_step: 2 }, [{ dtype: 'int16', shape: [2, 4] }], [{ dtype: 'int16', shape: [4] }]);
      // frame [1 2 3 4]: acc [1 2 3 4], out [1 2], acc [3 4 0 0]; frame [10 20 30 40]: acc [13 24 30 40], out [13 24], acc [30 40 0 0].
      assert.deepEqual(run(it, [1, 2, 3, 4, 10, 20, 30, 40]).out, [1, 2, 13, 24]);
      // The accumulator carries over: [100 0 0 0] -> [130 40 0 0], out [130 40]; then zeros.
      assert.deepEqual(run(it, [100, 0, 0, 0, 0, 0, 0, 0]).out, [130, 40, 0, 0]);
      // [0 0 32000 -32000] -> out [0 0], acc [32000 -32000 0 0]; + [1000 -1000 0 0] saturates to [32767 -32768].
      assert.deepEqual(run(it, [0, 0, 32000, -32000, 1000, -1000, 0, 0]).out, [0, 0, 32767, -32768]);
      run(it, [0, 0, 5, 5, 0, 0, 0, 0]); // leaves acc [5 5 0 0]
      it.reset();
      assert.deepEqual(run(it, [1, 1, 1, 1, 0, 0, 0, 0]).out, [1, 1, 1, 1]);
    });

    it('float32: sums round to float32 (C float adds), one accumulator per outer row', function () {
      const it = customOpInterpreter('SignalOverlapAdd', { T: FLOAT32, frame_step: 1 }, [{ dtype: 'float32', shape: [2, 1, 2] }], [{ dtype: 'float32', shape: [2, 1] }]);
      const f = Math.fround;
      it.setInput(0, [0.1, 0.2, 5, 6]);
      it.invoke();
      assert.deepEqual(Array.from(it.output(0).data as Float32Array), [f(0.1), 5]);
      it.setInput(0, [0.1, 0, 1, 0]);
      it.invoke();
      // row 0: acc [0.2f, 0] + [0.1f, 0] -> 0.2f + 0.1f in float; row 1: 6 + 1.
      assert.deepEqual(Array.from(it.output(0).data as Float32Array), [f(f(0.2) + f(0.1)), 7]);
    });

    it('refuses a T that does not match the tensors, and frame_step larger than the frame', function () {
      assertPrepareError(() => customOpInterpreter('SignalOverlapAdd', { T: INT16, frame_step: 1 }, [{ dtype: 'float32', shape: [1, 2] }], [{ dtype: 'float32', shape: [1] }]),
        /\(SignalOverlapAdd\): input 0 is float32, expected int16/);
      assertPrepareError(() => customOpInterpreter('SignalOverlapAdd', { T: INT16, frame_step: 3 }, [{ dtype: 'int16', shape: [1, 2] }], [{ dtype: 'int16', shape: [3] }]),
        /\(SignalOverlapAdd\): frame_step 3 is outside \[1, frame size 2\]/);
    });
  });
});
