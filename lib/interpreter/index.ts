// The interpreter's public surface (re-exported from lib/index.ts).
export { Interpreter, type InterpreterOptions, type OperatorProfile } from './interpreter.js';
export { InterpreterError } from './errors.js';
export { OpResolver } from './resolver.js';
export { RuntimeTensor, type TensorData } from './tensor.js';
export type { InvokeStatus, Kernel, PrepareContext, PreparedOp, ScratchBuffer, SubgraphAccess } from './kernels/kernel.js';
export { withOfflinePlan, readOfflinePlan, OFFLINE_MEMORY_ALLOCATION, type OfflinePlan } from './offline-plan.js';
export { decodeFrame, encodeValues, frameCount, runFrames, seededInputs, type FramesResult } from './frames.js';
export { readValues, writeValues } from './values.js';
export { topK, type Ranked } from './top-k.js';
