// The TFLM Signal custom ops one at a time, on small models built here, their options written
// with the flatbuffers package's FlexBuffer builder. Expected values are worked out by hand from
// the C definitions in tensorflow/tflite-micro signal/src/*.cc (steps in the comments); SignalRfft
// has its own file (signal-fft.test.ts).
import assert from 'node:assert/strict';
import { InterpreterError } from '../../lib/interpreter/index.js';
import { customOpInterpreter } from './custom-op-model.js';

function numbers(data: ArrayLike<number>): number[] {
  return Array.from(data);
}

function assertPrepareError(build: () => unknown, pattern: RegExp): void {
  assert.throws(build, (err: unknown) => err instanceof InterpreterError && pattern.test(err.message));
}

describe('interpreter: TFLM Signal ops on hand-built models', function () {
  describe('SignalWindow', function () {
    it('multiplies each frame by the window, shifts right (arithmetic), saturates to int16', function () {
      const it = customOpInterpreter('SignalWindow', { shift: 12 },
        [{ dtype: 'int16', shape: [2, 4] }, { dtype: 'int16', shape: [4], data: new Int16Array([4096, 2048, 8192, 8192]) }],
        [{ dtype: 'int16', shape: [2, 4] }]);
      it.setInput(0, [1000, 3, 32767, -32768, -1000, -3, 100, -100]);
      it.invoke();
      // frame 1: 1000*4096>>12 = 1000; 3*2048>>12 = 6144>>12 = 1 (1.5 floored);
      // 32767*8192>>12 = 65534 -> 32767; -32768*8192>>12 = -65536 -> -32768.
      // frame 2 (same window): -1000; -6144>>12 = -2 (floor of -1.5); 100*2 = 200; -200.
      assert.deepEqual(numbers(it.output(0).data as Int16Array), [1000, 1, 32767, -32768, -1000, -2, 200, -200]);
    });

    it('refuses input that is not whole windows, naming the operator', function () {
      assertPrepareError(() => customOpInterpreter('SignalWindow', { shift: 12 },
        [{ dtype: 'int16', shape: [5] }, { dtype: 'int16', shape: [4], data: new Int16Array(4) }], [{ dtype: 'int16', shape: [5] }]),
      /^subgraph 0, operator 0 \(SignalWindow\): input \[5\] is not whole frames of the 4-sample window/);
    });

    it('refuses a model without the shift option', function () {
      assertPrepareError(() => customOpInterpreter('SignalWindow', { other: 1 },
        [{ dtype: 'int16', shape: [4] }, { dtype: 'int16', shape: [4], data: new Int16Array(4) }], [{ dtype: 'int16', shape: [4] }]),
      /\(SignalWindow\): custom options: option 'shift' is missing \(present: other\)/);
    });
  });

  describe('SignalFftAutoScale', function () {
    function run(values: number[]): { scaled: number[]; bits: number } {
      const it = customOpInterpreter('SignalFftAutoScale', {}, [{ dtype: 'int16', shape: [values.length] }],
        [{ dtype: 'int16', shape: [values.length] }, { dtype: 'int32', shape: [] }]);
      it.setInput(0, values);
      it.invoke();
      return { scaled: numbers(it.output(0).data as Int16Array), bits: (it.output(1).data as Int32Array)[0] };
    }

    it('shifts left by 16 - MSB(max |x|) - 1 bits and reports the shift', function () {
      // max |x| = 100, MSB(100) = 7: 16 - 7 - 1 = 8 bits, x * 256.
      assert.deepEqual(run([3, -5, 100, 0]), { scaled: [768, -1280, 25600, 0], bits: 8 });
      // max 16384 = 2^14, MSB 15: 0 bits.
      assert.deepEqual(run([16384, -1]), { scaled: [16384, -1], bits: 0 });
      // All zeros: MSB(0) = 32 (GCC build), 16 - 32 - 1 < 0 -> 0 bits.
      assert.deepEqual(run([0, 0]), { scaled: [0, 0], bits: 0 });
    });

    it('keeps MaxAbs16\'s int16 quirk: -32768 makes the running max -32768, and the next value replaces it', function () {
      // -(-32768) = 32768 > 0 stores (int16) -32768; then 5 > -32768, so max = 5, MSB 3, 12 bits:
      // -32768 * 4096 wraps to 0 in int16, 5 * 4096 = 20480.
      assert.deepEqual(run([-32768, 5]), { scaled: [0, 20480], bits: 12 });
      // -32768 last: max stays -32768, whose uint32 MSB is 32: 0 bits.
      assert.deepEqual(run([5, -32768]), { scaled: [5, -32768], bits: 0 });
    });
  });

  describe('SignalEnergy', function () {
    it('re^2 + im^2 for bins in [start_index, end_index), others untouched', function () {
      const it = customOpInterpreter('SignalEnergy', { start_index: 1, end_index: 4 }, [{ dtype: 'int16', shape: [10] }], [{ dtype: 'uint32', shape: [5] }]);
      it.setInput(0, [1, 1, 3, 4, -32768, -32768, 100, -100, 7, 7]);
      const out = it.output(0).data as Uint32Array;
      out.fill(12345);
      it.invoke();
      // bin 1: 9 + 16 = 25; bin 2: 2^30 + 2^30 = 2^31 (the int32 sum wraps, the uint32 store keeps
      // the bits: 2147483648); bin 3: 10000 + 10000. Bins 0 and 4 are outside the range.
      assert.deepEqual(numbers(out), [12345, 25, 2147483648, 20000, 12345]);
    });
  });

  describe('SignalFilterBank', function () {
    it('accumulates weighted and unweighted bins per channel into exact uint64 sums', function () {
      // Channel -1 (i = 0) covers bin 1 with weight index 0; channel 0 (i = 1) bins 2..3 with weights
      // 1..2; channel 1 (i = 2) bins 4..5 with weights 3..4. Output c = unweights of channel c-1's bins
      // + weights of channel c's bins.
      const weights = new Int16Array([5, 32767, -1, 2, 3]);
      const unweights = new Int16Array([32767, 10, 20, 0, 0]);
      const it = customOpInterpreter('SignalFilterBank', { num_channels: 2 }, [
        { dtype: 'uint32', shape: [8] },
        { dtype: 'int16', shape: [5], data: weights },
        { dtype: 'int16', shape: [5], data: unweights },
        { dtype: 'int16', shape: [3], data: new Int16Array([1, 2, 4]) },
        { dtype: 'int16', shape: [3], data: new Int16Array([0, 1, 3]) },
        { dtype: 'int16', shape: [3], data: new Int16Array([1, 2, 2]) },
      ], [{ dtype: 'uint64', shape: [2] }]);
      const max = 0xffffffff;
      it.setInput(0, [0, max, max, 3, 1000, 2000, 0, 0]);
      it.invoke();
      const m = BigInt(max);
      // c = 0: 32767 * x1 + 32767 * x2 + (-1 as uint64) * 3 = 65534 * (2^32 - 1) - 3 (above 2^53).
      // c = 1: 10 * x2 + 20 * 3 + 2 * 1000 + 3 * 2000.
      assert.deepEqual(Array.from(it.output(0).data as BigUint64Array), [65534n * m - 3n, 10n * m + 60n + 2000n + 6000n]);
    });

    it('a negative total wraps mod 2^64, as the uint64 accumulator does', function () {
      const it = customOpInterpreter('SignalFilterBank', { num_channels: 1 }, [
        { dtype: 'uint32', shape: [2] },
        { dtype: 'int16', shape: [1], data: new Int16Array([-2]) },
        { dtype: 'int16', shape: [1], data: new Int16Array([0]) },
        { dtype: 'int16', shape: [2], data: new Int16Array([0, 1]) },
        { dtype: 'int16', shape: [2], data: new Int16Array([0, 0]) },
        { dtype: 'int16', shape: [2], data: new Int16Array([0, 1]) },
      ], [{ dtype: 'uint64', shape: [1] }]);
      it.setInput(0, [0, 7]);
      it.invoke();
      assert.deepEqual(Array.from(it.output(0).data as BigUint64Array), [2n ** 64n - 14n]);
    });

    it('refuses channel ranges outside the input', function () {
      assertPrepareError(() => customOpInterpreter('SignalFilterBank', { num_channels: 1 }, [
        { dtype: 'uint32', shape: [2] },
        { dtype: 'int16', shape: [1], data: new Int16Array([1]) },
        { dtype: 'int16', shape: [1], data: new Int16Array([1]) },
        { dtype: 'int16', shape: [2], data: new Int16Array([0, 2]) },
        { dtype: 'int16', shape: [2], data: new Int16Array([0, 0]) },
        { dtype: 'int16', shape: [2], data: new Int16Array([0, 1]) },
      ], [{ dtype: 'uint64', shape: [1] }]), /\(SignalFilterBank\): channel 0: bins \[2, \+1\)/);
    });
  });

  describe('SignalFilterBankSquareRoot', function () {
    it('rounded square root of each uint64, shifted right by the scale_bits input', function () {
      const it = customOpInterpreter('SignalFilterBankSquareRoot', {}, [{ dtype: 'uint64', shape: [4] }, { dtype: 'int32', shape: [] }], [{ dtype: 'uint32', shape: [4] }]);
      (it.input(0).data as BigUint64Array).set([0n, 17n, 2n ** 40n + 2n ** 20n + 1n, 2n ** 64n - 1n]);
      it.setInput(1, [1]);
      it.invoke();
      // 0; Sqrt32(17) = 4 (rem 1), >> 1 = 2; 2^40 + 2^20 + 1: root 2^20, rem 2^20 + 1 > root -> 2^20 + 1,
      // >> 1 = 2^19; 2^64 - 1: 2^32 - 1 (capped), >> 1 = 2^31 - 1.
      assert.deepEqual(numbers(it.output(0).data as Uint32Array), [0, 2, 2 ** 19, 2 ** 31 - 1]);
    });
  });

  describe('SignalFilterBankSpectralSubtraction', function () {
    const base = {
      num_channels: 2, smoothing: 8192, one_minus_smoothing: 8192, alternate_smoothing: 4096, alternate_one_minus_smoothing: 12288,
      min_signal_remaining: 1638, smoothing_bits: 2, spectral_subtraction_bits: 14,
    };

    function frames(clamping: boolean, inputs: number[][]): { out: number[]; noise: number[] }[] {
      const it = customOpInterpreter('SignalFilterBankSpectralSubtraction', { ...base, clamping }, [{ dtype: 'uint32', shape: [2] }],
        [{ dtype: 'uint32', shape: [2] }, { dtype: 'uint32', shape: [2] }]);
      const results = inputs.map((frame) => {
        it.setInput(0, frame);
        it.invoke();
        return { out: numbers(it.output(0).data as Uint32Array), noise: numbers(it.output(1).data as Uint32Array) };
      });
      it.reset();
      it.setInput(0, inputs[0]);
      it.invoke();
      results.push({ out: numbers(it.output(0).data as Uint32Array), noise: numbers(it.output(1).data as Uint32Array) });
      return results;
    }

    // Frame 1 [1000, 1000], scaled up << 2 = 4000. ch 0 (smoothing 1/2): noise (4000*8192 + 0) >> 14
    // = 2000, out (4000 - 2000) >> 2 = 500. ch 1 (alternate 1/4): noise 4000*4096 >> 14 = 1000, out
    // (4000 - 1000) >> 2 = 750. Floor: 1000 * 1638 >> 14 = 99.
    // Frame 2 [1000, 100]: ch 0 noise (4000*8192 + 2000*8192) >> 14 = 3000, out 250. ch 1: scaled 400,
    // noise (400*4096 + 1000*12288) >> 14 = 850 > 400, so 400 is subtracted: 0, below the floor
    // 100 * 1638 >> 14 = 9 -> 9; with clamping the noise becomes 400.
    // Frame 3 [0, 100]: ch 0 noise 3000*8192 >> 14 = 1500 > 0: out 0 (floor 0), clamped noise 0.
    // ch 1 noise (1638400 + 850*12288) >> 14 = 737 unclamped, (1638400 + 400*12288) >> 14 = 400 clamped; out 9.
    // After reset(), frame 1 again gives frame 1's results: the estimate started over from zero.
    it('without clamping the estimate may stay above the signal', function () {
      assert.deepEqual(frames(false, [[1000, 1000], [1000, 100], [0, 100]]), [
        { out: [500, 750], noise: [2000, 1000] },
        { out: [250, 9], noise: [3000, 850] },
        { out: [0, 9], noise: [1500, 737] },
        { out: [500, 750], noise: [2000, 1000] },
      ]);
    });

    it('with clamping the estimate is pulled down to the signal', function () {
      assert.deepEqual(frames(true, [[1000, 1000], [1000, 100], [0, 100]]), [
        { out: [500, 750], noise: [2000, 1000] },
        { out: [250, 9], noise: [3000, 400] },
        { out: [0, 9], noise: [0, 400] },
        { out: [500, 750], noise: [2000, 1000] },
      ]);
    });

    it('keeps the estimate in the arena, alive for the whole invoke', function () {
      const it = customOpInterpreter('SignalFilterBankSpectralSubtraction', { ...base, clamping: false }, [{ dtype: 'uint32', shape: [2] }],
        [{ dtype: 'uint32', shape: [2] }, { dtype: 'uint32', shape: [2] }]);
      // Three 8-byte tensors alive together and the 8-byte estimate, each 16 bytes after alignment.
      assert.equal(it.arenaUsedBytes, 64);
    });
  });

  describe('SignalPCAN', function () {
    it('gain from the noise estimate\'s table entry, then x^2/4 or x - 1 on the gained signal', function () {
      const lut = new Int16Array(125);
      lut.set([4096, 2048, -1]);
      const it = customOpInterpreter('SignalPCAN', { snr_shift: 6 },
        [{ dtype: 'uint32', shape: [3] }, { dtype: 'uint32', shape: [3] }, { dtype: 'int16', shape: [125], data: lut }],
        [{ dtype: 'uint32', shape: [3] }]);
      it.setInput(0, [64, 256, 1]);
      it.setInput(1, [0, 1, 2]);
      it.invoke();
      // ch 0: gain lut[0] = 4096, snr 64*4096 >> 6 = 4096 (1.0 in Q12): 1/4 in Q6 = 16.
      // ch 1: gain 2048, snr 8192 (2.0): 2 - 1 = 1.0 in Q6 = 64.
      // ch 2: gain -1 widens to 0xFFFFFFFF; snr = 0xFFFFFFFF >> 6 = 67108863: (>> 6) - 64 = 1048511.
      assert.deepEqual(numbers(it.output(0).data as Uint32Array), [16, 64, 1048511]);
    });
  });

  describe('SignalFilterBankLog', function () {
    function run(options: Record<string, number>, values: number[]): number[] {
      const it = customOpInterpreter('SignalFilterBankLog', options, [{ dtype: 'uint32', shape: [values.length] }], [{ dtype: 'int16', shape: [values.length] }]);
      it.setInput(0, values);
      it.invoke();
      return numbers(it.output(0).data as Int16Array);
    }

    it('output_scale * ln(x << input_correction_bits), 0 at or below 1, capped at 32767', function () {
      // x << 1: 0 and 1 -> 0 (2 is > 1: 64 ln 2 = 44); 2 -> 4: (64 * 2 * 45426 + 2^15) >> 16 = 89;
      // 2^30 -> 2^31: (64 * 31 * 45426 + 2^15) >> 16 = 1375; 2^31 << 1 wraps to 0 -> 0.
      assert.deepEqual(run({ input_correction_bits: 1, output_scale: 64 }, [0, 1, 2, 2 ** 30, 2 ** 31]), [0, 44, 89, 1375, 0]);
      // Scale 2048: 4 -> (2048 * 90852 + 2^15) >> 16 = 2839; 2^31 -> 44006, capped at 32767.
      assert.deepEqual(run({ input_correction_bits: 0, output_scale: 2048 }, [4, 2 ** 31]), [2839, 32767]);
    });
  });
});
