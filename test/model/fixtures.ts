// Small hand-built .tflite files for reader and validator tests, packed with the generated
// object API (ModelT.pack -> Model.createModel and friends), so each test can break exactly
// one thing and see which ModelError comes out.
import * as flatbuffers from 'flatbuffers';
import {
  AddOptionsT,
  BufferT,
  BuiltinOperator,
  BuiltinOptions,
  FullyConnectedOptionsT,
  MetadataT,
  ModelT,
  OperatorCodeT,
  OperatorT,
  QuantizationParametersT,
  SignatureDefT,
  SubGraphT,
  TensorMapT,
  TensorT,
  TensorType,
  Model as ModelTable,
} from '../../lib/model/schema/tflite.js';

export function floatBytes(values: number[]): number[] {
  return [...new Uint8Array(new Float32Array(values).buffer)];
}

/**
 * y = FULLY_CONNECTED(ADD(x, c), w): x float32[1,4] (input 0), c float32[4] constant,
 * w int8[2,4] per-channel (2 scales on dimension 0), y float32[1,2] (output 4).
 */
export function baseModelT(): ModelT {
  const tensors = [
    new TensorT([1, 4], TensorType.FLOAT32, 0, 'x'),
    new TensorT([4], TensorType.FLOAT32, 1, 'c'),
    new TensorT([1, 4], TensorType.FLOAT32, 0, 'sum'),
    new TensorT(
      [2, 4],
      TensorType.INT8,
      2,
      'w',
      new QuantizationParametersT([], [], [0.5, 0.25], [0n, 0n], undefined, null, 0),
    ),
    new TensorT([1, 2], TensorType.FLOAT32, 0, 'y'),
  ];
  const operators = [
    new OperatorT(0, [0, 1], [2], BuiltinOptions.AddOptions, new AddOptionsT()),
    new OperatorT(1, [2, 3, -1], [4], BuiltinOptions.FullyConnectedOptions, new FullyConnectedOptionsT()),
  ];
  const subgraph = new SubGraphT(tensors, [0], [4], operators, 'main');
  const buffers = [
    new BufferT(),
    new BufferT(floatBytes([1, 2, 3, 4])),
    new BufferT([1, 2, 3, 4, 5, 6, 7, 8]),
    new BufferT([...new TextEncoder().encode('1.14.0'), 0, 0]),
  ];
  const signature = new SignatureDefT([new TensorMapT('x', 0)], [new TensorMapT('y', 4)], 'serving_default', 0);
  return new ModelT(
    3,
    [new OperatorCodeT(0, null, 1, BuiltinOperator.ADD), new OperatorCodeT(9, null, 4, BuiltinOperator.FULLY_CONNECTED)],
    [subgraph],
    'hand built',
    buffers,
    [],
    [new MetadataT('min_runtime_version', 3)],
    [signature],
  );
}

export function pack(model: ModelT): Uint8Array {
  const builder = new flatbuffers.Builder(1024);
  ModelTable.finishModelBuffer(builder, model.pack(builder));
  return builder.asUint8Array().slice();
}

/** pack(), then append `tail` after the flatbuffer (data stored as models over 2 GB do). */
export function packWithTail(model: ModelT, tail: Uint8Array): Uint8Array {
  const body = pack(model);
  const out = new Uint8Array(body.length + tail.length);
  out.set(body);
  out.set(tail, body.length);
  return out;
}

/** `bytes` copied to an odd byte offset of a larger buffer (unaligned, as a pooled Node Buffer may be). */
export function misaligned(bytes: Uint8Array): Uint8Array {
  const holder = new Uint8Array(bytes.length + 3);
  holder.set(bytes, 3);
  return holder.subarray(3);
}

/** Where a table field's uoffset lives, located through the generated accessors. */
export function fieldPosition(bytes: Uint8Array, tablePos: number, fieldIndex: number): number {
  const bb = new flatbuffers.ByteBuffer(bytes);
  const offset = bb.__offset(tablePos, 4 + 2 * fieldIndex);
  if (offset === 0) throw new Error(`field ${fieldIndex} absent`);
  return tablePos + offset;
}

export function writeInt32(bytes: Uint8Array, at: number, value: number): void {
  new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength).setInt32(at, value, true);
}
