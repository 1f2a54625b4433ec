// When each non-constant tensor must hold its value, in operator indices, as TFLM's allocation
// info builder decides: from its first producer or use to its last use; subgraph inputs from the
// start, subgraph outputs to the end, variable tensors for the whole run.
import type { Subgraph } from '../model/types.js';
import type { RuntimeTensor } from './tensor.js';

export interface TensorLifetime {
  tensorIndex: number;
  firstUse: number;
  lastUse: number;
}

export function tensorLifetimes(subgraph: Subgraph, tensors: readonly RuntimeTensor[]): TensorLifetime[] {
  const lastOp = Math.max(0, subgraph.operators.length - 1);
  const first = new Map<number, number>();
  const last = new Map<number, number>();
  const touch = (index: number, at: number): void => {
    const tensor = tensors[index];
    if (index < 0 || tensor === undefined || tensor.isConstant) return;
    first.set(index, Math.min(first.get(index) ?? at, at));
    last.set(index, Math.max(last.get(index) ?? at, at));
  };
  for (const index of subgraph.inputs) touch(index, 0);
  subgraph.operators.forEach((op, i) => {
    for (const index of op.inputs) touch(index, i);
    for (const index of op.outputs) touch(index, i);
  });
  for (const index of subgraph.outputs) touch(index, lastOp);
  for (const tensor of tensors) {
    if (tensor.isVariable) {
      touch(tensor.index, 0);
      touch(tensor.index, lastOp);
    }
  }
  return [...first.keys()].sort((a, b) => a - b).map((tensorIndex) => ({
    tensorIndex, firstUse: first.get(tensorIndex) ?? 0, lastUse: last.get(tensorIndex) ?? lastOp,
  }));
}
