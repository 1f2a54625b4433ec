// New operators the quantizer inserts (QUANTIZE / DEQUANTIZE), in the Model's form.
import { BuiltinOperator, BuiltinOptions, BuiltinOptions2, CustomOptionsFormat } from '../model/schema/tflite.js';
import type { Operator } from '../model/types.js';

export function makeOperator(op: 'QUANTIZE' | 'DEQUANTIZE', inputs: number[], outputs: number[], version: number): Operator {
  return {
    op,
    builtinCode: BuiltinOperator[op],
    version,
    customCode: null,
    inputs,
    outputs,
    intermediates: [],
    builtinOptionsType: BuiltinOptions.NONE,
    builtinOptions: null,
    builtinOptions2Type: BuiltinOptions2.NONE,
    builtinOptions2: null,
    customOptions: null,
    customOptionsFormat: CustomOptionsFormat.FLEXBUFFERS,
    mutatingVariableInputs: [],
    debugMetadataIndex: -1,
  };
}
