// Real numbers in and out of quantized tensors, worked by hand.
import assert from 'node:assert/strict';
import { Interpreter } from '../../lib/interpreter/interpreter.js';
import { readValues, writeValues } from '../../lib/interpreter/values.js';
import { ModelBuilder } from '../../lib/model/builder.js';

/** int8[1,6] (scale 0.5, zero point 1) -> DEQUANTIZE -> float32[1,6]. */
function interpreter(): Interpreter {
  const b = new ModelBuilder();
  const x = b.addInput({ name: 'x', shape: [1, 6], dtype: 'int8', quantization: { scale: [0.5], zeroPoint: [1] } });
  const y = b.addTensor({ name: 'y', shape: [1, 6], dtype: 'float32' });
  b.addOperator('DEQUANTIZE', [x], [y]);
  b.addOutput(y);
  const it = new Interpreter(b.build());
  it.allocate();
  return it;
}

describe('interpreter values', function () {
  it('quantizes as round(v / scale) + zero point, halves away from zero, saturating', function () {
    const it = interpreter();
    // 0.25/0.5 = 0.5 -> 1 (+1 = 2); -0.25 -> -0.5 -> -1 (+1 = 0); 1000 -> 2001 -> 127; -1000 -> -128
    writeValues(it.input(0), [0.25, -0.25, 1000, -1000, 0, 1]);
    assert.deepEqual([...(it.input(0).data as Int8Array)], [2, 0, 127, -128, 1, 3]);
    writeValues(it.input(0), [5, -7, 300, 0, 0, 0], false);
    assert.deepEqual([...(it.input(0).data as Int8Array)], [5, -7, 127, 0, 0, 0]);
  });

  it('reads quantized values back as real numbers, or raw', function () {
    const it = interpreter();
    writeValues(it.input(0), [3, 1, -1, 0, 0, 0], false);
    assert.deepEqual(readValues(it.input(0)), [1, 0, -1, -0.5, -0.5, -0.5]);
    assert.deepEqual(readValues(it.input(0), false), [3, 1, -1, 0, 0, 0]);
    it.invoke();
    assert.deepEqual(readValues(it.output(0)), [1, 0, -1, -0.5, -0.5, -0.5]);
  });

  it('refuses the wrong number of values', function () {
    assert.throws(() => writeValues(interpreter().input(0), [1, 2]), /x has shape \[1,6\] = 6 values, got 2/);
  });
});
