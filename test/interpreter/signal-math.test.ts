// The Signal library's integer helpers (signal/src/msb_32.cc, square_root_32/64.cc, log.cc,
// pcan_argc_fixed.cc) and our exact uint64 arithmetic, against values worked out by hand from
// those definitions, and against BigInt evaluations of the C expressions.
import assert from 'node:assert/strict';
import { pcanShrink, wideDynamicFunction } from '../../lib/interpreter/kernels/signal/pcan.js';
import { log32, mostSignificantBit32, productsShiftRight, sqrt32, sqrt64, storeUint64 } from '../../lib/interpreter/kernels/signal/signal-math.js';

/** A deterministic stream of uint32 values (xorshift32), biased towards both ends. */
function* uint32s(count: number, seed = 0x9e3779b9): Generator<number> {
  let state = seed;
  for (let i = 0; i < count; i++) {
    state ^= state << 13;
    state ^= state >>> 17;
    state ^= state << 5;
    const value = state >>> 0;
    yield i % 4 === 0 ? value >>> (value % 32) : i % 4 === 1 ? 0xffffffff - (value >>> 8) : value;
  }
}

function split(value: bigint): [number, number] {
  return [Number(value >> 32n), Number(value & 0xffffffffn)];
}

describe('interpreter: Signal library integer helpers', function () {
  it('MostSignificantBit32: 1-based top bit, 32 for 0 (the GCC build)', function () {
    assert.deepEqual([0, 1, 2, 3, 255, 256, 0x80000000, 0xffffffff].map(mostSignificantBit32), [32, 1, 2, 2, 8, 9, 32, 32]);
  });

  it('Sqrt32: floor root r, plus one when num - r^2 > r, capped at 0xFFFF', function () {
    // 2: r=1, rem 1 (not > 1); 3: r=1, rem 2 > 1; 15: r=3, rem 6 > 3; 20: r=4, rem 4; 21: r=4, rem 5 > 4;
    // 0xFFFFFFFF: r=65535, rem 131070 > r but r is already 0xFFFF.
    assert.deepEqual([0, 1, 2, 3, 15, 16, 20, 21, 0xffffffff].map(sqrt32), [0, 1, 1, 2, 4, 4, 4, 5, 65535]);
  });

  it('Sqrt64: the same rule on 64-bit values, at the rounding boundaries', function () {
    // 2^32: r = 2^16 exactly. 2^40 + 2^20: r = 2^20, rem = r (stays); 2^40 + 2^20 + 1: rem > r (rounds up).
    assert.equal(sqrt64(1, 0), 65536);
    assert.equal(sqrt64(256, 2 ** 20), 2 ** 20);
    assert.equal(sqrt64(256, 2 ** 20 + 1), 2 ** 20 + 1);
    // 2^64 - 1: r = 2^32 - 1, rem = 2^33 - 2 > r, but r is the largest uint32.
    assert.equal(sqrt64(0xffffffff, 0xffffffff), 0xffffffff);
    // 3e9^2 = 9e18 (beyond 2^53): exact, then + 3e9 (rem = r, stays) and + 3e9 + 1 (rounds up).
    const square = 3000000000n * 3000000000n;
    assert.equal(sqrt64(...split(square)), 3000000000);
    assert.equal(sqrt64(...split(square + 3000000000n)), 3000000000);
    assert.equal(sqrt64(...split(square + 3000000001n)), 3000000001);
    assert.equal(sqrt64(...split(square - 1n)), 3000000000);
  });

  it('Sqrt64 agrees with the digit-by-digit definition (BigInt) on many values', function () {
    const reference = (num: bigint): number => {
      let root = 0n;
      let bit = 1n << 62n;
      let rest = num;
      while (bit > rest) bit >>= 2n;
      while (bit !== 0n) {
        if (rest >= root + bit) {
          rest -= root + bit;
          root = (root >> 1n) + bit;
        } else {
          root >>= 1n;
        }
        bit >>= 2n;
      }
      return Number(rest > root && root !== 0xffffffffn ? root + 1n : root);
    };
    const values = [...uint32s(400)];
    for (let i = 0; i + 1 < values.length; i += 2) {
      const num = (BigInt(values[i]) << 32n) | BigInt(values[i + 1]);
      const expected = values[i] === 0 ? Math.min(reference(num), 0xffff) : reference(num);
      assert.equal(sqrt64(values[i], values[i + 1]), expected, `sqrt64(${num})`);
    }
  });

  it('products shifted right: uint64 sums of two products, shifted, stored to uint32', function () {
    // (2^32 - 1)^2 = 2^64 - 2^33 + 1: >> 32 gives 2^32 - 2, >> 0 keeps the low word 1.
    assert.equal(productsShiftRight(0xffffffff, 0xffffffff, 0, 0, 32), 0xfffffffe);
    assert.equal(productsShiftRight(0xffffffff, 0xffffffff, 0, 0, 0), 1);
    // Twice that wraps mod 2^64 to 2^64 - 2^34 + 2; >> 32 gives 2^32 - 4.
    assert.equal(productsShiftRight(0xffffffff, 0xffffffff, 0xffffffff, 0xffffffff, 32), 0xfffffffc);
    // The spectral subtraction's smoothing: (1000 << 10) * 409 + 0 * 15975 >> 14 = 25562.5 -> 25562.
    assert.equal(productsShiftRight(1000 << 10, 409, 0, 15975, 14), 25562);
    const values = [...uint32s(500, 12345)];
    for (let i = 0; i + 4 < values.length; i += 5) {
      const [a, b, c, d] = values.slice(i, i + 4);
      const shift = values[i + 4] % 64;
      const expected = Number((((BigInt(a) * BigInt(b) + BigInt(c) * BigInt(d)) & ((1n << 64n) - 1n)) >> BigInt(shift)) & 0xffffffffn);
      assert.equal(productsShiftRight(a, b, c, d, shift), expected, `${a}*${b} + ${c}*${d} >> ${shift}`);
    }
  });

  it('storeUint64: high * 2^16 + low, either sign, mod 2^64 as two little-endian words', function () {
    const words = new Uint32Array(6);
    storeUint64(words, 0, -1, 0); // -65536 -> 2^64 - 65536
    storeUint64(words, 1, 2 ** 36, 5); // 2^52 + 5
    storeUint64(words, 2, 3, -1); // 3 * 65536 - 1 = 196607
    assert.deepEqual(Array.from(words), [0xffff0000, 0xffffffff, 5, 2 ** 20, 196607, 0]);
  });

  it('Log32: ln(x) * out_scale / 2^16 through the log2 table', function () {
    // Powers of two have no fraction: log2 = k * 2^16, loge = 45426 * k; 64 * ln(2) = 44.4 -> 44,
    // 64 * ln(1024) = 443.6 -> (64 * 454260 + 32768) >> 16 = 444.
    assert.equal(log32(2, 64), 44);
    assert.equal(log32(1024, 64), 444);
    // x = 3: fraction (3 - 2) << 15 = 32768, segment 64, table 5568 (no slope term at the segment
    // start): log2 = 65536 + 32768 + 5568 = 103872 (log2(3) * 2^16 = 103872.5);
    // loge = (45426 * 103872 + 32768) >> 16 = 71998; (64 * 71998 + 32768) >> 16 = 70 (64 ln 3 = 70.3).
    assert.equal(log32(3, 64), 70);
    // out_scale * loge is uint32 arithmetic: 2^20 * (45426 * 16) wraps to 1824 * 2^20; >> 16 = 29184.
    assert.equal(log32(65536, 2 ** 20), 29184);
  });

  it('WideDynamicFunction and PcanShrink', function () {
    const lut = new Int16Array(125);
    lut.set([7, 8, 100, 64, 32], 0);
    // x <= 2 reads the table directly.
    assert.deepEqual([0, 1, 2].map((x) => wideDynamicFunction(x, lut)), [7, 8, 100]);
    // x = 3: interval 2, base 4 * 2 - 6 = 2, frac = (3 << 9) & 0x3ff = 512:
    // ((32 * 512) >> 5) + 64 * 32 = 2560; * 512 = 1310720; (+ 2^14) >> 15 = 40; + 100 = 140.
    assert.equal(wideDynamicFunction(3, lut), 140);
    // x^2 / 4 below 2.0 (Q12 in, Q6 out): 1.0 -> 0.25 = 16; x - 1 from 2.0: 2.0 -> 1.0 = 64, 3.0 -> 128.
    assert.deepEqual([0, 4096, 8191, 8192, 12288].map(pcanShrink), [0, 16, 63, 64, 128]);
  });
});
