// The builtin ops the audio preprocessors add to the Signal ops: CAST, DIV, MINIMUM, MAXIMUM, on
// small models built here. Expected values follow TFLM's kernels: cast.cc is a static_cast per
// element (integer to integer wraps mod 2^bits; float to integer truncates, and its undefined
// out-of-range cases are given as x86-64 GCC computes them); reference div.h divides with C's
// '/' (truncation toward zero); maximum_minimum.cc picks el1 > el2 ? el1 : el2 (el1 < el2 for min).
import assert from 'node:assert/strict';
import { Interpreter } from '../../lib/interpreter/index.js';
import { ModelBuilder } from '../../lib/model/builder.js';
import { ActivationFunctionType, DivOptionsT } from '../../lib/model/schema/tflite.js';
import type { BuiltinOptionsValue, DType } from '../../lib/model/types.js';

function cast(from: DType, to: DType, values: number[]): number[] {
  const b = new ModelBuilder();
  const x = b.addInput({ name: 'x', shape: [values.length], dtype: from });
  const y = b.addTensor({ name: 'y', shape: [values.length], dtype: to });
  b.addOperator('CAST', [x], [y]);
  b.addOutput(y);
  const it = new Interpreter(b.build());
  it.allocate();
  it.setInput(0, values);
  it.invoke();
  return Array.from(it.output(0).data as ArrayLike<number>);
}

/** A two-input op whose second operand is a constant of the given shape. */
function binary(op: string, dtype: DType, a: { shape: number[]; values: number[] }, b: { shape: number[]; values: number[] }, outShape: number[], options?: BuiltinOptionsValue): number[] {
  const m = new ModelBuilder();
  const x = m.addInput({ name: 'x', shape: a.shape, dtype });
  const data = dtype === 'float32' ? new Float32Array(b.values) : dtype === 'int32' ? new Int32Array(b.values) : new Int8Array(b.values);
  const c = m.addConstant({ name: 'c', shape: b.shape, dtype, data });
  const y = m.addTensor({ name: 'y', shape: outShape, dtype });
  m.addOperator(op, [x, c], [y], { builtinOptions: options ?? null });
  m.addOutput(y);
  const it = new Interpreter(m.build());
  it.allocate();
  it.setInput(0, a.values);
  it.invoke();
  return Array.from(it.output(0).data as ArrayLike<number>);
}

describe('interpreter: CAST, DIV, MINIMUM, MAXIMUM', function () {
  describe('CAST', function () {
    it('between integer types the value wraps (static_cast)', function () {
      assert.deepEqual(cast('uint32', 'int32', [0, 1, 2 ** 31, 2 ** 32 - 1]), [0, 1, -(2 ** 31), -1]);
      assert.deepEqual(cast('int32', 'uint32', [-1, -(2 ** 31), 5]), [2 ** 32 - 1, 2 ** 31, 5]);
      // 128 -> -128, -129 -> 127, 300 = 256 + 44 -> 44.
      assert.deepEqual(cast('int32', 'int8', [127, 128, -129, 300, -1]), [127, -128, 127, 44, -1]);
      assert.deepEqual(cast('int16', 'int32', [-32768, 32767]), [-32768, 32767]);
      assert.deepEqual(cast('int8', 'uint32', [-1]), [2 ** 32 - 1]);
      assert.deepEqual(cast('bool', 'int32', [0, 1]), [0, 1]);
    });

    it('to float32 rounds to nearest even', function () {
      assert.deepEqual(cast('int16', 'float32', [-32768, 7]), [-32768, 7]);
      // 2^24 + 1 lies halfway between 2^24 and 2^24 + 2: even mantissa 2^24; 2^31 - 1 rounds up to 2^31.
      assert.deepEqual(cast('int32', 'float32', [2 ** 24 + 1, 2 ** 31 - 1]), [2 ** 24, 2 ** 31]);
    });

    it('float32 to integers truncates toward zero; out of range as x86-64 GCC gives it', function () {
      // cvttss2si: NaN and values beyond int32 give 0x80000000.
      assert.deepEqual(cast('float32', 'int32', [1.9, -1.9, 2.5, -0.5, 3e9, Number.NaN]), [1, -1, 2, 0, -(2 ** 31), -(2 ** 31)]);
      // Through int32 then the low byte: 200 -> -56; 3e9 -> 0x80000000 -> 0.
      assert.deepEqual(cast('float32', 'int8', [1.9, 200.7, -3e9]), [1, -56, 0]);
      // Through a 64-bit conversion, the low word: -1 -> 2^32 - 1; 1e20 (beyond int64) -> 0.
      assert.deepEqual(cast('float32', 'uint32', [3e9, -1, 1e20]), [3000000000, 2 ** 32 - 1, 0]);
    });

    it('refuses output types TFLM\'s cast does not write', function () {
      assert.throws(() => cast('int32', 'int64', [1]), /\(CAST\): output dtype int64 is not supported/);
    });
  });

  describe('DIV', function () {
    it('int32 truncates toward zero; a zero divisor gives 0; INT32_MIN / -1 wraps', function () {
      assert.deepEqual(binary('DIV', 'int32', { shape: [7], values: [7, -7, 7, -7, 0, 5, -(2 ** 31)] }, { shape: [7], values: [2, 2, -2, -2, 3, 0, -1] }, [7]),
        [3, -3, -3, 3, 0, 0, -(2 ** 31)]);
    });

    it('broadcasts ([2, 3] by [3]) and clamps to the fused activation', function () {
      // [[10, 20, 30], [40, 50, 60]] / [3, 4, 5] = [[3, 5, 6], [13, 12, 12]].
      assert.deepEqual(binary('DIV', 'int32', { shape: [2, 3], values: [10, 20, 30, 40, 50, 60] }, { shape: [3], values: [3, 4, 5] }, [2, 3]), [3, 5, 6, 13, 12, 12]);
      // RELU6: 10 -> 6, -10 -> 0.
      assert.deepEqual(binary('DIV', 'int32', { shape: [2], values: [100, -100] }, { shape: [], values: [10] }, [2], new DivOptionsT(ActivationFunctionType.RELU6)), [6, 0]);
    });

    it('float32 gives the rounded float quotient', function () {
      assert.deepEqual(binary('DIV', 'float32', { shape: [3], values: [1, -1, 1] }, { shape: [3], values: [3, 0, 0.1] }, [3]),
        [Math.fround(1 / 3), -Infinity, Math.fround(1 / Math.fround(0.1))]);
    });
  });

  describe('MINIMUM and MAXIMUM', function () {
    it('clip int32 against a scalar, as the int8 audio preprocessor does', function () {
      assert.deepEqual(binary('MINIMUM', 'int32', { shape: [4], values: [-500, -5, 127, 300] }, { shape: [], values: [127] }, [4]), [-500, -5, 127, 127]);
      assert.deepEqual(binary('MAXIMUM', 'int32', { shape: [4], values: [-500, -5, 127, 300] }, { shape: [], values: [-128] }, [4]), [-128, -5, 127, 300]);
    });

    it('broadcast [2, 1] against [1, 3]', function () {
      // rows 1, 5 against columns 0, 3, 6.
      assert.deepEqual(binary('MAXIMUM', 'int8', { shape: [2, 1], values: [1, 5] }, { shape: [1, 3], values: [0, 3, 6] }, [2, 3]), [1, 3, 6, 5, 5, 6]);
      assert.deepEqual(binary('MINIMUM', 'int8', { shape: [2, 1], values: [1, 5] }, { shape: [1, 3], values: [0, 3, 6] }, [2, 3]), [0, 1, 1, 0, 3, 5]);
    });

    it('float32: a NaN second operand wins, a NaN first operand loses', function () {
      // NaN > 1 and 1 > NaN are both false, so el2 is taken either way.
      assert.deepEqual(binary('MAXIMUM', 'float32', { shape: [2], values: [Number.NaN, 1] }, { shape: [2], values: [1, Number.NaN] }, [2]), [1, Number.NaN]);
      assert.deepEqual(binary('MINIMUM', 'float32', { shape: [2], values: [Number.NaN, 1] }, { shape: [2], values: [1, Number.NaN] }, [2]), [1, Number.NaN]);
    });
  });
});
