// Rewriting every float tensor of the plan: int8 weights (symmetric, per channel or per tensor,
// widened where TF widens them for a large bias), int32/int64 biases at input scale × weight
// scale, int8/int16 activations and other constants; with the list of what became of each.
import type { Quantization, Subgraph, Tensor } from '../model/types.js';
import type { CalibrationRanges } from './calibrate.js';
import { WEIGHT_AXIS, type ActivationType } from './op-rules.js';
import { adjustForBias, biasScales, quantizeBias, quantizeValue, quantizeWeights } from './params.js';
import type { Plan } from './plan.js';
import { bytesOf, floatValues, valueRange } from './tensor-data.js';
import type { QuantizeOptions, TensorQuantization } from './types.js';

/** `min`/`max`: the ranges TF's int16x8 models record (its int8 models record none). */
export function quantization(scales: readonly number[], zeroPoints: readonly number[], axis = 0, min: number[] = [], max: number[] = []): Quantization {
  return { scale: scales.map(Math.fround), zeroPoint: [...zeroPoints], quantizedDimension: axis, min: min.map(Math.fround), max: max.map(Math.fround), details: null };
}

export interface RewriteSettings {
  activation: ActivationType;
  perChannel: boolean;
  perChannelFullyConnected: boolean;
  onProgress: QuantizeOptions['onProgress'];
}

export function quantizeTensors(
  main: Subgraph,
  plan: Plan,
  ranges: CalibrationRanges,
  settings: RewriteSettings,
): { tensors: Tensor[]; report: TensorQuantization[]; notes: string[] } {
  const { activation, perChannel, onProgress } = settings;
  const perChannelFc = settings.perChannelFullyConnected;
  const biasDtype = activation === 'int8' ? 'int32' : 'int64';
  const report: TensorQuantization[] = [];
  const notes: string[] = [];
  const total = main.tensors.length;
  // TF's int16x8 models record each tensor's range; its int8 models do not.
  const recordRanges = activation === 'int16';
  /** Weight and bias scales of a FULLY_CONNECTED / CONV_2D / DEPTHWISE_CONV_2D, computed once per op. */
  const affineCache = new Map<number, { weights: ReturnType<typeof quantizeWeights>; biasScales: number[] }>();
  const affine = (opIndex: number): { weights: ReturnType<typeof quantizeWeights>; biasScales: number[] } => {
    const cached = affineCache.get(opIndex);
    if (cached !== undefined) return cached;
    const op = main.operators[opIndex];
    const axis = (op.op === 'FULLY_CONNECTED' ? perChannelFc : perChannel) ? WEIGHT_AXIS[op.op] : null;
    const weightTensor = main.tensors[op.inputs[1]];
    const values = floatValues(weightTensor);
    let weights = quantizeWeights(values, weightTensor.shape, axis);
    const inputParams = plan.params[op.inputs[0]];
    if (inputParams === null) throw new Error(`subgraph 0, operator ${opIndex} (${op.op}): input 0 has no quantization parameters`);
    let scales = biasScales(inputParams.scale, weights.scales);
    const bias = op.inputs[2] ?? -1;
    if (bias >= 0 && activation === 'int8') {
      const adjusted = adjustForBias(floatValues(main.tensors[bias]), inputParams.scale, weights.scales);
      if (adjusted.adjusted > 0) {
        weights = quantizeWeights(values, weightTensor.shape, axis, adjusted.weightScales);
        notes.push(`operator ${opIndex} (${op.op}): ${adjusted.adjusted} weight scale(s) widened so the bias fits in INT32_MAX / 2 (as TF does)`);
      }
      scales = adjusted.biasScales;
    }
    const result = { weights, biasScales: scales };
    affineCache.set(opIndex, result);
    return result;
  };

  const tensors: Tensor[] = main.tensors.map((tensor, index) => {
    onProgress?.({ stage: 'quantize', done: index + 1, total });
    if (tensor.dtype !== 'float32') return tensor;
    const weight = plan.weightOf.get(index);
    const bias = plan.biasOf.get(index);
    let result: Tensor;
    let range: { min: number; max: number } | null = null;
    if (weight !== undefined) {
      const q = affine(weight.opIndex).weights;
      const [wmin, wmax] = recordRanges ? [q.channelMin, q.channelMax] : [[], []];
      result = { ...tensor, dtype: 'int8', data: bytesOf(q.data), quantization: quantization(q.scales, q.scales.map(() => 0), q.axis, wmin, wmax) };
      range = { min: q.min, max: q.max };
    } else if (bias !== undefined) {
      const values = floatValues(tensor);
      const q = quantizeBias(values, affine(bias.opIndex).biasScales, biasDtype);
      if (q.saturated > 0) notes.push(`bias '${tensor.name}': ${q.saturated} value(s) saturated to the int32 range (input scale × weight scale is too small for them)`);
      result = { ...tensor, dtype: biasDtype, data: bytesOf(q.data), quantization: quantization(q.scales, q.scales.map(() => 0)) };
      range = valueRange(values);
    } else {
      const p = plan.params[index];
      if (p === null) return tensor;
      let data: Uint8Array | null = null;
      if (tensor.data !== null) {
        const values = floatValues(tensor);
        const [qmin, qmax] = activation === 'int8' ? [-128, 127] : [-32767, 32767];
        const q = activation === 'int8' ? new Int8Array(values.length) : new Int16Array(values.length);
        values.forEach((v, i) => { q[i] = quantizeValue(v, p.scale, p.zeroPoint, qmin, qmax); });
        data = bytesOf(q);
        range = valueRange(values);
      } else range = ranges[index];
      const recorded = tensor.data !== null ? range : plan.sourceRange[index];
      const [amin, amax] = recordRanges && recorded !== null ? [[recorded.min], [recorded.max]] : [[], []];
      result = { ...tensor, dtype: activation, data, quantization: quantization([p.scale], [p.zeroPoint], 0, amin, amax) };
    }
    report.push({
      subgraph: 0, tensor: index, name: tensor.name, dtype: result.dtype,
      scale: result.quantization?.scale ?? [], zeroPoint: result.quantization?.zeroPoint ?? [],
      min: range?.min ?? null, max: range?.max ?? null, sqnrDb: null,
    });
    return result;
  });
  return { tensors, report, notes };
}
