// inspect() on the elementwise, comparison and normalization ops the interpreter runs: MACs follow
// lib/inspect/macs.ts's conventions (one per output element for arithmetic, one per input element
// for LOG_SOFTMAX / L2_NORMALIZATION, 0 for comparisons, logic, rounding and fills, ADD_N one per
// output element per extra input) and the TFLM column takes the dtypes tflm_ops.json lists.
import assert from 'node:assert/strict';
import { inspect } from '../../lib/inspect/index.js';
import { singleOp } from './build.js';

const int8 = { dtype: 'int8' as const, scale: [0.5], zeroPoint: [0] };

describe('inspect: elementwise, comparison and normalization ops', function () {
  it('counts MACs by the file\'s conventions', function () {
    const macs = (name: string, inputs: Parameters<typeof singleOp>[1], outputs: Parameters<typeof singleOp>[2]): number => inspect(singleOp(name, inputs, outputs)).macs.total;
    assert.equal(macs('RSQRT', [{ shape: [2, 3] }], [{ shape: [2, 3] }]), 6);
    assert.equal(macs('SQUARED_DIFFERENCE', [{ shape: [2, 3] }, { shape: [3] }], [{ shape: [2, 3] }]), 6);
    assert.equal(macs('PRELU', [{ shape: [4, 2] }, { shape: [2], constant: true }], [{ shape: [4, 2] }]), 8);
    assert.equal(macs('ADD_N', [{ shape: [5] }, { shape: [5] }, { shape: [5] }], [{ shape: [5] }]), 10);
    assert.equal(macs('LOG_SOFTMAX', [{ shape: [2, 4] }], [{ shape: [2, 4] }]), 8);
    assert.equal(macs('L2_NORMALIZATION', [{ shape: [2, 4] }], [{ shape: [2, 4] }]), 8);
    for (const name of ['GREATER', 'LOGICAL_AND']) {
      const report = inspect(singleOp(name, [{ shape: [3] }, { shape: [3] }], [{ shape: [3], dtype: 'bool' }]));
      assert.equal(report.macs.total, 0);
      assert.equal(report.ops.operators[0].macsEstimated, true);
    }
    assert.equal(inspect(singleOp('ROUND', [{ shape: [3] }], [{ shape: [3] }])).ops.operators[0].macsEstimated, true);
  });

  it('marks the dtypes TFLM\'s kernels take as supported and refuses the others', function () {
    const tflm = (name: string, inputs: Parameters<typeof singleOp>[1], outputs: Parameters<typeof singleOp>[2]) => inspect(singleOp(name, inputs, outputs)).ops.operators[0].tflm;
    assert.equal(tflm('RSQRT', [{ shape: [2], ...int8 }], [{ shape: [2], ...int8 }]).typeSupported, true);
    assert.equal(tflm('SQRT', [{ shape: [2], ...int8 }], [{ shape: [2], ...int8 }]).typeSupported, false);
    assert.equal(tflm('SELECT_V2', [{ shape: [2], dtype: 'bool' }, { shape: [2], dtype: 'int16', scale: [1] }, { shape: [2], dtype: 'int16', scale: [1] }],
      [{ shape: [2], dtype: 'int16', scale: [1] }]).typeSupported, true);
    assert.equal(tflm('GREATER', [{ shape: [2], dtype: 'int16', scale: [0.5] }, { shape: [2], dtype: 'int16', scale: [0.5] }], [{ shape: [2], dtype: 'bool' }]).typeSupported, true);
    assert.equal(tflm('LESS', [{ shape: [2], dtype: 'int16', scale: [0.5] }, { shape: [2], dtype: 'int16', scale: [0.5] }], [{ shape: [2], dtype: 'bool' }]).typeSupported, false);
  });
});
