// ADD, SUB, MUL, MINIMUM, MAXIMUM (int8, int16, int32) with broadcasting and CAST in the C runtime: the host-side shape
// collapsing checked by hand, and the C kernels equal to the TS interpreter on small models.
import assert from 'node:assert/strict';
import { broadcastShape } from '../../lib/codegen/plan/binary.js';
import type { OpContext } from '../../lib/codegen/plan/op-context.js';
import { ModelBuilder } from '../../lib/model/builder.js';
import { ActivationFunctionType, AddOptionsT, MulOptionsT, SubOptionsT } from '../../lib/model/schema/tflite.js';
import type { DType, Model } from '../../lib/model/types.js';
import { haveGcc } from './host-runtime.js';
import { assertCMatchesInterpreter } from './small-models.js';

const failing = { fail: (detail: string): never => { throw new Error(detail); } } as OpContext;

type Op = 'ADD' | 'SUB' | 'MUL' | 'MINIMUM' | 'MAXIMUM';
type Int = 'int8' | 'int16' | 'int32';

function binaryModel(op: Op, dtype: Int, a: number[], b: number[], out: number[], activation = ActivationFunctionType.NONE, constantB?: number): Model {
  const m = new ModelBuilder();
  // Distinct scales and (for int8) zero points, so every multiplier and offset matters.
  const q = (scale: number, zeroPoint: number) => (dtype === 'int32' ? null : { scale: [scale], zeroPoint: [dtype === 'int8' ? zeroPoint : 0] });
  const ia = m.addInput({ name: 'a', shape: a, dtype, quantization: q(dtype === 'int8' ? 0.05 : 0.0004, 3) });
  const bSpec = { name: 'b', shape: b, dtype, quantization: q(dtype === 'int8' ? 0.02 : 0.0001, -7) };
  const ib = constantB === undefined ? m.addInput(bSpec)
    : m.addConstant({ ...bSpec, data: dtype === 'int8' ? Int8Array.of(constantB) : dtype === 'int16' ? Int16Array.of(constantB) : Int32Array.of(constantB) });
  // MINIMUM/MAXIMUM compare stored values: all three tensors share input 0's quantization there.
  const y = m.addTensor({ name: 'y', shape: out, dtype, quantization: op === 'MINIMUM' || op === 'MAXIMUM' ? q(dtype === 'int8' ? 0.05 : 0.0004, 3) : q(op === 'MUL' ? (dtype === 'int8' ? 0.06 : 0.001) : (dtype === 'int8' ? 0.06 : 0.0005), 5) });
  const options = op === 'ADD' ? Object.assign(new AddOptionsT(), { fusedActivationFunction: activation })
    : op === 'SUB' ? Object.assign(new SubOptionsT(), { fusedActivationFunction: activation })
      : op === 'MUL' ? Object.assign(new MulOptionsT(), { fusedActivationFunction: activation }) : null;
  m.addOperator(op, [ia, ib], [y], { builtinOptions: options });
  m.addOutput(y);
  return m.build();
}

describe('tinyml_plan: broadcast shapes for the C binary kernels', () => {
  it('[1,3,1] with [2,1,4] -> [2,3,4]: dims 1,2,3,4; a steps 1 along dim 2 only, b 4 along dim 1 and 1 along dim 3', () => {
    assert.deepEqual(broadcastShape(failing, [1, 3, 1], [2, 1, 4], [2, 3, 4]), [1, 2, 3, 4, 0, 0, 1, 0, 0, 4, 0, 1]);
  });
  it('equal shapes collapse to one run of all elements', () => {
    assert.deepEqual(broadcastShape(failing, [2, 3, 4, 5, 6], [2, 3, 4, 5, 6], [2, 3, 4, 5, 6]), [1, 1, 1, 720, 0, 0, 0, 1, 0, 0, 0, 1]);
  });
  it('a scalar against [2,5]: the scalar never steps', () => {
    assert.deepEqual(broadcastShape(failing, [2, 5], [], [2, 5]), [1, 1, 1, 10, 0, 0, 0, 1, 0, 0, 0, 0]);
  });
  it('five alternating broadcast dims are refused with the shapes named', () => {
    assert.throws(() => broadcastShape(failing, [2, 1, 2, 1, 2], [1, 2, 1, 2, 1], [2, 2, 2, 2, 2]), /need 5 broadcast dims; the C runtime handles 4/);
  });
  it('shapes that do not broadcast are refused', () => {
    assert.throws(() => broadcastShape(failing, [3], [4], [4]), /inputs \[3\] and \[4\] do not broadcast to the output \[4\]/);
  });
});

describe('firmware: C ADD/SUB/MUL equal the TS interpreter', function () {
  before(function () {
    if (!haveGcc()) this.skip();
  });
  const shapes: [string, number[], number[], number[]][] = [
    ['equal shapes', [2, 3, 4], [2, 3, 4], [2, 3, 4]],
    ['both broadcast', [1, 3, 1], [2, 1, 4], [2, 3, 4]],
    ['scalar second input', [2, 5], [1], [2, 5]],
    ['rank 5, last axis broadcast', [1, 2, 3, 4, 5], [1, 1, 1, 1, 5], [1, 2, 3, 4, 5]],
  ];
  for (const op of ['ADD', 'SUB', 'MUL'] as const) {
    for (const dtype of ['int8', 'int16'] as const) {
      for (const [what, a, b, out] of shapes) {
        it(`${op} ${dtype}, ${what}`, async () => assertCMatchesInterpreter(`${op}-${dtype}`, binaryModel(op, dtype, a, b, out)));
      }
      it(`${op} ${dtype}, fused RELU`, async () => assertCMatchesInterpreter(`${op}-${dtype}-relu`, binaryModel(op, dtype, [4, 4], [4], [4, 4], ActivationFunctionType.RELU)));
    }
  }
  // int32 (no quantization): wrapping sums and products; ADD ignores the fused activation, SUB and MUL clamp to it.
  for (const op of ['ADD', 'SUB', 'MUL'] as const) {
    it(`${op} int32, both broadcast`, async () => assertCMatchesInterpreter(`${op}-int32`, binaryModel(op, 'int32', [1, 3, 1], [2, 1, 4], [2, 3, 4])));
    it(`${op} int32, fused RELU`, async () => assertCMatchesInterpreter(`${op}-int32-relu`, binaryModel(op, 'int32', [4, 4], [4], [4, 4], ActivationFunctionType.RELU)));
  }
  // A constant operand (the audio preprocessor's scalars) is read from model memory.
  for (const [op, dtype, value] of [['ADD', 'int8', -17], ['MUL', 'int16', 1234], ['MUL', 'int32', 3], ['SUB', 'int32', -100000]] as const) {
    it(`${op} ${dtype} with a constant scalar ${value}`, async () => assertCMatchesInterpreter(`${op}-${dtype}-const`, binaryModel(op, dtype, [2, 5], [], [2, 5], ActivationFunctionType.NONE, value)));
  }
  for (const op of ['MINIMUM', 'MAXIMUM'] as const) {
    for (const dtype of ['int8', 'int16', 'int32'] as const) {
      it(`${op} ${dtype}, both broadcast`, async () => assertCMatchesInterpreter(`${op}-${dtype}`, binaryModel(op, dtype, [1, 3, 1], [2, 1, 4], [2, 3, 4])));
    }
    it(`${op} int32 with a constant scalar`, async () => assertCMatchesInterpreter(`${op}-const`, binaryModel(op, 'int32', [2, 5], [], [2, 5], ActivationFunctionType.NONE, 12345)));
  }
  const casts: [DType, DType][] = [['uint32', 'int32'], ['int32', 'uint32'], ['int16', 'int32'], ['int32', 'int8'], ['int8', 'int16'], ['int32', 'int16'], ['int16', 'int8']];
  for (const [from, to] of casts) {
    it(`CAST ${from} -> ${to}`, async () => {
      const m = new ModelBuilder();
      const x = m.addInput({ name: 'x', shape: [3, 7], dtype: from });
      const y = m.addTensor({ name: 'y', shape: [3, 7], dtype: to });
      m.addOperator('CAST', [x], [y]);
      m.addOutput(y);
      await assertCMatchesInterpreter(`cast-${from}-${to}`, m.build());
    });
  }
});
