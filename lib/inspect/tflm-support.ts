// Would TFLM (reference kernels, tflm_ops.json's commit) load this operator? Two checks:
// 1. registrable: some MicroMutableOpResolver::Add*() registers it (builtin by BuiltinOperator
//    code, custom by its custom code). TFLM ignores operator-code versions when it looks up a
//    kernel, so the version is not checked.
// 2. typed: the reference kernel's switch takes the main input's dtype (tflm_ops.json
//    input_types), and weighted ops are not hybrid (float input, integer weights), which
//    TFLM's conv/fully_connected/transpose_conv Prepare refuse with "Hybrid models are not
//    supported on TFLite Micro" (the oracle refused mlp_wide.dynamic.tflite that way).
// Constraints tflm_ops.json states only in prose (type_notes) are reported as notes, not checked.
import type { DType, Operator, Tensor } from '../model/types.js';
import type { OperatorSupport } from './report.js';
import { TFLM_OPS, type TflmOpSpec } from './tflm-ops.js';

const BUILTINS = new Map<number, TflmOpSpec>();
const CUSTOMS = new Map<string, TflmOpSpec>();
for (const spec of TFLM_OPS) {
  if (spec.kind === 'builtin' && spec.builtinCode !== null) BUILTINS.set(spec.builtinCode, spec);
  else CUSTOMS.set(spec.name, spec);
}

/** The op's spec in tflm_ops.json, or undefined when TFLM has no kernel for it. */
export function findTflmOp(op: Operator): TflmOpSpec | undefined {
  if (op.op === 'CUSTOM') return op.customCode === null ? undefined : CUSTOMS.get(op.customCode);
  return BUILTINS.get(op.builtinCode);
}

/** The input position whose dtype selects the kernel, where it is not input 0. */
const MAIN_INPUT: Readonly<Record<string, number>> = {
  TRANSPOSE_CONV: 2, // (output_shape, filter, input, bias)
  EMBEDDING_LOOKUP: 1, // (lookup ids, value table)
  SELECT_V2: 1, // (condition, x, y)
  FILL: 1, // (dims, value)
  SPLIT: 1, // (axis, input)
};

/** Ops whose input 1 is a weight tensor that must match the input type (see file comment). */
const WEIGHTED_OPS = new Set(['CONV_2D', 'DEPTHWISE_CONV_2D', 'FULLY_CONNECTED', 'TRANSPOSE_CONV']);

/** Input/weight pairs TFLM's weighted kernels accept besides equal types: 16x8 and packed int4. */
function weightsAccepted(input: DType, weights: DType): boolean {
  return input === weights || (input === 'int16' && weights === 'int8') || (input === 'int8' && weights === 'int4');
}

function dtypeAt(op: Operator, tensors: readonly Tensor[], position: number): DType | null {
  const index = op.inputs[position];
  if (index === undefined || index < 0) return null;
  return tensors[index]?.dtype ?? null;
}

export function operatorName(op: Operator): string {
  return op.op === 'CUSTOM' ? `CUSTOM:${op.customCode ?? '(no custom code)'}` : op.op;
}

function typeAccepted(spec: TflmOpSpec, dtype: DType): boolean {
  return spec.inputTypes.some((t) => t === 'any' || t === dtype || (t === 'any non-string' && dtype !== 'string'));
}

function joinNotes(spec: TflmOpSpec): string | null {
  const notes = [spec.typeNotes, spec.note].filter((n): n is string => n !== null);
  return notes.length > 0 ? notes.join('; ') : null;
}

export function checkTflmSupport(op: Operator, tensors: readonly Tensor[]): OperatorSupport {
  const name = operatorName(op);
  const spec = findTflmOp(op);
  const inputDtype = dtypeAt(op, tensors, MAIN_INPUT[op.op] ?? 0);
  if (spec === undefined) {
    const what = op.op === 'CUSTOM' ? `custom op ${op.customCode === null ? 'without a custom code' : `'${op.customCode}'`}` : op.op;
    return {
      registered: false, inputDtype, typeSupported: null, confidence: null,
      problem: `${what} is not in TFLM (no MicroMutableOpResolver::Add* registers it)`, notes: null,
    };
  }
  const base = { registered: true, inputDtype, confidence: spec.confidence, notes: joinNotes(spec) };
  // tflm_ops.json lists no types when the resolver method registers nothing (ethos-u in a
  // reference build): the op name is known but no kernel exists.
  if (spec.inputTypes.length === 0) {
    return { ...base, typeSupported: false, problem: `${name} has no reference kernel in TFLM${spec.note ? `: ${spec.note}` : ''}` };
  }
  if (spec.inputTypes.includes('n/a') || inputDtype === null) return { ...base, typeSupported: null, problem: null };
  if (!typeAccepted(spec, inputDtype)) {
    return {
      ...base, typeSupported: false,
      problem: `${name} ${inputDtype}: TFLM's reference kernel takes ${spec.inputTypes.join('/')} input`,
    };
  }
  if (WEIGHTED_OPS.has(op.op)) {
    const weights = dtypeAt(op, tensors, 1);
    if (weights !== null && !weightsAccepted(inputDtype, weights)) {
      return {
        ...base, typeSupported: false,
        problem: `${name} ${inputDtype} input with ${weights} weights (hybrid): TFLM refuses it ("Hybrid models are not supported on TFLite Micro")`,
      };
    }
  }
  return { ...base, typeSupported: true, problem: null };
}
