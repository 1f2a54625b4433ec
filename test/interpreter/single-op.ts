// One-operator models built in a test (lib/model/builder.ts), run through the interpreter: the
// harness of the op-family tests. Operands are model inputs (given values) or constants.
import { Interpreter, type TensorData } from '../../lib/interpreter/index.js';
import { ModelBuilder, type ConstantData, type QuantizationSpec } from '../../lib/model/builder.js';
import type { BuiltinOptionsValue, DType } from '../../lib/model/types.js';

export interface Io {
  shape: number[];
  dtype: DType;
  quantization?: QuantizationSpec;
}

export interface Constant extends Io {
  data: ConstantData;
}

export type Operand = (Io & { input: ArrayLike<number> }) | Constant | null;

/** Builds a one-operator model (null operands are absent optional inputs), runs it, returns every output. */
export function runOp(op: string, operands: Operand[], outputs: Io[], builtinOptions: BuiltinOptionsValue | null = null): TensorData[] {
  const b = new ModelBuilder();
  const values: Array<ArrayLike<number>> = [];
  const inputs = operands.map((operand, i) => {
    if (operand === null) return -1;
    const spec = { name: `in${i}`, shape: operand.shape, dtype: operand.dtype, quantization: operand.quantization ?? null };
    if ('data' in operand) return b.addConstant({ ...spec, data: operand.data });
    values.push(operand.input);
    return b.addInput(spec);
  });
  const outs = outputs.map((o, i) => b.addTensor({ name: `out${i}`, shape: o.shape, dtype: o.dtype, quantization: o.quantization ?? null }));
  b.addOperator(op, inputs, outs, { builtinOptions });
  outs.forEach((o) => b.addOutput(o));
  const it = new Interpreter(b.build());
  it.allocate();
  values.forEach((v, i) => it.setInput(i, v));
  it.invoke();
  return outs.map((_, i) => it.output(i).data);
}

/** The message runOp fails with ('no error' when it does not). */
export function opError(op: string, operands: Operand[], outputs: Io[], builtinOptions: BuiltinOptionsValue | null = null): string {
  try {
    runOp(op, operands, outputs, builtinOptions);
  } catch (err) {
    return err instanceof Error ? err.message : String(err);
  }
  return 'no error';
}

export const q = (scale: number, zeroPoint: number): QuantizationSpec => ({ scale: [scale], zeroPoint: [zeroPoint] });
export const iota = (n: number, from = 0): number[] => Array.from({ length: n }, (_, i) => i + from);
export const f32 = (shape: number[], input: number[]): Operand => ({ shape, dtype: 'float32', input });
export const i8 = (shape: number[], input: number[], quantization: QuantizationSpec = q(1, 0)): Operand => ({ shape, dtype: 'int8', input, quantization });
export const i16 = (shape: number[], input: number[], quantization: QuantizationSpec = q(1, 0)): Operand => ({ shape, dtype: 'int16', input, quantization });
export const i32in = (shape: number[], input: number[]): Operand => ({ shape, dtype: 'int32', input });
export const i32 = (shape: number[], values: number[]): Constant => ({ shape, dtype: 'int32', data: new Int32Array(values) });
export const i64 = (shape: number[], values: number[]): Constant => ({ shape, dtype: 'int64', data: BigInt64Array.from(values, (v) => BigInt(v)) });
export const out = (shape: number[], dtype: DType = 'float32', quantization?: QuantizationSpec): Io => ({ shape, dtype, quantization });
export const list = (data: TensorData): number[] => Array.from(data as ArrayLike<number | bigint>, (v) => Number(v));
