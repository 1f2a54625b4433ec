// ADD_N after TFLM's micro/kernels/add_n.cc and reference/add_n.h: the sum of two or more inputs
// of one shape and dtype. float32 accumulates in float32, input by input. int8 (every input with
// the same scale and zero point): each input minus the zero point, shifted left 20 bits, halved
// (real multiplier 0.5), summed in int32, rescaled by 2 * input scale / (2^20 * output scale),
// plus the output zero point, saturated.
import type { RuntimeTensor } from '../tensor.js';
import { firstInputIn, perTensorQuantization } from './elementwise.js';
import type { Kernel, PreparedOp } from './kernel.js';
import { multiplyByQuantizedMultiplier, quantizeMultiplier } from './quantization.js';
import { shapeText } from './shape-common.js';

const LEFT_SHIFT = 20;

export const ADD_N: Kernel = {
  supports: firstInputIn(['float32', 'int8']),
  prepare(ctx): PreparedOp {
    const inputs: RuntimeTensor[] = [];
    ctx.inputs.forEach((t, i) => {
      if (t === null) throw ctx.error(`missing input ${i}`);
      inputs.push(t);
    });
    const output = ctx.outputs[0];
    if (output === undefined) throw ctx.error('missing output 0');
    if (inputs.length < 2) throw ctx.error(`needs at least 2 inputs, got ${inputs.length}`);
    const first = inputs[0];
    if (output.dtype !== first.dtype) throw ctx.error(`input 0 is ${first.dtype} but output is ${output.dtype}`);
    if (shapeText(output.shape) !== shapeText(first.shape)) throw ctx.error(`output shape ${shapeText(output.shape)} differs from input 0 ${shapeText(first.shape)}`);
    inputs.forEach((t, i) => {
      if (t.dtype !== first.dtype) throw ctx.error(`input ${i} is ${t.dtype} but input 0 is ${first.dtype}`);
      if (shapeText(t.shape) !== shapeText(first.shape)) throw ctx.error(`input ${i} has shape ${shapeText(t.shape)}, input 0 has ${shapeText(first.shape)}`);
    });
    const count = output.elementCount;
    const n = inputs.length;
    if (first.dtype === 'float32') {
      const views: Float32Array[] = [];
      return {
        invoke(): void {
          for (let j = 0; j < n; j++) views[j] = inputs[j].data as Float32Array;
          const y = output.data as Float32Array;
          for (let i = 0; i < count; i++) {
            let sum = 0;
            for (let j = 0; j < n; j++) sum = Math.fround(sum + views[j][i]);
            y[i] = sum;
          }
        },
      };
    }
    inputs.forEach((t, i) => perTensorQuantization(ctx, t, `input ${i}`));
    perTensorQuantization(ctx, output, 'output');
    inputs.forEach((t, i) => {
      if (t.zeroPoint !== first.zeroPoint || Math.fround(t.scale) !== Math.fround(first.scale)) {
        throw ctx.error(`input ${i} has scale ${t.scale} and zero point ${t.zeroPoint}, input 0 has ${first.scale} and ${first.zeroPoint}: int8 inputs must share them`);
      }
    });
    const twiceInputScale = 2 * Math.fround(first.scale);
    const { multiplier: inputMultiplier, shift: inputShift } = quantizeMultiplier(0.5);
    const real = twiceInputScale / (2 ** LEFT_SHIFT * Math.fround(output.scale));
    if (!(real > 0 && real < 1)) throw ctx.error(`output multiplier ${real} is outside (0, 1): unsupported scales`);
    const { multiplier: outputMultiplier, shift: outputShift } = quantizeMultiplier(real);
    const inputOffset = -first.zeroPoint;
    const outputOffset = output.zeroPoint;
    const scaleUp = 2 ** LEFT_SHIFT;
    const views: Int8Array[] = [];
    return {
      invoke(): void {
        for (let j = 0; j < n; j++) views[j] = inputs[j].data as Int8Array;
        const y = output.data as Int8Array;
        for (let i = 0; i < count; i++) {
          let sum = 0;
          for (let j = 0; j < n; j++) {
            sum = (sum + multiplyByQuantizedMultiplier((views[j][i] + inputOffset) * scaleUp, inputMultiplier, inputShift)) | 0;
          }
          const value = multiplyByQuantizedMultiplier(sum, outputMultiplier, outputShift) + outputOffset;
          y[i] = value < -128 ? -128 : value > 127 ? 127 : value;
        }
      },
    };
  },
};
