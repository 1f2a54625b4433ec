// TFLM's int16 sigmoid and tanh (reference_integer_ops::Logistic and Tanh for int16), used by the
// int16 LOGISTIC and TANH kernels and by the integer LSTM's gates (micro/kernels/lstm_eval.cc): a
// 256-entry table of sigmoid(i / 24) in 0.16 format (sigmoid_table_uint16 in
// kernels/internal/common.h), interpolated linearly, with tanh(x) = 2 * sigmoid(2x) - 1. The
// input is first rescaled by (x * multiplier + round) >> leftShift; outputs are Q0.15.

/**
 * TFLM's sigmoid_table_uint16 (tensorflow/lite/kernels/internal/common.h, Apache-2.0, The
 * TensorFlow Authors): not a plain rounding of sigmoid(i / 24) (several entries differ by one), so
 * it is kept as data to stay bit-exact.
 */
const SIGMOID_TABLE_UINT16 = Uint16Array.of(
  32768, 33451, 34133, 34813, 35493, 36169, 36843, 37513, 38180, 38841, 39498, 40149, 40794, 41432, 42064, 42688,
  43304, 43912, 44511, 45102, 45683, 46255, 46817, 47369, 47911, 48443, 48964, 49475, 49975, 50464, 50942, 51409,
  51865, 52311, 52745, 53169, 53581, 53983, 54374, 54755, 55125, 55485, 55834, 56174, 56503, 56823, 57133, 57433,
  57724, 58007, 58280, 58544, 58800, 59048, 59288, 59519, 59743, 59959, 60168, 60370, 60565, 60753, 60935, 61110,
  61279, 61441, 61599, 61750, 61896, 62036, 62172, 62302, 62428, 62549, 62666, 62778, 62886, 62990, 63090, 63186,
  63279, 63368, 63454, 63536, 63615, 63691, 63765, 63835, 63903, 63968, 64030, 64090, 64148, 64204, 64257, 64308,
  64357, 64405, 64450, 64494, 64536, 64576, 64614, 64652, 64687, 64721, 64754, 64786, 64816, 64845, 64873, 64900,
  64926, 64950, 64974, 64997, 65019, 65039, 65060, 65079, 65097, 65115, 65132, 65149, 65164, 65179, 65194, 65208,
  65221, 65234, 65246, 65258, 65269, 65280, 65291, 65301, 65310, 65319, 65328, 65337, 65345, 65352, 65360, 65367,
  65374, 65381, 65387, 65393, 65399, 65404, 65410, 65415, 65420, 65425, 65429, 65433, 65438, 65442, 65445, 65449,
  65453, 65456, 65459, 65462, 65465, 65468, 65471, 65474, 65476, 65479, 65481, 65483, 65485, 65488, 65489, 65491,
  65493, 65495, 65497, 65498, 65500, 65501, 65503, 65504, 65505, 65507, 65508, 65509, 65510, 65511, 65512, 65513,
  65514, 65515, 65516, 65517, 65517, 65518, 65519, 65520, 65520, 65521, 65522, 65522, 65523, 65523, 65524, 65524,
  65525, 65525, 65526, 65526, 65526, 65527, 65527, 65528, 65528, 65528, 65529, 65529, 65529, 65529, 65530, 65530,
  65530, 65530, 65531, 65531, 65531, 65531, 65531, 65532, 65532, 65532, 65532, 65532, 65532, 65533, 65533, 65533,
  65533, 65533, 65533, 65533, 65533, 65534, 65534, 65534, 65534, 65534, 65534, 65534, 65534, 65534, 65534, 65535,
);

/**
 * reference_integer_ops::Logistic for one int16 value, with the multiplier and shift as its
 * loop uses them (after the power-of-two case has become multiplier 3 << shift, shift 0).
 */
export function int16Logistic(value: number, multiplier: number, leftShift: number): number {
  const round = leftShift > 0 ? 1 << (leftShift - 1) : 0;
  const scaled = (value * multiplier + round) >> leftShift;
  const magnitude = scaled < 0 ? -scaled : scaled;
  const index = magnitude >> 9;
  let result: number;
  if (index >= 255) {
    result = 0x7fff << 10;
  } else {
    const low = SIGMOID_TABLE_UINT16[index];
    result = low * 512 + (magnitude & 0x1ff) * (SIGMOID_TABLE_UINT16[index + 1] - low);
  }
  result = scaled >= 0 ? result + 512 : 33554432 - result + 511;
  // C keeps the low 16 bits of the uint32 result.
  return ((result >>> 10) << 16) >> 16;
}

/**
 * The LSTM gates' sigmoid (lstm_internal::Sigmoid: input_multiplier 0, no shift): Q3.12 in,
 * Q0.15 out. The 3/4 pre-scale widens the table's range to about +-10.7.
 */
export function int16Sigmoid(value: number): number {
  return int16Logistic(value, 3, 0);
}

/** The pre-scale of reference_integer_ops::Tanh (int16) for a Q(15 + scalePower).(-scalePower) input. */
export interface Int16TanhScale {
  multiplier: number;
  leftShift: number;
}

/** micro's lstm_internal::Tanh: the multiplier and shift that bring 2^scalePower units to the table's scale. */
export function int16TanhScale(scalePower: number): Int16TanhScale {
  let shift = 15 + scalePower - 3;
  let multiplier = 0;
  if (shift < 0) {
    shift = -shift;
    multiplier = 3;
  }
  // reference Tanh: a zero multiplier is the power-of-two case.
  if (multiplier === 0) return { multiplier: 3 << shift, leftShift: 0 };
  return { multiplier, leftShift: shift };
}

/** reference_integer_ops::Tanh for one int16 value; Q0.15 out. */
export function int16Tanh(value: number, multiplier: number, leftShift: number): number {
  const round = leftShift > 0 ? 1 << (leftShift - 1) : 0;
  const scaled = (value * multiplier + round) >> leftShift;
  const magnitude = scaled < 0 ? -scaled : scaled;
  const index = magnitude >> 8;
  let result: number;
  if (index >= 255) {
    result = 0xffff << 8;
  } else {
    const low = SIGMOID_TABLE_UINT16[index];
    result = low * 256 + (magnitude & 0xff) * (SIGMOID_TABLE_UINT16[index + 1] - low);
  }
  result = scaled >= 0 ? result - 8388608 + 128 : -result + 8388608 + 128 - 1;
  return ((result >> 8) << 16) >> 16;
}
