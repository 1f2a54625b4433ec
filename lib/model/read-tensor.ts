// One Tensor table -> Tensor, with its constant data resolved through the buffers table.
import {
  type QuantizationParameters,
  type Tensor as TensorTable,
} from './schema/tflite.js';
import { unionToQuantizationDetails } from './schema/tflite/quantization-details.js';
import type { CheckedByteBuffer } from './checked-byte-buffer.js';
import { dtypeFromTensorType } from './dtype.js';
import { ModelError } from './errors.js';
import type { BufferReader } from './read-buffers.js';
import { FIELD } from './read-fields.js';
import type { Quantization, Tensor } from './types.js';

export function readTensor(bb: CheckedByteBuffer, table: TensorTable, path: string, buffers: BufferReader): Tensor {
  bb.where = path;
  const type = table.type();
  const dtype = dtypeFromTensorType(type);
  if (dtype === null) throw new ModelError('DTYPE', `${path}.type`, `unknown tensor type ${type}`);

  const shape = bb.int32s(table, FIELD.tensor.shape) ?? [];
  // Absent and empty differ here: a scalar's signature is [], a file without one has none.
  const shapeSignature = bb.int32s(table, FIELD.tensor.shapeSignature);
  const name = table.name() ?? '';
  const isVariable = table.isVariable();
  const hasRank = table.hasRank();
  const externalBuffer = table.externalBuffer();

  bb.where = `${path}.quantization`;
  const quantizationTable = table.quantization();
  const quantization = quantizationTable === null ? null : readQuantization(bb, quantizationTable);

  bb.where = `${path}.sparsity`;
  const sparsity = table.sparsity()?.unpack() ?? null;
  const variantTensors = bb.list(`${path}.variant_tensors`, table.variantTensorsLength(), (i) => table.variantTensors(i)!.unpack());

  bb.where = path;
  const data = buffers.data(table.buffer(), `${path}.buffer`);
  return { name, shape, shapeSignature, dtype, isVariable, quantization, data, hasRank, sparsity, variantTensors, externalBuffer };
}

function readQuantization(bb: CheckedByteBuffer, table: QuantizationParameters): Quantization | null {
  const scale = bb.float32s(table, FIELD.quantization.scale) ?? [];
  // int64 in the schema; real zero points fit easily in a double.
  const zeroPoint = bb.int64s(table, FIELD.quantization.zeroPoint) ?? [];
  const min = bb.float32s(table, FIELD.quantization.min) ?? [];
  const max = bb.float32s(table, FIELD.quantization.max) ?? [];
  const details = unionToQuantizationDetails(table.detailsType(), table.details.bind(table))?.unpack() ?? null;
  if (scale.length === 0 && zeroPoint.length === 0 && min.length === 0 && max.length === 0 && details === null) {
    return null;
  }
  return { scale, zeroPoint, quantizedDimension: table.quantizedDimension(), min, max, details };
}
