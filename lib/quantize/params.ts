// Choosing scales and zero points the way TensorFlow's converter does (MLIR quantizer:
// FakeQuantSupport's nudged scale/zero point for activations, symmetric narrow-range weights,
// bias scale = input scale × weight scale).

export interface AffineParams {
  scale: number;
  zeroPoint: number;
}

/**
 * Asymmetric params over [min, max] widened to include 0 (so 0 is exact, as zero padding needs):
 * scale = (max - min) / (qmax - qmin), zero point = qmin - min / scale rounded and clamped to [qmin, qmax].
 */
export function asymmetricParams(min: number, max: number, qmin: number, qmax: number): AffineParams {
  const rmin = Math.min(min, 0);
  const rmax = Math.max(max, 0);
  // A tensor that is 0 everywhere: any scale represents it; TF's default range for it is [0, 1]-like.
  if (rmax - rmin <= 0) return { scale: Math.fround(1 / (qmax - qmin)), zeroPoint: qmin };
  // In float32 arithmetic, as the converter does (double arithmetic differs from TF 2.21 in the
  // last bit for some ranges).
  const f = Math.fround;
  const scale = f(f(rmax - rmin) / (qmax - qmin));
  const zeroPointFromMin = f(qmin - f(rmin / scale));
  const zeroPoint = zeroPointFromMin < qmin ? qmin : zeroPointFromMin > qmax ? qmax : roundHalfAwayFromZero(zeroPointFromMin);
  return { scale, zeroPoint };
}

/** Symmetric params (zero point 0) over [-r, r], r = max(|min|, |max|), quantized to [-qmax, qmax]. */
export function symmetricParams(min: number, max: number, qmax: number): AffineParams {
  const r = Math.max(Math.abs(min), Math.abs(max));
  if (r === 0) return { scale: Math.fround(1 / qmax), zeroPoint: 0 };
  return { scale: Math.fround(r / qmax), zeroPoint: 0 };
}

/** Activation params for the mode: int8 asymmetric over [-128, 127], int16 symmetric over [-32767, 32767]. */
export function activationParams(min: number, max: number, activation: 'int8' | 'int16'): AffineParams {
  return activation === 'int8' ? asymmetricParams(min, max, -128, 127) : symmetricParams(min, max, 32767);
}

function roundHalfAwayFromZero(x: number): number {
  return x < 0 ? -Math.round(-x) : Math.round(x);
}

function clamp(x: number, lo: number, hi: number): number {
  return x < lo ? lo : x > hi ? hi : x;
}

/** q = clamp(round(v / scale) + zeroPoint): the converter's float -> integer, rounding half away from zero. */
export function quantizeValue(v: number, scale: number, zeroPoint: number, qmin: number, qmax: number): number {
  return clamp(roundHalfAwayFromZero(v / scale) + zeroPoint, qmin, qmax);
}

export interface WeightQuantization {
  data: Int8Array;
  scales: number[];
  /** The axis the scales run along (0 for one scale). */
  axis: number;
  min: number;
  max: number;
  /** Per slice along axis (one entry for per-tensor weights). */
  channelMin: number[];
  channelMax: number[];
}

/**
 * Symmetric int8 weights in [-127, 127], one scale per slice along `axis` (per channel) or one
 * for the whole tensor (axis null): scale = max|w| / 127.
 */
export function quantizeWeights(
  values: Float32Array,
  shape: readonly number[],
  axis: number | null,
  fixedScales?: readonly number[],
): WeightQuantization {
  const channels = axis === null ? 1 : shape[axis];
  const inner = axis === null ? 1 : shape.slice(axis + 1).reduce((a, b) => a * b, 1);
  const channelOf = (i: number): number => (axis === null ? 0 : Math.floor(i / inner) % channels);
  const absMax = new Float64Array(channels);
  const channelMin = new Array<number>(channels).fill(Infinity);
  const channelMax = new Array<number>(channels).fill(-Infinity);
  let min = Infinity;
  let max = -Infinity;
  for (let i = 0; i < values.length; i++) {
    const v = values[i];
    const c = channelOf(i);
    if (Math.abs(v) > absMax[c]) absMax[c] = Math.abs(v);
    if (v < channelMin[c]) channelMin[c] = v;
    if (v > channelMax[c]) channelMax[c] = v;
    if (v < min) min = v;
    if (v > max) max = v;
  }
  const scales = fixedScales ? fixedScales.map(Math.fround) : Array.from(absMax, (r) => symmetricParams(-r, r, 127).scale);
  const data = new Int8Array(values.length);
  for (let i = 0; i < values.length; i++) data[i] = quantizeValue(values[i], scales[channelOf(i)], 0, -127, 127);
  return { data, scales, axis: axis ?? 0, min, max, channelMin, channelMax };
}

/** Bias scales: inputScale × weightScale[c], one per weight scale. */
export function biasScales(inputScale: number, weightScales: readonly number[]): number[] {
  return weightScales.map((w) => Math.fround(inputScale * w));
}

/** INT32_MAX / 2: TF keeps int8 models' quantized biases below it, leaving room in the accumulator. */
const BIAS_MAX = 1073741823;

/**
 * TF's bias-range adjustment (its quantization driver's SetBiasParamsWithAdjustments), int8 only:
 * where |bias| / (input scale × weight scale) would exceed INT32_MAX / 2, the bias scale becomes
 * |bias| / (INT32_MAX / 2) and the weight scale that / input scale (per channel, or over the
 * largest |bias| for one scale).
 */
export function adjustForBias(
  bias: Float32Array,
  inputScale: number,
  weightScales: readonly number[],
): { weightScales: number[]; biasScales: number[]; adjusted: number } {
  const weights = [...weightScales];
  const scales = biasScales(inputScale, weightScales);
  let adjusted = 0;
  if (weights.length === 1) {
    const halfRange = bias.reduce((m, v) => Math.max(m, Math.abs(v)), 0);
    if (halfRange / scales[0] >= BIAS_MAX) {
      scales[0] = Math.fround(halfRange / BIAS_MAX);
      weights[0] = Math.fround(halfRange / BIAS_MAX / inputScale);
      adjusted = 1;
    }
  } else {
    bias.forEach((v, c) => {
      if (Math.abs(v) / scales[c] <= BIAS_MAX) return;
      scales[c] = Math.fround(Math.abs(v) / BIAS_MAX);
      weights[c] = Math.fround(Math.abs(v) / BIAS_MAX / inputScale);
      adjusted++;
    });
  }
  return { weightScales: weights, biasScales: scales, adjusted };
}

/** Biases at the given scales (one, or one per element; int32 for int8 activations, int64 for int16). */
export function quantizeBias(
  values: Float32Array,
  scales: readonly number[],
  dtype: 'int32' | 'int64',
): { data: Int32Array | BigInt64Array; scales: number[]; saturated: number } {
  const scaleOf = (c: number): number => scales[scales.length === 1 ? 0 : c];
  if (dtype === 'int32') {
    const data = new Int32Array(values.length);
    let saturated = 0;
    for (let c = 0; c < values.length; c++) {
      const q = values[c] / scaleOf(c);
      if (Math.abs(q) > 2147483647) saturated++;
      data[c] = quantizeValue(values[c], scaleOf(c), 0, -2147483647, 2147483647);
    }
    return { data, scales: [...scales], saturated };
  }
  const data = new BigInt64Array(values.length);
  for (let c = 0; c < values.length; c++) data[c] = BigInt(roundHalfAwayFromZero(values[c] / scaleOf(c)));
  return { data, scales: [...scales], saturated: 0 };
}
