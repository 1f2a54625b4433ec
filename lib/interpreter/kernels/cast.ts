// CAST after TFLM's micro/kernels/cast.cc: a static_cast per element from int8, int16, int32,
// uint32, float32 or bool to int8, int16, int32, uint32 or float32. Between integer types the
// value wraps (the typed-array store does it); to float32 it rounds to nearest. float32 to an
// integer truncates toward zero; out-of-range values are undefined in C, and here they give what
// x86-64 GCC builds (TFLM's goldens) produce: cvttss2si's 0x80000000 for int8/int16/int32 targets,
// the low 32 bits of the 64-bit conversion for uint32.
import type { Kernel, PreparedOp } from './kernel.js';
import { unaryTensors } from './elementwise.js';

type CastData = Int8Array | Int16Array | Int32Array | Uint32Array | Float32Array | Uint8Array;

const FROM: ReadonlySet<string> = new Set(['int8', 'int16', 'int32', 'uint32', 'float32', 'bool']);
const TO: ReadonlySet<string> = new Set(['int8', 'int16', 'int32', 'uint32', 'float32']);
const EMPTY: Int32Array = new Int32Array(0);
const TWO_31 = 2147483648;
const TWO_32 = 4294967296;
const TWO_63 = 9223372036854775808;

/** float -> int32 as cvttss2si does: truncation, 0x80000000 when NaN or out of range. */
export function floatToInt32X86(value: number): number {
  return value > -TWO_31 - 1 && value < TWO_31 ? Math.trunc(value) : -TWO_31;
}

/** float -> uint32 as x86-64 GCC does: a 64-bit truncation (0x8000000000000000 out of range), low word. */
export function floatToUint32X86(value: number): number {
  if (!(value > -TWO_63 - 1 && value < TWO_63)) return 0;
  const truncated = Math.trunc(value);
  return truncated - Math.floor(truncated / TWO_32) * TWO_32;
}

function converterFor(from: string, to: string): ((value: number) => number) | null {
  if (from === 'bool') return (value) => (value !== 0 ? 1 : 0);
  if (from !== 'float32' || to === 'float32') return null;
  return to === 'uint32' ? floatToUint32X86 : floatToInt32X86;
}

export const CAST: Kernel = {
  supports(operator, inputDtypes): boolean {
    return FROM.has(inputDtypes[0] ?? '') && operator.outputs.length === 1;
  },
  prepare(ctx): PreparedOp {
    const { input, output } = unaryTensors(ctx);
    if (!TO.has(output.dtype)) throw ctx.error(`output dtype ${output.dtype} is not supported (int8, int16, int32, uint32, float32)`);
    const convert = converterFor(input.dtype, output.dtype);
    const count = output.elementCount;
    let x: CastData = EMPTY;
    let y: CastData = EMPTY;
    if (convert === null) {
      return {
        invoke(): void {
          x = input.data as CastData;
          y = output.data as CastData;
          for (let i = 0; i < count; i++) y[i] = x[i];
        },
      };
    }
    return {
      invoke(): void {
        x = input.data as CastData;
        y = output.data as CastData;
        for (let i = 0; i < count; i++) y[i] = convert(x[i]);
      },
    };
  },
};
