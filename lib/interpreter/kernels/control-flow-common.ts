// Shared by IF, WHILE and CALL_ONCE (TFLM's kernel_util CopyOpInputsToSubgraphInputs and
// friends): the subgraph access, index checks and tensor-to-tensor copies between an operator's
// tensors and a called subgraph's inputs and outputs. Every pairing is checked in prepare
// (TFLM checks type and byte size at eval); invoke only copies bytes.
import type { RuntimeTensor } from '../tensor.js';
import { bytesOf } from './tensor-bytes.js';
import type { PrepareContext, SubgraphAccess } from './kernel.js';
import { shapeText } from './shape-common.js';

export function graphOf(ctx: PrepareContext): SubgraphAccess {
  if (ctx.graph === undefined) throw ctx.error('needs access to the other subgraphs, which this caller does not give');
  return ctx.graph;
}

export function checkSubgraphIndex(ctx: PrepareContext, graph: SubgraphAccess, index: number, what: string): number {
  if (!Number.isInteger(index) || index < 0 || index >= graph.subgraphCount) {
    throw ctx.error(`${what} ${index} is not a subgraph of this model (it has ${graph.subgraphCount})`);
  }
  if (index === ctx.subgraphIndex) throw ctx.error(`${what} ${index} is the subgraph this operator belongs to`);
  return index;
}

/** A copy of whole tensors, source[i] -> target[i], after checking the counts, dtypes and sizes agree. */
export interface TensorCopy {
  run(): void;
}

export function tensorCopy(
  ctx: PrepareContext, sources: readonly RuntimeTensor[], targets: readonly RuntimeTensor[], what: string,
): TensorCopy {
  if (sources.length !== targets.length) throw ctx.error(`${what}: ${sources.length} tensors for ${targets.length}`);
  sources.forEach((source, i) => {
    const target = targets[i];
    if (source.dtype !== target.dtype || source.byteLength !== target.byteLength) {
      throw ctx.error(`${what}, tensor ${i}: ${source.dtype} ${shapeText(source.shape)} does not fit ${target.dtype} ${shapeText(target.shape)}`);
    }
  });
  // Tensor views are bound after prepare: the byte views are taken at the first run and kept.
  let pairs: Array<[Uint8Array, Uint8Array]> | null = null;
  return {
    run(): void {
      pairs ??= sources.map((source, i) => [bytesOf(source), bytesOf(targets[i])]);
      for (const [source, target] of pairs) {
        if (target.buffer !== source.buffer || target.byteOffset !== source.byteOffset) target.set(source);
      }
    },
  };
}
