// TFLM_DECODE after TFLM's tensorflow/lite/micro/kernels/decode.cc, decode_state_lut.cc,
// decode_state_prune.cc and decode_state_huffman.cc. Each test writes the ancillary bytes by hand from the layout those
// files read (16 bytes of metadata: type, version, ..., type version at 4, LUT bit width or
// Huffman table sizes at 5, LUT stride at 6; then the value or Huffman tables) and packs the indices most significant bit first.
import assert from 'node:assert/strict';
import { Interpreter, InterpreterError } from '../../lib/interpreter/index.js';
import { ModelBuilder, type QuantizationSpec } from '../../lib/model/builder.js';
import type { DType } from '../../lib/model/types.js';

interface Pair {
  encoded: number[];
  ancillary: number[];
  output: { dtype: DType; shape: number[]; quantization?: QuantizationSpec };
}

/** 16 metadata bytes: decode type, version 1, type version 1 at byte 4, then bytes 5 and 6. */
function metadata(type: number, bitWidth = 0, stride = 0): number[] {
  const bytes = new Array<number>(16).fill(0);
  bytes[0] = type;
  bytes[1] = 1;
  bytes[4] = 1;
  bytes[5] = bitWidth;
  bytes[6] = stride;
  return bytes;
}

function littleEndian(values: number[], View: Int16ArrayConstructor | Float32ArrayConstructor | Int8ArrayConstructor): number[] {
  return Array.from(new Uint8Array(new View(values).buffer));
}

function decode(pairs: Pair[], encodedAsInput = false): Interpreter {
  const b = new ModelBuilder();
  const inputs: number[] = [];
  pairs.forEach((p, i) => {
    const encoded = { name: `encoded${i}`, dtype: 'uint8' as const, shape: [p.encoded.length] };
    inputs.push(encodedAsInput ? b.addInput(encoded) : b.addConstant({ ...encoded, data: new Uint8Array(p.encoded) }));
    inputs.push(b.addConstant({ name: `ancillary${i}`, dtype: 'uint8', shape: [p.ancillary.length], data: new Uint8Array(p.ancillary) }));
  });
  const outputs = pairs.map((p, i) => b.addTensor({ name: `out${i}`, ...p.output }));
  b.addOperator('CUSTOM', inputs, outputs, { customCode: 'TFLM_DECODE' });
  outputs.forEach((o) => b.addOutput(o));
  const it = new Interpreter(b.build());
  it.allocate();
  return it;
}

function decoded(pairs: Pair[]): number[][] {
  const it = decode(pairs);
  it.invoke();
  return pairs.map((_, i) => Array.from(it.output(i).data as ArrayLike<number>));
}

function assertDecodeError(pairs: Pair[], pattern: RegExp, encodedAsInput = false): void {
  assert.throws(() => decode(pairs, encodedAsInput), (err: unknown) => err instanceof InterpreterError && pattern.test(err.message));
}

const LUT = 0;
const HUFFMAN = 1;
const PRUNE = 2;

describe('interpreter: TFLM_DECODE', function () {
  it('LUT, int8, 2-bit indices: each index picks a value-table entry', function () {
    // Indices 3 0 1 2 2 1 -> bits 11 00 01 10 | 10 01 (0000) = 0xC6, 0x90.
    const ancillary = [...metadata(LUT, 2, 4), ...littleEndian([-10, 0, 10, 127], Int8Array)];
    assert.deepEqual(decoded([{ encoded: [0xc6, 0x90], ancillary, output: { dtype: 'int8', shape: [6] } }]), [[127, -10, 0, 10, 10, 0]]);
  });

  it('LUT, int16, per-channel along dimension 0: one table per channel, one bit stream', function () {
    // Indices 0 1 2 | 2 1 0 in 3 bits: 000 001 010 010 001 000 -> 00000101 00100010 00(000000).
    const ancillary = [...metadata(LUT, 3, 3), ...littleEndian([100, 200, 300, -1, -2, -3], Int16Array)];
    const output = { dtype: 'int16' as const, shape: [2, 3], quantization: { scale: [1, 1], zeroPoint: [0, 0], quantizedDimension: 0 } };
    assert.deepEqual(decoded([{ encoded: [0x05, 0x22, 0x00], ancillary, output }]), [[100, 200, 300, -3, -2, -1]]);
  });

  it('LUT, float32, channels along the last dimension interleave; two outputs in one op', function () {
    // 1-bit indices 1 0 0 1 = 0x90; element i uses channel i % 2: ch0 [0.5, -1.5], ch1 [2.25, 8].
    const floats = { encoded: [0x90], ancillary: [...metadata(LUT, 1, 2), ...littleEndian([0.5, -1.5, 2.25, 8], Float32Array)],
      output: { dtype: 'float32' as const, shape: [2, 2], quantization: { scale: [1, 1], zeroPoint: [0, 0], quantizedDimension: 1 } } };
    const bytes = { encoded: [0x40], ancillary: [...metadata(LUT, 2, 4), ...littleEndian([1, 2, 3, 4], Int8Array)], output: { dtype: 'int8' as const, shape: [1] } };
    // Second output: 2-bit index 01 -> table entry 1 = 2.
    assert.deepEqual(decoded([floats, bytes]), [[-1.5, 2.25, 0.5, 8], [2]]);
  });

  it('prune, int8: a set bit takes the next kept value, a clear bit the zero point', function () {
    // Bitmap 101100(00) = 0xB0, kept values 7 8 9, zero point -5.
    const ancillary = [...metadata(PRUNE), ...littleEndian([7, 8, 9], Int8Array)];
    const output = { dtype: 'int8' as const, shape: [6], quantization: { scale: [0.1], zeroPoint: [-5] } };
    assert.deepEqual(decoded([{ encoded: [0xb0], ancillary, output }]), [[7, -5, 8, 9, -5, -5]]);
  });

  it('prune, per-channel int8: each channel fills with its own zero point', function () {
    // Bitmap 0110 = 0x60; channels along dimension 0 with zero points 1 and -1.
    const ancillary = [...metadata(PRUNE), ...littleEndian([50, 60], Int8Array)];
    const output = { dtype: 'int8' as const, shape: [2, 2], quantization: { scale: [1, 1], zeroPoint: [1, -1], quantizedDimension: 0 } };
    assert.deepEqual(decoded([{ encoded: [0x60], ancillary, output }]), [[1, 50, 60, -1]]);
  });

  it('prune, int16: kept values and zeros', function () {
    const ancillary = [...metadata(PRUNE), ...littleEndian([-300, 400], Int16Array)];
    assert.deepEqual(decoded([{ encoded: [0x41], ancillary, output: { dtype: 'int16', shape: [8] } }]), [[0, -300, 0, 0, 0, 0, 0, 400]]);
  });

  describe('Huffman', function () {
    // The code A = 0, B = 10, C = 110, D = 111 as decode_state_huffman.cc walks it: a first table
    // of 2^2 entries (byte 5 bits 4-7 = 2 - 1), where 11 leads on to a 1-bit table two entries on.
    // Found entries carry the symbol and how many of the looked-up bits the code used (A: 1, the
    // other bit goes back). Message A B C D A = 0 10 110 111 0 -> 01011011 10(000000) = 0x5B 0x80.
    const message = [0x5b, 0x80, 0, 0];
    function tables(found: number, countShift: number, symbols: number[]): number[] {
      const leaf = (used: number, symbol: number): number => (found | (used << countShift) | symbol) >>> 0;
      return [leaf(1, symbols[0]), leaf(1, symbols[0]), leaf(2, symbols[1]), 1, leaf(1, symbols[2]), leaf(1, symbols[3])];
    }

    it('16-bit tables to int8', function () {
      const table = tables(0x8000, 11, [5, 0xfd, 7, 0x80]);
      const ancillary = [...metadata(HUFFMAN, 0x10), ...Array.from(new Uint8Array(new Uint16Array(table).buffer))];
      assert.deepEqual(decoded([{ encoded: message, ancillary, output: { dtype: 'int8', shape: [5] } }]), [[5, -3, 7, -128, 5]]);
    });

    it('32-bit tables to int16', function () {
      const table = tables(0x80000000, 27, [1000, 0xfffe, 300, 0x8000]);
      const ancillary = [...metadata(HUFFMAN, 0x11), ...Array.from(new Uint8Array(new Uint32Array(table).buffer))];
      assert.deepEqual(decoded([{ encoded: message, ancillary, output: { dtype: 'int16', shape: [5] } }]), [[1000, -2, 300, -32768, 1000]]);
    });

    it('refuses 16-bit tables for int16, as TFLM\'s Setup does', function () {
      assertDecodeError([{ encoded: message, ancillary: [...metadata(HUFFMAN, 0x10), 0, 0x80], output: { dtype: 'int16', shape: [1] } }],
        /output 0: 16-bit Huffman tables decode to int8 only/);
    });
  });

  it('refuses the custom type, a non-zero zero point for int16 prune, a missing table entry and a non-constant input', function () {
    const int8 = { dtype: 'int8' as const, shape: [2] };
    assertDecodeError([{ encoded: [0], ancillary: metadata(127), output: int8 }],
      /operator 0 \(TFLM_DECODE\): output 0: decode type 127 \(custom\) is not supported; LUT \(0\), Huffman \(1\) and prune \(2\) are/);
    assertDecodeError([{ encoded: [0xff], ancillary: metadata(PRUNE), output: { dtype: 'int16', shape: [2], quantization: { scale: [1], zeroPoint: [3] } } }],
      /output 0: zero point 3 is not 0/);
    assertDecodeError([{ encoded: [0xc0], ancillary: [...metadata(LUT, 2, 4), 1, 2], output: int8 }],
      /output 0: element 0 reads value-table entry 3, past the 18-byte ancillary tensor/);
    assertDecodeError([{ encoded: [0], ancillary: [...metadata(LUT, 2, 4), 1, 2, 3, 4], output: int8 }],
      /input 0 \(encoded\) must be a constant tensor/, true);
  });
});
