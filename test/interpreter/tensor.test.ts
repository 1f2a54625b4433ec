// Constant tensors are views on the model bytes: shared when aligned, copied only when not.
import assert from 'node:assert/strict';
import { constantView } from '../../lib/interpreter/tensor.js';

describe('interpreter: constant tensor views', function () {
  it('views aligned bytes without copying', function () {
    const bytes = new Uint8Array(new Float32Array([1.5, -2]).buffer);
    const view = constantView('float32', bytes);
    assert.ok(view instanceof Float32Array);
    assert.equal(view.buffer, bytes.buffer);
    assert.deepEqual(Array.from(view), [1.5, -2]);
  });

  it('copies misaligned bytes into an aligned buffer', function () {
    const backing = new Uint8Array(9);
    backing.set(new Uint8Array(new Int32Array([7, -1]).buffer), 1);
    const bytes = backing.subarray(1);
    const view = constantView('int32', bytes);
    assert.ok(view instanceof Int32Array);
    assert.notEqual(view.buffer, backing.buffer);
    assert.deepEqual(Array.from(view), [7, -1]);
  });

  it('int8 constants are always zero-copy', function () {
    const backing = new Uint8Array([0, 255, 1]);
    const view = constantView('int8', backing.subarray(1));
    assert.equal(view.buffer, backing.buffer);
    assert.deepEqual(Array.from(view as Int8Array), [-1, 1]);
  });
});
