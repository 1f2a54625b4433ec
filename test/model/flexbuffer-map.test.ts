// FlexbufferMap: custom operator options read from FlexBuffer maps, on bytes laid out by hand
// from the FlexBuffers format, on maps written by the flatbuffers package's FlexBuffer builder,
// and on the options of the micro_speech audio preprocessor's Signal ops, whose keys TFLM's
// kernels index by position in key order (the kXxxIndex constants of signal/micro/kernels/*.cc).
import assert from 'node:assert/strict';
import { encode } from 'flatbuffers/js/flexbuffers.js';
import { CustomOptionsError, FlexbufferMap } from '../../lib/model/flexbuffer-map.js';
import { loadModel } from '../../lib/model/read.js';
import { readShared } from '../interpreter/golden.js';

/**
 * A one-entry map with 1-byte widths: key "x\0" at 0; the keys vector (length 1 at 2, then the
 * key's offset back from 3 to 0 = 3); the map (keys vector offset back from 4 to 3 = 1, keys
 * byte width 1, length 1 at 6, the value at 7, its packed type at 8); the root (offset back from 9
 * to the map's values at 7 = 2, root type MAP = 9 << 2 = 0x24, root byte width 1).
 */
function oneEntryMap(key: string, value: number, packedType: number): Uint8Array {
  return new Uint8Array([key.charCodeAt(0), 0x00, 0x01, 0x03, 0x01, 0x01, 0x01, value, packedType, 0x02, 0x24, 0x01]);
}

const INT_8BIT = 1 << 2; // ValueType INT, width 8 bits
const BOOL_8BIT = 26 << 2; // ValueType BOOL

function throwsOptionsError(fn: () => unknown, pattern: RegExp): void {
  assert.throws(fn, (err: unknown) => err instanceof CustomOptionsError && pattern.test(err.message));
}

describe('model: FlexbufferMap (custom options)', function () {
  it('reads a hand-laid map {"a": 1}', function () {
    const map = FlexbufferMap.parse(oneEntryMap('a', 1, INT_8BIT));
    assert.deepEqual(map.keys, ['a']);
    assert.equal(map.int('a'), 1);
    assert.equal(map.has('a'), true);
    assert.equal(map.has('b'), false);
  });

  it('reads a hand-laid bool, and an int as a bool when asked (non-zero is true)', function () {
    assert.equal(FlexbufferMap.parse(oneEntryMap('b', 1, BOOL_8BIT)).bool('b'), true);
    assert.equal(FlexbufferMap.parse(oneEntryMap('b', 0, BOOL_8BIT)).bool('b'), false);
    assert.equal(FlexbufferMap.parse(oneEntryMap('n', 5, INT_8BIT)).bool('n'), true);
  });

  it('reads ints of every width and sign, bools and floats written by the FlexBuffer builder', function () {
    const map = FlexbufferMap.parse(encode({ small: 12, negative: -5, wide: 70000, flag: true, off: false, ratio: 1.5 }));
    assert.deepEqual(map.keys, ['flag', 'negative', 'off', 'ratio', 'small', 'wide']);
    assert.deepEqual([map.int('small'), map.int('negative'), map.int('wide')], [12, -5, 70000]);
    assert.deepEqual([map.bool('flag'), map.bool('off')], [true, false]);
    assert.equal(map.float('ratio'), 1.5);
    assert.equal(map.float('small'), 12);
    // 2^31 needs 8-byte slots for the whole map: every value, the float too, is read at that width.
    const wide = FlexbufferMap.parse(encode({ big: 2 ** 31, minus: -(2 ** 31) - 1, ratio: 0.1, yes: true }));
    assert.deepEqual([wide.int('big'), wide.int('minus'), wide.float('ratio'), wide.bool('yes')], [2 ** 31, -(2 ** 31) - 1, 0.1, true]);
  });

  it('names a missing option and the keys that are there', function () {
    const map = FlexbufferMap.parse(encode({ shift: 12 }));
    throwsOptionsError(() => map.int('fft_length'), /^option 'fft_length' is missing \(present: shift\)$/);
  });

  it('refuses a value of the wrong kind', function () {
    const map = FlexbufferMap.parse(encode({ name: 'x', ratio: 0.5 }));
    throwsOptionsError(() => map.int('name'), /'name' is not an integer/);
    throwsOptionsError(() => map.int('ratio'), /'ratio' is not an integer/);
    throwsOptionsError(() => map.bool('name'), /'name' is not a boolean/);
    throwsOptionsError(() => map.float('name'), /'name' is not a number/);
  });

  it('refuses a root that is not a map, and bytes that are not a FlexBuffer', function () {
    throwsOptionsError(() => FlexbufferMap.parse(encode(5)), /root is not a map/);
    throwsOptionsError(() => FlexbufferMap.parse(new Uint8Array([1, 2])), /not a valid FlexBuffer map/);
    throwsOptionsError(() => FlexbufferMap.parse(new Uint8Array([0x61, 0x00, 0x01, 0x03, 0x01, 0x01, 0x01, 0x01, 0x04, 0x7f, 0x24, 0x01])), /not a valid FlexBuffer map/);
  });

  it('truncated or corrupted bytes give CustomOptionsError or values, never another error', function () {
    const bytes = encode({ alpha: 300, beta: -7, gamma: true, ratio: 2.5 });
    const readAll = (candidate: Uint8Array): void => {
      try {
        const map = FlexbufferMap.parse(candidate);
        for (const key of map.keys) {
          for (const read of [(): unknown => map.int(key), (): unknown => map.bool(key), (): unknown => map.float(key)]) {
            try {
              read();
            } catch (err) {
              assert.ok(err instanceof CustomOptionsError, String(err));
            }
          }
        }
      } catch (err) {
        assert.ok(err instanceof CustomOptionsError, String(err));
      }
    };
    for (let length = 0; length < bytes.length; length++) readAll(bytes.subarray(bytes.length - length));
    for (let i = 0; i < bytes.length; i++) {
      for (const value of [0, 1, 0x7f, 0xff]) {
        const corrupted = bytes.slice();
        corrupted[i] = value;
        readAll(corrupted);
      }
    }
  });

  it('audio_preprocessor_int8: each Signal op has the keys its TFLM kernel indexes, in that order', function () {
    const main = loadModel(readShared('models/tflm/examples/micro_speech/models/audio_preprocessor_int8.tflite')).subgraphs[0];
    const keysOf = (code: string): string[] => {
      const op = main.operators.find((o) => o.customCode === code);
      assert.ok(op !== undefined && op.customOptions !== null, code);
      return FlexbufferMap.parse(op.customOptions).keys;
    };
    assert.deepEqual(keysOf('SignalWindow'), ['shift']);
    assert.deepEqual(keysOf('SignalRfft'), ['T', 'fft_length']);
    assert.deepEqual(keysOf('SignalEnergy'), ['end_index', 'start_index']);
    assert.deepEqual(keysOf('SignalFilterBank'), ['num_channels']);
    assert.deepEqual(keysOf('SignalFilterBankSpectralSubtraction'), [
      'alternate_one_minus_smoothing', 'alternate_smoothing', 'clamping', 'min_signal_remaining', 'num_channels',
      'one_minus_smoothing', 'smoothing', 'smoothing_bits', 'spectral_subtraction_bits',
    ]);
    assert.deepEqual(keysOf('SignalPCAN'), ['snr_shift']);
    assert.deepEqual(keysOf('SignalFilterBankLog'), ['input_correction_bits', 'output_scale']);
  });

  it('audio_preprocessor_int8: the values the model\'s shapes imply', function () {
    const main = loadModel(readShared('models/tflm/examples/micro_speech/models/audio_preprocessor_int8.tflite')).subgraphs[0];
    const optionsOf = (code: string): FlexbufferMap => FlexbufferMap.parse(main.operators.find((o) => o.customCode === code)!.customOptions!);
    // The rfft output is int16[514] = 257 complex bins of a 512-point FFT; T = TensorType INT16 = 7.
    assert.equal(optionsOf('SignalRfft').int('fft_length'), 512);
    assert.equal(optionsOf('SignalRfft').int('T'), 7);
    // The filter bank and everything after it has 40 channels.
    assert.equal(optionsOf('SignalFilterBank').int('num_channels'), 40);
    assert.equal(optionsOf('SignalFilterBankSpectralSubtraction').int('num_channels'), 40);
    // smoothing + one_minus_smoothing = 1 << spectral_subtraction_bits (the header's scale).
    const s = optionsOf('SignalFilterBankSpectralSubtraction');
    assert.equal(s.int('smoothing') + s.int('one_minus_smoothing'), 1 << s.int('spectral_subtraction_bits'));
    assert.equal(s.int('alternate_smoothing') + s.int('alternate_one_minus_smoothing'), 1 << s.int('spectral_subtraction_bits'));
    assert.equal(s.bool('clamping'), false);
  });
});
