// Custom operator options as TFLM reads them: a FlexBuffer map of scalars (TFLM's
// FlexbufferWrapper). TFLM's signal kernels index the map's values by position, which is key
// order; reading by key name gives the same values.
// Our own reader of the FlexBuffers format (root, map, keys vector, scalar values, 1-8 byte
// widths) with every read bounds-checked: the flatbuffers package's reader mis-reads maps with
// 8-byte slots (mixes BigInt and number in offsets, and reads 8-byte floats as 4-byte ones).

export class CustomOptionsError extends Error {
  constructor(detail: string) {
    super(detail);
    this.name = 'CustomOptionsError';
  }
}

// FlexBuffers value types (flexbuffers.h Type).
const INT = 1;
const UINT = 2;
const FLOAT = 3;
const INDIRECT_INT = 6;
const INDIRECT_UINT = 7;
const INDIRECT_FLOAT = 8;
const MAP = 9;
const BOOL = 26;

/** Where a value is: its slot, the slot's width, and its packed type (type << 2 | child width code). */
interface Slot {
  offset: number;
  width: number;
  packedType: number;
}

class Reader {
  constructor(private readonly view: DataView) {}

  private check(offset: number, width: number): void {
    if (!Number.isInteger(offset) || offset < 0 || offset + width > this.view.byteLength) {
      throw new CustomOptionsError(`not a valid FlexBuffer map (a ${width}-byte read at ${offset} leaves the ${this.view.byteLength} bytes)`);
    }
  }

  byte(offset: number): number {
    this.check(offset, 1);
    return this.view.getUint8(offset);
  }

  uint(offset: number, width: number): number {
    this.check(offset, width);
    switch (width) {
      case 1: return this.view.getUint8(offset);
      case 2: return this.view.getUint16(offset, true);
      case 4: return this.view.getUint32(offset, true);
      default: return Number(this.view.getBigUint64(offset, true));
    }
  }

  int(offset: number, width: number): number {
    this.check(offset, width);
    switch (width) {
      case 1: return this.view.getInt8(offset);
      case 2: return this.view.getInt16(offset, true);
      case 4: return this.view.getInt32(offset, true);
      default: return Number(this.view.getBigInt64(offset, true));
    }
  }

  float(offset: number, width: number): number {
    this.check(offset, width);
    if (width === 4) return this.view.getFloat32(offset, true);
    if (width === 8) return this.view.getFloat64(offset, true);
    throw new CustomOptionsError(`not a valid FlexBuffer map (a ${width}-byte float)`);
  }

  /** The target of an offset slot: offsets point back from the slot. */
  indirect(offset: number, width: number): number {
    return offset - this.uint(offset, width);
  }

  /** A null-terminated key string. */
  key(offset: number): string {
    let end = offset;
    while (this.byte(end) !== 0) end++;
    return new TextDecoder().decode(new Uint8Array(this.view.buffer, this.view.byteOffset + offset, end - offset));
  }
}

function childWidth(packedType: number): number {
  return 1 << (packedType & 3);
}

function readMap(reader: Reader, root: Slot): Map<string, Slot> {
  if (root.packedType >> 2 !== MAP) throw new CustomOptionsError('the FlexBuffer root is not a map');
  const values = reader.indirect(root.offset, root.width);
  const width = childWidth(root.packedType);
  const length = reader.uint(values - width, width);
  const keysSlot = values - 3 * width;
  const keys = reader.indirect(keysSlot, width);
  const keyWidth = reader.uint(values - 2 * width, width);
  if (![1, 2, 4, 8].includes(keyWidth) || length > reader.uint(keys - keyWidth, keyWidth)) {
    throw new CustomOptionsError('not a valid FlexBuffer map (its keys vector does not match it)');
  }
  const entries = new Map<string, Slot>();
  for (let i = 0; i < length; i++) {
    const name = reader.key(reader.indirect(keys + i * keyWidth, keyWidth));
    entries.set(name, { offset: values + i * width, width, packedType: reader.byte(values + length * width + i) });
  }
  return entries;
}

export class FlexbufferMap {
  private constructor(private readonly reader: Reader, private readonly entries: ReadonlyMap<string, Slot>) {}

  /** Parses a FlexBuffer whose root is a map; throws CustomOptionsError otherwise. */
  static parse(bytes: Uint8Array): FlexbufferMap {
    if (bytes.byteLength < 3) throw new CustomOptionsError(`not a valid FlexBuffer map (${bytes.byteLength} bytes)`);
    const reader = new Reader(new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength));
    const rootWidth = reader.byte(bytes.byteLength - 1);
    if (![1, 2, 4, 8].includes(rootWidth)) throw new CustomOptionsError(`not a valid FlexBuffer map (root width ${rootWidth})`);
    const root: Slot = { offset: bytes.byteLength - 2 - rootWidth, width: rootWidth, packedType: reader.byte(bytes.byteLength - 2) };
    return new FlexbufferMap(reader, readMap(reader, root));
  }

  /** Keys in the map's (sorted) order. */
  get keys(): string[] {
    return [...this.entries.keys()];
  }

  has(key: string): boolean {
    return this.entries.has(key);
  }

  /** An integer value (INT or UINT, any width, inline or indirect); it must be a safe integer. */
  int(key: string): number {
    const value = this.integer(key);
    if (value === null) throw new CustomOptionsError(`option '${key}' is not an integer`);
    if (!Number.isSafeInteger(value)) throw new CustomOptionsError(`option '${key}' = ${value} is outside the safe integer range`);
    return value;
  }

  /** A boolean; an integer counts as true when non-zero, as FlexBuffers' AsBool reads it. */
  bool(key: string): boolean {
    const slot = this.entry(key);
    if (slot.packedType >> 2 === BOOL) return this.reader.uint(slot.offset, slot.width) !== 0;
    const value = this.integer(key);
    if (value === null) throw new CustomOptionsError(`option '${key}' is not a boolean`);
    return value !== 0;
  }

  /** A float (4 or 8 bytes, inline or indirect), or an integer as a number. */
  float(key: string): number {
    const slot = this.entry(key);
    const type = slot.packedType >> 2;
    if (type === FLOAT) return this.reader.float(slot.offset, slot.width);
    if (type === INDIRECT_FLOAT) return this.reader.float(this.reader.indirect(slot.offset, slot.width), childWidth(slot.packedType));
    const value = this.integer(key);
    if (value === null) throw new CustomOptionsError(`option '${key}' is not a number`);
    return value;
  }

  private integer(key: string): number | null {
    const slot = this.entry(key);
    const { reader } = this;
    switch (slot.packedType >> 2) {
      case INT: return reader.int(slot.offset, slot.width);
      case UINT: return reader.uint(slot.offset, slot.width);
      case INDIRECT_INT: return reader.int(reader.indirect(slot.offset, slot.width), childWidth(slot.packedType));
      case INDIRECT_UINT: return reader.uint(reader.indirect(slot.offset, slot.width), childWidth(slot.packedType));
      default: return null;
    }
  }

  private entry(key: string): Slot {
    const slot = this.entries.get(key);
    if (slot === undefined) throw new CustomOptionsError(`option '${key}' is missing (present: ${this.keys.join(', ') || 'none'})`);
    return slot;
  }
}
