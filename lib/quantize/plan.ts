// Choosing every float tensor's parameters op by op, before anything is rewritten: weights and
// biases are marked for their op, activations take their calibrated range, the spec's fixed
// output ranges, or their input's parameters (ops that only move values); inputs of ops that
// need equal parameters and do not have them are marked for requantization.
import type { Operator, Subgraph, Tensor } from '../model/types.js';
import type { CalibrationRanges } from './calibrate.js';
import { fixedOutputParams, SAME_SCALE_OPS, SHARED_INPUT_OPS, WEIGHT_AXIS, type ActivationType } from './op-rules.js';
import { activationParams, type AffineParams } from './params.js';
import { floatValues, valueRange } from './tensor-data.js';

export interface Plan {
  /** Activation (and non-weight constant) parameters by tensor index. */
  params: (AffineParams | null)[];
  /** Weight tensors by index -> the op that owns them. */
  weightOf: Map<number, { op: Operator; opIndex: number }>;
  biasOf: Map<number, { op: Operator; opIndex: number }>;
  /** Requantizations to insert: before operator opIndex, input slot k of tensor t gets params. */
  requantize: { opIndex: number; slot: number; params: AffineParams }[];
  /**
   * The range an activation's parameters came from (what TF's int16x8 files record as min/max):
   * its own, its input's for ops that share parameters, none for fixed output ranges.
   */
  sourceRange: CalibrationRanges;
}

function rangeOf(ranges: CalibrationRanges, index: number, tensor: Tensor, where: string): { min: number; max: number } {
  const range = ranges[index];
  if (range === null) throw new Error(`${where}: tensor ${index} ('${tensor.name}') got no values during calibration`);
  return range;
}

export function planParameters(main: Subgraph, ranges: CalibrationRanges, activation: ActivationType): Plan {
  const params: (AffineParams | null)[] = main.tensors.map(() => null);
  const weightOf = new Map<number, { op: Operator; opIndex: number }>();
  const biasOf = new Map<number, { op: Operator; opIndex: number }>();
  const requantize: Plan['requantize'] = [];
  const sourceRange: CalibrationRanges = [...ranges];
  const isFloat = (t: number): boolean => t >= 0 && main.tensors[t].dtype === 'float32';
  const calibrated = (t: number, where: string): AffineParams => {
    const r = rangeOf(ranges, t, main.tensors[t], where);
    return activationParams(r.min, r.max, activation);
  };
  for (const t of main.inputs) if (isFloat(t)) params[t] = calibrated(t, 'model input');

  main.operators.forEach((op, opIndex) => {
    const where = `subgraph 0, operator ${opIndex} (${op.op})`;
    if (op.op in WEIGHT_AXIS) {
      const [, weights, bias] = op.inputs;
      if (main.tensors[weights]?.data === null) throw new Error(`${where}: input 1 (weights) is not constant`);
      weightOf.set(weights, { op, opIndex });
      if (bias !== undefined && bias >= 0) {
        if (main.tensors[bias].data === null) throw new Error(`${where}: input 2 (bias) is not constant`);
        biasOf.set(bias, { op, opIndex });
      }
    }
    // Constant float operands of other ops: per-tensor parameters from their own values.
    op.inputs.forEach((t) => {
      if (!isFloat(t) || params[t] !== null || weightOf.has(t) || biasOf.has(t) || main.tensors[t].data === null) return;
      const { min, max } = valueRange(floatValues(main.tensors[t]));
      params[t] = activationParams(min, max, activation);
    });
    const fixed = fixedOutputParams(op.op, activation);
    // SPLIT's data is input 1 (input 0 is the axis).
    const dataInput = op.inputs.find(isFloat);
    for (const t of op.outputs) {
      if (!isFloat(t)) continue;
      if (fixed !== null) {
        params[t] = fixed;
        sourceRange[t] = null;
      } else if (SAME_SCALE_OPS.has(op.op) && dataInput !== undefined && params[dataInput] !== null) {
        params[t] = params[dataInput];
        sourceRange[t] = sourceRange[dataInput];
      } else params[t] = calibrated(t, where);
    }
    if (SHARED_INPUT_OPS.has(op.op)) {
      const out = params[op.outputs[0]];
      op.inputs.forEach((t, slot) => {
        const p = params[t];
        if (out === null || p === null || (p.scale === out.scale && p.zeroPoint === out.zeroPoint)) return;
        // Changing the input's own parameters instead would break ops that already use them.
        requantize.push({ opIndex, slot, params: out });
      });
    }
  });
  return { params, weightOf, biasOf, requantize, sourceRange };
}
