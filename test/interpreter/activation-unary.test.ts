// RELU, RELU6, LEAKY_RELU, HARD_SWISH, LOGISTIC, TANH and SOFTMAX on small models built in the test. Expected
// values are worked out by hand (the int16 LOGISTIC/TANH step by step through TFLM's table
// algorithm), or, for the fixed-point LOGISTIC/TANH/SOFTMAX, from the real function rounded to the
// output's quantization, which TFLM's integer algorithms meet within one or two steps.
import assert from 'node:assert/strict';
import { Interpreter } from '../../lib/interpreter/index.js';
import { ModelBuilder, type QuantizationSpec } from '../../lib/model/builder.js';
import { LeakyReluOptionsT, SoftmaxOptionsT } from '../../lib/model/schema/tflite.js';
import type { BuiltinOptionsValue, DType } from '../../lib/model/types.js';

interface UnaryCase {
  op: string;
  dtype: DType;
  shape: number[];
  input?: QuantizationSpec;
  output?: QuantizationSpec;
  options?: BuiltinOptionsValue;
}

function runUnary(spec: UnaryCase, values: ArrayLike<number>): number[] {
  const b = new ModelBuilder();
  const x = b.addInput({ name: 'x', shape: spec.shape, dtype: spec.dtype, quantization: spec.input });
  const y = b.addTensor({ name: 'y', shape: spec.shape, dtype: spec.dtype, quantization: spec.output ?? spec.input });
  b.addOperator(spec.op, [x], [y], spec.options === undefined ? {} : { builtinOptions: spec.options });
  b.addOutput(y);
  const interpreter = new Interpreter(b.build());
  interpreter.allocate();
  interpreter.setInput(0, values);
  interpreter.invoke();
  return Array.from(interpreter.output(0).data as ArrayLike<number>);
}

const q = (scale: number, zeroPoint: number): QuantizationSpec => ({ scale: [scale], zeroPoint: [zeroPoint] });
const ALL_INT8 = Array.from({ length: 256 }, (_, i) => i - 128);

function assertWithin(actual: number[], expected: number[], tolerance: number, what: string): void {
  assert.equal(actual.length, expected.length, what);
  actual.forEach((v, i) => assert.ok(Math.abs(v - expected[i]) <= tolerance, `${what}: element ${i} is ${v}, expected ${expected[i]} ± ${tolerance}`));
}

describe('interpreter: RELU, RELU6, LEAKY_RELU', function () {
  it('float32 RELU and RELU6', function () {
    assert.deepEqual(runUnary({ op: 'RELU', dtype: 'float32', shape: [4] }, [-1, 0, 0.5, 7]), [0, 0, 0.5, 7]);
    assert.deepEqual(runUnary({ op: 'RELU6', dtype: 'float32', shape: [4] }, [-1, 0, 0.5, 7]), [0, 0, 0.5, 6]);
  });

  it('int8 RELU rescales to the output and floors at its zero point', function () {
    // input 0.5 zp -2 -> output 0.25 zp 3: y = 3 + 2 (q + 2), floored at 3, saturated at 127.
    const out = runUnary({ op: 'RELU', dtype: 'int8', shape: [4], input: q(0.5, -2), output: q(0.25, 3) }, [-5, -2, 0, 100]);
    assert.deepEqual(out, [3, 3, 7, 127]);
  });

  it('int16 RELU and RELU6 (zero points 0)', function () {
    // RELU: 0.5 -> 0.25 doubles: [-3, 5, 20000] -> [0, 10, 32767]. RELU6 at scale 0.5: 6 is 12.
    assert.deepEqual(runUnary({ op: 'RELU', dtype: 'int16', shape: [3], input: q(0.5, 0), output: q(0.25, 0) }, [-3, 5, 20000]), [0, 10, 32767]);
    assert.deepEqual(runUnary({ op: 'RELU6', dtype: 'int16', shape: [3], input: q(0.5, 0) }, [-3, 5, 20000]), [0, 5, 12]);
  });

  it('int8 RELU6 clamps to the quantized 0 and 6 of the input', function () {
    // scale 0.1 zp -10: 0 -> -10, 6 -> round(6 / 0.1f) - 10 = 50.
    const out = runUnary({ op: 'RELU6', dtype: 'int8', shape: [6], input: q(0.1, -10) }, [-20, -10, 0, 50, 51, 127]);
    assert.deepEqual(out, [-10, -10, 0, 50, 50, 50]);
  });

  it('float32 LEAKY_RELU', function () {
    const out = runUnary({ op: 'LEAKY_RELU', dtype: 'float32', shape: [3], options: new LeakyReluOptionsT(0.2) }, [-1, 0, 2]);
    assert.deepEqual(out, [Math.fround(-Math.fround(0.2)), 0, 2]);
  });

  it('int8 LEAKY_RELU: identity above zero, alpha below, halves away from zero', function () {
    // scales 0.5 -> 0.5, alpha 0.25: -6 -> -1.5 -> -2; -2 -> -0.5 -> -1; 4 -> 4; 127 -> 127.
    const out = runUnary({ op: 'LEAKY_RELU', dtype: 'int8', shape: [4], input: q(0.5, 0), options: new LeakyReluOptionsT(0.25) }, [-6, -2, 4, 127]);
    assert.deepEqual(out, [-2, -1, 4, 127]);
  });
});

describe('interpreter: HARD_SWISH', function () {
  it('float32: x * min(6, max(0, x + 3)) / 6', function () {
    const out = runUnary({ op: 'HARD_SWISH', dtype: 'float32', shape: [5] }, [-4, -1, 0, 1, 3.5]);
    // -4 * 0 is -0 in IEEE arithmetic, as in C.
    assert.deepEqual(out, [-0, -2 / 6, 0, 4 / 6, 3.5].map(Math.fround));
  });

  it('int8 over every input: within one step of the real function, exact at 0 and for x >= 3', function () {
    // input scale 1/16 zp 0 (about [-8, 8]), output scale 1/16 zp -20.
    const out = runUnary({ op: 'HARD_SWISH', dtype: 'int8', shape: [256], input: q(1 / 16, 0), output: q(1 / 16, -20) }, ALL_INT8);
    const real = (x: number): number => (x * Math.min(6, Math.max(0, x + 3))) / 6;
    const expected = ALL_INT8.map((v) => Math.max(-128, Math.min(127, Math.round(real(v / 16) * 16) - 20)));
    assertWithin(out, expected, 1, 'hard_swish');
    assert.equal(out[128], -20, 'hard_swish(0) is 0');
    assert.equal(out[128 + 64], 64 - 20, 'hard_swish(4) is 4');
  });
});

describe('interpreter: LOGISTIC and TANH', function () {
  it('float32 LOGISTIC, including both cutoffs', function () {
    const inputs = [-10, -1, 0, 1, 20];
    const expected = [Math.exp(-10), 1 / (1 + Math.E), 0.5, 1 / (1 + Math.exp(-1)), 1];
    assertWithin(runUnary({ op: 'LOGISTIC', dtype: 'float32', shape: [5] }, inputs), expected, 1e-7, 'logistic');
  });

  it('float32 TANH', function () {
    const inputs = [-3, -0.5, 0, 0.5, 3];
    assertWithin(runUnary({ op: 'TANH', dtype: 'float32', shape: [5] }, inputs), inputs.map(Math.tanh), 1e-7, 'tanh');
  });

  it('int8 LOGISTIC over every input: round(256 sigmoid(x)) - 128 within one step, exact at 0 and the ends', function () {
    // input scale 1/16 zp 3 covers about [-8.2, 7.8].
    const out = runUnary({ op: 'LOGISTIC', dtype: 'int8', shape: [256], input: q(1 / 16, 3), output: q(1 / 256, -128) }, ALL_INT8);
    const expected = ALL_INT8.map((v) => Math.min(127, Math.round(256 / (1 + Math.exp(-(v - 3) / 16))) - 128));
    assertWithin(out, expected, 1, 'logistic');
    assert.equal(out[3 + 128], 0, 'logistic(0) is 0.5 exactly');
    assert.equal(out[0], -128);
    assert.equal(out[255], 127);
  });

  it('int8 TANH over every input: round(128 tanh(x)) within one step, exact at 0', function () {
    const out = runUnary({ op: 'TANH', dtype: 'int8', shape: [256], input: q(1 / 32, -5), output: q(1 / 128, 0) }, ALL_INT8);
    const expected = ALL_INT8.map((v) => Math.max(-128, Math.min(127, Math.round(128 * Math.tanh((v + 5) / 32)))));
    assertWithin(out, expected, 1, 'tanh');
    assert.equal(out[-5 + 128], 0, 'tanh(0) is 0 exactly');
  });

  // int16 (reference_integer_ops::Logistic / Tanh for int16, prepared as logistic_common.cc /
  // tanh.cc's CalculateArithmeticOpData): t = (q * multiplier + round) >> shift; sigmoid reads
  // sigmoid_table_uint16[|t| >> 9] and interpolates by |t| & 511, tanh uses |t| >> 8 and |t| & 255.
  // Table entries used: [0] 32768, [1] 33451, [24] 47911, [48] 57724, [191] 65513, [192] 65514.
  it('int16 LOGISTIC, input scale 2^-12 (power-of-two case: multiplier 3, no shift)', function () {
    const spec = { op: 'LOGISTIC', dtype: 'int16' as DType, shape: [6], input: q(2 ** -12, 0), output: q(2 ** -15, 0) };
    // 0: t = 0 -> (32768 << 9) + 512 = 16777728 >> 10 = 16384.
    // 4096: t = 12288 = 24 * 512 -> (47911 << 9) + 512 >> 10 = 23956 (32768 sigmoid(1) = 23955.6).
    // -4096: negative side (1 << 25) - (47911 << 9) + 511 = 9024511 >> 10 = 8812.
    // 100: t = 300 -> (32768 << 9) + 300 * (33451 - 32768) + 512 = 16982628 >> 10 = 16584.
    // 32767: t = 98301 = 191 * 512 + 509 -> (65513 << 9) + 509 * 1 + 512 = 33543677 >> 10 = 32757.
    // -32768: t = -98304 = -(192 * 512) -> (1 << 25) - (65514 << 9) + 511 = 11775 >> 10 = 11.
    assert.deepEqual(runUnary(spec, [0, 4096, -4096, 100, 32767, -32768]), [16384, 23956, 8812, 16584, 32757, 11]);
  });

  it('int16 LOGISTIC, input scale 0.001 (general case: multiplier 25165, shift 11)', function () {
    // float32(0.001) * 3 * 4096 = 12.288000584 doubled 11 times = 25165.8 -> 25165, shift 11, round 1024.
    // 1000: (25165000 + 1024) >> 11 = 12288 -> 23956 as above; -1000: -12288 -> 8812.
    // 1: (25165 + 1024) >> 11 = 12 -> (32768 << 9) + 12 * 683 + 512 = 16785924 >> 10 = 16392.
    const spec = { op: 'LOGISTIC', dtype: 'int16' as DType, shape: [4], input: q(0.001, 0), output: q(2 ** -15, 0) };
    assert.deepEqual(runUnary(spec, [1000, -1000, 1, 0]), [23956, 8812, 16392, 16384]);
  });

  it('int16 TANH, input scales 2^-12 (multiplier 3), 2^-11 (multiplier 6) and 0.001 (25165 >> 11)', function () {
    // t = 12288 (1.0 in every case): 12288 >> 8 = 48, fraction 0 -> (57724 << 8) - 2^23 + 128 = 6388864 >> 8 = 24956
    // (32768 tanh(1) = 24956.2); t = -12288: -(57724 << 8) + 2^23 + 127 = -6388609 >> 8 = -24956; t = 0: 128 >> 8 = 0.
    const out = (scale: number, values: number[]): number[] =>
      runUnary({ op: 'TANH', dtype: 'int16', shape: [values.length], input: q(scale, 0), output: q(2 ** -15, 0) }, values);
    assert.deepEqual(out(2 ** -12, [4096, -4096, 0]), [24956, -24956, 0]);
    assert.deepEqual(out(2 ** -11, [2048, -2048, 0]), [24956, -24956, 0]);
    assert.deepEqual(out(0.001, [1000, -1000, 0]), [24956, -24956, 0]);
    // Saturation: |t| >> 8 >= 255 gives 0xffff << 8: (16776960 - 2^23 + 128) >> 8 = 32767, negative -32767.
    assert.deepEqual(out(2 ** -12, [32767, -32768]), [32767, -32767]);
  });

  it('int16 LOGISTIC and TANH within three steps of the real functions over the int16 range', function () {
    // Error budget: the table's linear interpolation (steps of 1/24) and the truncated multiplier.
    const inputs = Array.from({ length: 1024 }, (_, i) => -32768 + i * 64);
    const logistic = runUnary({ op: 'LOGISTIC', dtype: 'int16', shape: [1024], input: q(1 / 3000, 0), output: q(2 ** -15, 0) }, inputs);
    assertWithin(logistic, inputs.map((v) => Math.min(32767, 32768 / (1 + Math.exp(-v / 3000)))), 3, 'logistic int16');
    const tanh = runUnary({ op: 'TANH', dtype: 'int16', shape: [1024], input: q(1 / 3000, 0), output: q(2 ** -15, 0) }, inputs);
    assertWithin(tanh, inputs.map((v) => Math.max(-32767, Math.min(32767, 32768 * Math.tanh(v / 3000)))), 3, 'tanh int16');
  });

  it('int16 LOGISTIC and TANH refuse what TFLM refuses: zero points, an output scale other than 2^-15', function () {
    assert.throws(() => runUnary({ op: 'LOGISTIC', dtype: 'int16', shape: [1], input: q(2 ** -12, 1), output: q(2 ** -15, 0) }, [0]),
      /operator 0 \(LOGISTIC\): int16 input needs zero point 0, got 1/);
    assert.throws(() => runUnary({ op: 'TANH', dtype: 'int16', shape: [1], input: q(2 ** -12, 0), output: q(2 ** -14, 0) }, [0]),
      /operator 0 \(TANH\): int16 output needs scale 2\^-15/);
  });
});

describe('interpreter: SOFTMAX', function () {
  it('float32 over the last dimension with beta', function () {
    // Rows [1, 2, 3] and [0, 0, 0] with beta 0.5.
    const out = runUnary({ op: 'SOFTMAX', dtype: 'float32', shape: [2, 3], options: new SoftmaxOptionsT(0.5) }, [1, 2, 3, 0, 0, 0]);
    const e = [Math.exp(0.5), Math.exp(1), Math.exp(1.5)];
    const sum = e[0] + e[1] + e[2];
    assertWithin(out, [...e.map((v) => v / sum), 1 / 3, 1 / 3, 1 / 3], 1e-6, 'softmax');
  });

  it('int8 -> int8: equal inputs share 1/4 exactly; others within one step of the real softmax', function () {
    // Output scale 1/256 zp -128: a quarter is 64 -> -64.
    const spec = { op: 'SOFTMAX', dtype: 'int8' as DType, shape: [2, 4], input: q(0.1, 0), output: q(1 / 256, -128), options: new SoftmaxOptionsT(1) };
    const out = runUnary(spec, [7, 7, 7, 7, -20, 0, 10, 30]);
    assert.deepEqual(out.slice(0, 4), [-64, -64, -64, -64]);
    const row = [-20, 0, 10, 30].map((v) => Math.exp(v * 0.1));
    const sum = row.reduce((a, b) => a + b, 0);
    assertWithin(out.slice(4), row.map((v) => Math.min(127, Math.round((256 * v) / sum) - 128)), 1, 'softmax row 2');
  });

  it('int16 (interpolated tables): within two steps of the real softmax', function () {
    const spec = { op: 'SOFTMAX', dtype: 'int16' as DType, shape: [2, 4], input: q(1 / 1024, 0), output: q(1 / 32768, 0), options: new SoftmaxOptionsT(1) };
    const inputs = [0, 0, 0, 0, -4000, -1000, 0, 1500];
    const out = runUnary(spec, inputs);
    const expected: number[] = [];
    for (const row of [inputs.slice(0, 4), inputs.slice(4)]) {
      const e = row.map((v) => Math.exp(v / 1024));
      const sum = e.reduce((a, b) => a + b, 0);
      expected.push(...e.map((v) => Math.min(32767, Math.round((32768 * v) / sum))));
    }
    assertWithin(out, expected, 2, 'softmax int16');
  });

  it('int16, equal inputs: exact values stepped through SoftmaxInt16 and the gen_lut tables', function () {
    // Every difference is 0: scaled 0 + 32767 reads the exp table at index 256 + (32767 >> 7) = 511,
    // offset 127. gen_lut(exp, -10, 0) entry 511 at x = -0.01953125: round(32768 exp(x)) = 32134, less
    // the midpoint bias round((round((32768 + 32134) / 2) - round(32768 exp(-0.009765625))) / 2) =
    // round((32451 - 32450) / 2) = 1: 32133; entry 512 = 32768 -> 32767. exp = 32133 + ((634 * 127 + 64) >> 7) = 32762.
    // 1 / (1 + x) table entries 511 and 512: round(32768 / 1.998046875) = 16400 (bias 0) and 16384.
    // Depth n: sum = 32762n; headroom h = clz32(sum); ((sum << (h - 1)) + 2^13) >> 14 = 131048 for n = 1, 2, 4,
    // so x = 131048 - 98304 = 32744 (index 511, offset 104): 1 / sum = 16400 + ((-16 * 104 + 64) >> 7) = 16387.
    // Output (32762 * 16387 + 2^(30 - h)) >> (31 - h): n = 1 (h 17): 32768 -> 32767; n = 2 (h 16): 16384;
    // n = 4 (h 15): 8192.
    const out = (depth: number, values: number[]): number[] =>
      runUnary({ op: 'SOFTMAX', dtype: 'int16', shape: [values.length / depth, depth], input: q(1 / 1024, 0), output: q(1 / 32768, 0), options: new SoftmaxOptionsT(1) }, values);
    assert.deepEqual(out(1, [123, -5]), [32767, 32767]);
    assert.deepEqual(out(2, [5, 5, -300, -300]), [16384, 16384, 16384, 16384]);
    assert.deepEqual(out(4, [7, 7, 7, 7]), [8192, 8192, 8192, 8192]);
  });

  it('int8 -> int16: a quarter is 16384 - 32768', function () {
    const b = new ModelBuilder();
    const x = b.addInput({ name: 'x', shape: [1, 4], dtype: 'int8', quantization: q(0.1, 0) });
    const y = b.addTensor({ name: 'y', shape: [1, 4], dtype: 'int16', quantization: q(1 / 65536, -32768) });
    b.addOperator('SOFTMAX', [x], [y], { builtinOptions: new SoftmaxOptionsT(1) });
    b.addOutput(y);
    const interpreter = new Interpreter(b.build());
    interpreter.allocate();
    interpreter.setInput(0, [3, 3, 3, 3]);
    interpreter.invoke();
    assert.deepEqual(Array.from(interpreter.output(0).data as Int16Array), [-16384, -16384, -16384, -16384]);
  });
});
