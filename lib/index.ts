// The public library API: what `import ... from 'node-red-contrib-tinyml'` gives.
export type {
  BuiltinOptions2Value, BuiltinOptionsValue, DType, Model, Operator, Quantization,
  SignatureDef, SignatureTensor, Subgraph, Tensor,
} from './model/types.js';
export { ModelError, type ModelErrorCode } from './model/errors.js';
export { byteLengthOf, dtypeBits, elementCount } from './model/dtype.js';
export { loadModel, builtinOpName } from './model/read.js';
export { validateModel } from './model/validate.js';
export { writeModel, type WriteOptions } from './model/write.js';
export {
  ModelBuilder, SubgraphBuilder, NO_TENSOR,
  type ModelSpec, type TensorSpec, type ConstantSpec, type ConstantData, type OperatorSpec,
  type QuantizationSpec, type TensorIndex,
} from './model/builder.js';
export { inspect, formatInspectReport } from './inspect/index.js';
export type { InspectReport, InspectOptions } from './inspect/index.js';
export { toCArray, fromCArray, cSymbolName, CArrayError } from './codegen/c-array.js';
export type { CArrayOptions, CArrayResult, FromCArrayOptions } from './codegen/c-array.js';
// The generated schema classes (options tables such as Conv2DOptionsT, enums such as
// BuiltinOperator), for building operators by hand.
export * as schema from './model/schema/tflite.js';
export { Interpreter, InterpreterError, OpResolver, RuntimeTensor, withOfflinePlan, readOfflinePlan } from './interpreter/index.js';
export type {
  InterpreterOptions, OperatorProfile, TensorData, Kernel, PrepareContext, PreparedOp, ScratchBuffer,
  SubgraphAccess, OfflinePlan,
} from './interpreter/index.js';
export {
  quantize, formatReport, readSamples, detectSampleFormat, modelInputs, SampleError,
} from './quantize/index.js';
export { quantizeInWorker, type WorkerQuantizeOptions } from './quantize/worker.js';
export type {
  OutputError, QuantizeMode, QuantizeOptions, QuantizeProgress, QuantizeReport, QuantizeResult,
  QuantizedIoType, Sample, SampleFormat, SampleInput, TensorQuantization,
} from './quantize/index.js';
