// TFLM's 513-entry int16 lookup tables with linear interpolation (gen_lut / LUTPopulateInt16 and
// generic_int16_table_lookup in kernels/internal/common.h), used by the int16 SOFTMAX. Tables are
// built in float32 arithmetic step by step as the C code does, each entry biased by half the
// interpolation error at its midpoint.

/** roundf / TfLiteRound on a float32 value: halves away from zero. */
function roundf(x: number): number {
  return x < 0 ? -Math.floor(-x + 0.5) : Math.floor(x + 0.5);
}

const STEPS = 512;

/** A table of func over [inputMin, inputMax] into int16 for outputs in [outputMin, outputMax]. */
export function int16Lut(func: (x: number) => number, inputMin: number, inputMax: number, outputMin: number, outputMax: number): Int16Array {
  const f = Math.fround;
  const lut = new Int16Array(STEPS + 1);
  const step = f(f(inputMax - inputMin) / STEPS);
  const halfStep = f(step / 2);
  const scalingInverse = f(65536 / f(outputMax - outputMin));
  const clamp = (v: number): number => Math.min(Math.max(v, -32768), 32767);
  for (let i = 0; i < STEPS; i++) {
    const at = f(inputMin + f(i * step));
    const value = f(func(at));
    const midpointValue = f(func(f(at + halfStep)));
    const nextValue = f(func(f(inputMin + f((i + 1) * step))));
    const sample = roundf(f(value * scalingInverse));
    const midpointInterpolated = roundf(f(f(f(nextValue * scalingInverse) + sample) / 2));
    const midpoint = roundf(f(midpointValue * scalingInverse));
    const bias = roundf(f(f(midpointInterpolated - midpoint) / 2));
    lut[i] = clamp(f(sample - bias));
  }
  lut[STEPS] = clamp(roundf(f(f(func(inputMax)) * scalingInverse)));
  return lut;
}

/** generic_int16_table_lookup: the entry for the top 9 bits of value, interpolated by the low 7. */
export function int16LutLookup(value: number, lut: Int16Array): number {
  const index = 256 + (value >> 7);
  const offset = value & 0x7f;
  const base = lut[index];
  const slope = (lut[index + 1] - base) << 16 >> 16;
  return (base + ((slope * offset + 64) >> 7)) << 16 >> 16;
}
