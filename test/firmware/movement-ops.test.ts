// PAD/PADV2, STRIDED_SLICE and TRANSPOSE through the C runtime's strided copy: the host's axis
// merging checked by hand, and the C kernel equal to the TS interpreter on small models.
import assert from 'node:assert/strict';
import { C_KERNELS, readTinymlPlan, withTinymlPlan } from '../../lib/codegen/plan/index.js';
import { collapseAxes } from '../../lib/codegen/plan/movement.js';
import type { OpContext } from '../../lib/codegen/plan/op-context.js';
import { ModelBuilder } from '../../lib/model/builder.js';
import { StridedSliceOptionsT } from '../../lib/model/schema/tflite.js';
import type { Model } from '../../lib/model/types.js';
import { haveGcc } from './host-runtime.js';
import { assertCMatchesInterpreter } from './small-models.js';

type Int = 'int8' | 'int16' | 'int32';
const failing = { fail: (detail: string): never => { throw new Error(detail); } } as OpContext;
const quantization = (dtype: Int) => (dtype === 'int32' ? null : { scale: [0.1], zeroPoint: [dtype === 'int8' ? -5 : 0] });

function oneOp(op: string, dtype: Int, inShape: number[], outShape: number[], constants: Int32Array[], options?: StridedSliceOptionsT, padValue?: number): Model {
  const m = new ModelBuilder();
  const x = m.addInput({ name: 'x', shape: inShape, dtype, quantization: quantization(dtype) });
  const inputs = [x, ...constants.map((data, k) => m.addConstant({ name: `c${k}`, shape: [data.length], dtype: 'int32', data }))];
  if (padValue !== undefined) {
    const data = dtype === 'int8' ? Int8Array.of(padValue) : dtype === 'int16' ? Int16Array.of(padValue) : Int32Array.of(padValue);
    inputs.push(m.addConstant({ name: 'constant_values', shape: [], dtype, quantization: quantization(dtype), data }));
  }
  const y = m.addTensor({ name: 'y', shape: outShape, dtype, quantization: quantization(dtype) });
  m.addOperator(op, inputs, [y], options ? { builtinOptions: options } : {});
  m.addOutput(y);
  return m.build();
}

const slice = (fields: Partial<StridedSliceOptionsT>): StridedSliceOptionsT => Object.assign(new StridedSliceOptionsT(), fields);

describe('tinyml_plan: strided copy geometry', () => {
  it('TRANSPOSE [2,3,4] by [2,0,1]: out (i, b, c) reads in (b, c, i); b and c merge into one run of 6 stepping 4', () => {
    // Input pitches [12, 4, 1]; output [4, 2, 3] pitches [6, 3, 1]; axes (4: in 1, out 6), (2: 12, 3), (3: 4, 1).
    assert.deepEqual(collapseAxes(failing, [{ count: 4, inStep: 1, outStep: 6 }, { count: 2, inStep: 12, outStep: 3 }, { count: 3, inStep: 4, outStep: 1 }]),
      [1, 1, 4, 6, 0, 0, 1, 4, 0, 0, 6, 1]);
  });
  it('PAD [1,3,4,2] by [[0,0],[1,2],[0,1],[0,0]]: plan fills 6x5x2 with the zero point, copies rows of 8 at offset 10', () => {
    const plan = readTinymlPlan(withTinymlPlan(oneOp('PAD', 'int8', [1, 3, 4, 2], [1, 6, 5, 2], [Int32Array.of(0, 0, 1, 2, 0, 1, 0, 0)])));
    const [op] = plan.operators;
    assert.equal(op.kernelId, C_KERNELS.STRIDED_COPY.id);
    // Output pitches [60, 10, 2, 1]: base = 1 row * 10; rows of 4x2 = 8 contiguous input elements land 10 apart.
    assert.deepEqual(op.params.slice(2), [1, 60, -5, 0, 10, 1, 1, 3, 8, 0, 0, 8, 1, 0, 0, 10, 1]);
  });
  it('more than 4 unmergeable axes are refused', () => {
    const axes = [0, 1, 2, 3, 4].map((i) => ({ count: 2, inStep: 2 ** i, outStep: 2 ** (4 - i) }));
    assert.throws(() => collapseAxes(failing, axes), /needs 5 dims after merging; the C runtime handles 4/);
  });
});

describe('firmware: C PAD, PADV2, STRIDED_SLICE, TRANSPOSE equal the TS interpreter', function () {
  before(function () {
    if (!haveGcc()) this.skip();
  });
  for (const dtype of ['int8', 'int16', 'int32'] as const) {
    it(`PAD ${dtype} 4-D`, async () => assertCMatchesInterpreter(`pad-${dtype}`, oneOp('PAD', dtype, [1, 3, 4, 2], [1, 6, 5, 2], [Int32Array.of(0, 0, 1, 2, 0, 1, 0, 0)])));
    it(`PADV2 ${dtype} with constant_values`, async () => assertCMatchesInterpreter(`padv2-${dtype}`, oneOp('PADV2', dtype, [3, 4], [4, 7], [Int32Array.of(1, 0, 2, 1)], undefined, -20)));
    it(`STRIDED_SLICE ${dtype}, strides 1,2,3`, async () => assertCMatchesInterpreter(`ss-${dtype}`,
      oneOp('STRIDED_SLICE', dtype, [2, 5, 7], [2, 2, 2], [Int32Array.of(0, 1, 1), Int32Array.of(2, 5, 7), Int32Array.of(1, 2, 3)])));
    it(`STRIDED_SLICE ${dtype}, masks and shrink axis`, async () => assertCMatchesInterpreter(`ss-mask-${dtype}`,
      oneOp('STRIDED_SLICE', dtype, [3, 4, 6], [4, 3], [Int32Array.of(1, 9, 2), Int32Array.of(2, 0, -1), Int32Array.of(1, 1, 1)],
        slice({ beginMask: 2, endMask: 2, shrinkAxisMask: 1 }))));
    it(`STRIDED_SLICE ${dtype}, negative stride`, async () => assertCMatchesInterpreter(`ss-neg-${dtype}`,
      oneOp('STRIDED_SLICE', dtype, [4, 6], [4, 3], [Int32Array.of(0, -1), Int32Array.of(4, 0), Int32Array.of(1, -2)])));
    it(`TRANSPOSE ${dtype} [1,4,5,3] by [0,3,1,2]`, async () => assertCMatchesInterpreter(`tr-${dtype}`,
      oneOp('TRANSPOSE', dtype, [1, 4, 5, 3], [1, 3, 4, 5], [Int32Array.of(0, 3, 1, 2)])));
  }
});
