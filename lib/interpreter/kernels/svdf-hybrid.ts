// Hybrid SVDF (float32 input, state, bias and output; int8 weights_feature and weights_time with
// per-tensor scales), after TFLite's kernels/svdf.cc and reference_ops::EvalHybridSVDF: the input
// row is quantized on the fly (symmetric, or asymmetric with asymmetric_quantize_inputs), the
// feature matmul runs in int32 and is scaled back into the float state; weights_time is
// dequantized once and the time stage (ApplyTimeWeightsBiasAndActivation) runs in float: per-filter
// dot products, the sum over rank, then the bias. TFLM has no hybrid SVDF; dynamic-range models need it.
import { asymmetricQuantizeRow, int8ScratchView, rowQuantization, symmetricQuantizeRow, weightRowSums } from './hybrid-common.js';
import type { PrepareContext, PreparedOp } from './kernel.js';
import { activationName, activationRangeFloat } from './quantization.js';
import { checkShapes, optionsOf, svdfTensors } from './svdf.js';

export function prepareSvdfHybrid(ctx: PrepareContext): PreparedOp {
  const t = svdfTensors(ctx);
  const { rank, batches, inputSize, filters, units, memorySize } = checkShapes(ctx, t);
  const { input, weightsFeature, weightsTime, bias, state, output } = t;
  for (const [tensor, what] of [[bias, 'bias'], [state, 'activation state'], [output, 'output']] as const) {
    if (tensor !== null && tensor.dtype !== 'float32') throw ctx.error(`hybrid SVDF needs a float32 ${what}, got ${tensor.dtype}`);
  }
  if (!weightsFeature.isConstant) throw ctx.error('hybrid SVDF needs constant int8 weights_feature');
  if (weightsFeature.scales.length !== 1) throw ctx.error(`hybrid SVDF needs one weights_feature scale, got ${weightsFeature.scales.length}`);
  const options = optionsOf(ctx.operator);
  const range = activationRangeFloat(options.fusedActivationFunction);
  if (range === null) throw ctx.error(`unsupported fused activation ${activationName(options.fusedActivationFunction)}`);
  const [activationMin, activationMax] = range;
  // weights_time as float once: int8 x its scale (a float product), or the float tensor as it is.
  let timeWeights: Float32Array;
  if (weightsTime.dtype === 'int8') {
    if (weightsTime.scales.length !== 1) throw ctx.error(`hybrid SVDF needs one weights_time scale, got ${weightsTime.scales.length}`);
    const q = weightsTime.data as Int8Array;
    timeWeights = Float32Array.from(q, (v) => v * weightsTime.scale);
  } else if (weightsTime.dtype === 'float32') {
    timeWeights = weightsTime.data as Float32Array;
  } else {
    throw ctx.error(`hybrid SVDF needs int8 or float32 weights_time, got ${weightsTime.dtype}`);
  }
  const featureScale = Math.fround(weightsFeature.scale);
  const weights = weightsFeature.data as Int8Array;
  const rowSums = weightRowSums(weights, filters, inputSize);
  const asymmetric = options.asymmetricQuantizeInputs;
  const quantizeRow = asymmetric ? asymmetricQuantizeRow : symmetricQuantizeRow;
  const rows = rowQuantization(batches);
  const quantized = int8ScratchView(ctx.requestScratch(input.elementCount), input.elementCount);
  const activations = new Float32Array(batches * filters);
  return {
    invoke(): void {
      const x = input.data as Float32Array;
      const b = bias === null ? null : bias.data as Float32Array;
      const memory = state.data as Float32Array;
      const y = output.data as Float32Array;
      const q = quantized();
      memory.copyWithin(0, 1);
      activations.fill(0);
      let allZero = true;
      for (let i = 0; i < x.length && allZero; i++) allZero = x[i] === 0;
      if (!allZero) {
        for (let batch = 0; batch < batches; batch++) {
          quantizeRow(x, batch * inputSize, inputSize, q, batch * inputSize, rows, batch);
          rows.scales[batch] *= featureScale;
        }
        for (let batch = 0; batch < batches; batch++) {
          const scale = rows.scales[batch];
          const offset = asymmetric ? rows.offsets[batch] : 0;
          for (let f = 0; f < filters; f++) {
            let dot = 0;
            for (let k = 0; k < inputSize; k++) dot = (dot + weights[f * inputSize + k] * q[batch * inputSize + k]) | 0;
            dot = (dot - rowSums[f] * offset) | 0;
            activations[batch * filters + f] = Math.fround(Math.fround(dot) * scale);
          }
        }
      }
      for (let i = 0; i < batches * filters; i++) memory[i * memorySize + memorySize - 1] = activations[i];
      for (let batch = 0; batch < batches; batch++) {
        for (let unit = 0; unit < units; unit++) {
          // ReductionSumVector over the rank's filters, then VectorBatchVectorAdd of the bias.
          let total = 0;
          for (let r = 0; r < rank; r++) {
            const filter = unit * rank + r;
            const stateBase = (batch * filters + filter) * memorySize;
            let dot = 0;
            for (let m = 0; m < memorySize; m++) dot = Math.fround(dot + Math.fround(timeWeights[filter * memorySize + m] * memory[stateBase + m]));
            total = Math.fround(total + dot);
          }
          if (b !== null) total = Math.fround(total + b[unit]);
          y[batch * units + unit] = Math.min(Math.max(total, activationMin), activationMax);
        }
      }
    },
  };
}
