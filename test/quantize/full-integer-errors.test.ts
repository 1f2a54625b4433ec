// Inputs full-integer quantization refuses, each with an error that names the cause.
import assert from 'node:assert/strict';
import { ModelBuilder } from '../../lib/model/builder.js';
import { loadModel } from '../../lib/model/read.js';
import { quantizeFullInteger } from '../../lib/quantize/full-integer.js';
import type { QuantizeOptions, Sample } from '../../lib/quantize/types.js';
import { goldenSamples, kerasModel } from './support.js';

const floatSine = (): ReturnType<typeof loadModel> => loadModel(kerasModel('sine_mlp', 'float'));
const oneSample: Sample[] = [[Float32Array.of(1)]];

function refuses(options: QuantizeOptions, pattern: RegExp, model = floatSine()): void {
  assert.throws(() => quantizeFullInteger(model, options), pattern);
}

describe('quantize: full-integer refuses bad input with a clear error', () => {
  it('an already-quantized model (TF\'s own int8 sine_mlp), naming a quantized tensor', () => {
    refuses({ mode: 'int8', representative: oneSample }, /already quantized: tensor \d+ \('[^']+'\) is int8/, loadModel(kerasModel('sine_mlp', 'int8')));
  });

  it('no representative samples (absent or empty)', () => {
    refuses({ mode: 'int8' }, /representative data: no samples/);
    refuses({ mode: 'int16x8', representative: [] }, /representative data: no samples/);
  });

  it('samples of the wrong shape: wrong element count, wrong number of input arrays', () => {
    refuses({ mode: 'int8', representative: [[Float32Array.of(1, 2)]] }, /sample 0, input 0 \('serving_default_keras_tensor:0', shape \[1, 1\]\) needs 1 values, got 2/);
    refuses({ mode: 'int8', representative: [...oneSample, [Float32Array.of(1), Float32Array.of(2)]] }, /sample 1 has 2 input arrays, the model has 1 inputs/);
    const kwsSamples = goldenSamples('kws_dscnn_tiny', 'representative').slice(0, 1);
    refuses({ mode: 'int8', representative: kwsSamples }, /needs 1 values, got 490/);
  });

  it('NaN or Infinity in a sample, naming sample, input and element', () => {
    refuses({ mode: 'int8', representative: [...oneSample, [Float32Array.of(Number.NaN)]] }, /sample 1, input 0, element 0 is NaN/);
    refuses({ mode: 'int8', representative: [[Float32Array.of(Number.POSITIVE_INFINITY)]] }, /sample 0, input 0, element 0 is Infinity/);
  });

  it('an op we cannot quantize, naming the op and its index', () => {
    const b = new ModelBuilder();
    const x = b.addInput({ name: 'x', shape: [1, 4], dtype: 'float32' });
    const r = b.addTensor({ name: 'relu', shape: [1, 4], dtype: 'float32' });
    b.addOperator('RELU', [x], [r]);
    const y = b.addTensor({ name: 'exp', shape: [1, 4], dtype: 'float32' });
    b.addOperator('EXP', [r], [y]);
    b.addOutput(y);
    refuses({ mode: 'int8', representative: [[Float32Array.of(1, 2, 3, 4)]] }, /subgraph 0, operator 1 \(EXP\): int8 quantization of this op is not supported/, b.build());
  });

  it('an op TFLM has no int16 kernel for in int16x8 mode', () => {
    const b = new ModelBuilder();
    const x = b.addInput({ name: 'x', shape: [1, 4], dtype: 'float32' });
    const y = b.addTensor({ name: 'l2', shape: [1, 4], dtype: 'float32' });
    b.addOperator('L2_NORMALIZATION', [x], [y]);
    b.addOutput(y);
    refuses({ mode: 'int16x8', representative: [[Float32Array.of(1, 2, 3, 4)]] }, /operator 0 \(L2_NORMALIZATION\): int16x8 quantization of this op is not supported/, b.build());
  });

  it('an I/O type the mode cannot have, and a mode that is not full-integer', () => {
    refuses({ mode: 'int8', representative: oneSample, inputType: 'int16' }, /input type int16 is not available for int8 models/);
    refuses({ mode: 'int16x8', representative: oneSample, outputType: 'uint8' }, /output type uint8 is not available for int16x8 models/);
    refuses({ mode: 'dynamic', representative: oneSample }, /mode 'dynamic' is not full-integer/);
  });
});
