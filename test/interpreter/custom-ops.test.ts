// TFLM's custom ops outside the Signal library: CIRCULAR_BUFFER (expected frames are the goldens
// of TFLM's own tensorflow/lite/micro/kernels/circular_buffer_test.cc), the abort it signals
// between runs, the refusal of ethos-u, and inspect's TFLM column for the custom ops.
import assert from 'node:assert/strict';
import { encode } from 'flatbuffers/js/flexbuffers.js';
import { inspect } from '../../lib/inspect/index.js';
import { Interpreter, InterpreterError } from '../../lib/interpreter/index.js';
import { ModelBuilder } from '../../lib/model/builder.js';
import type { Model } from '../../lib/model/types.js';
import { customOpInterpreter } from './custom-op-model.js';

const q = { scale: [1], zeroPoint: [0] };

/** CIRCULAR_BUFFER ([1, 1, 1, depth] -> [1, slots, 1, depth]) then CAST to int32, so the model's output shows whether the ops after it ran. */
function streamingModel(depth: number, slots: number, options: Record<string, number> | null): Model {
  const b = new ModelBuilder();
  const x = b.addInput({ name: 'x', dtype: 'int8', shape: [1, 1, 1, depth], quantization: q });
  const frames = b.addTensor({ name: 'frames', dtype: 'int8', shape: [1, slots, 1, depth], quantization: q });
  const wide = b.addTensor({ name: 'wide', dtype: 'int32', shape: [1, slots, 1, depth] });
  b.addOperator('CUSTOM', [x], [frames], { customCode: 'CIRCULAR_BUFFER', ...(options === null ? {} : { customOptions: encode(options) }) });
  b.addOperator('CAST', [frames], [wide]);
  b.addOutput(wide);
  return b.build();
}

function stream(model: Model, depth: number, invokes: number): { status: string; out: number[] }[] {
  const it = new Interpreter(model);
  it.allocate();
  const results: { status: string; out: number[] }[] = [];
  for (let i = 0; i < invokes; i++) {
    it.setInput(0, Array.from({ length: depth }, (_, j) => i * depth + j + 1));
    const status = it.invoke();
    results.push({ status, out: Array.from(it.output(0).data as Int32Array) });
  }
  return results;
}

describe('interpreter: TFLM custom ops', function () {
  describe('CIRCULAR_BUFFER', function () {
    // circular_buffer_test.cc, OutputTensorLength4: frames after each of 5 invokes.
    const GOLDEN_4 = [
      [0, 0, 0, 0, 0, 0, 0, 0, 0, 1, 2, 3],
      [0, 0, 0, 0, 0, 0, 1, 2, 3, 4, 5, 6],
      [0, 0, 0, 1, 2, 3, 4, 5, 6, 7, 8, 9],
      [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12],
      [4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15],
    ];

    it('without options (4 slots) runs every other invoke: kTfLiteAbort in between, later ops skipped', function () {
      const results = stream(streamingModel(3, 4, null), 3, 5);
      // TFLM's test: Invoke returns kTfLiteOk on invokes 2 and 4, kTfLiteAbort otherwise; the
      // buffer shifts every time. CAST runs only on 'ok' invokes: only then is the output new
      // (after an abort it is stale, and may share arena bytes with the input, as in TFLM).
      assert.deepEqual(results.map((r) => r.status), ['aborted', 'ok', 'aborted', 'ok', 'aborted']);
      assert.deepEqual([results[1].out, results[3].out], [GOLDEN_4[1], GOLDEN_4[3]]);
    });

    it('keeps shifting while aborted: the buffer itself holds every frame', function () {
      const it = new Interpreter(streamingModel(3, 4, null), { preserveAllTensors: true });
      it.allocate();
      GOLDEN_4.forEach((golden, i) => {
        it.setInput(0, [3 * i + 1, 3 * i + 2, 3 * i + 3]);
        it.invoke();
        assert.deepEqual(Array.from(it.tensor(1).data as Int8Array), golden, `invoke ${i + 1}`);
      });
    });

    it('cycles_max 1 (OutputTensorOnEveryIterationLength4) runs every invoke', function () {
      const results = stream(streamingModel(3, 4, { cycles_max: 1 }), 3, 5);
      assert.deepEqual(results.map((r) => r.status), ['ok', 'ok', 'ok', 'ok', 'ok']);
      assert.deepEqual(results.map((r) => r.out), GOLDEN_4);
    });

    it('without options, 5 slots (OutputTensorLength5) runs every invoke, as TFLM\'s shape guess says', function () {
      const results = stream(streamingModel(4, 5, null), 4, 6);
      assert.deepEqual(results.map((r) => r.status), ['ok', 'ok', 'ok', 'ok', 'ok', 'ok']);
      assert.deepEqual(results.map((r) => r.out), [
        [0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1, 2, 3, 4],
        [0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1, 2, 3, 4, 5, 6, 7, 8],
        [0, 0, 0, 0, 0, 0, 0, 0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12],
        [0, 0, 0, 0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16],
        [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 20],
        [5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 20, 21, 22, 23, 24],
      ]);
    });

    it('cycles_max 3: ok on every third invoke; reset() keeps frames and count (TFLM registers no reset)', function () {
      const it = new Interpreter(streamingModel(1, 2, { cycles_max: 3 }));
      it.allocate();
      const statuses: string[] = [];
      for (const v of [1, 2, 3, 4]) {
        it.setInput(0, [v]);
        statuses.push(it.invoke());
      }
      it.reset();
      for (const v of [5, 6]) {
        it.setInput(0, [v]);
        statuses.push(it.invoke());
      }
      assert.deepEqual(statuses, ['aborted', 'aborted', 'ok', 'aborted', 'aborted', 'ok']);
      // The last 'ok' saw frames 5, 6 in a row that kept shifting through the reset.
      assert.deepEqual(Array.from(it.output(0).data as Int32Array), [5, 6]);
    });

    it('refuses shapes that are not [b, 1, h, w] -> [b, slots, h, w], and non-int8 tensors', function () {
      assert.throws(() => customOpInterpreter('CIRCULAR_BUFFER', { cycles_max: 1 }, [{ dtype: 'int8', shape: [1, 2, 1, 3] }], [{ dtype: 'int8', shape: [1, 4, 1, 3] }]),
        (err: unknown) => err instanceof InterpreterError && /operator 0 \(CIRCULAR_BUFFER\): input 0 \[1, 2, 1, 3\] must be \[b, 1, h, w\]/.test(err.message));
      assert.throws(() => customOpInterpreter('CIRCULAR_BUFFER', { cycles_max: 1 }, [{ dtype: 'int16', shape: [1, 1, 1, 3] }], [{ dtype: 'int16', shape: [1, 4, 1, 3] }]),
        (err: unknown) => err instanceof InterpreterError && /unsupported ops: operator 0 \(CIRCULAR_BUFFER, int16\)/.test(err.message));
    });
  });

  describe('ethos-u', function () {
    it('is refused at construction with the reason: it runs on the NPU', function () {
      assert.throws(() => customOpInterpreter('ethos-u', {}, [{ dtype: 'int8', shape: [4] }], [{ dtype: 'int8', shape: [4] }]),
        (err: unknown) => err instanceof InterpreterError
          && err.message === 'unsupported ops: operator 0 (ethos-u, int8): runs on an Arm Ethos-U NPU; TFLM without the NPU cannot run it either');
    });
  });

  describe('inspect\'s TFLM column', function () {
    function tflmOf(code: string, dtype: 'int8' | 'int16' | 'uint8' | 'float32'): { registered: boolean; typeSupported: boolean | null } {
      const b = new ModelBuilder();
      const x = b.addInput({ name: 'x', dtype, shape: [4] });
      const y = b.addTensor({ name: 'y', dtype, shape: [4] });
      b.addOperator('CUSTOM', [x], [y], { customCode: code, customOptions: encode({}) });
      b.addOutput(y);
      const { registered, typeSupported } = inspect(b.build()).ops.operators[0].tflm;
      return { registered, typeSupported };
    }

    it('counts the custom ops added here as TFLM-supported for their types, ethos-u not', function () {
      for (const [code, dtype] of [['SignalFramer', 'int16'], ['SignalStacker', 'int16'], ['SignalDelay', 'int16'], ['SignalOverlapAdd', 'float32'],
        ['SignalOverlapAdd', 'int16'], ['SignalIrfft', 'float32'], ['SignalIrfft', 'int16'], ['CIRCULAR_BUFFER', 'int8'],
        ['TFLite_Detection_PostProcess', 'float32'], ['TFLM_DECODE', 'uint8']] as const) {
        assert.deepEqual(tflmOf(code, dtype), { registered: true, typeSupported: true }, `${code} ${dtype}`);
      }
      assert.deepEqual(tflmOf('ethos-u', 'int8'), { registered: true, typeSupported: false });
    });
  });
});

describe('runFrames: frames whose invoke a CIRCULAR_BUFFER cut short', function () {
  it('lists them (every other frame for 4 slots without options, as TFLM\'s test expects)', async function () {
    const { runFrames } = await import('../../lib/interpreter/frames.js');
    const it = new Interpreter(streamingModel(3, 4, null));
    it.allocate();
    const input = new Uint8Array(5 * 3).map((_, i) => i + 1);
    const result = runFrames(it, [input]);
    assert.equal(result.frames, 5);
    assert.deepEqual(result.aborted, [0, 2, 4]);
  });
});
