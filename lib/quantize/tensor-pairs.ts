// Which tensor of the quantized model stands for which tensor of the float model. The quantizers
// keep the float model's tensor names, so pairs are made by name in subgraph 0; a name that is
// empty or appears twice in either model pairs with nothing (an SQNR of null in the report), as
// does a tensor whose element count or kind (constant / activation) differs.
import { isConstant } from '../inspect/tensors.js';
import { elementCount } from '../model/dtype.js';
import type { Model, Tensor } from '../model/types.js';
import { isDequantizable } from './sqnr.js';

export interface TensorPair {
  name: string;
  /** Tensor indices in subgraph 0 of each model. */
  floatIndex: number;
  quantizedIndex: number;
  constant: boolean;
}

/** Names that occur exactly once, mapped to their tensor index. */
function uniqueNames(tensors: readonly Tensor[]): Map<string, number> {
  const seen = new Map<string, number>();
  const repeated = new Set<string>();
  tensors.forEach((tensor, index) => {
    if (seen.has(tensor.name)) repeated.add(tensor.name);
    else seen.set(tensor.name, index);
  });
  for (const name of repeated) seen.delete(name);
  seen.delete('');
  return seen;
}

/** Every float32 tensor of the float model with a same-named, comparable tensor in the quantized model. */
export function pairTensorsByName(floatModel: Model, quantizedModel: Model): TensorPair[] {
  const floatTensors = floatModel.subgraphs[0]?.tensors ?? [];
  const quantizedTensors = quantizedModel.subgraphs[0]?.tensors ?? [];
  const floatByName = uniqueNames(floatTensors);
  const pairs: TensorPair[] = [];
  for (const [name, quantizedIndex] of uniqueNames(quantizedTensors)) {
    const floatIndex = floatByName.get(name);
    if (floatIndex === undefined) continue;
    const f = floatTensors[floatIndex];
    const q = quantizedTensors[quantizedIndex];
    if (f.dtype !== 'float32' || !isDequantizable(q.dtype)) continue;
    if (isConstant(f) !== isConstant(q) || f.isVariable || q.isVariable) continue;
    if (elementCount(f.shape) !== elementCount(q.shape)) continue;
    pairs.push({ name, floatIndex, quantizedIndex, constant: isConstant(f) });
  }
  return pairs.sort((a, b) => a.quantizedIndex - b.quantizedIndex);
}
