// UNIDIRECTIONAL_SEQUENCE_LSTM: the int16 gate nonlinearities at points worked out by hand, tiny
// float32 LSTMs whose gates are saturated so the recurrence reduces to c += tanh(x), h = tanh(c),
// and the TFLM goldens of the four LSTM models (float32 within 1e-5, int8 byte for byte).
import assert from 'node:assert/strict';
import { Interpreter } from '../../lib/interpreter/index.js';
import { int16Sigmoid, int16Tanh, int16TanhScale } from '../../lib/interpreter/kernels/lstm-common.js';
import { ModelBuilder, NO_TENSOR } from '../../lib/model/builder.js';
import type { Model } from '../../lib/model/types.js';
import { ActivationFunctionType, UnidirectionalSequenceLSTMOptionsT } from '../../lib/model/schema/tflite.js';
import { expectedOutputs, goldenModel, readGolden, runCase } from './golden.js';

interface TinyLstm {
  timeMajor?: boolean;
  cellClip?: number;
  /** [d0, d1, 1] */
  inputShape: number[];
  batches: number;
  stateIsVariable?: boolean;
}

/**
 * One unit, one input feature. Every weight is 0 except input-to-cell (1); the input, forget and
 * output gate biases are 20, beyond TFLM's float sigmoid cutoff (16.6), so those gates are exactly 1.
 */
function tinyLstm(spec: TinyLstm): Model {
  const b = new ModelBuilder();
  const x = b.addInput({ name: 'x', shape: spec.inputShape, dtype: 'float32' });
  const weight = (name: string, value: number): number =>
    b.addConstant({ name, shape: [1, 1], dtype: 'float32', data: new Float32Array([value]) });
  const bias = (name: string, value: number): number =>
    b.addConstant({ name, shape: [1], dtype: 'float32', data: new Float32Array([value]) });
  const inputWeights = [weight('wi', 0), weight('wf', 0), weight('wc', 1), weight('wo', 0)];
  const recurrentWeights = [weight('ri', 0), weight('rf', 0), weight('rc', 0), weight('ro', 0)];
  const biases = [bias('bi', 20), bias('bf', 20), bias('bc', 0), bias('bo', 20)];
  const variable = spec.stateIsVariable ?? true;
  const hidden = b.addTensor({ name: 'h', shape: [spec.batches, 1], dtype: 'float32', isVariable: variable });
  const cell = b.addTensor({ name: 'c', shape: [spec.batches, 1], dtype: 'float32', isVariable: variable });
  const y = b.addTensor({ name: 'y', shape: spec.inputShape, dtype: 'float32' });
  const options = new UnidirectionalSequenceLSTMOptionsT();
  options.fusedActivationFunction = ActivationFunctionType.TANH;
  options.cellClip = spec.cellClip ?? 0;
  options.timeMajor = spec.timeMajor ?? false;
  b.addOperator('UNIDIRECTIONAL_SEQUENCE_LSTM', [
    x, ...inputWeights, ...recurrentWeights, NO_TENSOR, NO_TENSOR, NO_TENSOR, ...biases,
    NO_TENSOR, NO_TENSOR, hidden, cell, NO_TENSOR, NO_TENSOR, NO_TENSOR, NO_TENSOR,
  ], [y], { builtinOptions: options });
  b.addOutput(y);
  return b.build();
}

function assertClose(actual: ArrayLike<number>, expected: number[], what: string): void {
  assert.equal(actual.length, expected.length, what);
  for (let i = 0; i < expected.length; i++) {
    assert.ok(Math.abs(actual[i] - expected[i]) <= 1e-6, `${what} element ${i}: ${actual[i]} vs ${expected[i]}`);
  }
}

function assertCloseRelative(produced: Uint8Array, expected: Uint8Array, what: string): void {
  const ours = new Float32Array(produced.slice().buffer);
  const theirs = new Float32Array(expected.slice().buffer);
  assert.equal(ours.length, theirs.length, what);
  ours.forEach((v, i) => assert.ok(Math.abs(v - theirs[i]) <= Math.max(1e-6, 1e-5 * Math.abs(theirs[i])), `${what} element ${i}: ${v} vs TFLM ${theirs[i]}`));
}

describe('interpreter: UNIDIRECTIONAL_SEQUENCE_LSTM', function () {
  describe('int16 gate nonlinearities (Q3.12 in, Q0.15 out)', function () {
    it('sigmoid: 0.5 at 0, within 2 LSB of 1 / (1 + exp(-x)) over the int16 range', function () {
      // 0: table[0] = 32768 -> (32768 * 512 + 512) >> 10 = 16384 = 0.5.
      assert.equal(int16Sigmoid(0), 16384);
      for (let q = -32768; q <= 32767; q += 61) {
        const exact = 32768 / (1 + Math.exp(-q / 4096));
        assert.ok(Math.abs(int16Sigmoid(q) - exact) <= 2, `sigmoid(${q}): ${int16Sigmoid(q)} vs ${exact}`);
      }
    });

    it('tanh: 0 at 0, saturating at both ends, within 2 LSB of tanh, pre-scale from the cell scale power', function () {
      const gate = int16TanhScale(-12);
      // 15 - 12 - 3 = 0: the power-of-two case, multiplier 3 << 0.
      assert.deepEqual(gate, { multiplier: 3, leftShift: 0 });
      assert.deepEqual(int16TanhScale(-11), { multiplier: 6, leftShift: 0 });
      assert.deepEqual(int16TanhScale(-13), { multiplier: 3, leftShift: 1 });
      assert.equal(int16Tanh(0, gate.multiplier, gate.leftShift), 0);
      // (0xffff00 - 2^23 + 128) >> 8 = 32767; (-0xffff00 + 2^23 + 127) >> 8 = -32767.
      assert.equal(int16Tanh(32767, gate.multiplier, gate.leftShift), 32767);
      assert.equal(int16Tanh(-32768, gate.multiplier, gate.leftShift), -32767);
      for (let q = -32768; q <= 32767; q += 61) {
        const exact = 32768 * Math.tanh(q / 4096);
        const ours = int16Tanh(q, gate.multiplier, gate.leftShift);
        assert.ok(Math.abs(ours - exact) <= 2, `tanh(${q}): ${ours} vs ${exact}`);
      }
    });
  });

  describe('float32, saturated gates: c += tanh(x), h = tanh(c)', function () {
    it('runs the sequence, carries the state over invokes and clears it on reset()', function () {
      const it = new Interpreter(tinyLstm({ inputShape: [1, 2, 1], batches: 1 }));
      it.allocate();
      it.setInput(0, new Float32Array([0.5, 0.25]));
      it.invoke();
      const c1 = Math.tanh(0.5);
      const c2 = c1 + Math.tanh(0.25);
      assertClose(it.output(0).data as Float32Array, [Math.tanh(c1), Math.tanh(c2)], 'first invoke');
      // x = 0 adds tanh(0) = 0: the cell state from the first invoke stays.
      it.setInput(0, new Float32Array([0, 0]));
      it.invoke();
      assertClose(it.output(0).data as Float32Array, [Math.tanh(c2), Math.tanh(c2)], 'second invoke');
      it.reset();
      it.invoke();
      assertClose(it.output(0).data as Float32Array, [0, 0], 'after reset');
    });

    it('clips the cell state to cell_clip', function () {
      const it = new Interpreter(tinyLstm({ inputShape: [1, 3, 1], batches: 1, cellClip: 0.6 }));
      it.allocate();
      it.setInput(0, new Float32Array([0.5, 0.25, -0.5]));
      it.invoke();
      const c1 = Math.tanh(0.5);
      const c3 = 0.6 + Math.tanh(-0.5);
      assertClose(it.output(0).data as Float32Array, [Math.tanh(c1), Math.tanh(0.6), Math.tanh(c3)], 'clipped');
    });

    it('batch major and time major layouts give each batch its own state', function () {
      // Batch 0 sees [0.5, 0.25], batch 1 sees [-0.5, 1].
      const h = (xs: number[]): number[] => {
        let c = 0;
        return xs.map((x) => Math.tanh(c += Math.tanh(x)));
      };
      const [b0, b1] = [h([0.5, 0.25]), h([-0.5, 1])];
      const batchMajor = new Interpreter(tinyLstm({ inputShape: [2, 2, 1], batches: 2 }));
      batchMajor.allocate();
      batchMajor.setInput(0, new Float32Array([0.5, 0.25, -0.5, 1]));
      batchMajor.invoke();
      assertClose(batchMajor.output(0).data as Float32Array, [b0[0], b0[1], b1[0], b1[1]], 'batch major');
      const timeMajor = new Interpreter(tinyLstm({ inputShape: [2, 2, 1], batches: 2, timeMajor: true }));
      timeMajor.allocate();
      timeMajor.setInput(0, new Float32Array([0.5, -0.5, 0.25, 1]));
      timeMajor.invoke();
      assertClose(timeMajor.output(0).data as Float32Array, [b0[0], b1[0], b0[1], b1[1]], 'time major');
    });

    it('rejects states that are not variable tensors', function () {
      assert.throws(() => {
        const it = new Interpreter(tinyLstm({ inputShape: [1, 2, 1], batches: 1, stateIsVariable: false }));
        it.allocate();
      }, /variable/);
    });
  });

  describe('TFLM goldens', function () {
    const MODELS: Array<[string, boolean]> = [
      ['trained_lstm', true], ['trained_lstm_int8', false], ['micro_speech_lstm', false], ['dtln_noise_suppression', false],
    ];
    for (const [name, isFloat] of MODELS) {
      it(name, function () {
        const golden = readGolden(name);
        const model = goldenModel(golden);
        for (const testCase of golden.cases) {
          const produced = runCase(model, testCase);
          const expected = expectedOutputs(testCase);
          produced.forEach((out, k) => {
            const what = `${testCase.case} output ${k}`;
            if (isFloat) assertCloseRelative(out, expected[k], what);
            else assert.deepEqual(Array.from(out), Array.from(expected[k]), what);
          });
        }
      });
    }
  });
});
