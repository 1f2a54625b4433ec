// QUANTIZE and DEQUANTIZE on one-op models, expected values worked out by hand.
import assert from 'node:assert/strict';
import { Interpreter } from '../../lib/interpreter/index.js';
import { ModelBuilder } from '../../lib/model/builder.js';
import type { DType } from '../../lib/model/types.js';

function oneOp(op: string, from: DType, to: DType, count: number, scale: number, zeroPoint: number): Interpreter {
  const b = new ModelBuilder();
  const q = { scale: [scale], zeroPoint: [zeroPoint] };
  const x = b.addInput({ name: 'x', shape: [count], dtype: from, quantization: from === 'float32' ? null : q });
  const y = b.addTensor({ name: 'y', shape: [count], dtype: to, quantization: to === 'float32' ? null : q });
  b.addOperator(op, [x], [y]);
  b.addOutput(y);
  const it = new Interpreter(b.build());
  it.allocate();
  return it;
}

describe('interpreter: QUANTIZE and DEQUANTIZE', function () {
  it('QUANTIZE float32 -> int8 rounds half away from zero, adds the zero point and saturates', function () {
    // scale 0.5, zero point -3: x / 0.5 = [0, 0.5, -0.5, 1.5, 200, -200, 2.2]
    // -> [0, 1, -1, 2, 200, -200, 2] - 3 -> clamp to int8.
    const it = oneOp('QUANTIZE', 'float32', 'int8', 7, 0.5, -3);
    it.setInput(0, new Float32Array([0, 0.25, -0.25, 0.75, 100, -100, 1.1]));
    it.invoke();
    assert.deepEqual(Array.from(it.output(0).data as Int8Array), [-3, -2, -4, -1, 127, -128, -1]);
  });

  it('QUANTIZE float32 -> int16', function () {
    // scale 0.25: 1000.1 -> 4000.4 -> 4000; -9000 -> -36000 -> -32768; 0.125 -> 0.5 -> 1.
    const it = oneOp('QUANTIZE', 'float32', 'int16', 3, 0.25, 0);
    it.setInput(0, new Float32Array([1000.1, -9000, 0.125]));
    it.invoke();
    assert.deepEqual(Array.from(it.output(0).data as Int16Array), [4000, -32768, 1]);
  });

  it('DEQUANTIZE int8 and int16 -> float32', function () {
    const int8 = oneOp('DEQUANTIZE', 'int8', 'float32', 4, 0.5, -3);
    int8.setInput(0, new Int8Array([-3, -2, 127, -128]));
    int8.invoke();
    assert.deepEqual(Array.from(int8.output(0).data as Float32Array), [0, 0.5, 65, -62.5]);
    const int16 = oneOp('DEQUANTIZE', 'int16', 'float32', 2, 0.25, 0);
    int16.setInput(0, new Int16Array([4000, -32768]));
    int16.invoke();
    assert.deepEqual(Array.from(int16.output(0).data as Float32Array), [1000, -8192]);
  });

  it('refuses a QUANTIZE to an unsupported dtype in prepare', function () {
    assert.throws(() => oneOp('QUANTIZE', 'float32', 'int32', 1, 1, 0), /subgraph 0, operator 0 \(QUANTIZE\): float32 input to int32 output is not supported/);
  });
});
