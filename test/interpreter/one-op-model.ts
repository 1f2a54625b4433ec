// Builds and runs a model of one operator for the elementwise kernel tests: each operand is a
// graph input (given `values`) or a constant (given `data`); returns every output's data.
import { Interpreter, type TensorData } from '../../lib/interpreter/index.js';
import { type ConstantData, ModelBuilder, type QuantizationSpec } from '../../lib/model/builder.js';
import type { BuiltinOptionsValue, DType } from '../../lib/model/types.js';

export interface Operand {
  shape: number[];
  dtype: DType;
  quantization?: QuantizationSpec;
  values?: ArrayLike<number>;
  data?: ConstantData;
}

export type Result = TensorData;

export function runOneOp(op: string, operands: Operand[], outputs: Operand[], builtinOptions: BuiltinOptionsValue | null = null): Result[] {
  const b = new ModelBuilder();
  const values: Array<ArrayLike<number>> = [];
  const inputs = operands.map((operand, i) => {
    const spec = { name: `in${i}`, shape: operand.shape, dtype: operand.dtype, quantization: operand.quantization ?? null };
    if (operand.data !== undefined) return b.addConstant({ ...spec, data: operand.data });
    values.push(operand.values ?? []);
    return b.addInput(spec);
  });
  const outs = outputs.map((o, i) => b.addTensor({ name: `out${i}`, shape: o.shape, dtype: o.dtype, quantization: o.quantization ?? null }));
  b.addOperator(op, inputs, outs, { builtinOptions });
  outs.forEach((o) => b.addOutput(o));
  const interpreter = new Interpreter(b.build());
  interpreter.allocate();
  values.forEach((v, i) => interpreter.setInput(i, v));
  interpreter.invoke();
  return outs.map((_, i) => interpreter.output(i).data);
}

/** The message of the error building, preparing or invoking the op throws. */
export function oneOpError(op: string, operands: Operand[], outputs: Operand[], builtinOptions: BuiltinOptionsValue | null = null): string {
  try {
    runOneOp(op, operands, outputs, builtinOptions);
  } catch (err) {
    return err instanceof Error ? err.message : String(err);
  }
  return 'no error';
}

export const q = (scale: number, zeroPoint: number): QuantizationSpec => ({ scale: [scale], zeroPoint: [zeroPoint] });

export const list = (data: Result): number[] => Array.from(data as ArrayLike<number>);
