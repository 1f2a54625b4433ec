// CALL_ONCE after TFLM's micro/kernels/call_once.cc: runs init_subgraph_index on the first invoke
// only (typically to initialize resource variables); later invokes, and reset(), leave it done.
import { CallOnceOptionsT } from '../../model/schema/tflite.js';
import { checkSubgraphIndex, graphOf } from './control-flow-common.js';
import { ABORTED, type InvokeStatus, type Kernel, type PreparedOp } from './kernel.js';

export const CALL_ONCE: Kernel = {
  supports(operator): boolean {
    return operator.inputs.length === 0 && operator.outputs.length === 0;
  },
  prepare(ctx): PreparedOp {
    const graph = graphOf(ctx);
    const options = ctx.operator.builtinOptions instanceof CallOnceOptionsT ? ctx.operator.builtinOptions : new CallOnceOptionsT();
    const init = checkSubgraphIndex(ctx, graph, options.initSubgraphIndex, 'init_subgraph_index');
    let done = false;
    return {
      invoke(): InvokeStatus | void {
        if (done) return;
        // As TFLM: an aborted init subgraph is not marked done.
        if (graph.invoke(init) === ABORTED) return ABORTED;
        done = true;
      },
    };
  },
};
