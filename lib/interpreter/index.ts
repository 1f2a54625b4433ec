// The interpreter's public surface (re-exported from lib/index.ts).
export { Interpreter, type InterpreterOptions, type OperatorProfile } from './interpreter.js';
export { InterpreterError } from './errors.js';
export { OpResolver } from './resolver.js';
export { RuntimeTensor, type TensorData } from './tensor.js';
export type { Kernel, PrepareContext, PreparedOp, ScratchBuffer } from './kernels/kernel.js';
export { decodeFrame, encodeValues, frameCount, runFrames, seededInputs, type FramesResult } from './frames.js';
export { readValues, writeValues } from './values.js';
export { topK, type Ranked } from './top-k.js';
