// Frames and the goldens' seeded inputs (../shared/golden/README.md gives the generator and its
// check values: seed 42 int8 bytes 124,-118,-64,-83,-118,-45,20,1; seed 1 first float32 0.254147887).
import assert from 'node:assert/strict';
import { Interpreter } from '../../lib/interpreter/interpreter.js';
import { decodeFrame, encodeValues, runFrames, seededInputs } from '../../lib/interpreter/frames.js';
import { ModelBuilder } from '../../lib/model/builder.js';

/** int8[1,8] (scale 0.5, zero point 1) -> DEQUANTIZE -> float32[1,8]. */
function dequantizeModel(): Interpreter {
  const b = new ModelBuilder();
  const x = b.addInput({ name: 'x', shape: [1, 8], dtype: 'int8', quantization: { scale: [0.5], zeroPoint: [1] } });
  const y = b.addTensor({ name: 'y', shape: [1, 8], dtype: 'float32' });
  b.addOperator('DEQUANTIZE', [x], [y]);
  b.addOutput(y);
  const it = new Interpreter(b.build());
  it.allocate();
  return it;
}

/** float32[1,2] -> QUANTIZE -> int8[1,2] (scale 1/64, zero point 0). */
function quantizeModel(): Interpreter {
  const b = new ModelBuilder();
  const x = b.addInput({ name: 'x', shape: [1, 2], dtype: 'float32' });
  const y = b.addTensor({ name: 'y', shape: [1, 2], dtype: 'int8', quantization: { scale: [1 / 64], zeroPoint: [0] } });
  b.addOperator('QUANTIZE', [x], [y]);
  b.addOutput(y);
  const it = new Interpreter(b.build());
  it.allocate();
  return it;
}

describe('interpreter frames', function () {
  it('makes the golden README\'s seeded int8 bytes for seed 42', function () {
    const [bytes] = seededInputs(dequantizeModel(), 42);
    assert.deepEqual([...new Int8Array(bytes.buffer, bytes.byteOffset, 8)], [124, -118, -64, -83, -118, -45, 20, 1]);
  });

  it('makes the golden README\'s first seeded float32 for seed 1', function () {
    const [bytes] = seededInputs(quantizeModel(), 1);
    const first = new DataView(bytes.buffer, bytes.byteOffset).getFloat32(0, true);
    assert.ok(Math.abs(first - 0.254147887) < 1e-8, String(first));
  });

  it('fills frame after frame from one generator', function () {
    const [one] = seededInputs(dequantizeModel(), 42, 1);
    const [three] = seededInputs(dequantizeModel(), 42, 3);
    assert.equal(three.length, 24);
    assert.deepEqual(three.subarray(0, 8), one);
    assert.notDeepEqual(three.subarray(8, 16), one);
  });

  it('runs K frames and collects K outputs back to back', function () {
    const it = dequantizeModel();
    // (q - 1) * 0.5, worked by hand for q = 1, 3, -1 and 127.
    const frames = encodeValues(it.input(0), [1, 3, -1, 127, 1, 1, 1, 1, 3, 3, 3, 3, 3, 3, 3, 3]);
    const { frames: n, outputs } = runFrames(it, [frames]);
    assert.equal(n, 2);
    assert.deepEqual(decodeFrame(it.output(0), outputs[0], 0), [0, 1, -1, 63, 0, 0, 0, 0]);
    assert.deepEqual(decodeFrame(it.output(0), outputs[0], 1), [1, 1, 1, 1, 1, 1, 1, 1]);
  });

  it('refuses bytes that are not whole frames and a wrong number of inputs', function () {
    const it = dequantizeModel();
    assert.throws(() => runFrames(it, [new Uint8Array(12)]), /input 0 \(x, int8\[1,8\], 8 bytes a frame\): 12 bytes is not a whole number of frames/);
    assert.throws(() => runFrames(it, []), /the model has 1 input\(s\), got 0/);
  });
});
