// The quantized model's input and output types. The subgraph's I/O tensors keep their index and
// name (signatures and the report pair tensors by name); a type other than the activation type
// puts a conversion at the edge, as TF's converter does: float32 -> QUANTIZE first and
// DEQUANTIZE last (its int8_floatio / int16x8 models), uint8 -> QUANTIZE uint8 <-> int8.
import type { Operator, Subgraph, Tensor } from '../model/types.js';
import { makeOperator } from './operators.js';
import { quantizedOpVersion, type ActivationType } from './op-rules.js';
import type { QuantizedIoType, TensorQuantization } from './types.js';

export type IoType = QuantizedIoType;

export interface IoEdges {
  subgraph: Subgraph;
  /** Tensors the edges added (the internal quantized twins), for the report. */
  added: TensorQuantization[];
  notes: string[];
}

export function checkIoType(type: IoType, activation: ActivationType, which: string): void {
  const allowed: IoType[] = activation === 'int8' ? ['int8', 'uint8', 'float32'] : ['int16', 'float32'];
  if (!allowed.includes(type)) {
    throw new RangeError(`${which} type ${type} is not available for ${activation === 'int8' ? 'int8' : 'int16x8'} models (use ${allowed.join(', ')})`);
  }
}

export function addIoEdges(main: Subgraph, activation: ActivationType, types: { input: IoType; output: IoType }): IoEdges {
  checkIoType(types.input, activation, 'input');
  checkIoType(types.output, activation, 'output');
  const tensors = [...main.tensors];
  let operators = [...main.operators];
  const first: Operator[] = [];
  const last: Operator[] = [];
  const added: TensorQuantization[] = [];
  const notes: string[] = [];
  const quantizeVersion = quantizedOpVersion('QUANTIZE', activation, true, 1);
  const dequantizeVersion = quantizedOpVersion('DEQUANTIZE', activation, true, 2);

  /** A twin of tensor t carrying its quantized type and parameters; t becomes `type`. */
  const splitTensor = (t: number, type: IoType): number => {
    const quantized = tensors[t];
    const q = quantized.quantization;
    const twin: Tensor = { ...quantized, name: `${quantized.name}_${activation}`, data: null };
    tensors.push(twin);
    const index = tensors.length - 1;
    if (type === 'float32') tensors[t] = { ...quantized, dtype: 'float32', quantization: null };
    else tensors[t] = { ...quantized, dtype: 'uint8', quantization: q === null ? null : { ...q, zeroPoint: q.zeroPoint.map((z) => z + 128) } };
    added.push({ subgraph: 0, tensor: index, name: twin.name, dtype: activation, scale: q?.scale ?? [], zeroPoint: q?.zeroPoint ?? [], min: null, max: null, sqnrDb: null });
    return index;
  };
  const renameUses = (from: number, to: number, where: 'inputs' | 'outputs'): void => {
    operators = operators.map((op) => (op[where].includes(from) ? { ...op, [where]: op[where].map((x) => (x === from ? to : x)) } : op));
  };

  for (const t of main.inputs) {
    if (tensors[t].dtype !== activation || types.input === activation) continue;
    const twin = splitTensor(t, types.input);
    renameUses(t, twin, 'inputs');
    first.push(makeOperator('QUANTIZE', [t], [twin], quantizeVersion));
  }
  for (const t of main.outputs) {
    if (tensors[t].dtype !== activation || types.output === activation) continue;
    const twin = splitTensor(t, types.output);
    renameUses(t, twin, 'outputs');
    // Other consumers of the output read the quantized twin.
    renameUses(t, twin, 'inputs');
    last.push(types.output === 'float32'
      ? makeOperator('DEQUANTIZE', [twin], [t], dequantizeVersion)
      : makeOperator('QUANTIZE', [twin], [t], quantizeVersion));
  }
  if (first.length > 0) notes.push(`inputs are ${types.input}: QUANTIZE converts them to ${activation}`);
  if (last.length > 0) notes.push(`outputs are ${types.output}: ${types.output === 'float32' ? 'DEQUANTIZE' : 'QUANTIZE'} converts them from ${activation}`);
  return { subgraph: { ...main, tensors, operators: [...first, ...operators, ...last] }, added, notes };
}
