// The report's per-tensor rows: every quantized tensor of the quantized model (subgraph 0) with its
// parameters, its float range and its SQNR from evaluateQuantization (null when unpaired).
import { constantView } from '../interpreter/tensor.js';
import { elementCount } from '../model/dtype.js';
import type { Model, Tensor } from '../model/types.js';
import { dequantizer, isDequantizable } from './sqnr.js';
import { pairTensorsByName } from './tensor-pairs.js';
import type { TensorQuantization } from './types.js';

export interface FloatRange {
  min: number;
  max: number;
}

function constantRange(tensor: Tensor): FloatRange | null {
  if (tensor.data === null || !isDequantizable(tensor.dtype)) return null;
  const read = dequantizer({ ...tensor, data: constantView(tensor.dtype, tensor.data) });
  let min = Infinity;
  let max = -Infinity;
  for (let i = 0; i < elementCount(tensor.shape); i++) {
    const v = read(i);
    if (v < min) min = v;
    if (v > max) max = v;
  }
  return min <= max ? { min, max } : null;
}

/**
 * Rows for the report. `min`/`max`: for an activation its calibrated range from `ranges` (by name)
 * or as stored in the model, else null; for a constant the range of the float weights it came from
 * (or of its dequantized values when it has no float counterpart).
 */
export function tensorQuantizations(
  floatModel: Model,
  quantizedModel: Model,
  sqnrByTensorName: ReadonlyMap<string, number>,
  ranges: ReadonlyMap<string, FloatRange> = new Map(),
): TensorQuantization[] {
  const floatTensors = floatModel.subgraphs[0]?.tensors ?? [];
  const pairs = new Map(pairTensorsByName(floatModel, quantizedModel).map((p) => [p.quantizedIndex, p]));
  const rows: TensorQuantization[] = [];
  (quantizedModel.subgraphs[0]?.tensors ?? []).forEach((tensor, index) => {
    const q = tensor.quantization;
    if (q === null || q.scale.length === 0) return;
    const pair = pairs.get(index);
    const constant = tensor.data !== null && !tensor.isVariable;
    const stored = q.min.length > 0 && q.max.length > 0 ? { min: q.min[0], max: q.max[0] } : null;
    const range = constant
      ? constantRange(pair === undefined ? tensor : floatTensors[pair.floatIndex])
      : ranges.get(tensor.name) ?? stored;
    rows.push({
      subgraph: 0,
      tensor: index,
      name: tensor.name,
      dtype: tensor.dtype,
      scale: [...q.scale],
      zeroPoint: [...q.zeroPoint],
      quantizedDimension: q.quantizedDimension,
      min: range?.min ?? null,
      max: range?.max ?? null,
      sqnrDb: pair === undefined ? null : sqnrByTensorName.get(tensor.name) ?? null,
    });
  });
  return rows;
}
