// SVDF on small models built in the test (expected outputs worked out by hand, frame after frame,
// the activation state carrying over), and on TFLM's keyword_scrambled goldens.
import assert from 'node:assert/strict';
import { Interpreter } from '../../lib/interpreter/index.js';
import { ModelBuilder } from '../../lib/model/builder.js';
import { ActivationFunctionType, SVDFOptionsT } from '../../lib/model/schema/tflite.js';
import type { DType } from '../../lib/model/types.js';
import { expectedOutputs, goldenModel, readGolden, runCase } from './golden.js';

function options(rank: number, activation = ActivationFunctionType.NONE): SVDFOptionsT {
  const o = new SVDFOptionsT();
  o.rank = rank;
  o.fusedActivationFunction = activation;
  return o;
}

function q(scale: number, zeroPoint = 0): { scale: number[]; zeroPoint: number[] } {
  return { scale: [scale], zeroPoint: [zeroPoint] };
}

function runFrames(it: Interpreter, frames: number[][]): number[][] {
  return frames.map((frame) => {
    it.setInput(0, frame);
    it.invoke();
    return Array.from(it.output(0).data as ArrayLike<number>);
  });
}

/** rank 2, 2 filters, 1 unit, memory 2, input 2; scales give feature multiplier 1 and output multiplier 1/4. */
function int8Model(stateDtype: DType, stateZeroPoint: number, weightsFeature: number[], weightsTime: number[], bias: number, inputZeroPoint: number, outputZeroPoint: number): Interpreter {
  const b = new ModelBuilder();
  const x = b.addInput({ name: 'x', shape: [1, 2], dtype: 'int8', quantization: q(0.5, inputZeroPoint) });
  const wf = b.addConstant({ name: 'wf', shape: [2, 2], dtype: 'int8', quantization: q(0.25), data: new Int8Array(weightsFeature) });
  const wtData = stateDtype === 'int16' ? new Int16Array(weightsTime) : new Int8Array(weightsTime);
  const wt = b.addConstant({ name: 'wt', shape: [2, 2], dtype: stateDtype, quantization: q(0.5), data: wtData });
  const bi = b.addConstant({ name: 'bias', shape: [1], dtype: 'int32', quantization: q(0.0625), data: new Int32Array([bias]) });
  const state = b.addTensor({ name: 'state', shape: [1, 4], dtype: stateDtype, quantization: q(0.125, stateZeroPoint), isVariable: true });
  const y = b.addTensor({ name: 'y', shape: [1, 1], dtype: 'int8', quantization: q(0.25, outputZeroPoint) });
  b.addOperator('SVDF', [x, wf, wt, bi, state], [y], { builtinOptions: options(2) });
  b.addOutput(y);
  const it = new Interpreter(b.build());
  it.allocate();
  return it;
}

describe('interpreter: SVDF', function () {
  it('float32: the state keeps the last memory_size feature activations, reset() clears it', function () {
    // features f = wf . x go into the last state column; out = bias + sum over memory of wt * state.
    // frame 1 x=[1,1]: f=[3,2], rows [0,0,3],[0,0,2] -> [0.5+300, -0.5-2]
    // frame 2 x=[2,-1]: f=[0,7], rows [0,3,0],[0,2,7] -> [0.5+30, -0.5-7]
    // frame 3 x=[0,1]: f=[2,-1], rows [3,0,2],[2,7,-1] -> [0.5+3+200, -0.5+4+1]
    const b = new ModelBuilder();
    const x = b.addInput({ name: 'x', shape: [1, 2], dtype: 'float32' });
    const wf = b.addConstant({ name: 'wf', shape: [2, 2], dtype: 'float32', data: new Float32Array([1, 2, 3, -1]) });
    const wt = b.addConstant({ name: 'wt', shape: [2, 3], dtype: 'float32', data: new Float32Array([1, 10, 100, 2, 0, -1]) });
    const bias = b.addConstant({ name: 'bias', shape: [2], dtype: 'float32', data: new Float32Array([0.5, -0.5]) });
    const state = b.addTensor({ name: 'state', shape: [1, 6], dtype: 'float32', isVariable: true });
    const y = b.addTensor({ name: 'y', shape: [1, 2], dtype: 'float32' });
    b.addOperator('SVDF', [x, wf, wt, bias, state], [y], { builtinOptions: options(1) });
    b.addOutput(y);
    const it = new Interpreter(b.build());
    it.allocate();
    assert.deepEqual(runFrames(it, [[1, 1], [2, -1], [0, 1]]), [[300.5, -2.5], [30.5, -7.5], [203.5, 4.5]]);
    it.reset();
    assert.deepEqual(runFrames(it, [[1, 1]]), [[300.5, -2.5]]);
  });

  it('float32 applies the fused RELU', function () {
    const b = new ModelBuilder();
    const x = b.addInput({ name: 'x', shape: [1, 1], dtype: 'float32' });
    const wf = b.addConstant({ name: 'wf', shape: [2, 1], dtype: 'float32', data: new Float32Array([1, -1]) });
    const wt = b.addConstant({ name: 'wt', shape: [2, 1], dtype: 'float32', data: new Float32Array([2, 2]) });
    const bias = b.addConstant({ name: 'bias', shape: [2], dtype: 'float32', data: new Float32Array([0, 0]) });
    const state = b.addTensor({ name: 'state', shape: [1, 2], dtype: 'float32', isVariable: true });
    const y = b.addTensor({ name: 'y', shape: [1, 2], dtype: 'float32' });
    b.addOperator('SVDF', [x, wf, wt, bias, state], [y], { builtinOptions: options(1, ActivationFunctionType.RELU) });
    b.addOutput(y);
    const it = new Interpreter(b.build());
    it.allocate();
    // x = 1.5: features [1.5, -1.5], times 2 -> [3, -3] -> RELU [3, 0].
    assert.deepEqual(runFrames(it, [[1.5]]), [[3, 0]]);
  });

  it('int8 with int16 state, rank 2: double rounding of the output multiplier, state carried over', function () {
    // input zero point 1; multiplier 1 for the features, 1/4 for the output (zero point -5); bias 7.
    // frame 1 x=[3,1] -> [2,0]: f=[4,2]; rows [0,4],[0,2]; total 7+12+10=29 -> 29/4: 14.5 -> 15 -> 8 (not 7) -> 3
    // frame 2 x=[-1,4] -> [-2,3]: f=[-13,10]; rows [4,-13],[2,10]; total 7-35+46=18 -> 9 -> 5 -> 0
    // frame 3 x=[127,-128] -> [126,-129]: f=[639,-390]; rows [-13,639],[10,-390]; total 7+1904-1970=-59 -> -29 -> -15 -> -20
    const it = int8Model('int16', 0, [2, -3, 1, 4], [1, 3, -2, 5], 7, 1, -5);
    assert.deepEqual(runFrames(it, [[3, 1], [-1, 4], [127, -128]]), [[3], [0], [-20]]);
    it.reset();
    assert.deepEqual(runFrames(it, [[3, 1]]), [[3]]);
  });

  it('int8 with int8 state: reset fills the zero point, which is added after the clamp (wrapping as TFLM does)', function () {
    // identity features, time weights all 1, state zero point 3, bias 0, output multiplier 1/4.
    // frame 1 x=[40,-4]: stored [43],[-1] under rows [3,.],[3,.] (reset to the zero point) -> 40-4=36 -> 9
    // frame 2 x=[126,1]: 126 passes the clamp, +3 = 129 wraps to -127 (real -130); total 40-130-4+1=-93
    //   -> -46.5 -> -46 -> -23
    // frame 3 x=[0,0]: rows [-127,3],[4,3] -> total -130+1=-129 -> -64 -> -32
    const it = int8Model('int8', 3, [1, 0, 0, 1], [1, 1, 1, 1], 0, 0, 0);
    assert.deepEqual(runFrames(it, [[40, -4], [126, 1], [0, 0]]), [[9], [-23], [-32]]);
    it.reset();
    assert.deepEqual(runFrames(it, [[40, -4]]), [[9]]);
  });

  it('refuses a state that is not a variable tensor', function () {
    const b = new ModelBuilder();
    const x = b.addInput({ name: 'x', shape: [1, 1], dtype: 'float32' });
    const wf = b.addConstant({ name: 'wf', shape: [1, 1], dtype: 'float32', data: new Float32Array([1]) });
    const wt = b.addConstant({ name: 'wt', shape: [1, 1], dtype: 'float32', data: new Float32Array([1]) });
    const bias = b.addConstant({ name: 'bias', shape: [1], dtype: 'float32', data: new Float32Array([0]) });
    const state = b.addTensor({ name: 'state', shape: [1, 1], dtype: 'float32' });
    const y = b.addTensor({ name: 'y', shape: [1, 1], dtype: 'float32' });
    b.addOperator('SVDF', [x, wf, wt, bias, state], [y], { builtinOptions: options(1) });
    b.addOutput(y);
    assert.throws(() => new Interpreter(b.build()).allocate(), /subgraph 0, operator 0 \(SVDF\): activation state \(input 4\) must be a variable tensor/);
  });

  for (const name of ['keyword_scrambled', 'keyword_scrambled_8bit']) {
    describe(`${name} golden (TFLM)`, function () {
      const golden = readGolden(name);
      const model = goldenModel(golden);
      for (const testCase of golden.cases) {
        it(`${testCase.case} (${testCase.frames} frame${testCase.frames > 1 ? 's' : ''}) byte-equal`, function () {
          const produced = runCase(model, testCase);
          const expected = expectedOutputs(testCase);
          produced.forEach((bytes, k) => assert.deepEqual(Array.from(bytes), Array.from(expected[k]), `output ${k}`));
        });
      }
    });
  }
});
