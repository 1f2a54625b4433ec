// UNIDIRECTIONAL_SEQUENCE_LSTM: the int16 gate nonlinearities at points worked out by hand, tiny
// float32 LSTMs whose gates are saturated so the recurrence reduces to c += tanh(x), h = tanh(c),
// a one-unit 16x8 LSTM stepped by hand through TFLM's integer algorithm, and the TFLM goldens of
// the four LSTM models (float32 within 1e-5, int8 byte for byte).
import assert from 'node:assert/strict';
import { Interpreter } from '../../lib/interpreter/index.js';
import { int16Sigmoid, int16Tanh, int16TanhScale } from '../../lib/interpreter/kernels/lstm-common.js';
import { ModelBuilder } from '../../lib/model/builder.js';
import type { Model } from '../../lib/model/types.js';
import { ActivationFunctionType, UnidirectionalSequenceLSTMOptionsT } from '../../lib/model/schema/tflite.js';
import { addLstmOperator, type LstmOperands } from '../support/lstm-operator.js';
import { expectedOutputs, goldenModel, readGolden, runCase } from './golden.js';

/** The one UNIDIRECTIONAL_SEQUENCE_LSTM operator, at TFLM's input positions (no peephole, projection or layer norm). */
function lstmModel(b: ModelBuilder, t: LstmOperands, options: UnidirectionalSequenceLSTMOptionsT): Model {
  addLstmOperator(b, t, options);
  return b.build();
}

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
  return lstmModel(b, { x, inputWeights, recurrentWeights, biases, hidden, cell, y }, options);
}

/**
 * One unit, one input feature, int16 activations (16x8): int8 weights of scale 2^-6 (64 is 1.0),
 * int64 biases, input Q3.12, hidden and output 2^-15, cell 2^-11. The input, forget and output
 * gates see only a bias of 2^21, which the input FC turns into 2^21 / 64 = 32768, clamped to 32767;
 * the cell gate sees x (input-to-cell 64) and h (recurrent-to-cell 64).
 */
function int16Lstm(): Model {
  const b = new ModelBuilder();
  const q = (scale: number) => ({ scale: [scale], zeroPoint: [0] });
  const x = b.addInput({ name: 'x', shape: [1, 2, 1], dtype: 'int16', quantization: q(2 ** -12) });
  const weight = (name: string, value: number): number =>
    b.addConstant({ name, shape: [1, 1], dtype: 'int8', quantization: q(2 ** -6), data: new Int8Array([value]) });
  const bias = (name: string, value: bigint): number =>
    b.addConstant({ name, shape: [1], dtype: 'int64', quantization: q(2 ** -18), data: new BigInt64Array([value]) });
  const inputWeights = [weight('wi', 0), weight('wf', 0), weight('wc', 64), weight('wo', 0)];
  const recurrentWeights = [weight('ri', 0), weight('rf', 0), weight('rc', 64), weight('ro', 0)];
  const biases = [bias('bi', 2n ** 21n), bias('bf', 2n ** 21n), bias('bc', 0n), bias('bo', 2n ** 21n)];
  const hidden = b.addTensor({ name: 'h', shape: [1, 1], dtype: 'int16', quantization: q(2 ** -15), isVariable: true });
  const cell = b.addTensor({ name: 'c', shape: [1, 1], dtype: 'int16', quantization: q(2 ** -11), isVariable: true });
  const y = b.addTensor({ name: 'y', shape: [1, 2, 1], dtype: 'int16', quantization: q(2 ** -15) });
  const options = new UnidirectionalSequenceLSTMOptionsT();
  options.fusedActivationFunction = ActivationFunctionType.TANH;
  return lstmModel(b, { x, inputWeights, recurrentWeights, biases, hidden, cell, y }, options);
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

  describe('int16 activations, int8 weights, int64 biases (16x8), stepped by hand', function () {
    it('two steps through the FCs, gates, cell update and hidden update of lstm_eval', function () {
      // Multipliers (QuantizeMultiplier of powers of two: 2^30 and a shift):
      //   input FC 2^-12 * 2^-6 / 2^-12 = 2^-6, recurrent FC 2^-15 * 2^-6 / 2^-12 = 2^-9, both through the
      //   int64 MultiplyByQuantizedMultiplier: (acc * 16384 + 2^(s - 1)) >> s, s = 20 and 23, i.e. acc / 64
      //   and acc / 512 rounded half up; forget x cell 2^-15 (SRDHM by 2^30 = (p + 1) >> 1, then a rounding
      //   shift by 14), input x cell gate 2^-30 / 2^-11 = 2^-19 (shift 18), tanh x output gate 2^-15 (shift 14).
      // Gates with bias 2^21: FC 32767, sigmoid (3 * 32767 = 98301 = 191 * 512 + 509):
      //   (65513 << 9) + 509 + 512 = 33543677 >> 10 = 32757.
      // Step 1, x = 4096 (1.0), h = c = 0: cell gate tanh(4096): 12288 >> 8 = 48 -> (57724 << 8) - 2^23 + 128
      //   = 6388864 >> 8 = 24956. c = 0 + (32757 * 24956 = 817483692 -> 408741846 -> >> 18 rounding) 1559.
      //   tanh(c) with cell scale 2^-11 (multiplier 6): 9354 = 36 * 256 + 138 ->
      //   (53581 << 8) + 138 * (53983 - 53581) = 13772212 - 2^23 + 128 = 5383732 >> 8 = 21030.
      //   h = 21030 * 32757 = 688879710 -> 344439855 -> >> 14 rounding = 21023.
      // Step 2, x = -2048: cell gate input -131072 / 64 = -2048 plus recurrent 64 * 21023 / 512 = 2627.875 -> 2628:
      //   580; tanh: 1740 = 6 * 256 + 204 -> (36843 << 8) + 204 * 670 = 9568488 - 2^23 + 128 = 1180008 >> 8 = 4609.
      //   forget x c: 32757 * 1559 = 51068163 -> 25534082 -> >> 14 = 1558; input x cell gate: 32757 * 4609 =
      //   150977013 -> 75488507 -> >> 18 = 288 (remainder 253179 > 131071); c = 1846.
      //   tanh(c): 11076 = 43 * 256 + 68 -> (56174 << 8) + 68 * 329 = 14402916 - 2^23 + 128 = 6014436 >> 8 = 23493.
      //   h = 23493 * 32757 = 769560201 -> 384780101 -> >> 14 = 23485.
      const it = new Interpreter(int16Lstm());
      it.allocate();
      it.setInput(0, new Int16Array([4096, -2048]));
      it.invoke();
      assert.deepEqual(Array.from(it.output(0).data as Int16Array), [21023, 23485]);
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
