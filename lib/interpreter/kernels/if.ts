// IF after TFLM's micro/kernels/if.cc: input 0 is a one-element bool condition; the other inputs
// are copied into the inputs of then_subgraph_index or else_subgraph_index, that subgraph runs,
// and its outputs are copied into the operator's outputs. The planner keeps the branches' tensors
// apart from the operator's (lifetimes.ts), so no intermediate buffer is needed.
import { IfOptionsT } from '../../model/schema/tflite.js';
import { checkSubgraphIndex, graphOf, tensorCopy, type TensorCopy } from './control-flow-common.js';
import { ABORTED, type InvokeStatus, type Kernel, type PreparedOp } from './kernel.js';
import { inputAt } from './shape-common.js';

export const IF: Kernel = {
  supports(_operator, inputDtypes): boolean {
    return inputDtypes[0] === 'bool';
  },
  prepare(ctx): PreparedOp {
    const graph = graphOf(ctx);
    const options = ctx.operator.builtinOptions instanceof IfOptionsT ? ctx.operator.builtinOptions : new IfOptionsT();
    const cond = inputAt(ctx, 0, 'cond');
    if (cond.elementCount !== 1) throw ctx.error(`cond must hold one bool, has ${cond.elementCount} elements`);
    const operands = ctx.inputs.slice(1).map((tensor, i) => tensor ?? inputAt(ctx, i + 1, 'branch input'));
    const branch = (index: number, name: string): { index: number; inputs: TensorCopy; outputs: TensorCopy } => {
      checkSubgraphIndex(ctx, graph, index, name);
      return {
        index,
        inputs: tensorCopy(ctx, operands, graph.inputs(index), `${name} ${index} inputs`),
        outputs: tensorCopy(ctx, graph.outputs(index), ctx.outputs, `${name} ${index} outputs`),
      };
    };
    const then = branch(options.thenSubgraphIndex, 'then_subgraph_index');
    const otherwise = branch(options.elseSubgraphIndex, 'else_subgraph_index');
    return {
      invoke(): InvokeStatus | void {
        const chosen = (cond.data as Uint8Array)[0] !== 0 ? then : otherwise;
        chosen.inputs.run();
        // TF_LITE_ENSURE_OK: an abort inside the branch ends this invoke too.
        if (graph.invoke(chosen.index) === ABORTED) return ABORTED;
        chosen.outputs.run();
      },
    };
  },
};
