// Custom operator options as TFLM reads them: a FlexBuffer map (TFLM's FlexbufferWrapper). TFLM's
// signal kernels index the map's values by position, which is key order; reading by key name
// gives the same values. Parsing uses the flatbuffers package's FlexBuffer reader; this wrapper
// turns its thrown strings and range errors into one error type, and checks value kinds.
import { toReference } from 'flatbuffers/js/flexbuffers.js';
import type { Reference } from 'flatbuffers/js/flexbuffers/reference.js';

export class CustomOptionsError extends Error {
  constructor(detail: string) {
    super(detail);
    this.name = 'CustomOptionsError';
  }
}

function describe(thrown: unknown): string {
  return thrown instanceof Error ? thrown.message : String(thrown);
}

export class FlexbufferMap {
  private constructor(private readonly entries: ReadonlyMap<string, Reference>) {}

  /** Parses a FlexBuffer whose root is a map; throws CustomOptionsError otherwise. */
  static parse(bytes: Uint8Array): FlexbufferMap {
    const copy = new Uint8Array(bytes.byteLength);
    copy.set(bytes);
    const entries = new Map<string, Reference>();
    try {
      const root = toReference(copy.buffer);
      if (!root.isMap()) throw new CustomOptionsError('the FlexBuffer root is not a map');
      // The typings declare get() for vector indexes only; maps take their keys at run time.
      const byKey = root as unknown as { get(key: string): Reference };
      for (const key of Object.keys(root.toObject() as Record<string, unknown>)) entries.set(key, byKey.get(key));
    } catch (thrown) {
      if (thrown instanceof CustomOptionsError) throw thrown;
      throw new CustomOptionsError(`not a valid FlexBuffer map (${describe(thrown)})`);
    }
    return new FlexbufferMap(entries);
  }

  /** Keys in the map's (sorted) order. */
  get keys(): string[] {
    return [...this.entries.keys()];
  }

  has(key: string): boolean {
    return this.entries.has(key);
  }

  /** An integer value (INT or UINT, any width) as a number; it must be a safe integer. */
  int(key: string): number {
    const ref = this.entry(key);
    const value = ref.isInt() ? ref.intValue() : null;
    if (value === null) throw new CustomOptionsError(`option '${key}' is not an integer`);
    const number = Number(value);
    if (!Number.isSafeInteger(number)) throw new CustomOptionsError(`option '${key}' = ${value} is outside the safe integer range`);
    return number;
  }

  /** A boolean; an integer counts as true when non-zero, as FlexBuffers' AsBool reads it. */
  bool(key: string): boolean {
    const ref = this.entry(key);
    if (ref.isBool()) return ref.boolValue() === true;
    if (ref.isInt()) return Number(ref.intValue()) !== 0;
    throw new CustomOptionsError(`option '${key}' is not a boolean`);
  }

  float(key: string): number {
    const ref = this.entry(key);
    if (ref.isFloat()) return ref.floatValue() ?? Number.NaN;
    if (ref.isInt()) return Number(ref.intValue());
    throw new CustomOptionsError(`option '${key}' is not a number`);
  }

  private entry(key: string): Reference {
    const ref = this.entries.get(key);
    if (ref === undefined) throw new CustomOptionsError(`option '${key}' is missing (present: ${this.keys.join(', ') || 'none'})`);
    return ref;
  }
}
