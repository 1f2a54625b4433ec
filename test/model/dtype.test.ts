import assert from 'node:assert/strict';
import { byteLengthOf, dtypeFromTensorType, tensorTypeOf } from '../../lib/model/dtype.js';
import { TensorType } from '../../lib/model/schema/tflite.js';

describe('dtype', function () {
  it('maps the schema TensorType values to names and back', function () {
    assert.equal(dtypeFromTensorType(TensorType.INT8), 'int8');
    assert.equal(dtypeFromTensorType(TensorType.FLOAT8_E5M2), 'float8_e5m2');
    assert.equal(dtypeFromTensorType(23), null);
    assert.equal(tensorTypeOf('int16'), TensorType.INT16);
  });
  it('packs int4 two per byte', function () {
    assert.equal(byteLengthOf('int4', 5), 3);
    assert.equal(byteLengthOf('float32', 5), 20);
  });
});
