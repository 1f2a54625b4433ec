// A model of one CUSTOM op, for kernel tests: its options written with the flatbuffers package's
// FlexBuffer builder, constant operands stored in the model, the others its inputs.
import { encode } from 'flatbuffers/js/flexbuffers.js';
import { Interpreter } from '../../lib/interpreter/index.js';
import { ModelBuilder } from '../../lib/model/builder.js';
import type { ConstantData } from '../../lib/model/builder.js';
import type { DType } from '../../lib/model/types.js';

export interface Operand {
  dtype: DType;
  shape: number[];
  /** Constant contents; without it the operand is a model input. */
  data?: ConstantData;
}

/** One CUSTOM op whose non-constant operands are the model's inputs and whose results are its outputs. */
export function customOpInterpreter(code: string, options: Record<string, number | boolean>, inputs: Operand[], outputs: Operand[]): Interpreter {
  const b = new ModelBuilder();
  const inputIndexes = inputs.map((spec, i) => (spec.data === undefined
    ? b.addInput({ name: `in${i}`, dtype: spec.dtype, shape: spec.shape })
    : b.addConstant({ name: `const${i}`, dtype: spec.dtype, shape: spec.shape, data: spec.data })));
  const outputIndexes = outputs.map((spec, i) => b.addTensor({ name: `out${i}`, dtype: spec.dtype, shape: spec.shape }));
  b.addOperator('CUSTOM', inputIndexes, outputIndexes, { customCode: code, customOptions: encode(options) });
  outputIndexes.forEach((t) => b.addOutput(t));
  const interpreter = new Interpreter(b.build());
  interpreter.allocate();
  return interpreter;
}
