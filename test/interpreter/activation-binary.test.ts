// ADD, SUB and MUL on small models built in the test, expected outputs worked out by hand, and
// the golden simple_add_model (int8 ADD, 128x128) against TFLM's output.
import assert from 'node:assert/strict';
import { Interpreter } from '../../lib/interpreter/index.js';
import { ModelBuilder, type QuantizationSpec } from '../../lib/model/builder.js';
import { ActivationFunctionType, AddOptionsT, MulOptionsT, SubOptionsT } from '../../lib/model/schema/tflite.js';
import type { DType } from '../../lib/model/types.js';
import { expectedOutputs, goldenModel, readGolden, runCase } from './golden.js';

type Op = 'ADD' | 'SUB' | 'MUL';

interface Side {
  shape: number[];
  quantization?: QuantizationSpec;
}

function optionsFor(op: Op, activation: ActivationFunctionType): AddOptionsT | SubOptionsT | MulOptionsT {
  if (op === 'ADD') return new AddOptionsT(activation, false);
  if (op === 'SUB') return new SubOptionsT(activation, false);
  return new MulOptionsT(activation);
}

/** One binary op on two graph inputs; returns the output after one invoke. */
function runBinary(
  op: Op, dtype: DType, sides: [Side, Side, Side], values: ReadonlyArray<ArrayLike<number>>,
  activation = ActivationFunctionType.NONE,
): number[] {
  const b = new ModelBuilder();
  const x1 = b.addInput({ name: 'x1', shape: sides[0].shape, dtype, quantization: sides[0].quantization });
  const x2 = b.addInput({ name: 'x2', shape: sides[1].shape, dtype, quantization: sides[1].quantization });
  const y = b.addTensor({ name: 'y', shape: sides[2].shape, dtype, quantization: sides[2].quantization });
  b.addOperator(op, [x1, x2], [y], { builtinOptions: optionsFor(op, activation) });
  b.addOutput(y);
  const interpreter = new Interpreter(b.build());
  interpreter.allocate();
  interpreter.setInput(0, values[0]);
  interpreter.setInput(1, values[1]);
  interpreter.invoke();
  return Array.from(interpreter.output(0).data as ArrayLike<number>);
}

const q = (scale: number, zeroPoint: number): QuantizationSpec => ({ scale: [scale], zeroPoint: [zeroPoint] });

describe('interpreter: ADD', function () {
  it('float32 broadcasts [2, 1] with [1, 3] to [2, 3] and applies RELU6', function () {
    // rows 1 and 10 plus columns -2, 0, 3: [-1, 1, 4, 8, 10, 13], clamped to [0, 6].
    const out = runBinary('ADD', 'float32', [{ shape: [2, 1] }, { shape: [1, 3] }, { shape: [2, 3] }],
      [[1, 10], [-2, 0, 3]], ActivationFunctionType.RELU6);
    assert.deepEqual(Array.from(out), [0, 1, 4, 6, 6, 6]);
  });

  it('float32 adds a scalar to a 5-D tensor', function () {
    const out = runBinary('ADD', 'float32', [{ shape: [1, 2, 1, 1, 2] }, { shape: [] }, { shape: [1, 2, 1, 1, 2] }],
      [[0.5, 1, 1.5, 2], [0.25]]);
    assert.deepEqual(Array.from(out), [0.75, 1.25, 1.75, 2.25]);
  });

  it('int8: rescales through the 20-bit left shift, rounds half away from zero, saturates, clamps RELU', function () {
    // scales 0.5 / 0.25 (zp 1) -> output 0.5 zp -1. twice max = 1: input multipliers 0.5 and 0.25,
    // output multiplier 2^-19. [4 + 5]: (4 << 20) / 2 + (4 << 20) / 4 = 3 * 2^20 -> 6, -1 = 5.
    // [1 + 2]: 2^19 + 2^18 -> 1.5 -> 2, -1 = 1. [-1 + 0]: -(2^19 + 2^18) -> -2, -1 = -3.
    // [127 + 127]: 63.5 + 31.5 = 95 -> 190 - 1 = 189 -> 127.
    const sides: [Side, Side, Side] = [{ shape: [4], quantization: q(0.5, 0) }, { shape: [4], quantization: q(0.25, 1) }, { shape: [4], quantization: q(0.5, -1) }];
    assert.deepEqual(Array.from(runBinary('ADD', 'int8', sides, [[4, 1, -1, 127], [5, 2, 0, 127]])), [5, 1, -3, 127]);
    // RELU's floor is the output zero point -1.
    assert.deepEqual(Array.from(runBinary('ADD', 'int8', sides, [[4, 1, -1, 127], [5, 2, 0, 127]], ActivationFunctionType.RELU)), [5, 1, -1, 127]);
  });

  it('int16: 15-bit left shift', function () {
    // scales 0.5, 0.5 -> 1: multipliers 0.5, 0.5 and 2^-15. 1.5 + 2 = 3.5 -> 4; -1.5 + 0 -> -2;
    // 16383.5 + 1 = 16384.5 -> 16385.
    const sides: [Side, Side, Side] = [{ shape: [3], quantization: q(0.5, 0) }, { shape: [3], quantization: q(0.5, 0) }, { shape: [3], quantization: q(1, 0) }];
    assert.deepEqual(Array.from(runBinary('ADD', 'int16', sides, [[3, -3, 32767], [4, 0, 2]])), [4, -2, 16385]);
  });

  it('int32 wraps as C does', function () {
    const out = runBinary('ADD', 'int32', [{ shape: [2] }, { shape: [2] }, { shape: [2] }], [[2147483647, -5], [1, 3]]);
    assert.deepEqual(Array.from(out), [-2147483648, -2]);
  });

  it('refuses inputs that do not broadcast to the output', function () {
    assert.throws(() => runBinary('ADD', 'float32', [{ shape: [2, 3] }, { shape: [2] }, { shape: [2, 3] }], [[0, 0, 0, 0, 0, 0], [0, 0]]),
      /operator 0 \(ADD\): inputs \[2, 3\] and \[2\] do not broadcast/);
  });

  it('golden simple_add_model (int8 [1, 128, 128, 1]) byte-equal to TFLM', function () {
    const golden = readGolden('simple_add_model');
    const model = goldenModel(golden);
    for (const testCase of golden.cases) {
      const produced = runCase(model, testCase);
      const expected = expectedOutputs(testCase);
      produced.forEach((out, k) => assert.deepEqual(Array.from(out), Array.from(expected[k]), `${testCase.case} output ${k}`));
    }
  });
});

describe('interpreter: SUB', function () {
  it('float32 broadcasts a row and applies RELU', function () {
    const out = runBinary('SUB', 'float32', [{ shape: [2, 2] }, { shape: [2] }, { shape: [2, 2] }],
      [[1, 2, 3, 4], [2, 2]], ActivationFunctionType.RELU);
    assert.deepEqual(Array.from(out), [0, 0, 1, 2]);
  });

  it('int8: differences on the common scale, halves away from zero', function () {
    // As the ADD case: [1 - 2]: 2^19 - 2^18 -> 0.5 -> 1, -1 = 0. [-1 - 0]: -2^19 + 2^18 -> -1, -1 = -2.
    // [4 - 5]: 2^21 - 2^20 -> 2, -1 = 1. [-128 - 127]: -64 - 31.5 = -95.5 -> -191 - 1 -> -128.
    const sides: [Side, Side, Side] = [{ shape: [4], quantization: q(0.5, 0) }, { shape: [4], quantization: q(0.25, 1) }, { shape: [4], quantization: q(0.5, -1) }];
    assert.deepEqual(Array.from(runBinary('SUB', 'int8', sides, [[1, -1, 4, -128], [2, 0, 5, 127]])), [0, -2, 1, -128]);
  });

  it('int32 honours the fused activation', function () {
    const out = runBinary('SUB', 'int32', [{ shape: [3] }, { shape: [1] }, { shape: [3] }], [[1, 7, 10], [5]], ActivationFunctionType.RELU6);
    assert.deepEqual(Array.from(out), [0, 2, 5]);
  });
});

describe('interpreter: MUL', function () {
  it('float32 by a scalar with RELU', function () {
    const out = runBinary('MUL', 'float32', [{ shape: [3] }, { shape: [1] }, { shape: [3] }], [[1.5, -2, 0.25], [4]], ActivationFunctionType.RELU);
    assert.deepEqual(Array.from(out), [6, 0, 1]);
  });

  it('int8: (q1 - zp1) * q2 rescaled by 0.5, halves rounded up, saturated', function () {
    // scales 0.5 (zp 1) x 0.5 -> 0.5: multiplier 0.5 (2^30, shift 0), applied by the rounding doubling
    // high multiply alone, which rounds halves up: [4, 3]: 9 -> 4.5 -> 5. [0, 3]: -3 -> -1.5 -> -1.
    // [127, 127]: 126 * 127 / 2 = 8001 -> 127.
    const sides: [Side, Side, Side] = [{ shape: [3], quantization: q(0.5, 1) }, { shape: [3], quantization: q(0.5, 0) }, { shape: [3], quantization: q(0.5, 0) }];
    assert.deepEqual(Array.from(runBinary('MUL', 'int8', sides, [[4, 0, 127], [3, 3, 127]])), [5, -1, 127]);
  });

  it('int16 broadcasts [2, 1] x [2] (scales 2^-8)', function () {
    // multiplier 2^-8: 512 * 384 / 256 = 768; 512 * -3 / 256 = -6; 32767 * 384 / 256 -> 32767;
    // 32767 * -3 / 256 = -383.99 -> -384.
    const sides: [Side, Side, Side] = [
      { shape: [2, 1], quantization: q(1 / 256, 0) }, { shape: [2], quantization: q(1 / 256, 0) }, { shape: [2, 2], quantization: q(1 / 256, 0) },
    ];
    assert.deepEqual(Array.from(runBinary('MUL', 'int16', sides, [[512, 32767], [384, -3]])), [768, -6, 32767, -384]);
  });
});
