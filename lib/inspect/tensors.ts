// Tensor-level parts of the report: rows, quantization summaries, I/O entries, parameter totals.
import { byteLengthOf, elementCount } from '../model/dtype.js';
import type { Quantization, Subgraph, Tensor } from '../model/types.js';
import type { IoTensor, ParameterSummary, QuantizationInfo, SubgraphTensors, TensorRow } from './report.js';

/** A constant holds data from the file; a variable's buffer (if any) is only its initial value. */
export function isConstant(tensor: Tensor): boolean {
  return tensor.data !== null && !tensor.isVariable;
}

/** null unless the tensor carries scales: TFLite treats a tensor without scales as not quantized. */
export function quantizationInfo(q: Quantization | null): QuantizationInfo | null {
  if (q === null || q.scale.length === 0) return null;
  const scales = q.scale;
  // Converters may write a single zero point for many scales; absent ones are 0 as in TFLite.
  const zeroPoints = q.zeroPoint.length > 0 ? q.zeroPoint : [0];
  const zeroMin = Math.min(...zeroPoints);
  const zeroMax = Math.max(...zeroPoints);
  const perChannel = scales.length > 1;
  return {
    perChannel,
    quantizedDimension: q.quantizedDimension,
    channels: scales.length,
    scale: perChannel ? null : scales[0],
    scaleMin: Math.min(...scales),
    scaleMax: Math.max(...scales),
    zeroPoint: zeroMin === zeroMax ? zeroMin : null,
    zeroPointMin: zeroMin,
    zeroPointMax: zeroMax,
  };
}

export function tensorBytes(tensor: Tensor): number {
  if (tensor.data !== null) return tensor.data.byteLength;
  return byteLengthOf(tensor.dtype, elementCount(tensor.shape));
}

export function tensorRow(tensor: Tensor, index: number): TensorRow {
  return {
    index,
    name: tensor.name,
    shape: [...tensor.shape],
    dtype: tensor.dtype,
    bytes: tensorBytes(tensor),
    constant: isConstant(tensor),
    variable: tensor.isVariable,
    quantization: quantizationInfo(tensor.quantization),
  };
}

export function subgraphTensors(subgraph: Subgraph, index: number): SubgraphTensors {
  return { subgraph: index, name: subgraph.name, tensors: subgraph.tensors.map(tensorRow) };
}

export function ioTensor(tensors: readonly Tensor[], index: number, name?: string): IoTensor {
  const tensor = tensors[index];
  if (tensor === undefined) {
    throw new RangeError(`tensor ${index} does not exist (subgraph has ${tensors.length} tensors)`);
  }
  const quantization = quantizationInfo(tensor.quantization);
  return {
    name: name ?? tensor.name,
    tensor: index,
    shape: [...tensor.shape],
    dtype: tensor.dtype,
    scale: quantization?.scale ?? null,
    zeroPoint: quantization?.perChannel ? null : (quantization?.zeroPoint ?? null),
    quantization,
  };
}

/**
 * Constant tensors over all subgraphs. Each tensor counts once even when the converter let two
 * tensors share a buffer, so `bytes` can exceed what the buffers occupy in the file.
 */
export function parameterSummary(subgraphs: readonly Subgraph[]): ParameterSummary {
  const summary: ParameterSummary = { tensors: 0, elements: 0, bytes: 0, byDtype: {} };
  for (const subgraph of subgraphs) {
    for (const tensor of subgraph.tensors) {
      if (!isConstant(tensor)) continue;
      const elements = elementCount(tensor.shape);
      const bytes = tensorBytes(tensor);
      summary.tensors += 1;
      summary.elements += elements;
      summary.bytes += bytes;
      const entry = (summary.byDtype[tensor.dtype] ??= { tensors: 0, elements: 0, bytes: 0 });
      entry.tensors += 1;
      entry.elements += elements;
      entry.bytes += bytes;
    }
  }
  return summary;
}
