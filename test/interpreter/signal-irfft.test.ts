// SignalIrfft (TFLM signal/micro/kernels/irfft.cc, KISS FFT's kiss_fftri in its float, int16 and
// int32 builds). Small cases are worked out by hand through kiss_fftri's steps (comments); larger
// ones are checked against the inverse DFT's definition, x[t] = sum_k X[k] e^(2 pi i k t / N) / N.
import assert from 'node:assert/strict';
import { InterpreterError, type Interpreter } from '../../lib/interpreter/index.js';
import { FFT_INT32 } from '../../lib/interpreter/kernels/signal/kiss-fftri.js';
import type { DType } from '../../lib/model/types.js';
import { customOpInterpreter } from './custom-op-model.js';

const TYPE_CODE: Record<string, number> = { float32: 0, int32: 2, int16: 7 };

function irfft(dtype: DType, fftLength: number, frames = 1): Interpreter {
  return customOpInterpreter('SignalIrfft', { T: TYPE_CODE[dtype], fft_length: fftLength },
    [{ dtype, shape: [frames, fftLength + 2] }], [{ dtype, shape: [frames, fftLength] }]);
}

function inverse(it: Interpreter, bins: number[]): number[] {
  it.setInput(0, bins);
  it.invoke();
  return Array.from(it.output(0).data as ArrayLike<number>);
}

/** The inverse DFT of the Hermitian spectrum whose first N / 2 + 1 bins are given. */
function inverseDft(bins: number[], n: number): number[] {
  const out: number[] = [];
  for (let t = 0; t < n; t++) {
    let sum = 0;
    for (let k = 0; k < n; k++) {
      const j = k <= n / 2 ? k : n - k;
      const re = bins[2 * j];
      const im = k <= n / 2 ? bins[2 * j + 1] : -bins[2 * j + 1];
      const phase = (2 * Math.PI * k * t) / n;
      sum += re * Math.cos(phase) - im * Math.sin(phase);
    }
    out.push(sum / n);
  }
  return out;
}

describe('interpreter: SignalIrfft', function () {
  it('int16, fft_length 4: by hand through kiss_fftri with Q15 halving', function () {
    const it = irfft('int16', 4);
    // DC 4000, Nyquist 1000: tmpbuf[0] = (half(5000), half(3000)) = (2500, 1500) (half(x) =
    // (x * 16383 + 2^14) >> 15); k = 1 has zero bins. The size-2 butterfly halves again:
    // (1250, 750) both ways, and the zero second input adds nothing.
    assert.deepEqual(inverse(it, [4000, 0, 0, 0, 1000, 0]), [1250, 750, 1250, 750]);
    // Bin 1 = 2000: tmpbuf[1] = half(2000) + half(2000) = (2000, 0); butterfly: B = half(2000) =
    // 1000, times the twiddle (32767, 0): (1000 * 32767 + 2^14) >> 15 = 1000. Out (1000, 0), (-1000, 0).
    assert.deepEqual(inverse(it, [0, 0, 2000, 0, 0, 0]), [1000, 0, -1000, 0]);
    // DC 3: half(3) = (49149 + 16384) >> 15 = 1, half(1) = 32767 >> 15 = 0: fixed point loses it.
    assert.deepEqual(inverse(it, [3, 0, 0, 0, 0, 0]), [0, 0, 0, 0]);
  });

  it('int32, fft_length 4: by hand with Q31 halving (SAMP_MAX / 2 = 2^30 - 1)', function () {
    const it = irfft('int32', 4);
    // half(2^30) = (2^30 * (2^30 - 1) + 2^30) >> 31 = 2^29; half(2^29) = (2^59 + 2^29) >> 31 = 2^28.
    assert.deepEqual(inverse(it, [2 ** 30, 0, 0, 0, 0, 0]), [2 ** 28, 2 ** 28, 2 ** 28, 2 ** 28]);
    // Bin 1 = 2^30: tmpbuf[1] = (2^30, 0); B = 2^29, times (2^31 - 1) with rounding: 2^29.
    assert.deepEqual(inverse(it, [0, 0, 2 ** 30, 0, 0, 0]), [2 ** 29, 0, -(2 ** 29), 0]);
  });

  it('int32 rounding multiply equals the C macro sround(smul(a, b) + smul(c, d)) in 64 bits', function () {
    const values = [0, 1, -1, 2147483647, -2147483648, 1073741823, -1073741824, 123456789, -987654321, 65535, -65536];
    for (const a of values) for (const b of values) for (const c of [0, -2147483648, 77777]) {
      const d = 2147483647;
      const exact = BigInt.asIntN(32, (BigInt(a) * BigInt(b) + BigInt(c) * BigInt(d) + (1n << 30n)) >> 31n);
      assert.equal(FFT_INT32.mulAdd(a, b, c, d), Number(exact), `${a} * ${b} + ${c} * ${d}`);
    }
  });

  it('float32, fft_length 16 (radix 4 and 2 stages), two frames: the inverse DFT', function () {
    const it = irfft('float32', 16, 2);
    const bins = [3, 0, 1.5, -2, 0.25, 4, -1, 0.5, 2, 2, 0, -3, 1, 1, -0.5, 0.75, 5, 0,
      -2, 0, 0, 1, 1, 0, 0, 0, 3, -1, 0, 0, 0, 0, 2.5, 0, 0, 0];
    const got = inverse(it, bins);
    const want = [...inverseDft(bins.slice(0, 18), 16), ...inverseDft(bins.slice(18), 16)];
    got.forEach((v, i) => assert.ok(Math.abs(v - want[i]) < 1e-5, `sample ${i}: ${v} vs ${want[i]}`));
  });

  it('int16, fft_length 32: the inverse DFT within the fixed-point rounding of 5 halving stages', function () {
    const it = irfft('int16', 32);
    const bins: number[] = [];
    for (let k = 0; k <= 16; k++) bins.push(k === 0 || k === 16 ? 3000 - 100 * k : Math.round(2000 * Math.sin(k)), k === 0 || k === 16 ? 0 : Math.round(1500 * Math.cos(3 * k)));
    const got = inverse(it, bins);
    const want = inverseDft(bins, 32);
    got.forEach((v, i) => assert.ok(Math.abs(v - want[i]) <= 4, `sample ${i}: ${v} vs ${want[i]}`));
  });

  it('int32, fft_length 16: the inverse DFT within the Q31 rounding of its halving stages', function () {
    const it = irfft('int32', 16);
    const bins: number[] = [];
    for (let k = 0; k <= 8; k++) bins.push(Math.round(2 ** 28 * Math.cos(2 * k + 1)), k === 0 || k === 8 ? 0 : Math.round(2 ** 27 * Math.sin(5 * k)));
    const got = inverse(it, bins);
    const want = inverseDft(bins, 16);
    got.forEach((v, i) => assert.ok(Math.abs(v - want[i]) <= 4, `sample ${i}: ${v} vs ${want[i]}`));
  });

  it('refuses fft_length that is not a power of two, and frames of the wrong size', function () {
    assert.throws(() => customOpInterpreter('SignalIrfft', { T: 0, fft_length: 12 }, [{ dtype: 'float32', shape: [14] }], [{ dtype: 'float32', shape: [12] }]),
      (err: unknown) => err instanceof InterpreterError && /\(SignalIrfft\): fft_length 12 is not a power of two/.test(err.message));
    assert.throws(() => customOpInterpreter('SignalIrfft', { T: 7, fft_length: 8 }, [{ dtype: 'int16', shape: [8] }], [{ dtype: 'int16', shape: [8] }]),
      (err: unknown) => err instanceof InterpreterError && /input frames hold 8 values, expected 10 \(5 complex\)/.test(err.message));
  });
});
