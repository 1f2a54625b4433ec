// SignalRfft (int16, KISS FFT fixed16): a 4-point transform worked through by hand step by step,
// and longer ones against the analytic DFT. KISS FFT's fixed-point real FFT scales by 1/N (each
// radix-p stage divides by p, the real split halves twice), so bin k is X[k] / N, within the
// Q15 rounding of log2(N) stages.
import assert from 'node:assert/strict';
import { planRealFft } from '../../lib/interpreter/kernels/signal/kiss-fft-int16.js';
import { customOpInterpreter } from './custom-op-model.js';

function rfft(fftLength: number, input: number[], frameShape: number[] = [input.length]): number[] {
  const frames = frameShape.length > 1 ? frameShape[0] : 1;
  const it = customOpInterpreter('SignalRfft', { T: 7, fft_length: fftLength }, [{ dtype: 'int16', shape: frameShape }],
    [{ dtype: 'int16', shape: frameShape.length > 1 ? [frames, fftLength + 2] : [fftLength + 2] }]);
  it.setInput(0, input);
  it.invoke();
  return Array.from(it.output(0).data as Int16Array);
}

/** The DFT of x zero-padded to n, divided by n, as interleaved (re, im) for bins 0..n/2. */
function scaledDft(x: number[], n: number): number[] {
  const out: number[] = [];
  for (let k = 0; k <= n / 2; k++) {
    let re = 0;
    let im = 0;
    x.forEach((v, t) => {
      re += v * Math.cos((-2 * Math.PI * k * t) / n);
      im += v * Math.sin((-2 * Math.PI * k * t) / n);
    });
    out.push(re / n, im / n);
  }
  return out;
}

function maxError(ours: number[], reference: number[]): number {
  return Math.max(...ours.map((v, i) => Math.abs(v - reference[i])));
}

/** Deterministic int16 noise of the given amplitude. */
function noise(length: number, amplitude: number, seed: number): number[] {
  let state = seed;
  return Array.from({ length }, () => {
    state = (Math.imul(state, 1103515245) + 12345) >>> 0;
    return Math.round(((state / 2 ** 32) * 2 - 1) * amplitude);
  });
}

describe('interpreter: SignalRfft (int16 KISS FFT)', function () {
  it('4 points, by hand: [1000, 2000, 3000, 4000] -> [2500, 0, -500, 500, -500, 0]', function () {
    // Complex input z = (1000, 2000), (3000, 4000); one radix-2 stage: both halved in Q15
    // (x * 16383 + 2^14 >> 15): (500, 1000), (1500, 2000); twiddle 0 is (32767, 0), so t = (1500, 2000);
    // Z0 = (2000, 3000), Z1 = (-1000, -1000). DC/Nyquist: Z0 halved (1000, 1500): 2500 and -500.
    // Bin 1: Z1 halved (-500, -500) and conj(Z1) halved (-500, 500); f1 = (-1000, 0), f2 = (0, -1000);
    // super twiddle e^{-i pi} = (-32767, 0): tw = (0, 1000); bin 1 = ((f1 + tw) >> 1) = (-500, 500).
    // The DFT / 4: X0 = 10000/4, X1 = (-2000 + 2000i)/4, X2 = -2000/4. Both agree.
    assert.deepEqual(rfft(4, [1000, 2000, 3000, 4000]), [2500, 0, -500, 500, -500, 0]);
  });

  it('twiddles are KISS FFT\'s floor(0.5 + 32767 cos|sin) values', function () {
    const plan = planRealFft(16);
    // 8-point complex FFT: twiddle 2 is e^{-i pi/2} = (0, -32767); twiddle 1 is
    // (32767 cos(pi/4), -32767 sin(pi/4)) = (23169.77 -> 23170, -23169.77 -> -23170).
    assert.deepEqual(Array.from(plan.twiddles.subarray(0, 6)), [32767, 0, 23170, -23170, 0, -32767]);
    // Radix 4 first, then 2: 8 = 4 * 2.
    assert.deepEqual(Array.from(plan.factors), [4, 2, 2, 1]);
  });

  it('an impulse spreads evenly: every bin A / N', function () {
    const out = rfft(16, [16000, ...new Array<number>(15).fill(0)]);
    const expected = scaledDft([16000], 16);
    assert.ok(maxError(out, expected) <= 2, `max error ${maxError(out, expected)}: ${out.join(' ')}`);
  });

  it('a cosine on bin 8 of 512 lands there with half its amplitude; the rest stays near 0', function () {
    const x = Array.from({ length: 512 }, (_, t) => Math.round(16000 * Math.cos((2 * Math.PI * 8 * t) / 512)));
    const out = rfft(512, x);
    assert.ok(Math.abs(out[16] - 8000) <= 4, `bin 8 re ${out[16]}`);
    const others = out.filter((_, i) => i !== 16);
    assert.ok(Math.max(...others.map(Math.abs)) <= 4, `largest leak ${Math.max(...others.map(Math.abs))}`);
  });

  for (const length of [8, 16, 64, 512, 1024]) {
    it(`${length} points of noise: within a few LSB of the DFT / N (radix 4${Math.log2(length / 2) % 2 === 1 ? ' and 2' : ''})`, function () {
      const x = noise(length, 20000, length);
      const out = rfft(length, x);
      const error = maxError(out, scaledDft(x, length));
      assert.ok(error <= 6, `max error ${error}`);
    });
  }

  it('zero-pads frames shorter than fft_length and transforms each frame of a batch', function () {
    const a = noise(12, 10000, 1);
    const b = noise(12, 10000, 2);
    const out = rfft(16, [...a, ...b], [2, 12]);
    assert.deepEqual(out.slice(0, 18), rfft(16, [...a, 0, 0, 0, 0]));
    assert.deepEqual(out.slice(18), rfft(16, [...b, 0, 0, 0, 0]));
    assert.ok(maxError(out.slice(0, 18), scaledDft(a, 16)) <= 4);
  });

  it('refuses lengths KISS FFT is not built for here, and T other than int16', function () {
    assert.throws(() => rfft(12, new Array<number>(12).fill(0)), /\(SignalRfft\): fft_length 12 is not a power of two/);
    assert.throws(() => customOpInterpreter('SignalRfft', { T: 1, fft_length: 8 }, [{ dtype: 'int16', shape: [8] }], [{ dtype: 'int16', shape: [10] }]),
      /\(SignalRfft\): T = 1: only int16 \(7\) is implemented/);
  });
});
