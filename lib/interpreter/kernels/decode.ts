// TFLM_DECODE after TFLM's tensorflow/lite/micro/kernels/decode.cc with decode_state_lut.cc,
// decode_state_prune.cc and decode_state_huffman.cc: expands compressed constant tensors. Inputs come in pairs (encoded data,
// ancillary), one pair per output. The ancillary uint8 tensor opens with 16 bytes of Decode
// Common Metadata: byte 0 the decode type (0 LUT, 1 Huffman, 2 prune, 127 custom), byte 1 its
// version (1), byte 4 the type's own version (1); for LUT, byte 5 bits 0-2 the index bit width
// (1-7) and byte 6 the value-table stride (values per channel); the value tables (or, for prune,
// the kept values) follow from byte 16, little-endian in the output's type.
// LUT: the encoded bytes are a most-significant-bit-first stream of bit-width indices; element i
// takes its channel's table entry. Prune: a most-significant-bit-first bitmap; a set bit takes
// the next kept value, a clear one the zero point. Channels follow the output's quantization:
// per-channel along dimension 0 (each channel a run of elements), or along the last dimension
// (channels interleaved).
// Huffman (decode_state_huffman.h/.cc): byte 5 holds the table element size (bit 0: 32-bit, else
// 16-bit) and, in bits 4-7, log2 of the first table's length minus 1; the code words are a
// most-significant-bit-first stream (TFLM reads it as big-endian uint32 words). Each symbol starts
// with a look-up of that many bits; an entry without the "found" bit names how many more bits to
// read and how far on the next table starts; a found entry is the symbol (its low bits), and its
// count field how many bits of the last look-up its code used: the rest go back to the stream.
// Both inputs are constants (TFLM requires it), so prepare decodes once into bytes and invoke
// copies them into the output, which lives in the arena as in TFLM.
import type { RuntimeTensor } from '../tensor.js';
import type { Kernel, PrepareContext, PreparedOp } from './kernel.js';
import { LateView } from './signal/signal-common.js';

const DCM_BYTES = 16;
const LUT = 0;
const HUFFMAN = 1;
const PRUNE = 2;
const CUSTOM = 127;
const MAX_LUT_BIT_WIDTH = 7;
/** Table lookups one Huffman symbol may take before the tables are called malformed (each reads 1+ bits). */
const MAX_HUFFMAN_STEPS = 32;

/** Bytes per element of the output types TFLM's decoders write. */
const ELEMENT_BYTES: Readonly<Partial<Record<string, number>>> = { bool: 1, int8: 1, int16: 2, int32: 4, float32: 4, int64: 8 };

interface Channels {
  count: number;
  /** Channels along the last dimension (element i in channel i % count), else runs along dimension 0. */
  interleaved: boolean;
}

/** How DecodeStateLut/Prune::Setup read the channels from the output's quantization. */
function channelsOf(ctx: PrepareContext, output: RuntimeTensor, where: string): Channels {
  const q = output.quantization;
  if (q === null || q.scale.length === 0) return { count: 1, interleaved: false };
  const count = q.scale.length;
  if (q.quantizedDimension === output.shape.length - 1 && count > 1) return { count, interleaved: true };
  if (q.quantizedDimension !== 0) throw ctx.error(`${where}: quantized dimension ${q.quantizedDimension} is neither 0 nor the last`);
  return { count, interleaved: false };
}

/** The channel of element i, as the decoders walk them (runs of count / channels elements, or interleaved). */
function channelAt(i: number, channels: Channels, perChannel: number): number {
  if (channels.interleaved) return i % channels.count;
  return Math.min(Math.floor(i / perChannel), channels.count - 1);
}

function decodeLut(ctx: PrepareContext, where: string, encoded: Uint8Array, ancillary: Uint8Array, output: RuntimeTensor, size: number): Uint8Array {
  const width = ancillary[5] & 0x07;
  const stride = ancillary[6];
  if (width < 1 || width > MAX_LUT_BIT_WIDTH) throw ctx.error(`${where}: LUT bit width ${width} is outside [1, ${MAX_LUT_BIT_WIDTH}]`);
  const channels = channelsOf(ctx, output, where);
  const count = output.elementCount;
  const perChannel = Math.floor(count / channels.count);
  // DecompressToBufferWidthAny writes channels * (count / channels) elements in channel-major order.
  const written = channels.interleaved ? count : perChannel * channels.count;
  if (encoded.length * 8 < written * width) throw ctx.error(`${where}: ${encoded.length} encoded bytes hold fewer than ${written} ${width}-bit indices`);
  const decoded = new Uint8Array(output.byteLength);
  for (let i = 0; i < written; i++) {
    const entry = channelAt(i, channels, perChannel) * stride + streamBits(encoded, i * width, width);
    const from = DCM_BYTES + entry * size;
    if (from + size > ancillary.length) throw ctx.error(`${where}: element ${i} reads value-table entry ${entry}, past the ${ancillary.length}-byte ancillary tensor`);
    decoded.set(ancillary.subarray(from, from + size), i * size);
  }
  return decoded;
}

/** The element bytes (little-endian, sign-extended) of an int8 zero point. */
function zeroPointBytes(zeroPoint: number, size: number): Uint8Array {
  const bytes = new Uint8Array(size);
  const extended = (zeroPoint << 24) >> 24;
  for (let b = 0; b < size; b++) bytes[b] = b < 4 ? (extended >> (8 * b)) & 0xff : extended < 0 ? 0xff : 0;
  return bytes;
}

function decodePrune(ctx: PrepareContext, where: string, encoded: Uint8Array, ancillary: Uint8Array, output: RuntimeTensor, size: number): Uint8Array {
  const channels = channelsOf(ctx, output, where);
  const q = output.quantization;
  const perChannelInt8 = channels.count > 1 && output.dtype === 'int8';
  // One int8 zero point, or (per-channel int8) one per channel; other types need zero point 0.
  const zeroPoints = perChannelInt8 ? (q?.zeroPoint ?? []) : [q !== null && q.scale.length > 0 ? q.zeroPoint[0] ?? 0 : 0];
  if (output.dtype !== 'int8' && zeroPoints[0] !== 0) throw ctx.error(`${where}: zero point ${zeroPoints[0]} is not 0 (TFLM requires it for ${output.dtype})`);
  if (perChannelInt8 && zeroPoints.length !== channels.count) throw ctx.error(`${where}: ${zeroPoints.length} zero points for ${channels.count} channels`);
  const fills = zeroPoints.map((zp) => zeroPointBytes(zp, size));
  const count = output.elementCount;
  const perChannel = Math.floor(count / channels.count);
  const written = perChannelInt8 && !channels.interleaved ? perChannel * channels.count : count;
  if (encoded.length * 8 < written) throw ctx.error(`${where}: ${encoded.length} encoded bytes hold fewer than ${written} bits`);
  const decoded = new Uint8Array(output.byteLength);
  let next = DCM_BYTES;
  for (let i = 0; i < written; i++) {
    if (streamBits(encoded, i, 1) === 1) {
      if (next + size > ancillary.length) throw ctx.error(`${where}: element ${i} needs a kept value past the ${ancillary.length}-byte ancillary tensor`);
      decoded.set(ancillary.subarray(next, next + size), i * size);
      next += size;
    } else {
      decoded.set(fills[perChannelInt8 ? channelAt(i, channels, perChannel) : 0], i * size);
    }
  }
  return decoded;
}

/** `count` (<= 31) bits from bit `position` of a most-significant-bit-first stream; zeros past its end. */
function streamBits(bytes: Uint8Array, position: number, count: number): number {
  let value = 0;
  for (let k = 0; k < count; k++) {
    const bit = position + k;
    value = value * 2 + (((bytes[bit >>> 3] ?? 0) >>> (7 - (bit & 7))) & 1);
  }
  return value;
}

function decodeHuffman(ctx: PrepareContext, where: string, encoded: Uint8Array, ancillary: Uint8Array, output: RuntimeTensor, size: number): Uint8Array {
  const wide = (ancillary[5] & 0x01) !== 0;
  const firstBits = ((ancillary[5] & 0xf0) >>> 4) + 1;
  if (output.dtype !== 'int8' && output.dtype !== 'int16') throw ctx.error(`${where} is ${output.dtype}; the Huffman decoder writes int8 or int16`);
  if (!wide && output.dtype !== 'int8') throw ctx.error(`${where}: 16-bit Huffman tables decode to int8 only`);
  const entryBytes = wide ? 4 : 2;
  const countShift = wide ? 27 : 11;
  const found = wide ? 0x80000000 : 0x8000;
  const valueMask = wide ? 0x07ffffff : 0x07ff;
  const view = new DataView(ancillary.buffer, ancillary.byteOffset, ancillary.byteLength);
  const entry = (offset: number, element: number): number => {
    const at = DCM_BYTES + offset * entryBytes;
    if (at + entryBytes > ancillary.length) throw ctx.error(`${where}: element ${element} reads Huffman table entry ${offset}, past the ${ancillary.length}-byte ancillary tensor`);
    return wide ? view.getUint32(at, true) : view.getUint16(at, true);
  };
  const decoded = new Uint8Array(output.byteLength);
  let position = 0;
  for (let i = 0; i < output.elementCount; i++) {
    let used = firstBits;
    let offset = streamBits(encoded, position, used);
    position += used;
    let value = entry(offset, i);
    for (let step = 0; (value & found) === 0; step++) {
      if (step === MAX_HUFFMAN_STEPS) throw ctx.error(`${where}: element ${i} finds no symbol in ${MAX_HUFFMAN_STEPS} table lookups`);
      used = ((value >>> countShift) & 0x0f) + 1;
      const next = streamBits(encoded, position, used);
      position += used;
      offset += (value & valueMask) + next;
      value = entry(offset, i);
    }
    // The symbol is the entry's low bits (the store truncates to the output type).
    decoded[i * size] = value & 0xff;
    if (size === 2) decoded[i * size + 1] = (value >>> 8) & 0xff;
    const unused = (value >>> countShift) & 0x0f;
    if (used > unused) position -= used - unused;
  }
  return decoded;
}

function constantBytes(ctx: PrepareContext, position: number, what: string): Uint8Array {
  const tensor = ctx.inputs[position];
  if (tensor === null || tensor === undefined) throw ctx.error(`missing input ${position} (${what})`);
  if (!tensor.isConstant) throw ctx.error(`input ${position} (${what}) must be a constant tensor`);
  return new Uint8Array(tensor.data.buffer, tensor.data.byteOffset, tensor.data.byteLength);
}

const TYPE_NAMES: Readonly<Record<number, string>> = { [LUT]: 'LUT', [HUFFMAN]: 'Huffman', [PRUNE]: 'prune', [CUSTOM]: 'custom' };

export const TFLM_DECODE: Kernel = {
  supports(_operator, inputDtypes): boolean {
    return inputDtypes[0] === 'uint8';
  },
  prepare(ctx): PreparedOp {
    const outputs = ctx.outputs.length;
    if (outputs < 1 || ctx.inputs.length !== 2 * outputs) throw ctx.error(`expected 2 inputs (encoded, ancillary) per output: ${ctx.inputs.length} inputs, ${outputs} outputs`);
    const steps = ctx.outputs.map((output, o) => {
      const where = `output ${o}`;
      const encoded = constantBytes(ctx, 2 * o, 'encoded');
      const ancillary = constantBytes(ctx, 2 * o + 1, 'ancillary');
      if (ancillary.length < DCM_BYTES) throw ctx.error(`input ${2 * o + 1} (ancillary) has ${ancillary.length} bytes, fewer than the ${DCM_BYTES} of its metadata`);
      const type = ancillary[0];
      if (ancillary[1] !== 1) throw ctx.error(`${where}: decode metadata version ${ancillary[1]}, expected 1`);
      if (type !== LUT && type !== PRUNE && type !== HUFFMAN) {
        throw ctx.error(`${where}: decode type ${type}${TYPE_NAMES[type] === undefined ? '' : ` (${TYPE_NAMES[type]})`} is not supported; LUT (0), Huffman (1) and prune (2) are`);
      }
      if (ancillary[4] !== 1) throw ctx.error(`${where}: ${TYPE_NAMES[type]} version ${ancillary[4]}, expected 1`);
      const size = ELEMENT_BYTES[output.dtype];
      if (size === undefined) throw ctx.error(`${where} is ${output.dtype}; the decoders write bool, int8, int16, int32, int64 or float32`);
      const decoder = type === LUT ? decodeLut : type === PRUNE ? decodePrune : decodeHuffman;
      const decoded = decoder(ctx, where, encoded, ancillary, output, size);
      const target = new LateView(() => output.data, (d) => new Uint8Array(d.buffer, d.byteOffset, d.byteLength));
      return { decoded, target };
    });
    return {
      invoke(): void {
        for (let i = 0; i < steps.length; i++) steps[i].target.get().set(steps[i].decoded);
      },
    };
  },
};
