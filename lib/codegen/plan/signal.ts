// Plan builders for TFLM's Signal library custom ops (the micro_speech audio front end) and
// int32 DIV. The FlexBuffer options are read here; the RFFT's twiddles and input order are
// computed here with our TS plan (kiss-fft-int16.ts), so the device only loops.
import { elementCount } from '../../model/dtype.js';
import { CustomOptionsError, FlexbufferMap } from '../../model/flexbuffer-map.js';
import { DivOptionsT, TensorType } from '../../model/schema/tflite.js';
import type { DType, Tensor } from '../../model/types.js';
import { isSupportedFftLength, planRealFft } from '../../interpreter/kernels/signal/kiss-fft-int16.js';
import { LOG_LUT } from '../../interpreter/kernels/signal/signal-math.js';
import { activationRangeFloat } from '../../interpreter/kernels/quantization.js';
import type { PlanOperator } from './format.js';
import { C_KERNELS, type CKernelName } from './kernel-ids.js';
import { broadcastShape } from './binary.js';
import { inputOf, outputOf, requireActivation, type OpContext } from './op-context.js';

type Builder = (ctx: OpContext) => PlanOperator;

function options<T>(ctx: OpContext, read: (o: FlexbufferMap) => T): T {
  const bytes = ctx.operator.customOptions;
  if (bytes === null || bytes.length === 0) return ctx.fail('missing custom options (a FlexBuffer map)');
  try {
    return read(FlexbufferMap.parse(bytes));
  } catch (error) {
    if (error instanceof CustomOptionsError) return ctx.fail(`custom options: ${error.message}`);
    throw error;
  }
}

/** The operand at `position`, of `dtype`; activations must live in the arena, `constant` ones in the model. */
function operand(ctx: OpContext, position: number, dtype: DType, constant = false): [number, Tensor] {
  const [index, tensor] = position < 0 ? outputOf(ctx) : inputOf(ctx, position, `input ${position}`);
  const what = position < 0 ? 'output' : `input ${position}`;
  if (tensor.dtype !== dtype) ctx.fail(`${what} is ${tensor.dtype}; the C runtime takes ${dtype} here`);
  if (constant && (tensor.data === null || tensor.isVariable)) ctx.fail(`${what} must be constant`);
  if (!constant && position >= 0) requireActivation(ctx, tensor, what);
  return [index, tensor];
}

function outputAt(ctx: OpContext, position: number, dtype: DType): number {
  const index = ctx.operator.outputs[position];
  const tensor = index === undefined || index < 0 ? undefined : ctx.subgraph.tensors[index];
  if (tensor === undefined || tensor.dtype !== dtype) return ctx.fail(`output ${position} must be ${dtype}`);
  return index;
}

const record = (name: CKernelName, params: number[], extra: Partial<PlanOperator> = {}): PlanOperator => ({ kernelId: C_KERNELS[name].id, params, ...extra });

const window: Builder = (ctx) => {
  const [input, x] = operand(ctx, 0, 'int16');
  const [weights, w] = operand(ctx, 1, 'int16', true);
  const [output] = operand(ctx, -1, 'int16');
  const shift = options(ctx, (o) => o.int('shift'));
  const size = elementCount(w.shape);
  if (size === 0 || elementCount(x.shape) % size !== 0 || shift < 0 || shift > 31) ctx.fail(`window of ${size} samples, shift ${shift}`);
  return record('SIGNAL_WINDOW', [input, weights, output, elementCount(x.shape), size, shift]);
};

const fftAutoScale: Builder = (ctx) => {
  const [input, x] = operand(ctx, 0, 'int16');
  return record('SIGNAL_FFT_AUTO_SCALE', [input, outputAt(ctx, 0, 'int16'), outputAt(ctx, 1, 'int32'), elementCount(x.shape)]);
};

const rfft: Builder = (ctx) => {
  const [input, x] = operand(ctx, 0, 'int16');
  const [output, y] = operand(ctx, -1, 'int16');
  const { type, fftLength } = options(ctx, (o) => ({ type: o.int('T'), fftLength: o.int('fft_length') }));
  if (type !== TensorType.INT16) ctx.fail(`T = ${type}: the C runtime runs the int16 RFFT only`);
  if (!isSupportedFftLength(fftLength)) ctx.fail(`fft_length ${fftLength} is not a power of two in [4, 65536]`);
  const inputLength = x.shape[x.shape.length - 1] ?? 0;
  if (inputLength === 0 || inputLength > fftLength || y.shape[y.shape.length - 1] !== fftLength + 2) ctx.fail(`frames of ${inputLength} samples into fft_length ${fftLength}`);
  const plan = planRealFft(fftLength);
  const pack = (t: Int16Array): number[] => Array.from({ length: t.length / 2 }, (_, i) => (t[2 * i] & 0xffff) | (t[2 * i + 1] << 16));
  const n = plan.complexLength;
  return record('SIGNAL_RFFT', [input, output, elementCount(x.shape) / inputLength, inputLength, n, 0, plan.schedule.length / 3,
    ...plan.schedule, ...plan.inputOrder, ...pack(plan.twiddles), ...pack(plan.superTwiddles)], { scratchBytes: 4 * n, scratchParam: 5 });
};

const energy: Builder = (ctx) => {
  const [input, x] = operand(ctx, 0, 'int16');
  const [output, y] = operand(ctx, -1, 'uint32');
  const { start, end } = options(ctx, (o) => ({ start: o.int('start_index'), end: o.int('end_index') }));
  if (start < 0 || end < start || end > Math.min(elementCount(y.shape), elementCount(x.shape) / 2)) ctx.fail(`bins [${start}, ${end}) leave the tensors`);
  return record('SIGNAL_ENERGY', [input, output, start, end]);
};

const filterBank: Builder = (ctx) => {
  const [input, x] = operand(ctx, 0, 'uint32');
  const [output, y] = operand(ctx, -1, 'uint64');
  const channels = options(ctx, (o) => o.int('num_channels'));
  const config = [1, 2, 3, 4, 5].map((k) => operand(ctx, k, 'int16', true));
  if (channels < 1 || elementCount(y.shape) !== channels) ctx.fail(`num_channels ${channels}, output [${y.shape}]`);
  const values = config.map(([, t]) => t.data === null ? new Int16Array(0) : new Int16Array(t.data.slice().buffer));
  const [weights, , starts, weightStarts, widths] = values;
  for (let i = 0; i <= channels; i++) {
    if (!(widths[i] >= 0 && starts[i] >= 0 && weightStarts[i] >= 0 && starts[i] + widths[i] <= elementCount(x.shape) && weightStarts[i] + widths[i] <= weights.length)) {
      ctx.fail(`channel ${i - 1} reads past the input or the weights`);
    }
  }
  return record('SIGNAL_FILTER_BANK', [input, output, channels, ...config.map(([index]) => index)]);
};

const squareRoot: Builder = (ctx) => {
  const [input, x] = operand(ctx, 0, 'uint64');
  const [bits] = operand(ctx, 1, 'int32');
  return record('SIGNAL_FILTER_BANK_SQUARE_ROOT', [input, bits, outputAt(ctx, 0, 'uint32'), elementCount(x.shape)]);
};

const spectralSubtraction: Builder = (ctx) => {
  const [input, x] = operand(ctx, 0, 'uint32');
  const o = options(ctx, (m) => [m.int('num_channels'), m.int('smoothing'), m.int('one_minus_smoothing'), m.int('alternate_smoothing'),
    m.int('alternate_one_minus_smoothing'), m.int('min_signal_remaining'), m.int('smoothing_bits'), m.int('spectral_subtraction_bits'), m.bool('clamping') ? 1 : 0]);
  const channels = o[0];
  if (channels < 1 || channels > elementCount(x.shape) || o[6] < 0 || o[6] > 31 || o[7] < 0 || o[7] > 63) ctx.fail(`options [${o}] out of range`);
  return record('SIGNAL_FILTER_BANK_SPECTRAL_SUBTRACTION', [input, outputAt(ctx, 0, 'uint32'), outputAt(ctx, 1, 'uint32'), ...o, 0],
    { persistentBytes: 4 * channels, persistentParam: 12 });
};

const pcan: Builder = (ctx) => {
  const [input, x] = operand(ctx, 0, 'uint32');
  const [noise] = operand(ctx, 1, 'uint32');
  const [lut, table] = operand(ctx, 2, 'int16', true);
  const snrShift = options(ctx, (o) => o.int('snr_shift'));
  // WideDynamicFunction reads up to entry 4 * 32 - 6 + 2 for the largest uint32 estimate.
  if (elementCount(table.shape) < 125 || snrShift < 0 || snrShift > 63) ctx.fail(`gain table of ${elementCount(table.shape)} values, snr_shift ${snrShift}`);
  return record('SIGNAL_PCAN', [input, noise, lut, outputAt(ctx, 0, 'uint32'), elementCount(x.shape), snrShift]);
};

const filterBankLog: Builder = (ctx) => {
  const [input, x] = operand(ctx, 0, 'uint32');
  const { bits, scale } = options(ctx, (o) => ({ bits: o.int('input_correction_bits'), scale: o.int('output_scale') }));
  if (bits < 0 || bits > 31) ctx.fail(`input_correction_bits ${bits} is outside [0, 31]`);
  return record('SIGNAL_FILTER_BANK_LOG', [input, outputAt(ctx, 0, 'int16'), elementCount(x.shape), bits, scale, ...LOG_LUT]);
};

const SIGNAL_BUILDERS: Record<string, Builder> = {
  SignalWindow: window,
  SignalFftAutoScale: fftAutoScale,
  SignalRfft: rfft,
  SignalEnergy: energy,
  SignalFilterBank: filterBank,
  SignalFilterBankSquareRoot: squareRoot,
  SignalFilterBankSpectralSubtraction: spectralSubtraction,
  SignalPCAN: pcan,
  SignalFilterBankLog: filterBankLog,
};

/** CUSTOM operators: the Signal library ones by custom code. */
export const custom: Builder = (ctx) => {
  const builder = SIGNAL_BUILDERS[ctx.operator.customCode ?? ''];
  if (builder === undefined) return ctx.fail(`the C runtime has no kernel for it; supported custom ops: ${Object.keys(SIGNAL_BUILDERS).join(', ')}`);
  return builder(ctx);
};

/** int32 DIV: C's truncating division, clamped to the fused activation's range. */
export const div: Builder = (ctx) => {
  const [a, ta] = operand(ctx, 0, 'int32', false);
  const [b, tb] = inputOf(ctx, 1, 'input 1');
  const [output, to] = operand(ctx, -1, 'int32');
  if (tb.dtype !== 'int32') ctx.fail(`input 1 is ${tb.dtype}; the C runtime divides int32 only`);
  if ([ta, tb].some((t) => (t.quantization?.scale.length ?? 0) > 0)) ctx.fail('int32 DIV takes unquantized inputs only');
  const constB = tb.data !== null && !tb.isVariable;
  const activation = ctx.operator.builtinOptions instanceof DivOptionsT ? ctx.operator.builtinOptions.fusedActivationFunction : 0;
  const range = activationRangeFloat(activation);
  if (range === null) return ctx.fail(`unsupported fused activation ${activation}`);
  return record('DIV', [a, b, output, 4 | (constB ? 0x200 : 0), ...broadcastShape(ctx, ta.shape, tb.shape, to.shape),
    Math.max(range[0], -2147483648), Math.min(range[1], 2147483647)]);
};
