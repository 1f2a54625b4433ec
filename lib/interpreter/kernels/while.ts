// WHILE after TFLM's micro/kernels/while.cc: the operator's outputs hold the loop state. They
// start as copies of its inputs; while cond_subgraph_index (fed the state) returns true,
// body_subgraph_index runs on the state and its outputs become the new state.
import { WhileOptionsT } from '../../model/schema/tflite.js';
import { checkSubgraphIndex, graphOf, tensorCopy } from './control-flow-common.js';
import { ABORTED, type InvokeStatus, type Kernel, type PreparedOp } from './kernel.js';
import { inputAt } from './shape-common.js';

export const WHILE: Kernel = {
  supports(): boolean {
    return true;
  },
  prepare(ctx): PreparedOp {
    const graph = graphOf(ctx);
    const options = ctx.operator.builtinOptions instanceof WhileOptionsT ? ctx.operator.builtinOptions : new WhileOptionsT();
    const condIndex = checkSubgraphIndex(ctx, graph, options.condSubgraphIndex, 'cond_subgraph_index');
    const bodyIndex = checkSubgraphIndex(ctx, graph, options.bodySubgraphIndex, 'body_subgraph_index');
    const inputs = ctx.inputs.map((tensor, i) => tensor ?? inputAt(ctx, i, 'loop input'));
    const state = ctx.outputs;
    const [condResult] = graph.outputs(condIndex);
    if (condResult === undefined || condResult.dtype !== 'bool' || condResult.elementCount !== 1) {
      throw ctx.error(`cond_subgraph_index ${condIndex} must return one bool as its first output`);
    }
    const start = tensorCopy(ctx, inputs, state, 'inputs to outputs');
    const firstCond = tensorCopy(ctx, inputs, graph.inputs(condIndex), `cond_subgraph_index ${condIndex} inputs`);
    const nextCond = tensorCopy(ctx, state, graph.inputs(condIndex), `cond_subgraph_index ${condIndex} inputs`);
    const toBody = tensorCopy(ctx, state, graph.inputs(bodyIndex), `body_subgraph_index ${bodyIndex} inputs`);
    const fromBody = tensorCopy(ctx, graph.outputs(bodyIndex), state, `body_subgraph_index ${bodyIndex} outputs`);
    const holds = (): boolean => (condResult.data as Uint8Array)[0] !== 0;
    return {
      invoke(): InvokeStatus | void {
        firstCond.run();
        start.run();
        // TF_LITE_ENSURE_OK: an abort inside cond or body ends this invoke too.
        if (graph.invoke(condIndex) === ABORTED) return ABORTED;
        while (holds()) {
          toBody.run();
          if (graph.invoke(bodyIndex) === ABORTED) return ABORTED;
          fromBody.run();
          nextCond.run();
          if (graph.invoke(condIndex) === ABORTED) return ABORTED;
        }
      },
    };
  },
};
